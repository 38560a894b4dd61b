"""Character classes of Chinese text, for the regular expressions of whoever reads what filers typed."""

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
# Full-width and CJK punctuation, the curly quotes and the middle dot that Chinese text uses.
WIDE_PUNCTUATION = "\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201f\u2026\u2014\u00b7"
DIGITS = "0-9\uff10-\uff19"

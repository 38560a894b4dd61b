"""The words of a title, from jieba (a well-kept Chinese word segmenter), its dictionary held compactly.

jieba keeps its 349,046 words, and every prefix of each, in a Python dict: about 60 MB in every worker
process, for the few dozen characters of a report's title. Here the dictionary stays the text it is (a few
megabytes), searched where the words of a character lie; what jieba does with the frequencies (the word
graph, the most probable route through it, its HMM for words the dictionary lacks) is unchanged, so the same
words come out. It is read when the first title needs breaking (a title that fits one line needs none), or
when a worker process starts.
"""

from __future__ import annotations

import logging
import sys
from functools import cache


class Frequencies:
    """jieba's word frequencies as its Tokenizer reads them: a word gives its frequency, a prefix of a word
    (which jieba looks up to know when to stop) gives 0, anything else is absent.

    The dictionary stays the text it is ("word frequency tag" a line); the lines of the words starting with
    each character lie together in it, so a look-up is one search in a few hundred characters."""

    def __init__(self, dictionary: str):
        self._text = "\n" + dictionary.strip("\n") + "\n"
        self.total = 0
        runs: dict[str, list[tuple[int, int]]] = {}
        start = 0
        while start < len(self._text) - 1:
            end = self._text.index("\n", start + 1)
            self.total += int(self._text[start + 1 : end].split(" ")[1])
            first = runs.setdefault(self._text[start + 1], [])
            if first and first[-1][1] == start:
                first[-1] = (first[-1][0], end)
            else:
                first.append((start, end))
            start = end
        self._spans = {first: spans[0] for first, spans in runs.items()}
        # The few characters whose words are not all together in the file: theirs are gathered at the end.
        for first, spans in runs.items():
            if len(spans) > 1:
                gathered = "".join(self._text[low + 1 : high + 1] for low, high in spans)
                self._spans[first] = (len(self._text) - 1, len(self._text) + len(gathered) - 1)
                self._text += gathered

    def __contains__(self, text: str) -> bool:
        low, high = self._spans.get(text[:1], (0, 0))
        return self._text.find("\n" + text, low, high) >= 0

    def get(self, text: str, default: int | None = None) -> int | None:
        low, high = self._spans.get(text[:1], (0, 0))
        found = self._text.find(f"\n{text} ", low, high)
        if found >= 0:
            start = found + len(text) + 2
            return int(self._text[start : self._text.index(" ", start)])
        return 0 if self._text.find("\n" + text, low, high) >= 0 else default

    def __getitem__(self, text: str) -> int:
        frequency = self.get(text)
        if frequency is None:
            raise KeyError(text)
        return frequency


def _jieba():
    """jieba, imported without pkg_resources: jieba 0.42.1 imports it only to open its own dictionary, and
    falls back to opening the file; setuptools' pkg_resources scans every installed distribution to start
    (a few megabytes and a deprecation warning in every worker)."""
    absent = "pkg_resources" not in sys.modules
    if absent:
        sys.modules["pkg_resources"] = None  # an import of it fails
    try:
        import jieba
    finally:
        if absent:
            del sys.modules["pkg_resources"]
    return jieba


@cache
def tokenizer():
    """A jieba Tokenizer over the compact dictionary (built once per process, in about a second)."""
    jieba = _jieba()
    jieba.setLogLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    with segmenter.get_dict_file() as dictionary:  # jieba's own, as its Tokenizer reads it
        frequencies = Frequencies(dictionary.read().decode("utf-8"))
    segmenter.FREQ, segmenter.total, segmenter.initialized = frequencies, frequencies.total, True
    return segmenter


def words(text: str) -> list[str]:
    return list(tokenizer().cut(text))

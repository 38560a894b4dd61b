"""Text going into a CSV (or any sheet) a spreadsheet program opens: a cell it would run as a formula is written as
text, so that what a filer typed (=HYPERLINK(…), @SUM(…)) is shown, never executed."""

from __future__ import annotations

import re
from typing import Any

# Excel, WPS and LibreOffice take a cell starting with these as a formula (after spaces), and a tab or a carriage
# return as a way to get one in; the full-width forms as IMEs type them, too.
_FORMULA_START = re.compile(r"[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r]")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet shows it and does not run: numbers as they are (−3 stays a number), a text that
    would start a formula behind a leading apostrophe, which spreadsheets take as "this is text"."""
    if not isinstance(value, str) or _NUMBER.fullmatch(value.strip()):
        return value
    if _FORMULA_START.match(value):
        return "'" + value
    return value


def safe_row(values) -> list[Any]:
    return [safe_cell(value) for value in values]

"""Spreadsheet cells that no spreadsheet will run as a formula, for every CSV and XLSX we write.

Excel, WPS and LibreOffice run a cell of a CSV file that starts with `=`, `+`, `-` or `@` (or a
tab or line break before one) as a formula: a park name `=HYPERLINK(…)` in a download would be
a live link or command on the reader's machine. OWASP's rule (CSV injection) is followed: such a
text gets a leading `'`, which spreadsheets show as text. Full-width `＝＋－＠` are included, as
Excel on Chinese and Japanese Windows treats them like their ASCII forms.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

_FORMULA_STARTS = frozenset("=+-@＝＋－＠\t\r\n")
_LEADING_SPACE = " \u3000"


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet could read `text`, as a cell, as a formula."""
    return bool(text) and (text[0] in _FORMULA_STARTS or text.lstrip(_LEADING_SPACE)[:1] in _FORMULA_STARTS)


def as_text_cell(text: str) -> str:
    """`text` as a CSV cell that shows as written and never runs."""
    return "'" + text if runs_as_formula(text) else text


def from_text_cell(text: str) -> str:
    """The text `as_text_cell` was given: its `'` removed again when a sheet comes back."""
    return text[1:] if text.startswith("'") and runs_as_formula(text[1:]) else text


def csv_download(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> bytes:
    """A CSV download whose every text cell went through `as_text_cell`: UTF-8 with a BOM, so
    Excel on Chinese Windows reads the characters right; yes/no for flags, numbers as numbers."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n")
    if columns:
        writer.writeheader()
    writer.writerows({key: _csv_cell(value) for key, value in row.items()} for row in rows)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _csv_cell(value: object) -> object:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if isinstance(value, int | float) or value is None else as_text_cell(str(value))

"""Paste the field reference printed by `python -m sitegen.content.reference` between the markers
of docs/fields.md (tests/test_docs.py checks that it is in step)."""

from __future__ import annotations

from pathlib import Path

from sitegen.content.reference import field_reference

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- field-reference:start -->\n", "<!-- field-reference:end -->"


def main() -> None:
    file = ROOT / "docs" / "fields.md"
    text = file.read_text(encoding="utf-8")
    start, end = text.index(START) + len(START), text.index(END)
    file.write_text(text[:start] + field_reference() + text[end:], encoding="utf-8")


if __name__ == "__main__":
    main()

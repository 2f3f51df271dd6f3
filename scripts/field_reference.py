"""Paste the field reference printed by `python -m sitegen.content.reference` between the markers
of README.md and docs/fields.md (tests/test_docs.py checks that both are in step)."""

from __future__ import annotations

from pathlib import Path

from sitegen.content.reference import field_reference

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- field-reference:start -->\n", "<!-- field-reference:end -->"


def main() -> None:
    reference = field_reference()
    for name in ("README.md", "docs/fields.md"):
        file = ROOT / name
        text = file.read_text(encoding="utf-8")
        start, end = text.index(START) + len(START), text.index(END)
        file.write_text(text[:start] + reference + text[end:], encoding="utf-8")


if __name__ == "__main__":
    main()

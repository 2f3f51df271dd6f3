"""The body texts `sitegen new` writes for an editor to replace: the one list the skeletons are
written from and the check finds them by, so an untouched one is never published unnoticed."""

from __future__ import annotations

import re

from sitegen.content.frontmatter import Document

BODY_PLACEHOLDERS = {
    "parks": "在这里用中文介绍园区（Markdown 格式）。英文介绍写在 {slug}.en.md。",
    "events": "在这里用中文介绍活动。英文写在 {slug}.en.md。",
    "pages": "在这里写中文内容。英文写在 {slug}.en.md。",
    "chains": "在这里用中文介绍产业链。英文写在 {slug}.en.md。",
}
"""The Chinese body of a new entry, by collection ({slug}: the entry's file name)."""
ENGLISH_PLACEHOLDER = "Write the English text here (Markdown)."
"""The body of a new `.en.md` file."""


def _pattern(text: str) -> re.Pattern[str]:
    """The text with any slug, ignoring white space and the full stop at the end, so a line
    the editor re-indented, or copied into a renamed file, is still found."""
    squeezed = re.sub(r"\s+", "", text).rstrip("。.")
    parts = [re.escape(part) for part in squeezed.split("{slug}")]
    return re.compile(r"\S+?".join(parts) + "[。.]?")


_PATTERNS = tuple(_pattern(text) for text in (*BODY_PLACEHOLDERS.values(), ENGLISH_PLACEHOLDER))


def placeholder_lines(body: str) -> list[int]:
    """The lines (1 = the body's first) that are a skeleton's placeholder, untouched.

    A line's text without white space is part of the whole body's, so a body in which no
    placeholder is found at all (nearly every one) is passed over without trying each line."""
    squeezed = re.sub(r"\s+", "", body)
    if not any(pattern.search(squeezed) for pattern in _PATTERNS):
        return []
    return [
        number
        for number, line in enumerate(body.splitlines(), start=1)
        if line.strip() and any(pattern.fullmatch(re.sub(r"\s+", "", line)) for pattern in _PATTERNS)
    ]


def without_placeholders(body: str) -> str:
    """The body with its placeholder lines left empty (so later lines keep their numbers)."""
    found = set(placeholder_lines(body))
    if not found:
        return body
    lines = body.splitlines(keepends=True)
    return "".join("\n" if number in found else line for number, line in enumerate(lines, start=1))


def english_body(document: Document | None) -> str | None:
    """The English body, or None when there is no English file or it holds only a placeholder."""
    if document is None:
        return None
    if placeholder_lines(document.body):
        cleaned = without_placeholders(document.body)
        return cleaned if cleaned.strip() else None
    return document.body

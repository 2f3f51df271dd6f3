"""What the content stage checks in Markdown bodies before anything is rendered."""

from __future__ import annotations

import re

_IMAGE_WITHOUT_ALT = re.compile(r"!\[\s*\]\(")


def lines_with_images_missing_alt(text: str) -> list[int]:
    """Line numbers (1-based, within `text`) of Markdown images written without alt text."""
    return [number for number, line in enumerate(text.split("\n"), 1) if _IMAGE_WITHOUT_ALT.search(line)]

"""The preview's rebuild after a save: it keeps parks' drawings between saves, and must still
show exactly what a full build of the edited site shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL_SITE

from sitegen.preview import PreviewBuilder

EDITS = {
    # what: (file, text, replaced by, which then shows on some page)
    "facts of a park": ("content/parks/qilu-software-park.md", "level: national", "level: provincial", "省级"),
    "a park's summary": ("content/parks/qilu-software-park.md", "济南高新区内的软件园", "济南的软件园", "济南的软件园"),
    "a park card": ("themes/default/templates/park_card.html", 'class="park-card"', 'class="park-card x"', "park-card x"),
    "a map table row": ("themes/default/templates/park_row.html", "<tr ", '<tr class="x" ', '<tr class="x"'),
    "a UI string": ("themes/default/i18n.yaml", "en: National}", "en: National level}", "National level"),
    "a sector's colour": ("content/sectors.yaml", "#1565c0", "#0d47a1", "#0d47a1"),
}


def pages(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*.html"))}


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


@pytest.mark.parametrize("edit", EDITS)
def test_a_save_leaves_the_pages_a_full_build_would_make(make_site, tmp_path, edit):
    site = make_site()
    preview = PreviewBuilder(site, tmp_path / "preview")
    assert preview.rebuild() is not None
    relative, old, new, shown_text = EDITS[edit]
    file = site / relative
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")

    assert preview.rebuild([file]) is not None
    preview.finish()
    fresh = PreviewBuilder(site, tmp_path / "fresh")
    assert fresh.rebuild() is not None

    shown, expected = pages(tmp_path / "preview"), pages(tmp_path / "fresh")
    assert shown.keys() == expected.keys()
    assert [path for path in expected if shown[path] != expected[path]] == []
    assert any(shown_text.encode() in page for page in shown.values())


def test_a_cover_image_added_after_the_error_clears_it(make_site, tmp_path):
    park = "content/parks/qilu-software-park.md"
    site = make_site({park: MINIMAL_SITE[park].replace(
        "level: national", "level: national\n        cover: media/gate.png\n        cover_alt: {zh: 大门, en: Gate}"
    )})
    preview = PreviewBuilder(site, tmp_path / "preview")
    assert preview.rebuild() is None
    assert "content/media/gate.png" in preview.problems.report()

    image = site / "content/media/gate.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    assert preview.rebuild([image]) is not None

"""Texts `sitegen new` writes for the editor to replace: left untouched, each is a warning with its
file and line (an error under --strict), is never published, and an English file holding only
its placeholder counts as not translated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

FILLED_PARK = """\
---
name: {zh: 测试新园区, en: Test New Park}
city: jinan
location: {lat: 36.7, lon: 117.2}
sectors: [software]
---
"""
FILLED = {
    "park": ("parks", FILLED_PARK),
    "event": ("events", "---\ntitle: {zh: 测试活动, en: Test event}\ndate: 2020-10-01\n---\n"),
    "page": ("pages", "---\ntitle: {zh: 测试页面, en: Test page}\n---\n"),
}


def fill_front_matter(file: Path, front_matter: str) -> None:
    """What an editor does first: fill in the fields, leaving the body as the skeleton wrote it."""
    text = file.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    file.write_text(front_matter + body, encoding="utf-8")


def placeholder_warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if "placeholder" in line and ": warning: " in line]


@pytest.mark.parametrize("kind", sorted(FILLED))
def test_untouched_skeleton_bodies_are_warnings_with_file_and_line(make_site, run, kind):
    site = make_site()
    folder, front_matter = FILLED[kind]
    assert run("new", kind, "fresh-entry", "-s", str(site))[0] == 0
    chinese = site / "content" / folder / "fresh-entry.md"
    fill_front_matter(chinese, front_matter)
    body_line = front_matter.count("\n") + 1
    english_line = (site / "content" / folder / "fresh-entry.en.md").read_text(encoding="utf-8").count("\n")
    code, out, err = run("check", "-s", str(site))
    assert code == 0, err
    assert sorted(placeholder_warnings(err)) == [
        f"content/{folder}/fresh-entry.en.md:{english_line}: warning: 这一行是 sitegen new 写的占位文字，"
        "还没有换成正文，会原样发布 / this line is the placeholder sitegen new wrote, not yet replaced by the real text",
        f"content/{folder}/fresh-entry.md:{body_line}: warning: 这一行是 sitegen new 写的占位文字，"
        "还没有换成正文，会原样发布 / this line is the placeholder sitegen new wrote, not yet replaced by the real text",
    ]
    assert "translation: 2 of 5 entries have no English text" in out  # and yantai-biotech-park
    code, _, err = run("check", "-s", str(site), "--strict")
    assert code == 1 and len(placeholder_warnings(err)) == 2


def test_placeholders_are_not_published_and_the_english_page_says_it_is_in_preparation(make_site, run):
    site = make_site()
    assert run("new", "park", "fresh-park", "-s", str(site))[0] == 0
    fill_front_matter(site / "content" / "parks" / "fresh-park.md", FILLED_PARK)
    code, _, err = run("build", "-s", str(site))
    assert code == 0, err
    chinese = (site / "build" / "parks" / "fresh-park" / "index.html").read_text(encoding="utf-8")
    english = (site / "build" / "en" / "parks" / "fresh-park" / "index.html").read_text(encoding="utf-8")
    assert "在这里用中文介绍园区" not in chinese
    assert "Write the English text here" not in english
    assert "The full English text is in preparation." in english


def test_a_placeholder_moved_reindented_or_above_real_text_is_still_found(make_site, run):
    site = make_site(
        {
            "content/parks/qilu-software-park.en.md": (
                "Qilu Software Park lies in Jinan.\n\n   Write the English   text here (Markdown)\n"
            ),
            "content/events/alliance-founding.md": (
                "---\ntitle: {zh: 成立仪式, en: Founding}\ndate: 2020-09-20\n---\n"
                "在这里用中文介绍活动。英文写在 old-name.en.md。\n\n联盟成立，发布产业地图。\n"
            ),
        }
    )
    code, out, err = run("check", "-s", str(site))
    assert code == 0, err
    found = sorted(re.match(r"(\S+): warning", line).group(1) for line in placeholder_warnings(err))
    assert found == ["content/events/alliance-founding.md:5", "content/parks/qilu-software-park.en.md:3"]
    # Real English text beside the placeholder: the entry is translated.
    assert "translation: 1 of 4 entries have no English text" in out
    assert run("build", "-s", str(site))[0] == 0
    event = (site / "build" / "events" / "alliance-founding" / "index.html").read_text(encoding="utf-8")
    assert "联盟成立，发布产业地图。" in event and "在这里用中文介绍活动" not in event


def test_real_text_mentioning_the_words_is_not_a_placeholder(make_site, run):
    site = make_site({"content/parks/qilu-software-park.en.md": "Write the English text here, said the editor.\n"})
    assert placeholder_warnings(run("check", "-s", str(site))[2]) == []

"""The browser editor's saves, as sitegen serve receives them from Decap CMS: merged into the files
as a careful person would edit them, checked like `sitegen check`, and refused with a message
(and nothing written) when they would break the site or overwrite someone else's change."""

from __future__ import annotations

import base64
import io
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from PIL import Image

from sitegen.content.frontmatter import split_document
from sitegen.editor.cms_media import MAX_UPLOAD_BYTES, MAX_WIDTH
from sitegen.editor.cms_merge import plain
from sitegen.editor.cms_refusal import Refusal
from sitegen.editor.cms_store import ContentStore
from sitegen.errors import Problems
from sitegen.render.cms_config import SITE_SETTINGS

REPO = Path(__file__).resolve().parent.parent
STARTER = REPO / "sitegen" / "editor" / "starter"


def as_decap_sends(text: str, extra: dict | None = None) -> str:
    """The file as Decap CMS sends it back: the values re-written in its own YAML style (block
    style, its own quoting, every comment gone) and the body after it."""
    document = split_document(text.removeprefix("\ufeff").replace("\r\n", "\n"), "", Problems())
    assert document is not None
    if document.meta is None and not extra:
        return document.body
    data = {**plain(document.meta or {}), **(extra or {})}
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=60)
    return f"---\n{front}---\n{document.body}"


def save(store: ContentStore, tab: str, path: str, raw: str, assets: list | None = None) -> None:
    store.save_entry(tab, [{"path": path, "raw": raw, "slug": Path(path).stem}], assets or [])


def entry_files(root: Path) -> list[Path]:
    return sorted(path for path in (root / "content").glob("*/*.md"))


@pytest.mark.parametrize("root", [REPO, STARTER], ids=["repository", "init-starter"])
def test_every_starter_file_opened_and_saved_unchanged_stays_byte_identical(root, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(root / "content", site / "content")
    store = ContentStore(site)
    files = entry_files(site)
    assert len(files) >= 6
    before = {file: file.read_bytes() for file in files}
    for file in files:
        relative = file.relative_to(site).as_posix()
        shown = store.shown_path(relative, translated=not relative.startswith("content/projects/"))
        opened = store.entry("tab", shown)
        save(store, "tab", shown, as_decap_sends(opened["data"]))
    site_yaml = site / "content" / "site.yaml"
    site_before = site_yaml.read_bytes()
    opened = store.entry("tab", "content/site.yaml")["data"]
    shown_settings = {key: value for key, value in yaml.safe_load(opened).items() if key in SITE_SETTINGS}
    save(store, "tab", "content/site.yaml", yaml.safe_dump(shown_settings, allow_unicode=True))
    vocabularies = {name: (site / "content" / name).read_bytes() for name in ("sectors.yaml", "cities.yaml")}
    for name in vocabularies:
        opened = store.entry("tab", f"content/{name}")["data"]
        save(store, "tab", f"content/{name}", yaml.safe_dump(yaml.safe_load(opened), allow_unicode=True, width=40))
    assert {file: file.read_bytes() for file in files} == before
    assert site_yaml.read_bytes() == site_before
    assert {name: (site / "content" / name).read_bytes() for name in vocabularies} == vocabularies


def test_a_changed_setting_changes_only_its_line(make_site):
    site = make_site()
    site_yaml = site / "content/site.yaml"
    before = site_yaml.read_text(encoding="utf-8")
    store = ContentStore(site)
    opened = yaml.safe_load(store.entry("tab", "content/site.yaml")["data"])
    shown = {key: value for key, value in opened.items() if key in SITE_SETTINGS}
    shown["contact"]["phone"] = "0531-8888 8888"
    save(store, "tab", "content/site.yaml", yaml.safe_dump(shown, allow_unicode=True))
    assert site_yaml.read_text(encoding="utf-8") == before.replace('"0531-0000 0000"', '"0531-8888 8888"')


def test_sectors_are_edited_as_a_list_and_written_back_by_id(make_site):
    site = make_site(
        {
            "content/sectors.yaml": """\
            # 产业 / sectors
            software: {zh: 软件和信息技术, en: Software and IT, colour: "#1565c0"}
            biomedicine: {zh: 生物医药, en: Biomedicine, colour: "#2e7d32"}
            """
        }
    )
    store = ContentStore(site)
    opened = yaml.safe_load(store.entry("tab", "content/sectors.yaml")["data"])
    assert [entry["id"] for entry in opened["sectors"]] == ["software", "biomedicine"]
    opened["sectors"][1]["colour"] = "#1b5e20"
    opened["sectors"].append({"id": "new-materials", "zh": "新材料", "en": "New materials", "colour": "#6a1b9a"})
    save(store, "tab", "content/sectors.yaml", yaml.safe_dump(opened, allow_unicode=True))
    assert (site / "content/sectors.yaml").read_text(encoding="utf-8") == textwrap.dedent("""\
        # 产业 / sectors
        software: {zh: 软件和信息技术, en: Software and IT, colour: "#1565c0"}
        biomedicine: {zh: 生物医药, en: Biomedicine, colour: '#1b5e20'}
        new-materials: {zh: 新材料, en: New materials, colour: '#6a1b9a'}
        """)


def test_removing_a_sector_a_park_uses_is_refused(make_site):
    site = make_site()
    before = (site / "content/sectors.yaml").read_bytes()
    store = ContentStore(site)
    opened = yaml.safe_load(store.entry("tab", "content/sectors.yaml")["data"])
    opened["sectors"] = [entry for entry in opened["sectors"] if entry["id"] != "software"]
    with pytest.raises(Refusal) as refused:
        save(store, "tab", "content/sectors.yaml", yaml.safe_dump(opened, allow_unicode=True))
    assert "'software' is not an id in content/sectors.yaml" in refused.value.message
    assert (site / "content/sectors.yaml").read_bytes() == before


def test_a_changed_value_changes_only_its_line_and_keeps_comments_and_unknown_fields(make_site):
    site = make_site(
        {
            "content/parks/qilu-software-park.md": """\
            ---
            # 园区名称 / the park's name
            name: {zh: 齐鲁软件园, en: Qilu Software Park}
            city: jinan
            location: {lat: 36.666, lon: 117.134}
            sectors: [software]
            established: 1995  # 设立年份
            ---
            正文。
            """,
        }
    )
    file = site / "content/parks/qilu-software-park.md"
    store = ContentStore(site)
    opened = store.entry("tab", "content/parks/qilu-software-park.zh.md")["data"]
    sent = as_decap_sends(opened).replace("established: 1995", "established: 1996")
    save(store, "tab", "content/parks/qilu-software-park.zh.md", sent)
    assert file.read_text(encoding="utf-8") == textwrap.dedent("""\
        ---
        # 园区名称 / the park's name
        name: {zh: 齐鲁软件园, en: Qilu Software Park}
        city: jinan
        location: {lat: 36.666, lon: 117.134}
        sectors: [software]
        established: 1996  # 设立年份
        ---
        正文。
        """)


def test_a_save_that_fails_the_checks_is_refused_with_the_message_and_nothing_is_written(make_site):
    site = make_site()
    file = site / "content/parks/qilu-software-park.md"
    before = file.read_bytes()
    store = ContentStore(site)
    opened = store.entry("tab", "content/parks/qilu-software-park.zh.md")["data"]
    sent = as_decap_sends(opened).replace("city: jinan", "city: jinna")
    with pytest.raises(Refusal) as refused:
        save(store, "tab", "content/parks/qilu-software-park.zh.md", sent)
    assert refused.value.message.startswith("字段「城市 city」 / field “城市 city”\n")
    assert "content/parks/qilu-software-park.md:" in refused.value.message
    assert "'jinna' is not an id in content/cities.yaml" in refused.value.message
    assert "是不是 'jinan'？" in refused.value.hint
    assert file.read_bytes() == before


THEME_NEEDING_AN_AREA = "<p>{{ park.summary.zh }}</p>\n<p>{{ '%.1f' % (park.area_km2 * 1.0) }} km²</p>\n"
"""A site's park page that every park passes `check` with only while each states its area."""


def test_a_save_the_sites_templates_cannot_draw_is_refused_and_nothing_is_written(make_site):
    site = make_site({"themes/default/templates/park.html": THEME_NEEDING_AN_AREA})
    file = site / "content/parks/qilu-software-park.md"
    file.write_text(
        file.read_text(encoding="utf-8").replace("kind: industrial-park\n", "kind: industrial-park\narea_km2: 3.5\n"),
        encoding="utf-8",
    )
    other = site / "content/parks/yantai-biotech-park.md"
    other.write_text(
        other.read_text(encoding="utf-8").replace("sectors: [", "area_km2: 6\nsectors: ["), encoding="utf-8"
    )
    before = file.read_bytes()
    store = ContentStore(site)
    opened = store.entry("tab", "content/parks/qilu-software-park.zh.md")["data"]
    sent = as_decap_sends(opened).replace("area_km2: 3.5\n", "")
    with pytest.raises(Refusal) as refused:
        save(store, "tab", "content/parks/qilu-software-park.zh.md", sent)
    assert "themes/default/templates/park.html:2:" in refused.value.message
    assert file.read_bytes() == before
    save(
        store, "tab", "content/parks/qilu-software-park.zh.md", as_decap_sends(opened).replace("national", "provincial")
    )
    assert "level: provincial" in file.read_text(encoding="utf-8")


def test_a_new_park_is_written_in_the_schema_order_with_its_english_text(make_site):
    site = make_site()
    store = ContentStore(site)
    raw = """\
---
file_name: weihai-huoju-park
sectors: [software]
location: {lat: 37.49, lon: 122.1}
city: yantai
name: {zh: 威海火炬园, en: Weihai Torch Park}
summary: {zh: "", en: ""}
---
园区介绍。
"""
    store.save_entry(
        "tab",
        [
            {"path": "content/parks/weihai-huoju-park.zh.md", "raw": raw, "slug": "weihai-huoju-park"},
            {"path": "content/parks/weihai-huoju-park.en.md", "raw": "About the park.\n", "slug": "weihai-huoju-park"},
        ],
        [],
    )
    assert (site / "content/parks/weihai-huoju-park.md").read_text(encoding="utf-8") == textwrap.dedent("""\
        ---
        name: {zh: 威海火炬园, en: Weihai Torch Park}
        city: yantai
        location: {lat: 37.49, lon: 122.1}
        sectors: [software]
        ---
        园区介绍。
        """)
    assert (site / "content/parks/weihai-huoju-park.en.md").read_text(encoding="utf-8") == "About the park.\n"


def test_a_project_has_no_text_in_the_form_and_keeps_one_written_by_hand(make_site):
    """A project shows only its fields; a text someone wrote below them by hand is left alone."""
    project = textwrap.dedent("""\
        ---
        name: {zh: 测试项目, en: Test project}
        park: qilu-software-park
        stage: signed
        source: {publication: {zh: 济南日报, en: Jinan Daily}}
        ---
        备注：手写的说明。
        """)
    site = make_site({"content/projects/test-project.md": project})
    store = ContentStore(site)
    opened = store.entry("tab", "content/projects/test-project.md")["data"]
    front_matter_only = as_decap_sends(opened).removesuffix("备注：手写的说明。\n")  # the form has no text field
    sent = front_matter_only.replace("stage: signed", "stage: under-construction")
    save(store, "tab", "content/projects/test-project.md", sent)
    assert (site / "content/projects/test-project.md").read_text(encoding="utf-8") == project.replace(
        "stage: signed", "stage: under-construction"
    )


def test_a_new_entry_whose_name_is_taken_is_refused(make_site):
    site = make_site()
    store = ContentStore(site)
    before = (site / "content/parks/qilu-software-park.md").read_bytes()
    raw = "---\nfile_name: qilu-software-park\nname: {zh: 齐鲁软件园, en: Qilu}\n---\n"
    with pytest.raises(Refusal) as refused:
        save(store, "tab", "content/parks/qilu-software-park-1.zh.md", raw)
    assert "already has qilu-software-park.md" in refused.value.message
    assert not (site / "content/parks/qilu-software-park-1.md").exists()
    assert (site / "content/parks/qilu-software-park.md").read_bytes() == before


@pytest.mark.parametrize("slug", ["con", "Weihai", "威海"])
def test_a_new_entry_with_a_file_name_windows_or_the_site_cannot_use_is_refused(make_site, slug):
    site = make_site()
    before = sorted(path.name for path in (site / "content/parks").iterdir())
    store = ContentStore(site)
    with pytest.raises(Refusal) as refused:
        save(store, "tab", f"content/parks/{slug}.zh.md", "---\nname: {zh: 园, en: Park}\n---\n")
    assert f"the file name '{slug}' cannot be used" in refused.value.message
    assert sorted(path.name for path in (site / "content/parks").iterdir()) == before


@pytest.mark.parametrize(
    "path",
    [
        "../outside.md",
        "content/../site.yaml.md",
        "/etc/passwd",
        "content/parks/../../x.md",
        "theme/x.md",
        "content/media/page.md",
        "content/notes.txt",
    ],
)
def test_a_path_that_leaves_content_is_refused(make_site, path):
    site = make_site()
    store = ContentStore(site)
    with pytest.raises(Refusal) as refused:
        save(store, "tab", path, "---\ntitle: x\n---\n")
    assert refused.value.status == 403
    assert "is not inside content/" in refused.value.message
    assert not (site.parent / "outside.md").exists()


def test_a_save_from_a_tab_that_read_the_file_before_another_tab_changed_it_is_refused(make_site):
    site = make_site()
    file = site / "content/parks/qilu-software-park.md"
    store = ContentStore(site)
    shown = "content/parks/qilu-software-park.zh.md"
    first = store.entry("first-tab", shown)["data"]
    second = store.entry("second-tab", shown)["data"]
    save(store, "second-tab", shown, as_decap_sends(second).replace("level: national", "level: provincial"))
    saved = file.read_bytes()
    with pytest.raises(Refusal) as refused:
        save(store, "first-tab", shown, as_decap_sends(first).replace("kind: industrial-park", "kind: incubator"))
    assert "was changed after you opened it" in refused.value.message
    assert file.read_bytes() == saved
    reopened = store.entry("first-tab", shown)["data"]
    save(store, "first-tab", shown, as_decap_sends(reopened).replace("kind: industrial-park", "kind: incubator"))
    assert b"level: provincial" in file.read_bytes() and b"kind: incubator" in file.read_bytes()


def test_a_save_while_a_build_of_the_site_runs_is_refused(make_site):
    site = make_site()
    file = site / "content/parks/qilu-software-park.md"
    before = file.read_bytes()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from sitegen.publish.lock import BuildLock\n"
            "with BuildLock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(30)",
            str(site / ".sitegen-cache"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        store = ContentStore(site)
        shown = "content/parks/qilu-software-park.zh.md"
        sent = as_decap_sends(store.entry("tab", shown)["data"]).replace("level: national", "level: provincial")
        with pytest.raises(Refusal) as refused:
            save(store, "tab", shown, sent)
    finally:
        holder.kill()
        holder.wait()
    assert refused.value.status == 409
    assert "the site is being built" in refused.value.message
    assert file.read_bytes() == before


def _photo(width: int, height: int, kind: str = "JPEG") -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(output, kind)
    return output.getvalue()


def _asset(name: str, data: bytes) -> dict:
    return {"path": f"content/media/{name}", "content": base64.b64encode(data).decode(), "encoding": "base64"}


def test_a_large_photo_with_a_chinese_name_is_stored_under_a_pinyin_name_and_scaled_down(make_site):
    site = make_site()
    store = ContentStore(site)
    stored = store.save_media("tab", _asset("长城 照片.JPG", _photo(4000, 3000)))
    assert stored["path"] == "content/media/chang-cheng-zhao-pian.jpg"
    with Image.open(site / "content/media/chang-cheng-zhao-pian.jpg") as image:
        assert image.size == (MAX_WIDTH, 1728)


def test_an_upload_in_an_entry_save_is_renamed_and_the_entry_refers_to_the_new_name(make_site):
    site = make_site()
    store = ContentStore(site)
    shown = "content/parks/qilu-software-park.zh.md"
    sent = as_decap_sends(
        store.entry("tab", shown)["data"],
        {"cover": "media/园区大门.png", "cover_alt": {"zh": "园区大门", "en": "The park's gate"}},
    )
    save(store, "tab", shown, sent, [_asset("园区大门.png", _photo(800, 600, "PNG"))])
    text = (site / "content/parks/qilu-software-park.md").read_text(encoding="utf-8")
    assert "cover: media/yuan-qu-da-men.png" in text
    assert (site / "content/media/yuan-qu-da-men.png").is_file()


def test_a_cover_without_its_description_is_refused(make_site):
    site = make_site()
    store = ContentStore(site)
    shown = "content/parks/qilu-software-park.zh.md"
    sent = as_decap_sends(store.entry("tab", shown)["data"], {"cover": "media/gate.png"})
    with pytest.raises(Refusal) as refused:
        save(store, "tab", shown, sent, [_asset("gate.png", _photo(80, 60, "PNG"))])
    assert "cover_alt" in refused.value.message + refused.value.hint
    assert not (site / "content/media/gate.png").exists()


def test_a_file_that_is_not_an_image_is_refused(make_site):
    site = make_site()
    store = ContentStore(site)
    with pytest.raises(Refusal) as refused:
        store.save_media("tab", _asset("report.jpg", b"%PDF-1.7 not a picture"))
    assert refused.value.status == 415
    assert "report.jpg is not an image" in refused.value.message
    assert not (site / "content/media").exists()


def test_a_huge_upload_is_refused(make_site):
    site = make_site()
    store = ContentStore(site)
    with pytest.raises(Refusal) as refused:
        store.save_media("tab", _asset("big.jpg", b"\xff" * (MAX_UPLOAD_BYTES + 1)))
    assert refused.value.status == 413
    assert "the limit is 20 MB" in refused.value.message
    assert not (site / "content/media").exists()


def test_deleting_an_image_a_park_shows_is_refused(make_site):
    site = make_site()
    store = ContentStore(site)
    shown = "content/parks/qilu-software-park.zh.md"
    sent = as_decap_sends(
        store.entry("tab", shown)["data"],
        {"cover": "media/gate.png", "cover_alt": {"zh": "园区大门", "en": "The park gate"}},
    )
    save(store, "tab", shown, sent, [_asset("gate.png", _photo(80, 60, "PNG"))])
    with pytest.raises(Refusal) as refused:
        store.delete_media("tab", "content/media/gate.png")
    assert "content/parks/qilu-software-park.md" in refused.value.message
    assert (site / "content/media/gate.png").is_file()
    with pytest.raises(Refusal) as refused:
        store.delete_media("tab", "content/parks/qilu-software-park.md")
    assert "the editor deletes only images" in refused.value.message

"""PDF brochures as a reader gets them: text extracted by pdftotext, QR codes decoded by zbarimg
from pages drawn by pdftoppm, links on the park pages; and which builds print them again."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.etree import ElementTree

import pytest

from sitegen.build import build, load_site
from sitegen.content.theme import DEFAULT_THEME
from sitegen.publish import output, store
from sitegen.render import brochures, printing
from sitegen.render.fontcut import cut_faces
from sitegen.render.pages import Renderer, format_size
from tests.conftest import MINIMAL_SITE, STARTER_ADDRESS, StarterSite, read_site, write_site

TOOLS = ("pdftotext", "pdftoppm", "pdffonts", "pdfimages", "zbarimg")
BROCHURES_ON = """\
    title: {zh: 测试园区联盟, en: Test Park Alliance}
    base_url: https://parks.example.cn/alliance/
    footer:
      icp: 鲁ICP备00000000号-1
    map:
      tiles: gaode
      approval_numbers: {gaode: GS(2099)0001号}
    """


@pytest.fixture(autouse=True)
def pdf_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must check the PDFs: apt-get install poppler-utils zbar-tools (missing {missing})")
        pytest.skip(f"missing {', '.join(missing)}: apt-get install poppler-utils zbar-tools")


def pdf_text(pdf: Path) -> str:
    """The PDF's text with all white space removed, so names wrapped over two lines still match."""
    return no_space(pdf_pages(pdf)[0])


def pdf_pages(pdf: Path) -> tuple[str, int]:
    """The PDF's text as pdftotext extracts it, and its number of pages: pdftotext ends each
    page with a form feed."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text, text.count("\f")


def qr_codes(pdf: Path) -> list[str]:
    """What zbarimg reads from the QR codes on the first page, drawn at 100 dpi."""
    return first_page_qr_codes([pdf])[pdf]


def first_page_qr_codes(pdfs: list[Path]) -> dict[Path, list[str]]:
    """What zbarimg reads from the QR codes on each PDF's first page, drawn at 100 dpi in grey
    (uncompressed, so drawing costs little) and read by one zbarimg for all of them."""
    with tempfile.TemporaryDirectory() as folder:
        pictures = [Path(folder) / f"{number}.pgm" for number in range(len(pdfs))]

        def draw(pdf: Path, picture: Path) -> None:
            with picture.open("wb") as grey:
                subprocess.run(
                    ["pdftoppm", "-r", "100", "-f", "1", "-l", "1", "-gray", str(pdf)], stdout=grey, check=True
                )

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(draw, pdfs, pictures))
        found = subprocess.run(["zbarimg", "--xml", "-q", *map(str, pictures)], capture_output=True, check=False)
    read = ElementTree.fromstring(found.stdout)
    decoded = {
        source.get("href"): [data.text or "" for data in source.iter(f"{ZBAR_XML}data")]
        for source in read.iter(f"{ZBAR_XML}source")
    }
    return {pdf: decoded.get(str(picture), []) for pdf, picture in zip(pdfs, pictures, strict=True)}


ZBAR_XML = "{http://zbar.sourceforge.net/2008/barcode}"
"""The namespace of what `zbarimg --xml` prints."""


def no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def starter(built_starter: StarterSite):
    """The repository's site built with its brochures for a public address, and the site as
    the generator reads it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITEGEN_BASE_URL", STARTER_ADDRESS)
        site = load_site(built_starter.root, False)[0]
    assert built_starter.notices == ()
    return built_starter.output, site


def test_every_starter_park_has_a_brochure_per_language_with_both_its_names(starter):
    output, site = starter
    assert len(site.parks) == 37
    pdfs = {
        output / "brochures" / "parks" / f"{park.slug}.{lang}.pdf": park for park in site.parks for lang in ("zh", "en")
    }
    with ThreadPoolExecutor(2) as pool:
        extracted = dict(zip(pdfs, pool.map(pdf_pages, pdfs), strict=True))
    for pdf, park in pdfs.items():
        text, page_count = extracted[pdf]
        assert no_space(park.name.zh) in no_space(text), pdf
        assert no_space(park.name.en) in no_space(text), pdf
        assert 1 <= page_count <= 2, pdf


def test_every_starter_brochure_qr_code_opens_its_park_page_in_that_language(starter):
    output, site = starter
    jobs = {
        output / "brochures" / "parks" / f"{park.slug}.{lang}.pdf": f"{site.config.base_url}{prefix}parks/{park.slug}/"
        for park in site.parks
        for lang, prefix in (("zh", ""), ("en", "en/"))
    }
    decoded = first_page_qr_codes(list(jobs))
    assert decoded == {pdf: [url] for pdf, url in jobs.items()}


def test_the_alliance_brochure_lists_every_park_and_opens_the_map(starter):
    output, site = starter
    for lang, prefix in (("zh", ""), ("en", "en/")):
        pdf = output / "brochures" / f"alliance.{lang}.pdf"
        text = pdf_text(pdf)
        missing = [park.slug for park in site.parks if no_space(park.name.get(lang)) not in text]
        assert missing == []
        assert qr_codes(pdf) == [f"{site.config.base_url}{prefix}map/"]


def test_brochures_embed_only_a_subset_of_the_chinese_font(starter):
    output, _ = starter
    pdf = output / "brochures" / "parks" / "qilu-software-park.en.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all("CJK" in row[0] and row[-5:-2] == ["yes", "yes", "yes"] for row in rows), fonts
    assert pdf.stat().st_size < 400_000


def pdf_fonts(pdf: Path) -> list[str]:
    listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0].split("+", 1)[-1] for line in listed.splitlines()[2:]]


def test_brochures_embed_the_chinese_font_cut_to_common_characters_and_stay_small(starter):
    """The cut (fontcut.py) leaves WeasyPrint a font of 14,000 glyphs rather than 65,000, whose
    subset in each PDF no longer carries 60,000 empty glyphs."""
    output, site = starter
    pdfs = [output / "brochures" / "parks" / f"{park.slug}.{lang}.pdf" for park in site.parks for lang in ("zh", "en")]
    with ThreadPoolExecutor(2) as pool:
        fonts = dict(zip(pdfs, pool.map(pdf_fonts, pdfs), strict=True))
    for pdf in pdfs:
        assert set(fonts[pdf]) <= {"Noto-Sans-CJK-SC-Common", "Noto-Sans-CJK-SC-Common-Bold"}, pdf
        assert pdf.stat().st_size < 160_000, pdf


def test_a_character_outside_the_cut_prints_in_the_whole_font(make_site):
    """鄌郚 (a town of Changle county) is not in GB 2312: its glyphs come from the whole font,
    never as empty boxes, and the text around it from the cut."""
    site = with_brochures(make_site)
    edit(site / "content/parks/qilu-software-park.md", "济南高新区内的软件园", "济南高新区内的软件园，邻近鄌郚镇")
    assert build(site, site / "build").notices == ()
    pdf = site / "build/brochures/parks/qilu-software-park.zh.pdf"
    assert "邻近鄌郚镇" in pdf_text(pdf)
    assert {"Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Common"} <= set(pdf_fonts(pdf))


def test_park_and_map_pages_link_the_brochures_with_their_size(starter):
    output, _ = starter
    for lang, prefix, label, handout in (
        ("zh", "", "下载园区手册", "下载联盟园区手册（产业地图）"),
        ("en", "en/", "Download brochure", "Download the alliance handout (industry map)"),
    ):
        pdf = output / "brochures" / "parks" / f"qilu-software-park.{lang}.pdf"
        page = (output / prefix / "parks" / "qilu-software-park" / "index.html").read_text("utf-8")
        depth = "../" * (3 if prefix else 2)
        link = f'<a href="{depth}brochures/parks/qilu-software-park.{lang}.pdf" download>{label} (PDF, {format_size(pdf.stat().st_size)})</a>'
        assert link in page
        alliance = output / "brochures" / f"alliance.{lang}.pdf"
        map_page = (output / prefix / "map" / "index.html").read_text("utf-8")
        depth = "../" * (2 if prefix else 1)
        link = f'<a href="{depth}brochures/alliance.{lang}.pdf" download>{handout} (PDF, {format_size(alliance.stat().st_size)})</a>'
        assert link in map_page


def with_brochures(make_site) -> Path:
    return make_site({"content/site.yaml": BROCHURES_ON})


def brochure_bytes(site: Path) -> dict[str, bytes]:
    folder = site / "build" / "brochures"
    return {file.relative_to(folder).as_posix(): file.read_bytes() for file in sorted(folder.rglob("*.pdf"))}


def counting_prints(counts: list[int]) -> Callable[[brochures.Printer, list, Path], dict[str, str]]:
    """brochures._print_all, adding to `counts` how many PDFs each build prints (rather than
    reads back from the cache)."""
    print_all = brochures._print_all

    def counting(printer: brochures.Printer, documents: list, keep: Path) -> dict[str, str]:
        counts.append(len(documents))
        return print_all(printer, documents, keep)

    return counting


@pytest.fixture(scope="module")
def first_build(tmp_path_factory) -> Path:
    """The minimal site with brochures as its first build left it, which printed every PDF.
    Kept aside: `built_once` puts a copy back where it was built."""
    folder = tmp_path_factory.mktemp("brochures")
    site = write_site(folder / "site", {**MINIMAL_SITE, "content/site.yaml": BROCHURES_ON})
    counts: list[int] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(brochures, "_print_all", counting_prints(counts))
        assert build(site, site / "build").notices == ()
    assert counts == [6]
    return site.rename(folder / "as built")


@pytest.fixture
def built_once(first_build: Path) -> Path:
    """The minimal site with brochures, built once: a copy of `first_build` in the very folder it
    was built in, so the next build there takes it as its last build (the same pages and
    brochures drawn, the same files written as after building it here)."""
    site = first_build.with_name("site")
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(first_build, site, symlinks=True)
    return site


def test_the_same_content_prints_the_same_bytes(first_build, tmp_path):
    second = tmp_path / "copy"
    shutil.copytree(first_build / "content", second / "content")
    assert build(second, second / "build").notices == ()
    printed = brochure_bytes(first_build)
    assert sorted(printed) == [
        "alliance.en.pdf",
        "alliance.zh.pdf",
        "parks/qilu-software-park.en.pdf",
        "parks/qilu-software-park.zh.pdf",
        "parks/yantai-biotech-park.en.pdf",
        "parks/yantai-biotech-park.zh.pdf",
    ]
    assert brochure_bytes(second) == printed


@pytest.fixture
def printed(monkeypatch) -> list[int]:
    """How many PDFs each build printed (rather than read back from the cache)."""
    counts: list[int] = []
    monkeypatch.setattr(brochures, "_print_all", counting_prints(counts))
    return counts


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text("utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def test_a_parks_facts_edit_prints_its_two_brochures_and_keeps_the_others(built_once, printed):
    site = built_once
    before = brochure_bytes(site)
    edit(site / "content/parks/qilu-software-park.md", "level: national", "level: provincial")
    build(site, site / "build")
    after = brochure_bytes(site)
    assert printed == [2]  # after the 6 of the first build
    changed = {path for path in after if after[path] != before[path]}
    assert changed == {"parks/qilu-software-park.zh.pdf", "parks/qilu-software-park.en.pdf"}
    assert "省级" in pdf_text(site / "build/brochures/parks/qilu-software-park.zh.pdf")


def test_a_summary_edit_in_one_language_prints_that_brochure_only(built_once, printed):
    site = built_once
    edit(site / "content/parks/qilu-software-park.md", "济南高新区内的软件园", "济南高新区内的软件产业园")
    build(site, site / "build")
    assert printed == [1]
    assert "济南高新区内的软件产业园" in pdf_text(site / "build/brochures/parks/qilu-software-park.zh.pdf")


def test_a_parks_body_edit_prints_nothing(built_once, printed):
    site = built_once
    edit(site / "content/parks/qilu-software-park.md", "是软件产业基地。", "是国家级软件产业基地。")
    build(site, site / "build")
    assert printed == [0]


def test_renaming_a_park_prints_its_brochures_its_childs_and_the_alliances(built_once, printed):
    site = built_once
    before = brochure_bytes(site)
    edit(
        site / "content/parks/qilu-software-park.md",
        "{zh: 齐鲁软件园, en: Qilu Software Park}",
        "{zh: 齐鲁软件园区, en: Qilu Software Park Zone}",
    )
    build(site, site / "build")
    after = brochure_bytes(site)
    assert printed == [6]
    assert {path for path in after if after[path] != before[path]} == set(after)
    assert "QiluSoftwareParkZone" in pdf_text(site / "build/brochures/parks/yantai-biotech-park.en.pdf")


@pytest.fixture
def drawn(monkeypatch) -> list[str]:
    """The files of the brochures each build draws as HTML (to print, or to find kept by it)."""
    paths: list[str] = []
    draw = brochures._draw

    def drawing(*arguments: object) -> brochures.Brochure:
        brochure = draw(*arguments)  # type: ignore[arg-type]
        paths.append(brochure.path)
        return brochure

    monkeypatch.setattr(brochures, "_draw", drawing)
    return paths


def test_a_build_after_the_output_was_deleted_draws_no_brochure_and_publishes_the_same(built_once, printed, drawn):
    site = built_once
    before = brochure_bytes(site)
    shutil.rmtree(site / "build")
    build(site, site / "build")
    assert printed == [0] and drawn == []
    assert brochure_bytes(site) == before
    page = (site / "build/parks/qilu-software-park/index.html").read_text("utf-8")
    size = format_size((site / "build/brochures/parks/qilu-software-park.zh.pdf").stat().st_size)
    assert size in page


def test_a_pdf_changed_in_place_in_build_is_printed_again_not_published(built_once, printed):
    site = built_once
    before = brochure_bytes(site)
    shutil.rmtree(site / "build")
    build(site, site / "build")  # every PDF taken from the cache
    changed = site / "build/brochures/parks/qilu-software-park.zh.pdf"
    with changed.open("r+b") as pdf:  # in place, as a tool that rewrites files where they are would
        pdf.seek(100)
        pdf.write(b"%%% changed %%%")
    shutil.rmtree(site / "build")
    build(site, site / "build")
    assert printed == [0, 1]
    assert brochure_bytes(site) == before


def test_a_kept_pdf_whose_time_changed_is_digested_not_printed_again(built_once, printed):
    site = built_once
    before = brochure_bytes(site)
    for pdf in (site / ".sitegen-cache/brochures").glob("*.pdf"):  # as an archive restored without times would
        os.utime(pdf, ns=(1_000_000_000, 1_000_000_000))
    shutil.rmtree(site / "build")
    build(site, site / "build")
    assert printed == [0]
    assert brochure_bytes(site) == before


def test_a_damaged_manifest_of_kept_pdfs_has_them_all_printed_again(built_once, printed):
    site = built_once
    before = brochure_bytes(site)
    (site / ".sitegen-cache/brochures/brochures.json").write_text('{"alliance.zh.pdf": ["x"', encoding="utf-8")
    shutil.rmtree(site / "build")
    build(site, site / "build")
    assert printed == [len(before)]
    assert brochure_bytes(site) == before


def test_where_the_file_system_cannot_link_the_kept_pdfs_are_copied(built_once, printed, monkeypatch):
    site = built_once
    before = brochure_bytes(site)
    monkeypatch.setattr(output, "_link", lambda source, target: False)
    shutil.rmtree(site / "build")
    build(site, site / "build")
    assert printed == [0]
    assert brochure_bytes(site) == before
    assert all(pdf.stat().st_nlink == 1 for pdf in (site / "build/brochures").rglob("*.pdf"))


INVESTED_WITH_BROCHURES = {**MINIMAL_SITE, **read_site("investment"), "content/site.yaml": BROCHURES_ON}
INVESTMENT_DAY = "1780243200"
"""SOURCE_DATE_EPOCH of 2026-06-01, Beijing time: the day the investment site's policies hold on."""
EDITS_AFTER_DELETING_BUILD = {  # file, old, new, the brochures drawn again, how many are printed
    "a policy of Qilu's city": (
        "content/policies/jinan-settling-grant.md",
        "{zh: 济南落户奖励, en: Jinan settling grant}",
        "{zh: 济南人才落户奖励, en: Jinan talent settling grant}",
        {"parks/qilu-software-park.zh.pdf", "parks/qilu-software-park.en.pdf"},
        2,
    ),
    "a site of Qilu's": (
        "content/sites/qilu-plot-a.md",
        "{value: 30, unit: 万元/亩}",
        "{value: 28, unit: 万元/亩}",
        {"parks/qilu-software-park.zh.pdf", "parks/qilu-software-park.en.pdf"},
        2,
    ),
    "a policy of Yantai's sector only": (
        "content/policies/biotech-help.md",
        "{zh: 生物医药扶持, en: Help for biomedicine}",
        "{zh: 生物医药企业扶持, en: Help for biomedicine firms}",
        {"parks/yantai-biotech-park.zh.pdf", "parks/yantai-biotech-park.en.pdf"},
        2,
    ),
    "Qilu's body, which no brochure shows": (
        "content/parks/qilu-software-park.md",
        "齐鲁软件园位于济南高新区。",
        "齐鲁软件园位于济南高新区，是国家级软件产业基地。",
        {"parks/qilu-software-park.zh.pdf", "parks/qilu-software-park.en.pdf"},
        0,  # drawn with its page, which shows the body, and found kept by its HTML
    ),
}


@pytest.fixture(scope="module")
def invested_build(tmp_path_factory) -> Path:
    """The investment site (policies, sites, costs) with brochures, built once; kept aside."""
    folder = tmp_path_factory.mktemp("invested-brochures")
    site = write_site(folder / "site", INVESTED_WITH_BROCHURES)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", INVESTMENT_DAY)
        assert build(site, site / "build").notices == ()
    return site.rename(folder / "as built")


@pytest.mark.parametrize("change", EDITS_AFTER_DELETING_BUILD)
def test_after_deleting_build_an_edit_reprints_the_brochures_that_show_it_and_only_those(
    change, invested_build, tmp_path, printed, drawn, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", INVESTMENT_DAY)
    site = invested_build.with_name("site")
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(invested_build, site, symlinks=True)
    path, old, new, redrawn, reprinted = EDITS_AFTER_DELETING_BUILD[change]
    shutil.rmtree(site / "build")
    edit(site / path, old, new)
    build(site, site / "build")
    assert {path.removeprefix("brochures/") for path in drawn} == redrawn
    assert printed == [reprinted]
    scratch = write_site(tmp_path / "scratch", INVESTED_WITH_BROCHURES)
    edit(scratch / path, old, new)
    build(scratch, scratch / "build")
    assert brochure_bytes(site) == brochure_bytes(scratch)


def test_a_build_killed_after_printing_leaves_no_pdf_that_a_later_build_takes_for_the_last(
    built_once, printed, drawn, monkeypatch
):
    site = built_once
    before = brochure_bytes(site)
    park = site / "content/parks/qilu-software-park.md"
    original = park.read_text("utf-8")
    edit(park, "level: national", "level: provincial")

    class Killed(Exception):
        pass

    def killed(*_: object) -> None:
        raise Killed  # after the brochures were printed and kept, before any page is drawn

    with monkeypatch.context() as patched:
        patched.setattr(store, "PageRendering", killed)
        with pytest.raises(Killed):
            build(site, site / "build")
    assert printed == [2]
    park.write_text(original, encoding="utf-8")  # the edit undone: the last complete build holds again
    shutil.rmtree(site / "build")
    build(site, site / "build")
    assert brochure_bytes(site) == before
    assert "国家级" in pdf_text(site / "build/brochures/parks/qilu-software-park.zh.pdf")


def test_without_a_chinese_font_the_build_says_so_once_and_makes_the_site(make_site, run, monkeypatch):
    monkeypatch.setattr(brochures, "_find_face", lambda style: None)
    site = with_brochures(make_site)
    code, out, err = run("build", "-s", str(site))
    assert code == 0, err
    notices = [line for line in err.splitlines() if "brochures" in line]
    assert notices == [
        "warning: no PDF brochures: fontconfig (fc-match) finds no Simplified Chinese font; to make them: "
        + brochures.INSTALL_HINT
    ]
    assert not (site / "build" / "brochures").exists()
    page = (site / "build/parks/qilu-software-park/index.html").read_text("utf-8")
    assert "下载园区手册" not in page and 'class="print-qr"' in page
    assert (site / "build/parks/qilu-software-park/qr.svg").is_file()


def test_when_weasyprint_cannot_start_the_build_says_so_once_then_tries_again(make_site, run, monkeypatch):
    site = with_brochures(make_site)
    with monkeypatch.context() as patched:
        # as when Pango is missing: importing WeasyPrint fails where the PDFs are printed (here,
        # rather than in the printing processes, which import it on their own)
        patched.setattr(printing, "problem", "WeasyPrint cannot run (no library called pango-1.0-0)")
        patched.setattr(brochures, "_PRINT_HERE_BELOW", 100)
        code, out, err = run("build", "-s", str(site))
    assert code == 0, err
    notices = [line for line in err.splitlines() if "brochures" in line]
    assert len(notices) == 1 and notices[0].startswith("warning: no PDF brochures: WeasyPrint cannot run")
    assert not (site / "build" / "brochures").exists()
    assert "下载园区手册" not in (site / "build/parks/qilu-software-park/index.html").read_text("utf-8")

    code, out, err = run("build", "-s", str(site))  # the libraries are back
    assert code == 0 and "brochures" not in err
    assert len(brochure_bytes(site)) == 6
    assert "下载园区手册" in (site / "build/parks/qilu-software-park/index.html").read_text("utf-8")


def test_a_site_that_turns_brochures_off_gets_none_and_no_warning(make_site, run):
    site = make_site()  # the minimal site has brochures: false
    code, out, err = run("build", "-s", str(site))
    assert code == 0 and "brochures" not in err
    assert not (site / "build" / "brochures").exists()
    assert "下载园区手册" not in (site / "build/parks/qilu-software-park/index.html").read_text("utf-8")


@pytest.mark.browser
def test_the_printed_park_page_carries_its_qr_code_and_the_screen_does_not(browser, make_site, serve_folder, tmp_path):
    site = make_site()
    build(site, site / "build")
    url = serve_folder(site / "build") + "en/parks/qilu-software-park/"
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(url)
    assert not page.locator("img.print-qr").is_visible()
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), format="A4")
    page.close()
    assert qr_codes(pdf) == ["https://parks.example.cn/alliance/en/parks/qilu-software-park/"]


def test_check_finds_a_mistake_in_a_brochure_template(make_site, run):
    site = with_brochures(make_site)
    template = site / "themes/default/templates/brochure/park.html"
    template.parent.mkdir(parents=True)
    template.write_text(
        '{% extends "brochure/base.html" %}\n{% block main %}\n{{ park.nmae }}\n{% endblock %}\n', encoding="utf-8"
    )
    code, out, err = run("check", "-s", str(site))
    assert code == 1
    assert "themes/default/templates/brochure/park.html:3: 模板出错 / template error:" in err


def test_the_preview_shows_a_mistake_in_a_brochure_template_until_it_is_fixed(make_site, tmp_path):
    """The preview draws brochures after the browser has reloaded; a template they cannot be
    drawn with is shown in the browser as `sitegen build` refuses it, and the site comes back
    once it is fixed."""
    from sitegen.preview.server import Preview

    site = with_brochures(make_site)
    preview = Preview(site, tmp_path / "preview" / "site")
    preview.rebuild()
    assert preview.complete() is True and preview.problems is None
    template = site / "themes/default/templates/brochure/park.html"
    template.parent.mkdir(parents=True)
    template.write_text(
        '{% extends "brochure/base.html" %}\n{% block main %}\n{{ park.nmae }}\n{% endblock %}\n', encoding="utf-8"
    )
    assert preview.rebuild({template}) is not None
    assert preview.complete() is True  # the browsers reload, to the problem
    assert preview.problems is not None
    assert "themes/default/templates/brochure/park.html" in preview.problems.report()
    answer: dict[str, str] = {}
    page = b"".join(preview.app({"PATH_INFO": "/"}, lambda status, headers: answer.update(status=status)))
    assert answer["status"].startswith("500") and b"brochure/park.html" in page

    template.unlink()
    assert preview.rebuild({template}) is not None
    assert preview.complete() is True
    assert preview.problems is None


def png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    """A plain PNG of one colour, written byte by byte so the test needs no image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + bytes(colour) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def images(pdf: Path) -> list[tuple[int, int]]:
    """(width, height) of every image in the PDF, as pdfimages lists them."""
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [(int(row.split()[3]), int(row.split()[4])) for row in listing.splitlines()[2:]]


def with_a_photo(make_site, *more: str) -> Path:
    """Brochures whose park template shows content/media/gate 1.png, and `more` images after it."""
    template = (DEFAULT_THEME / "templates/brochure/park.html").read_text("utf-8")
    shown = "".join(f'<img src="{address}" alt="">' for address in more)
    photo = '<img src="{{ media("gate 1.png") }}" alt="gate" style="width: 40mm">' + shown
    return make_site(
        {
            "content/site.yaml": BROCHURES_ON,
            "content/media/gate 1.png": png(24, 12, (200, 30, 30)),
            "themes/default/templates/brochure/park.html": template.replace(
                "{% block main %}", "{% block main %}" + photo
            ),
        }
    )


def test_a_brochure_template_prints_a_photo_from_the_media_folder(make_site, run, printed):
    site = with_a_photo(make_site)
    code, _, err = run("build", "-s", str(site))
    assert code == 0 and "internal error" not in err, err
    for lang in ("zh", "en"):
        assert images(site / f"build/brochures/parks/qilu-software-park.{lang}.pdf") == [(24, 12)]
    (site / "content/media/gate 1.png").write_bytes(png(30, 10, (30, 30, 200)))
    assert run("build", "-s", str(site))[0] == 0
    assert printed == [6, 4], "a new photo prints the park brochures, which show it, and not the alliance's"
    assert images(site / "build/brochures/parks/qilu-software-park.zh.pdf") == [(30, 10)]


def test_a_brochure_reads_no_file_and_no_address_outside_the_media_folder(make_site, run, tmp_path):
    outside = tmp_path / "outside.png"
    outside.write_bytes(png(50, 50, (0, 0, 0)))
    site = with_a_photo(make_site, outside.as_uri(), "http://127.0.0.1:9/x.png", "../content/site.yaml")
    code, _, err = run("build", "-s", str(site))
    assert code == 0 and "internal error" not in err, err
    assert images(site / "build/brochures/parks/qilu-software-park.zh.pdf") == [(24, 12)]


def test_a_pdf_is_the_same_whatever_was_printed_before_it_in_the_same_process(starter):
    import weasyprint

    site, theme, catalogue, _ = load_site(starter[0].parent, False)
    printer = brochures.find_printer()
    drawn = brochures.draw_brochures(Renderer(site, theme, catalogue), printer, site.parks[:3], alliance=False)
    alone = [
        printing.Press(printer.family, cut_faces(printer.faces)).print(brochure.html, {}) for brochure in drawn[:2]
    ]
    together = printing.Press(printer.family, cut_faces(printer.faces))
    in_one_process = [together.print(brochure.html, {}) for brochure in reversed(drawn)][::-1]
    assert in_one_process[:2] == alone
    # without the cut faces, the press prints what WeasyPrint prints of the document as it is
    as_written = weasyprint.HTML(string=drawn[0].html, url_fetcher=printing.media_fetcher({})).write_pdf()
    assert printing.Press().print(drawn[0].html, {}) == as_written


def test_a_site_without_a_public_address_publishes_no_qr_code_until_it_has_one(make_site, run):
    with_address = MINIMAL_SITE["content/site.yaml"]
    without = with_address.replace("base_url: https://parks.example.cn/alliance/\n", "")
    site = make_site({"content/site.yaml": without})

    def codes() -> list[str]:
        assert run("build", "-s", str(site))[0] == 0
        page = (site / "build/parks/qilu-software-park/index.html").read_text("utf-8")
        found = sorted(file.relative_to(site / "build").as_posix() for file in (site / "build").rglob("qr.svg"))
        assert ('class="print-qr"' in page) == bool(found)
        return found

    assert codes() == []  # a code of a local address would open nothing from paper
    write_site(site, {"content/site.yaml": with_address})
    assert codes() == [
        "en/parks/qilu-software-park/qr.svg",
        "en/parks/yantai-biotech-park/qr.svg",
        "parks/qilu-software-park/qr.svg",
        "parks/yantai-biotech-park/qr.svg",
    ]
    write_site(site, {"content/site.yaml": without})
    assert codes() == []

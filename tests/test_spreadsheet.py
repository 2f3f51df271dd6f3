"""The park list as a spreadsheet: export writes every field, import changes only what changed in the
sheet, checks every row first and writes nothing when a row is wrong."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from sitegen.content.frontmatter import split_document
from sitegen.content.schema import build_schemas
from sitegen.editor.roundtrip import rewrite
from sitegen.errors import Problems

PARK = "content/parks/qilu-software-park.md"


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    """A copy of the repository's own site: its content and theme."""
    site = tmp_path / "starter"
    shutil.copytree(REPO / "content", site / "content")
    return site


def snapshot(site: Path) -> dict[str, bytes]:
    return {
        file.relative_to(site).as_posix(): file.read_bytes()
        for file in sorted((site / "content").rglob("*"))
        if file.is_file()
    }


def read_csv(file: Path) -> list[dict[str, str]]:
    with file.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(file: Path, rows: list[dict[str, str]], headers: list[str] | None = None) -> None:
    headers = headers or list(rows[0])
    with file.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, headers, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def row_of(rows: list[dict[str, str]], slug: str) -> dict[str, str]:
    return next(row for row in rows if row["slug"] == slug)


@pytest.mark.parametrize("name", ["parks.xlsx", "parks.csv"])
def test_export_then_import_of_the_starter_content_changes_no_file(name, starter, run, tmp_path):
    before = snapshot(starter)
    code, out, err = run("export", str(tmp_path / name), "-s", str(starter))
    assert code == 0, err
    assert out.startswith(f"wrote {(tmp_path / name).as_posix()}: 37 park(s)")
    code, out, err = run("import", str(tmp_path / name), "-s", str(starter))
    assert code == 0, err
    assert out.splitlines()[-1] == "0 park(s) created, 0 updated, 37 unchanged"
    assert snapshot(starter) == before


def test_the_csv_is_utf8_with_bom_one_row_per_park_every_field_a_column(starter, run, tmp_path):
    run("export", str(tmp_path / "parks.csv"), "-s", str(starter))
    raw = (tmp_path / "parks.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfslug,name.zh,name.en,city,location.lat,location.lon,location.crs,sectors,")
    rows = read_csv(tmp_path / "parks.csv")
    assert len(rows) == 37
    qilu = row_of(rows, "qilu-software-park")
    assert (qilu["name.zh"], qilu["name.en"], qilu["city"]) == ("齐鲁软件园", "Qilu Software Park", "jinan")
    assert (qilu["location.lat"], qilu["location.lon"], qilu["sectors"]) == ("36.665", "117.129", "software, big-data")
    assert qilu["updated"] == "2026-11-23"
    heze = row_of(rows, "heze-luxi-new-area")
    assert heze["figures.2.value"] == "298"
    assert heze["figures.2.unit.en"] == "100 million yuan"
    assert "figures.5.value" not in qilu and "key_enterprises.1.zh" in qilu


def test_the_workbook_has_typed_cells_choice_lists_and_a_sheet_explaining_the_columns(starter, run, tmp_path):
    run("export", str(tmp_path / "parks.xlsx"), "-s", str(starter))
    book = load_workbook(tmp_path / "parks.xlsx")
    assert book.sheetnames == ["parks", "fields"]
    sheet = book["parks"]
    headers = [cell.value for cell in sheet[1]]
    qilu = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "qilu-software-park")
    cell = dict(zip(headers, qilu, strict=True))
    assert cell["location.lat"].value == 36.665
    assert cell["updated"].value == dt.datetime(2026, 11, 23)
    assert cell["established"].value == 1995
    lists = {
        str(validation.sqref).split(":")[0]: validation.formula1 for validation in sheet.data_validations.dataValidation
    }
    level = headers.index("level")
    assert lists[f"{sheet.cell(2, level + 1).column_letter}2"] == '"national,provincial,municipal,other"'
    fields = {row[0]: row for row in book["fields"].iter_rows(min_row=2, values_only=True)}
    assert fields["location.lat"] == (
        "location.lat",
        "是 / yes",
        "数字 / number",
        "纬度，例如 36.666 / latitude in degrees, e.g. 36.666",
    )


def test_import_changes_only_the_cells_that_changed_keeping_comments_order_and_body(starter, run, tmp_path):
    file = starter / PARK
    commented = file.read_text(encoding="utf-8").replace(
        "level: national\n", "level: national  # 国家级\n# 以下为简介\n"
    )
    file.write_text(commented, encoding="utf-8")
    run("export", str(tmp_path / "parks.csv"), "-s", str(starter))
    rows = read_csv(tmp_path / "parks.csv")
    row_of(rows, "qilu-software-park")["summary.en"] = "Software park in Jinan"
    row_of(rows, "qilu-software-park")["website"] = "https://www.qlsp.example.cn/"
    write_csv(tmp_path / "parks.csv", rows)
    before = snapshot(starter)

    code, out, err = run("import", str(tmp_path / "parks.csv"), "-s", str(starter))
    assert code == 0, err
    assert f"updated {PARK}: summary.en, website" in out
    after = snapshot(starter)
    assert [name for name in after if after[name] != before[name]] == [PARK]
    expected = commented.replace(
        "  en: Software park inside Jinan High-tech Zone, set up in 1995; one of the first national Torch Programme"
        " software industry bases.\n",
        "  en: Software park in Jinan\n",
    ).replace("established: 1995\n", "established: 1995\nwebsite: https://www.qlsp.example.cn/\n")
    assert file.read_text(encoding="utf-8") == expected


def test_fields_without_a_column_are_left_alone(starter, run, tmp_path):
    run("export", str(tmp_path / "parks.csv"), "-s", str(starter))
    rows = read_csv(tmp_path / "parks.csv")
    row_of(rows, "qilu-software-park")["level"] = "provincial"
    write_csv(tmp_path / "parks.csv", rows, headers=["slug", "level"])
    text = (starter / PARK).read_text(encoding="utf-8")
    code, out, err = run("import", str(tmp_path / "parks.csv"), "-s", str(starter))
    assert code == 0, err
    assert out.splitlines()[-1] == "0 park(s) created, 1 updated, 36 unchanged"
    assert (starter / PARK).read_text(encoding="utf-8") == text.replace("level: national", "level: provincial")


def test_a_new_row_creates_a_park_that_check_accepts(starter, run, tmp_path):
    sheet = tmp_path / "new.csv"
    write_csv(
        sheet,
        [
            {
                "slug": "weihai-marine-park",
                "name.zh": "威海海洋园",
                "name.en": "Weihai Marine Park",
                "city": "weihai",
                "location.lat": "37.5",
                "location.lon": "122.1",
                "sectors": "biomedicine，new-materials",
                "summary.zh": "on",
                "established": "2010",
                "alliance.member": "TRUE",
                "alliance.joined": "2020-09-20",
            }
        ],
    )
    code, out, err = run("import", str(sheet), "-s", str(starter))
    assert code == 0, err
    assert out.splitlines() == [
        "created content/parks/weihai-marine-park.md",
        "1 park(s) created, 0 updated, 0 unchanged",
    ]
    assert (starter / "content/parks/weihai-marine-park.md").read_text(encoding="utf-8") == (
        "---\n"
        "name: {zh: 威海海洋园, en: Weihai Marine Park}\n"
        "city: weihai\n"
        "location: {lat: 37.5, lon: 122.1}\n"
        "sectors: [biomedicine, new-materials]\n"
        "alliance: {member: true, joined: 2020-09-20}\n"
        "summary: {zh: 'on'}\n"
        "established: 2010\n"
        "---\n"
    )
    code, _, err = run("check", "-s", str(starter))
    assert code == 0, err


def test_dates_and_flags_as_excel_saves_them_in_a_csv_are_understood(starter, run, tmp_path):
    run("export", str(tmp_path / "parks.csv"), "-s", str(starter))
    rows = read_csv(tmp_path / "parks.csv")
    for row in rows:
        row["updated"] = row["updated"].replace("-", "/")  # 2026/11/23, as Excel writes it back
    row_of(rows, "qilu-software-park").update({"updated": "2026-12-01", "alliance.member": "TRUE"})
    write_csv(tmp_path / "parks.csv", rows)
    before = snapshot(starter)
    code, out, err = run("import", str(tmp_path / "parks.csv"), "-s", str(starter))
    assert code == 0, err
    assert out.splitlines() == [
        f"updated {PARK}: alliance.member, updated",
        "0 park(s) created, 1 updated, 36 unchanged",
    ]
    text = (starter / PARK).read_text(encoding="utf-8")
    assert "alliance: {member: true}\n" in text and "updated: 2026-12-01\n" in text
    assert {path for path, data in snapshot(starter).items() if before[path] != data} == {PARK}


def test_a_changed_date_in_excels_own_format_is_refused_as_a_file_refuses_it(starter, run, tmp_path):
    run("export", str(tmp_path / "parks.csv"), "-s", str(starter))
    rows = read_csv(tmp_path / "parks.csv")
    row_of(rows, "qilu-software-park")["updated"] = "2026/12/1"
    write_csv(tmp_path / "parks.csv", rows)
    code, _, err = run("import", str(tmp_path / "parks.csv"), "-s", str(starter))
    assert code == 1
    assert "'updated' should be a date as YYYY-MM-DD, not '2026/12/1'" in err


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(starter, run, tmp_path):
    run("export", str(tmp_path / "parks.csv"), "-s", str(starter))
    rows = read_csv(tmp_path / "parks.csv")
    qilu = row_of(rows, "qilu-software-park")  # row 17 of the sheet
    qilu.update({"sectors": "softwre", "location.lat": "117.129", "location.lon": "36.665", "summary.en": "New text"})
    row_of(rows, "zibo-high-tech-zone").update({"location.lat": "31.2", "location.lon": "121.4"})  # row 37
    row_of(rows, "heze-luxi-new-area").update({"parent": "qilu-sofware-park"})  # row 4
    rows.append({"slug": "齐鲁软件园二期", "name.zh": "齐鲁软件园二期"})
    write_csv(tmp_path / "parks.csv", rows)
    before = snapshot(starter)

    code, out, err = run("import", str(tmp_path / "parks.csv"), "-s", str(starter))
    assert code == 1
    assert out == ""
    assert snapshot(starter) == before
    sheet = (tmp_path / "parks.csv").as_posix()
    assert (
        f"{sheet}:4:K: parent 指向的 'qilu-sofware-park' 不存在 / parent names 'qilu-sofware-park', which does not exist\n"
        "  hint: 是不是 'qilu-software-park'？"
    ) in err
    assert f"{sheet}:17:E: 'location.lat' 的值 117.129 超出范围 / 'location.lat' is out of range: 117.129\n" in err
    assert "  hint: lat 和 lon 好像写反了，请对调：lat: 36.665, lon: 117.129" in err
    assert (
        f"{sheet}:17:H: content/sectors.yaml 里没有 'softwre' / 'softwre' is not an id in content/sectors.yaml" in err
    )
    assert f"{sheet}:37:E: 坐标 (31.2, 121.4) 不在山东省内 / the location (31.2, 121.4) is outside Shandong" in err
    assert f"{sheet}:39:A: slug '齐鲁软件园二期' 只能用小写英文字母、数字和单个连字符" in err
    assert (
        "  hint: 写成 qi-lu-ruan-jian-yuan-er-qi（园区的文件名） / write qi-lu-ruan-jian-yuan-er-qi (the park's file name)"
        in err
    )
    assert err.strip().endswith("failed: 5 error(s); nothing was written")


def test_unknown_and_repeated_columns_are_reported_in_row_1(make_site, run, tmp_path):
    write_csv(
        tmp_path / "parks.csv",
        [{"slug": "qilu-software-park", "sumary.en": "x", "city": "jinan"}],
        headers=["slug", "sumary.en", "city"],
    )
    (tmp_path / "parks.csv").write_text(
        (tmp_path / "parks.csv").read_text(encoding="utf-8-sig").replace("slug,sumary.en,city", "slug,sumary.en,slug"),
        encoding="utf-8-sig",
    )
    code, _, err = run("import", str(tmp_path / "parks.csv"), "-s", str(make_site()))
    assert code == 1
    sheet = (tmp_path / "parks.csv").as_posix()
    assert f"{sheet}:1:B: 不认识的列名 'sumary.en' / unknown column 'sumary.en'\n  hint: 是不是 'summary.en'？" in err
    assert (
        f"{sheet}:1:C: 列名 'slug' 出现了两次（第一次在 A 列） / the column 'slug' appears twice (first in column A)"
        in err
    )


def test_a_csv_saved_as_gbk_by_excel_is_refused_with_the_way_to_save_it(make_site, run, tmp_path):
    (tmp_path / "parks.csv").write_bytes("slug,name.zh\nqilu-software-park,齐鲁软件园\n".encode("gbk"))
    code, _, err = run("import", str(tmp_path / "parks.csv"), "-s", str(make_site()))
    assert code == 1
    assert (
        f"{(tmp_path / 'parks.csv').as_posix()}:2: CSV 文件不是 UTF-8 编码（Excel 默认存成 GBK）"
        " / the CSV file is not UTF-8 (Excel saves GBK by default)\n"
        "  hint: 在 Excel 里选“另存为”，保存类型选“CSV UTF-8（逗号分隔）”，或直接用 .xlsx"
    ) in err


def test_clearing_a_figure_group_removes_that_figure_and_keeps_bom_and_crlf(starter, run, tmp_path):
    file = starter / "content/parks/heze-luxi-new-area.md"
    original = file.read_text(encoding="utf-8")
    file.write_bytes(b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode("utf-8"))
    run("export", str(tmp_path / "parks.xlsx"), "-s", str(starter))
    book = load_workbook(tmp_path / "parks.xlsx")
    sheet = book["parks"]
    headers = [cell.value for cell in sheet[1]]
    heze = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "heze-luxi-new-area")
    for header, cell in zip(headers, heze, strict=True):
        if header.startswith("figures.1."):
            cell.value = None
    book.save(tmp_path / "parks.xlsx")

    code, out, err = run("import", str(tmp_path / "parks.xlsx"), "-s", str(starter))
    assert code == 0, err
    lines = original.split("\n")
    start = lines.index("figures:") + 1
    expected = "\n".join(lines[:start] + lines[start + 5 :])
    assert file.read_bytes() == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode("utf-8")


def test_dry_run_lists_the_changes_and_writes_nothing(starter, run, tmp_path):
    run("export", str(tmp_path / "parks.csv"), "-s", str(starter))
    rows = read_csv(tmp_path / "parks.csv")
    row_of(rows, "qilu-software-park")["established"] = "1996"
    write_csv(tmp_path / "parks.csv", rows)
    before = snapshot(starter)
    code, out, _ = run("import", str(tmp_path / "parks.csv"), "-s", str(starter), "--dry-run")
    assert code == 0
    assert out.splitlines() == [
        f"would update {PARK}: established",
        "  established: 1995 → 1996",
        "0 park(s) created, 1 updated, 36 unchanged; dry run, nothing was written",
    ]
    assert snapshot(starter) == before


@pytest.mark.parametrize("text", ["no", "10:00", "0531", "yes", "1_000", "- 项目", "#1 园区", "a: b"])
def test_text_yaml_would_misread_is_quoted_and_reads_back_as_written(text, make_site, run, tmp_path):
    site = make_site()
    run("export", str(tmp_path / "parks.csv"), "-s", str(site))
    rows = read_csv(tmp_path / "parks.csv")
    row_of(rows, "yantai-biotech-park")["operator.zh"] = text
    write_csv(tmp_path / "parks.csv", rows)
    code, _, err = run("import", str(tmp_path / "parks.csv"), "-s", str(site))
    assert code == 0, err
    run("export", str(tmp_path / "again.csv"), "-s", str(site))
    # A text starting with "-" is written with a leading ' so no spreadsheet runs it as a formula.
    shown = "'" + text if text.startswith("-") else text
    assert row_of(read_csv(tmp_path / "again.csv"), "yantai-biotech-park")["operator.zh"] == shown


def test_export_refuses_while_a_park_file_cannot_be_read(make_site, run, tmp_path):
    site = make_site({PARK: "---\nname: {zh: 齐鲁软件园\n---\n"})
    code, _, err = run("export", str(tmp_path / "parks.xlsx"), "-s", str(site))
    assert code == 1
    assert f"{PARK}:2: YAML 格式错误" in err
    assert not (tmp_path / "parks.xlsx").exists()


def test_only_xlsx_and_csv(make_site, run, tmp_path):
    code, _, err = run("export", str(tmp_path / "parks.xls"), "-s", str(make_site()))
    assert code == 1
    assert "只支持 .xlsx 和 .csv 文件 / only .xlsx and .csv files are supported" in err


def test_a_damaged_workbook_is_explained(make_site, run, tmp_path):
    (tmp_path / "parks.xlsx").write_bytes(b"not a workbook")
    code, _, err = run("import", str(tmp_path / "parks.xlsx"), "-s", str(make_site()))
    assert code == 1
    assert "无法读取这个 Excel 文件 / this Excel file cannot be read" in err


@pytest.mark.parametrize("command", ["export", "import"])
def test_the_spreadsheet_commands_have_help(command, run):
    code, out, _ = run(command, "--help")
    assert code == 0 and "usage: sitegen" in out


RECORD = build_schemas(lambda: (), lambda: ()).park
ORIGINAL = "---\nname: {zh: 园区, en: Park}  # 名称\ncity: jinan\n# 坐标\nlocation: {lat: 36.6, lon: 117.1}\nsectors: [software]\n---\n正文\n"


@settings(deadline=None, max_examples=500)
@given(text=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1).filter(str.strip))
def test_any_text_written_into_a_file_reads_back_as_the_same_text(text):
    text = text.strip()  # as every cell is read
    new = rewrite(ORIGINAL, RECORD, [(("operator", "zh"), text), (("name", "en"), text), (("cover",), text)])
    document = split_document(new, "x.md", problems := Problems())
    assert not problems.items, (new, problems.report())
    assert document.meta["operator"]["zh"] == text
    assert document.meta["name"]["en"] == text
    assert document.meta["cover"] == text
    assert document.body == "正文\n"
    assert "# 名称" in new and "# 坐标" in new


def test_new_rows_may_name_each_other_and_existing_parks(starter, run, tmp_path):
    base = {"city": "weihai", "location.lat": "37.5", "location.lon": "122.1", "sectors": "software"}
    write_csv(
        tmp_path / "new.csv",
        [
            {"slug": "weihai-park-a", "name.zh": "园区甲", "name.en": "Park A", "parent": "weihai-park-b", **base},
            {
                "slug": "weihai-park-b",
                "name.zh": "园区乙",
                "name.en": "Park B",
                "parent": "weihai-torch-high-tech-zone",
                **base,
            },
        ],
    )
    code, out, err = run("import", str(tmp_path / "new.csv"), "-s", str(starter))
    assert code == 0, err
    assert out.splitlines()[-1] == "2 park(s) created, 0 updated, 0 unchanged"


@pytest.mark.parametrize("name", ["projects.xlsx", "projects.csv"])
def test_projects_go_out_to_a_sheet_and_back_unchanged(name, starter, run, tmp_path):
    before = {file.name: file.read_bytes() for file in (starter / "content/projects").iterdir()}
    code, out, _ = run("export", "--projects", str(tmp_path / name), "-s", str(starter))
    assert code == 0 and f"{len(before)} project(s)" in out
    code, out, err = run("import", "--projects", str(tmp_path / name), "-s", str(starter))
    assert code == 0, err
    assert f"0 project(s) created, 0 updated, {len(before)} unchanged" in out
    assert {file.name: file.read_bytes() for file in (starter / "content/projects").iterdir()} == before


def test_a_project_amount_with_its_unit_in_the_sheet_is_refused_at_its_cell(starter, run, tmp_path):
    sheet = tmp_path / "projects.csv"
    assert run("export", "--projects", str(sheet), "-s", str(starter))[0] == 0
    rows = list(csv.reader(sheet.open(encoding="utf-8-sig")))
    column, row = rows[0].index("investment"), [row[0] for row in rows].index("huaze-high-end-fibre-industrial-park")
    rows[row][column] = "58亿"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    code, _, err = run("import", "--projects", str(sheet), "-s", str(starter))
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[column]
    assert code == 1
    assert f"{sheet.as_posix()}:{row + 1}:{letter}: 'investment' 只写数字（单位是亿元），不能写成 '58亿'" in err
    assert "hint: 写成 investment: 58 / write investment: 58" in err
    rows[row][column] = "60"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    code, out, err = run("import", "--projects", str(sheet), "-s", str(starter))
    assert code == 0, err
    assert "updated content/projects/huaze-high-end-fibre-industrial-park.md: investment" in out
    assert "investment: 60\n" in (starter / "content/projects/huaze-high-end-fibre-industrial-park.md").read_text(
        "utf-8"
    )

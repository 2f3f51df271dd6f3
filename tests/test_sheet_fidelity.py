"""A spreadsheet is another way to write the same files: its cells keep what looks like a number
as text, its values pass exactly the rules (and get exactly the messages) a file gets, and an
import rewrites nothing the sheet did not change."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import MINIMAL_SITE, write_site
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

PARK = "content/parks/qilu-software-park.md"
COMMENTED_PARK = """\
---
# 园区名称（必填）
name: {zh: 齐鲁软件园, en: Qilu Software Park}
city: jinan
location: {lat: 36.666, lon: 117.134}
sectors: [software]
level: national
# 运营机构
operator:
  zh: 齐鲁软件园发展中心
  en:
summary: {zh: 济南高新区内的软件园, en: }
# 官方网站，以 https:// 开头
website: https://www.qilusoft.org
contact:
  phone: "0531-88880000"
---
齐鲁软件园位于济南高新区。
"""


def sheet_rows(sheet: Path) -> list[list[str]]:
    with sheet.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def set_cell(sheet: Path, slug: str, header: str, value: str) -> str:
    """Write `value` into the row of `slug`; returns the cell as messages name it, e.g. "2:Q"."""
    rows = sheet_rows(sheet)
    column = rows[0].index(header)
    number = next(index for index, row in enumerate(rows) if row[0] == slug)
    rows[number][column] = value
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return f"{number + 1}:{get_column_letter(column + 1)}"


@pytest.fixture
def exported(make_site, run, tmp_path):
    def export(files: dict[str, str] | None = None, name: str = "parks.csv") -> tuple[Path, Path]:
        site = make_site(files)
        sheet = tmp_path / name
        code, _, err = run("export", str(sheet), "-s", str(site))
        assert code == 0, err
        return site, sheet

    return export


# What the sheet did not change stays as it was --------------------------------------------------


def test_a_sheet_nobody_changed_leaves_every_file_byte_identical(exported, run):
    site, sheet = exported({PARK: COMMENTED_PARK})
    before = (site / PARK).read_bytes()
    code, out, err = run("import", str(sheet), "-s", str(site))
    assert code == 0, err
    assert (site / PARK).read_bytes() == before, out


@pytest.mark.parametrize(
    ("header", "value", "old", "new"),
    [
        ("area_km2", "12.5", "# 官方网站", "area_km2: 12.5\n# 官方网站"),
        ("district.zh", "历下区", "# 运营机构", "district: {zh: 历下区}\n# 运营机构"),
        ("established", "1995", "# 官方网站", "established: 1995\n# 官方网站"),
        ("summary.zh", "软件园", "summary: {zh: 济南高新区内的软件园, en: }", "summary: {zh: 软件园, en: }"),
        ("operator.zh", "发展中心", "  zh: 齐鲁软件园发展中心", "  zh: 发展中心"),
        ("contact.phone", "0531-88881111", '"0531-88880000"', '"0531-88881111"'),
    ],
)
def test_an_import_changes_the_changed_value_only_and_adds_a_key_in_its_place(header, value, old, new, exported, run):
    site, sheet = exported({PARK: COMMENTED_PARK})
    set_cell(sheet, "qilu-software-park", header, value)
    code, out, err = run("import", str(sheet), "-s", str(site))
    assert code == 0, err
    assert COMMENTED_PARK.count(old) == 1
    assert (site / PARK).read_text(encoding="utf-8") == COMMENTED_PARK.replace(old, new)


def test_a_dry_run_shows_each_field_before_and_after(exported, run):
    site, sheet = exported({PARK: COMMENTED_PARK})
    set_cell(sheet, "qilu-software-park", "area_km2", "12.5")
    set_cell(sheet, "qilu-software-park", "summary.zh", "软件园")
    set_cell(sheet, "qilu-software-park", "website", "")
    code, out, err = run("import", str(sheet), "-s", str(site), "--dry-run")
    assert code == 0, err
    assert out.splitlines() == [
        f"would update {PARK}: summary.zh, area_km2, website",
        '  summary.zh: "济南高新区内的软件园" → "软件园"',
        "  area_km2: (empty) → 12.5",
        '  website: "https://www.qilusoft.org" → (empty)',
        "0 park(s) created, 1 updated, 1 unchanged; dry run, nothing was written",
    ]
    assert (site / PARK).read_text(encoding="utf-8") == COMMENTED_PARK


# Text that looks like a number stays text ------------------------------------------------------


def test_the_workbook_keeps_phone_numbers_and_other_text_columns_as_text_cells(exported):
    site, sheet = exported({PARK: COMMENTED_PARK}, "parks.xlsx")
    rows = load_workbook(sheet)["parks"]
    headers = {cell.value: cell.column_letter for cell in rows[1]}
    for header in ("contact.phone", "slug", "name.zh", "website", "city", "parent"):
        column = headers[header]
        assert rows.column_dimensions[column].number_format == "@", header
        assert rows[f"{column}2"].number_format == "@", header
    for header in ("area_km2", "established", "location.lat", "updated"):
        assert rows.column_dimensions[headers[header]].number_format != "@", header
    assert rows[f"{headers['contact.phone']}2"].value == "0531-88880000"


LOST_ZERO = "the phone number '6315628888' looks like a landline that lost the 0 of its area code (0631-5628888)"


def test_a_landline_without_its_area_code_zero_is_a_warning_in_a_file(make_site, run):
    site = make_site({PARK: COMMENTED_PARK.replace('"0531-88880000"', '"6315628888"')})
    code, out, err = run("check", "-s", str(site))
    assert code == 0, err
    assert f"{PARK}:16: warning: " in err and LOST_ZERO in err
    assert run("check", "--strict", "-s", str(site))[0] == 1


@pytest.mark.parametrize("name", ["parks.csv", "parks.xlsx"])
def test_a_landline_without_its_area_code_zero_is_a_warning_at_its_cell(name, exported, run):
    site, sheet = exported({PARK: COMMENTED_PARK}, name)
    if name.endswith(".csv"):
        where = set_cell(sheet, "qilu-software-park", "contact.phone", "6315628888")
    else:  # typed into a General cell, Excel keeps a number and drops the 0
        book = load_workbook(sheet)
        rows = book["parks"]
        column = next(cell.column_letter for cell in rows[1] if cell.value == "contact.phone")
        row = next(cell.row for cell in rows["A"] if cell.value == "qilu-software-park")
        rows[f"{column}{row}"] = 6315628888
        book.save(sheet)
        where = f"{row}:{column}"
    code, out, err = run("import", str(sheet), "-s", str(site))
    assert code == 0, err
    assert f"{sheet.as_posix()}:{where}: warning: " in err and LOST_ZERO in err


# A sheet follows the file's rules, with the file's messages -----------------------------------


def first_message(err: str, place: str) -> tuple[str, str]:
    """The message at `place` and its hint, without the place."""
    lines = err.splitlines()
    index = next(index for index, line in enumerate(lines) if line.startswith(place))
    return lines[index][len(place) :], lines[index + 1]


FILE_LINES = {
    "updated": "updated: {}",
    "alliance.member": "alliance: {{member: {}}}",
    "established": "established: {}",
    "area_km2": "area_km2: {}",
    "level": "level: {}",
}
"""How the park file says what a cell of each column says, on the line of `level: national`."""


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("updated", "2023/2/3"),
        ("updated", "2023年2月3日"),
        ("updated", "2023-02-30"),
        ("alliance.member", "是"),
        ("alliance.member", "1"),
        ("established", "1995年"),
        ("established", "1e3"),
        ("established", "10:00"),
        ("area_km2", "12 km2"),
        ("area_km2", ".inf"),
        ("level", "国家级"),
    ],
)
def test_a_sheet_value_gets_the_message_the_same_value_gets_in_a_file(header, value, exported, run, tmp_path):
    park = MINIMAL_SITE[PARK].replace("level: national", FILE_LINES[header].format(value))
    in_file = write_site(tmp_path / "in-file", {**MINIMAL_SITE, PARK: park})
    code, _, file_err = run("check", "-s", str(in_file))
    assert code == 1, file_err
    site, sheet = exported()
    where = set_cell(sheet, "qilu-software-park", header, value)
    code, out, sheet_err = run("import", str(sheet), "-s", str(site))
    assert code == 1, out
    assert first_message(sheet_err, f"{sheet.as_posix()}:{where}: ") == first_message(file_err, f"{PARK}:6: ")

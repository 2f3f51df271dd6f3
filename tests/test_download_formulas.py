"""No download a spreadsheet opens holds a cell it would run as a formula: a site whose every text
field starts with a formula character, in ASCII or full width, is built and exported, and every
cell of parks.csv, projects.csv and the parks and projects sheets of `sitegen export` is read."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sitegen.spreadsheet_cells import runs_as_formula

FORMULA_STARTS = "=+-@＝＋－＠"


def park(start: str) -> str:
    def both(text: str) -> str:
        return f'{{zh: "{start}{text}", en: "{start}{text}"}}'

    return f"""\
---
name: {both("齐鲁软件园")}
city: jinan
location: {{lat: 36.666, lon: 117.134}}
sectors: [software]
district: {both("高新区")}
operator: {both("运营公司")}
summary: {both("软件园")}
contact:
  phone: "{start}0531-1234 5678"
  address: {both("舜华路")}
  person: {both("招商部")}
key_enterprises: [{both("浪潮")}]
figures:
  - label: {both("签约项目")}
    value: 36
    unit: {both("个")}
    year: 2020
    source: {both("济南日报")}
---
软件园。
"""


def project(start: str) -> str:
    def both(text: str) -> str:
        return f'{{zh: "{start}{text}", en: "{start}{text}"}}'

    return f"""\
---
name: {both("云计算中心")}
investor: {both("某公司")}
park: qilu-software-park
investment: 58
stage: signed
summary: {both("数据中心")}
source:
  publication: {both("济南日报")}
  date: 2020-05-29
---
"""


def export_options(collection: str) -> list[str]:
    return ["--projects"] if collection == "projects" else []


def csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]


def assert_no_formula(cells: list[str], where: str, start: str) -> None:
    assert [cell for cell in cells if cell.startswith("'" + start)], f"{where}: no text field was written"
    assert not [cell for cell in cells if runs_as_formula(cell)], where


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_no_download_holds_a_cell_that_runs_as_a_formula(start, make_site, run, tmp_path):
    site = make_site(
        {
            "content/parks/qilu-software-park.md": park(start),
            "content/parks/qilu-software-park.en.md": "Software park.\n",
            "content/projects/cloud-centre.md": project(start),
        }
    )
    code, _, err = run("build", "-s", str(site))
    assert code == 0, err
    for download in ("data/parks.csv", "data/projects.csv"):
        assert_no_formula(csv_cells((site / "build" / download).read_bytes()), download, start)
    for collection in ("parks", "projects"):
        exported = tmp_path / f"{collection}.csv"
        assert run("export", str(exported), "-s", str(site), *export_options(collection))[0] == 0
        assert_no_formula(csv_cells(exported.read_bytes()), exported.name, start)
        assert_xlsx_holds_no_formula(site, tmp_path / f"{collection}.xlsx", collection, start, run)


def assert_xlsx_holds_no_formula(site: Path, sheet: Path, collection: str, start: str, run) -> None:
    assert run("export", str(sheet), "-s", str(site), *export_options(collection))[0] == 0
    cells = [cell for row in load_workbook(sheet)[collection].iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"], sheet.name
    texts = [cell for cell in cells if isinstance(cell.value, str) and runs_as_formula(cell.value)]
    assert texts and all(cell.quotePrefix for cell in texts), sheet.name

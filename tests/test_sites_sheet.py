"""The sites (载体) an office keeps in Excel, as a spreadsheet: export then import changes nothing;
a changed price is written back; a changed unit or a number without one is refused at its cell."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

SITES = {
    "content/sites/plot-a.md": """\
        ---
        # 园区载体清单第 1 项
        name: {zh: A地块, en: Plot A}
        park: qilu-software-park
        kind: land
        area: {value: 50, unit: 亩}
        price: {value: 30, unit: 万元/亩}
        status: available
        standard_land: {investment_intensity: 300, plot_ratio: 1.2}
        verified: 2026-03-01
        source: {publication: {zh: 园区载体清单, en: The park's list of sites}, date: 2026-03-01}
        ---
        土地已平整。
        """,
    "content/sites/factory-b.md": """\
        ---
        name: {zh: B厂房, en: "=Factory B"}
        park: qilu-software-park
        kind: standard-factory
        area: 6000 m2
        price: 面议
        status: reserved
        building: {floor_height: 9, power: 800}
        verified: 2026-04-01
        source: {publication: {zh: 园区载体清单}}
        ---
        """,
}


def snapshot(site: Path) -> dict[str, bytes]:
    return {file.relative_to(site).as_posix(): file.read_bytes() for file in sorted(site.rglob("*.md"))}


def read_rows(file: Path) -> list[dict[str, str]]:
    with file.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(file: Path, rows: list[dict[str, str]]) -> None:
    with file.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize("name", ["sites.xlsx", "sites.csv"])
def test_export_then_import_of_sites_changes_nothing(name, make_site, run, tmp_path):
    site = make_site(SITES)
    before = snapshot(site)
    code, out, err = run("export", str(tmp_path / name), "--sites", "-s", str(site))
    assert code == 0, err
    assert out.startswith(f"wrote {(tmp_path / name).as_posix()}: 2 site(s)")
    code, out, err = run("import", str(tmp_path / name), "--sites", "-s", str(site))
    assert code == 0, err
    assert out.splitlines()[-1] == "0 site(s) created, 0 updated, 2 unchanged"
    assert snapshot(site) == before


def test_the_sheet_gives_area_and_price_with_their_units_in_one_cell(make_site, run, tmp_path):
    site = make_site(SITES)
    run("export", str(tmp_path / "sites.csv"), "--sites", "-s", str(site))
    rows = {row["slug"]: row for row in read_rows(tmp_path / "sites.csv")}
    assert (rows["plot-a"]["area"], rows["plot-a"]["price"]) == ("50 亩", "30 万元/亩")
    assert (rows["factory-b"]["area"], rows["factory-b"]["price"]) == ("6000 m2", "面议")
    assert rows["factory-b"]["name.en"] == "'=Factory B"
    assert rows["plot-a"]["standard_land.investment_intensity"] == "300"


def test_a_new_price_is_written_and_the_rest_of_the_file_kept(make_site, run, tmp_path):
    site = make_site(SITES)
    run("export", str(tmp_path / "sites.csv"), "--sites", "-s", str(site))
    rows = read_rows(tmp_path / "sites.csv")
    next(row for row in rows if row["slug"] == "plot-a")["price"] = "28 万元/亩"
    write_rows(tmp_path / "sites.csv", rows)
    code, out, err = run("import", str(tmp_path / "sites.csv"), "--sites", "-s", str(site))
    assert code == 0, err
    text = (site / "content/sites/plot-a.md").read_text(encoding="utf-8")
    assert "price: 28 万元/亩\n" in text
    assert "# 园区载体清单第 1 项" in text and "土地已平整。" in text and "area: {value: 50, unit: 亩}" in text
    assert run("check", "-s", str(site))[0] == 0


def test_a_row_that_changes_a_unit_is_refused_and_nothing_is_written(make_site, run, tmp_path):
    site = make_site(SITES)
    before = snapshot(site)
    run("export", str(tmp_path / "sites.csv"), "--sites", "-s", str(site))
    rows = read_rows(tmp_path / "sites.csv")
    headers = list(rows[0])
    plot = next(row for row in rows if row["slug"] == "plot-a")
    plot["area"] = "50 ㎡"
    write_rows(tmp_path / "sites.csv", rows)
    code, _, err = run("import", str(tmp_path / "sites.csv"), "--sites", "-s", str(site))
    assert code == 1
    row = rows.index(plot) + 2
    letter = chr(ord("A") + headers.index("area"))
    assert (
        f"{(tmp_path / 'sites.csv').as_posix()}:{row}:{letter}: area 的单位从 亩 改成了 ㎡ / area changes its unit"
        " from 亩 to ㎡\n  hint: 表格里不能改单位：保留 亩，或在文件里同时改数字和单位"
    ) in err
    assert snapshot(site) == before


def test_an_area_without_its_unit_is_refused_at_its_cell(make_site, run, tmp_path):
    site = make_site(SITES)
    run("export", str(tmp_path / "sites.csv"), "--sites", "-s", str(site))
    rows = read_rows(tmp_path / "sites.csv")
    next(row for row in rows if row["slug"] == "factory-b")["area"] = "6000"
    write_rows(tmp_path / "sites.csv", rows)
    code, _, err = run("import", str(tmp_path / "sites.csv"), "--sites", "-s", str(site))
    assert code == 1
    assert "'area' 的 6000 没有写单位 / 'area' gives 6000 without a unit" in err

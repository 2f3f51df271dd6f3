"""What the editor reads about fields is Chinese first, then English, never English inside Chinese:
the hints for a missing field and the spreadsheet's `fields` sheet."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook

from sitegen.content.fields import FieldMapping, ListOf, Spec, Where
from sitegen.content.frontmatter import parse_yaml
from sitegen.content.schema import CITY_SCHEMA, LANDING, SECTOR_SCHEMA, SITE_SCHEMA, build_schemas
from sitegen.errors import Problems

CHINESE = re.compile(r"[\u4e00-\u9fff]")
RECORDS = {
    **{
        collection: build_schemas(lambda: (), lambda: ()).for_collection(collection)
        for collection in ("parks", "events", "pages", "chains", "projects", "sites", "policies")
    },
    "site.yaml": SITE_SCHEMA,
    "sectors.yaml": SECTOR_SCHEMA,
    "cities.yaml": CITY_SCHEMA,
    "landing.yaml": LANDING,
}


def records(record: FieldMapping, prefix: str = "") -> Iterator[tuple[str, FieldMapping]]:
    """The record and every record nested in it, by path."""
    yield prefix, record
    for spec in record.fields:
        inner = spec.type.item if isinstance(spec.type, ListOf) else spec.type
        if isinstance(inner, FieldMapping):
            yield from records(inner, f"{prefix}{spec.name}.")


def every_spec() -> Iterator[tuple[str, Spec]]:
    for name, top in RECORDS.items():
        for prefix, record in records(top):
            for spec in record.fields:
                yield f"{name}:{prefix}{spec.name}", spec


def test_every_field_and_value_kind_is_described_in_chinese():
    missing = [path for path, spec in every_spec() if not CHINESE.search(spec.zh)]
    kinds = [path for path, spec in every_spec() if not CHINESE.search(spec.type.describe_zh)]
    assert missing == [] and kinds == []


def chinese_half(hint: str) -> str:
    return hint.split(" / ", 1)[0]


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_hints_for_a_missing_or_empty_required_field_are_in_chinese_then_english(name):
    for prefix, record in records(RECORDS[name]):
        required = [spec for spec in record.fields if spec.required]
        if not required:
            continue
        problems = Problems()
        absent = parse_yaml("other: 1", "x.md", problems)  # a mapping without any of them
        record.check(absent, Where("x.md", 1, "", problems))
        empty = "\n".join(f"{spec.name}: " for spec in required)
        record.check(parse_yaml(empty, "x.md", problems), Where("x.md", 1, "", problems))
        hints = [problem.hint for problem in problems.items]
        for spec in required:
            ours = [hint for hint in hints if f" {spec.name}" in chinese_half(hint) and spec.zh in hint]
            assert len(ours) == 2, (name, prefix, spec.name, hints)
            for hint in ours:
                assert spec.description not in chinese_half(hint), hint
                assert hint.endswith(f"({spec.description})"), hint


def test_check_hints_a_missing_city_in_chinese_then_english(make_site, run):
    site = make_site(
        {
            "content/parks/qilu-software-park.md": "---\nname: {zh: 齐鲁软件园, en: Qilu Software Park}\n"
            "location: {lat: 36.666, lon: 117.134}\nsectors: [software]\n---\n正文\n"
        }
    )
    code, _, err = run("check", "-s", str(site))
    assert code == 1
    assert (
        "hint: 加上一行 city: …（content/cities.yaml 里的城市编号） / add a line city: … (city id from content/cities.yaml)"
        in err
    )


@pytest.mark.parametrize("projects", [False, True])
def test_the_fields_sheet_is_chinese_first_then_english(make_site, run, tmp_path, projects):
    site = make_site()
    book_file = tmp_path / "entries.xlsx"
    assert run("export", str(book_file), "-s", str(site), *(["--projects"] if projects else []))[0] == 0
    rows = list(load_workbook(book_file)["fields"].iter_rows(values_only=True))
    assert rows[0] == ("列 / column", "必填 / required", "格式 / value", "含义 / meaning")
    for header, required, value, meaning in rows[1:]:
        for cell in (value, meaning) + ((required,) if required else ()):
            chinese, english = cell.split(" / ", 1)
            assert CHINESE.search(chinese) and english, (header, cell)
    guide = {row[0]: row for row in rows}
    if not projects:
        assert guide["location.lat"] == (
            "location.lat",
            "是 / yes",
            "数字 / number",
            "纬度，例如 36.666 / latitude in degrees, e.g. 36.666",
        )
        assert guide["name.en"][3] == "园区的中文和英文名称（英文） / park name in Chinese and English (English)"

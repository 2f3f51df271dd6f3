"""Numbers no page, map, total or download can show (infinity, NaN, numbers too large to add up)
are refused at the field where they are written, with the file and line, in every numeric field
of every file an editor writes and in every sheet they import; never an internal error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import MINIMAL_SITE
from openpyxl.utils import get_column_letter

from sitegen.content.fields import INVALID, Bilingual, FieldMapping, FieldType, ListOf, Where
from sitegen.content.schema import CITY_SCHEMA, SECTOR_SCHEMA, SITE_SCHEMA, build_schemas
from sitegen.errors import Problems

NOT_SHOWABLE = {
    ".inf": float("inf"),
    "-.inf": float("-inf"),
    ".nan": float("nan"),
    "1.0e+309": float("1e309"),
    "1.0e+300": 1e300,
    "-1.0e+300": -1e300,
    "9" * 400: int("9" * 400),
    "123456789012345678901234": 123456789012345678901234,
}


def numeric_fields() -> Iterator[tuple[str, FieldType]]:
    """Every field of every schema that takes a number, by its dotted name."""
    schemas = build_schemas(lambda: ("software",), lambda: ("jinan",))
    records = {
        "site.yaml": SITE_SCHEMA,
        "sectors.yaml": SECTOR_SCHEMA,
        "cities.yaml": CITY_SCHEMA,
        **{
            collection: schemas.for_collection(collection)
            for collection in ("parks", "events", "pages", "chains", "projects")
        },
    }
    for name, record in records.items():
        yield from _numeric(record, name)


def _numeric(field_type: FieldType, name: str) -> Iterator[tuple[str, FieldType]]:
    if isinstance(field_type, FieldMapping):
        for spec in field_type.fields:
            yield from _numeric(spec.type, f"{name}.{spec.name}")
    elif isinstance(field_type, ListOf):
        yield from _numeric(field_type.item, f"{name}[]")
    elif not isinstance(field_type, Bilingual) and _takes(field_type, 1):
        yield name, field_type


def _takes(field_type: FieldType, value: object) -> bool:
    problems = Problems()
    return field_type.check(value, Where("f.md", 3, "key", problems)) is not INVALID and not problems.errors


FIELDS = dict(numeric_fields())


def test_the_schemas_have_numeric_fields_to_check():
    assert {"parks.area_km2", "parks.location.lat", "parks.figures[].value", "projects.investment"} <= set(FIELDS)
    assert "cities.yaml.centre.lat" in FIELDS


@pytest.mark.parametrize("name", sorted(FIELDS))
@pytest.mark.parametrize("written", sorted(NOT_SHOWABLE))
def test_every_numeric_field_refuses_a_number_no_page_can_show(name, written):
    problems = Problems()
    where = Where("content/x.md", 7, name.rsplit(".", 1)[-1], problems, written)
    assert FIELDS[name].check(NOT_SHOWABLE[written], where) is INVALID
    [error] = problems.errors
    assert error.path == "content/x.md" and error.line == 7 and error.hint
    assert written in error.message


PARK = "content/parks/qilu-software-park.md"
PROJECT = "content/projects/cloud-centre.md"
PROJECT_TEXT = """\
---
name: {zh: 云计算中心, en: Cloud centre}
park: qilu-software-park
investment: 58
stage: signed
source:
  publication: {zh: 济南日报, en: Jinan Daily}
---
"""


def park_text(old: str, new: str) -> dict[str, str]:
    text = MINIMAL_SITE[PARK]
    assert old in text
    return {PARK: text.replace(old, new)}


FILES = {
    "investment": ({PROJECT: PROJECT_TEXT.replace("investment: 58", "investment: VALUE")}, f"{PROJECT}:4"),
    "area": (park_text("level: national", "level: national\narea_km2: VALUE"), f"{PARK}:7"),
    "figure": (park_text("value: 36", "value: VALUE"), f"{PARK}:11"),
    "latitude": (park_text("lat: 36.666", "lat: VALUE"), f"{PARK}:4"),
    "city-centre": (
        {"content/cities.yaml": MINIMAL_SITE["content/cities.yaml"].replace("lon: 121.448", "lon: VALUE")},
        "content/cities.yaml:2",
    ),
}


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("written", [".inf", "-.inf", ".nan", "1.0e+309", "9" * 400, "1.0e+300"])
@pytest.mark.parametrize("case", sorted(FILES))
def test_a_number_no_page_can_show_is_refused_at_its_line(case, written, command, make_site, run):
    files, where = FILES[case]
    site = make_site({path: text.replace("VALUE", written) for path, text in files.items()})
    code, _, err = run(command, "-s", str(site))
    assert code == 1, err
    assert "internal error" not in err and "Traceback" not in err, err
    message = next(line for line in err.splitlines() if line.startswith(f"{where}: "))
    assert written[:20] in message
    assert not (site / "build").exists()


@pytest.mark.parametrize("collection", ["parks", "projects"])
@pytest.mark.parametrize("written", ["inf", "-inf", "nan", "1e309", "1e300", "9" * 400])
def test_a_sheet_cannot_bring_in_a_number_no_page_can_show(collection, written, make_site, run, tmp_path):
    site = make_site({PROJECT: PROJECT_TEXT})
    sheet = tmp_path / f"{collection}.csv"
    options = ["--projects"] if collection == "projects" else []
    assert run("export", str(sheet), "-s", str(site), *options)[0] == 0
    header = "investment" if collection == "projects" else "area_km2"
    rows = sheet.read_text(encoding="utf-8-sig").splitlines()
    column = rows[0].split(",").index(header)
    cells = rows[1].split(",")
    cells[column] = written
    sheet.write_text("\n".join([rows[0], ",".join(cells), *rows[2:]]) + "\n", encoding="utf-8-sig")
    before = {path: (site / path).read_bytes() for path in (PARK, PROJECT)}
    code, out, err = run("import", str(sheet), "-s", str(site), *options)
    assert code == 1, out + err
    assert "internal error" not in err
    letter = get_column_letter(column + 1)
    assert f"{sheet.as_posix()}:2:{letter}: " in err, err
    assert {path: (site / path).read_bytes() for path in before} == before

"""The browser editor's configuration follows the schema: every field of every collection is in the
form with a widget, its required mark and a Chinese label, and its choices come from the site."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from sitegen.content.fields import Bilingual, FieldMapping, FieldType, IdOf, ListOf, Spec
from sitegen.content.schema import CITY_SCHEMA, SECTOR_SCHEMA, SITE_SCHEMA, build_schemas
from sitegen.content.sources import COLLECTIONS
from sitegen.preview.cms_backend import site_choices
from sitegen.render.cms_config import FILE_NAME_FIELD, LABELS, SITE_SETTINGS, cms_config
from sitegen.render.cms_hosted import DECAP_DIST, EDITOR_FILES

REPO = Path(__file__).resolve().parent.parent


def _inner_fields(field_type: FieldType) -> tuple[Spec, ...]:
    if isinstance(field_type, ListOf):
        return _inner_fields(field_type.item)
    if isinstance(field_type, FieldMapping):
        return field_type.fields
    return ()


def assert_form_matches(specs: tuple[Spec, ...], fields: list[dict], where: str, optional: bool = False) -> None:
    """Each spec in the form; inside a group that may be left out nothing is marked required."""
    by_name = {field["name"]: field for field in fields}
    for spec in specs:
        assert spec.name in by_name, f"{where}.{spec.name} is not in the editor's form"
        field = by_name[spec.name]
        assert field["widget"], f"{where}.{spec.name} has no widget"
        required = spec.required and not optional
        assert field["required"] is required, f"{where}.{spec.name}: required should be {required}"
        assert field["label"].startswith(spec.label or LABELS[spec.name]), f"{where}.{spec.name} has no Chinese label"
        assert field["hint"] == (f"{spec.zh} / {spec.description}" if spec.zh else spec.description)
        inner = _inner_fields(spec.type)
        if inner and field["widget"] == "object":
            assert_form_matches(inner, field["fields"], f"{where}.{spec.name}", not required)
        if inner and field["widget"] == "list":
            assert_form_matches(inner, field["fields"], f"{where}.{spec.name}")
        if isinstance(spec.type, Bilingual):
            assert [(sub["name"], sub["required"]) for sub in field["fields"]] == [
                ("zh", required),
                ("en", required and spec.type.require_english),
            ]


def test_every_field_of_every_collection_is_in_the_form_with_its_widget_label_and_required_mark():
    config = cms_config(("zh", "en"), site_choices(REPO))
    collections = {collection["name"]: collection for collection in config["collections"]}
    schemas = build_schemas(list, list)
    for name in COLLECTIONS:
        assert name in collections, f"the collection {name} is missing from the editor"
        fields = collections[name]["fields"]
        has_text = fields[-1]["name"] == "body"
        assert fields[0]["name"] == FILE_NAME_FIELD and has_text is (name != "projects"), name
        assert collections[name]["folder"] == f"content/{name}"
        assert_form_matches(schemas.for_collection(name).fields, fields[1 : -1 if has_text else None], name)


def test_the_site_settings_an_office_changes_are_in_the_form():
    config = cms_config(("zh", "en"), site_choices(REPO))
    (settings,) = [collection for collection in config["collections"] if collection["name"] == "settings"]
    site_file, sectors, cities = settings["files"]
    assert site_file["file"] == "content/site.yaml"
    assert_form_matches(tuple(SITE_SCHEMA.spec(name) for name in SITE_SETTINGS), site_file["fields"], "site.yaml")
    for vocabulary, schema in ((sectors, SECTOR_SCHEMA), (cities, CITY_SCHEMA)):
        (items,) = vocabulary["fields"]
        assert vocabulary["file"] == f"content/{items['name']}.yaml" and items["widget"] == "list"
        assert items["fields"][0]["name"] == "id"
        assert_form_matches(schema.fields, items["fields"][1:], vocabulary["file"])


def test_choices_are_the_ids_of_the_site_with_their_names():
    config = cms_config(("zh", "en"), site_choices(REPO))
    parks = next(collection for collection in config["collections"] if collection["name"] == "parks")
    fields = {field["name"]: field for field in parks["fields"]}
    cities = [option["value"] for option in fields["city"]["options"]]
    assert "jinan" in cities and "qingdao" in cities and len(cities) == 16
    assert {"label": "济南 Jinan (jinan)", "value": "jinan"} in fields["city"]["options"]
    assert fields["sectors"]["multiple"] is True and fields["sectors"]["min"] == 1
    parents = [option["value"] for option in fields["parent"]["options"]]
    assert "jinan-high-tech-zone" in parents
    projects = next(collection for collection in config["collections"] if collection["name"] == "projects")
    link = next(field for field in projects["fields"] if field["name"] == "link")
    assert link["widget"] == "select" and link["options"]


def every_field(fields: list[dict], where: str = "") -> Iterator[tuple[str, dict]]:
    for field in fields:
        path = f"{where}.{field['name']}" if where else field["name"]
        yield path, field
        yield from every_field(field.get("fields", []), path)
        if "field" in field:
            yield from every_field([field["field"]], path)


def test_the_form_marks_a_mistyped_value_at_its_field_before_saving():
    """Decap checks `pattern`, `min` and `max` itself and shows the message under the field.
    It searches a pattern anywhere in the value, so each must be anchored to hold for all of it."""
    config = cms_config(("zh", "en"), site_choices(REPO))
    fields = {
        f"{collection['name']}.{path}": field
        for collection in config["collections"]
        for path, field in every_field(collection.get("fields", []))
    }
    patterned = {path: field["pattern"] for path, field in fields.items() if "pattern" in field}
    for path, (pattern, message) in patterned.items():
        assert pattern.startswith("^") and pattern.endswith("$"), path
        assert " / " in message, f"{path}: the message is not in both languages"

    def accepts(path: str, value: str) -> bool:
        return re.search(patterned[path][0], value) is not None

    assert accepts("parks.file_name", "qilu-software-park") and not accepts("parks.file_name", "Qilu park")
    assert accepts("chains.tiers.links.id", "cotton-yarn") and not accepts("chains.tiers.links.id", "棉纱")
    assert accepts("parks.contact.phone", "0531-8888 8888 转 801") and not accepts("parks.contact.phone", "找王主任")
    assert not accepts("parks.website", "www.example.cn") and accepts("parks.website", "https://www.example.cn/")
    assert not accepts("events.time", "9点半") and accepts("events.time", "09:30")
    established = fields["parks.established"]
    assert (established["widget"], established["value_type"], established["min"]) == ("number", "int", 1900)
    assert fields["parks.location.lat"]["min"] == -90 and fields["parks.sectors"]["min"] == 1


def test_a_policys_scope_says_in_plain_words_which_parks_each_choice_means():
    config = cms_config(("zh", "en"), site_choices(REPO))
    forms = {collection["name"]: collection["fields"] for collection in config["collections"] if "fields" in collection}
    scope = next(field for field in forms["policies"] if field["name"] == "scope")
    choices = {field["name"]: field for field in scope["fields"]}
    assert choices["alliance"]["label"] == "全部联盟园区 alliance"
    assert choices["alliance"]["hint"].startswith("写 true：本政策适用于联盟的每一个园区")
    assert "every park of the alliance" in choices["alliance"]["hint"]
    assert choices["cities"]["label"] == "适用城市 cities" and "every park of these cities" in choices["cities"]["hint"]
    assert choices["parks"]["label"] == "适用园区 parks" and "these parks only" in choices["parks"]["hint"]
    assert choices["sectors"]["label"] == "限定产业 sectors" and "全联盟" in choices["sectors"]["hint"]
    membership = next(field for field in forms["parks"] if field["name"] == "alliance")
    assert membership["label"] == "联盟成员 alliance"  # a park's membership keeps its own label


def test_a_sector_or_city_field_is_never_typed_free_text():
    config = cms_config(("zh", "en"), site_choices(REPO))
    schemas = build_schemas(list, list)
    for collection in config["collections"]:
        if collection["name"] not in COLLECTIONS:
            continue
        for spec in schemas.for_collection(collection["name"]).fields:
            item = spec.type.item if isinstance(spec.type, ListOf) else spec.type
            if isinstance(item, IdOf):
                field = next(field for field in collection["fields"] if field["name"] == spec.name)
                assert field["widget"] == "select", f"{collection['name']}.{spec.name}"


def test_the_editor_speaks_chinese_and_loads_only_its_own_files():
    config = cms_config(("zh", "en"), site_choices(REPO))
    assert config["locale"] == "zh_Hans"
    assert config["backend"] == {"name": "proxy", "proxy_url": "/api/v1", "branch": "main"}
    assert "://" not in json.dumps(config["backend"])
    page = (EDITOR_FILES / "index.html").read_text(encoding="utf-8")
    assert 'src="decap-cms.js"' in page and "://" not in page.replace("http-equiv", "")
    assert (DECAP_DIST / "decap-cms.js").is_file()
    manifest = json.loads((EDITOR_FILES / "vendor.json").read_text(encoding="utf-8"))
    for package in manifest["packages"]:
        folder = EDITOR_FILES / "vendor" / package["name"]
        for relative in package["files"]:
            assert (folder / relative).is_file(), f"{package['name']}/{relative} is listed but missing"
    assert "MIT License" in (EDITOR_FILES / "vendor" / "decap-server" / "LICENSE").read_text(encoding="utf-8")


def test_the_preview_starts_without_loading_the_editor():
    """`sitegen serve` starts as fast as before the editor came: its modules, Pillow and the
    configuration wait for the first request to /admin/."""
    import subprocess
    import sys

    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, sitegen.cli, sitegen.preview.server\n"
            "print(sorted(name for name in sys.modules if '.cms_' in name or name.split('.')[0] == 'PIL'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"

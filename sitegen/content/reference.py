"""The editors' field reference, printed from the schemas' own descriptions so it cannot drift.

`python -m sitegen.content.reference` prints it as Markdown; README.md carries a copy that a test compares.
"""

from __future__ import annotations

from collections.abc import Iterator

from sitegen.content.fields import FieldMapping, ListOf, Spec
from sitegen.content.schema import (
    CITY_SCHEMA,
    LANDING,
    SECTOR_SCHEMA,
    SITE_SCHEMA,
    TRANSLATABLE_FIELDS,
    build_schemas,
)


def _rows(record: FieldMapping, prefix: str = "") -> Iterator[str]:
    for spec in record.fields:
        yield _row(spec, prefix)
        inner = spec.type.item if isinstance(spec.type, ListOf) else spec.type
        if isinstance(inner, FieldMapping):
            yield from _rows(inner, f"{prefix}{spec.name}{'[]' if isinstance(spec.type, ListOf) else ''}.")


def _row(spec: Spec, prefix: str) -> str:
    required = "yes" if spec.required else ""
    kind = spec.type.describe.replace("|", "\\|")
    meaning = spec.description.replace("|", "\\|")
    return f"| `{prefix}{spec.name}` | {required} | {kind} | {meaning} |"


def field_reference() -> str:
    schemas = build_schemas(lambda: (), lambda: ())
    parts = []
    for title, collection, record in (
        ("Parks: `content/parks/<slug>.md`", "parks", schemas.park),
        ("Events: `content/events/<slug>.md`", "events", schemas.event),
        ("Pages: `content/pages/<slug>.md`", "pages", schemas.page),
        ("Industry chains: `content/chains/<slug>.md`", "chains", schemas.chain),
        ("Projects: `content/projects/<slug>.md`", "projects", schemas.project),
        ("Sites and buildings (载体): `content/sites/<slug>.md`", "sites", schemas.site),
        ("Policies (招商政策): `content/policies/<slug>.md`", "policies", schemas.policy),
    ):
        parts.append(f"#### {title}\n")
        parts.append("| field | required | value | meaning |\n| --- | --- | --- | --- |")
        parts.extend(_rows(record))
        english = ", ".join(f"`{name}`" for name in TRANSLATABLE_FIELDS[collection])
        if english:
            parts.append(f"\nThe `.en.md` file may set {english} as plain English text.\n")
        else:
            parts.append("\nNo `.en.md` file and no body: every text is a `{zh: …, en: …}` field.\n")
    for title, record in (
        ("Site settings: `content/site.yaml`", SITE_SCHEMA),
        ("Sectors: `content/sectors.yaml`, one entry per id", SECTOR_SCHEMA),
        ("Cities: `content/cities.yaml`, one entry per id", CITY_SCHEMA),
        ("Landing process (落地流程): `content/landing.yaml`", LANDING),
    ):
        parts.append(f"#### {title}\n")
        parts.append("| field | required | value | meaning |\n| --- | --- | --- | --- |")
        parts.extend(_rows(record))
        parts.append("")
    return "\n".join(parts)


if __name__ == "__main__":
    print(field_reference(), end="")

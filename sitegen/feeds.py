"""Machine-readable outputs made from the model: park data downloads, sitemap and robots.txt."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from sitegen import urls
from sitegen.i18n import HTML_LANG, Localized
from sitegen.model import Park, Site

GEOJSON_PATH = "data/parks.geojson"
CSV_PATH = "data/parks.csv"


def _both(prefix: str, value: Localized | None) -> dict[str, str]:
    return {f"{prefix}_zh": value.zh if value else "", f"{prefix}_en": value.get("en") if value else ""}


def _park_record(site: Site, park: Park) -> dict[str, object]:
    """The facts of one park, flat and bilingual, as both downloads carry them."""
    base = site.config.base_url
    return {
        "slug": park.slug,
        **_both("name", park.name),
        "city": park.city.id,
        **_both("city", park.city.name),
        **_both("district", park.district),
        "level": park.level or "",
        "kind": park.kind or "",
        "sectors": " ".join(sector.id for sector in park.sectors),
        "sectors_zh": "、".join(sector.name.zh for sector in park.sectors),
        "sectors_en": "; ".join(sector.name.get("en") for sector in park.sectors),
        "member": park.is_member,
        "parent": park.parent or "",
        **_both("operator", park.operator),
        **_both("summary", park.summary),
        "established": park.established or "",
        "area_km2": park.area_km2 or "",
        "website": park.website or "",
        "url_zh": urls.absolute(base, urls.page_path("zh", "park", park.slug)),
        "url_en": urls.absolute(base, urls.page_path("en", "park", park.slug)),
    }


def parks_geojson(site: Site) -> bytes:
    """RFC 7946 FeatureCollection; coordinates are WGS-84 as stored, [lon, lat]."""
    features = [
        {
            "type": "Feature",
            "id": park.slug,
            "geometry": {"type": "Point", "coordinates": [park.lon, park.lat]},
            "properties": {
                **_park_record(site, park),
                "sectors": [sector.id for sector in park.sectors],
            },
        }
        for park in site.parks
    ]
    collection = {"type": "FeatureCollection", "features": features}
    return (json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def parks_csv(site: Site) -> bytes:
    """One row per park; UTF-8 with a BOM so Excel on Chinese Windows reads the characters right."""
    buffer = io.StringIO()
    rows = [_park_record(site, park) | {"lat": park.lat, "lon": park.lon} for park in site.parks]
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({key: _cell(value) for key, value in row.items()} for row in rows)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def sitemap(site: Site, page_paths: Iterable[tuple[str, str | None]]) -> bytes:
    """Every page in every language, each listing its language alternates."""
    base = site.config.base_url
    entries = []
    for kind, slug in page_paths:
        alternates = "".join(
            f'<xhtml:link rel="alternate" hreflang="{HTML_LANG[lang]}" '
            f"href={quoteattr(urls.absolute(base, urls.page_path(lang, kind, slug)))}/>"
            for lang in site.config.languages
        )
        for lang in site.config.languages:
            location = escape(urls.absolute(base, urls.page_path(lang, kind, slug)))
            entries.append(f"<url><loc>{location}</loc>{alternates}</url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "\n".join(entries) + "\n</urlset>\n"
    ).encode("utf-8")


def robots(site: Site) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.config.base_url}sitemap.xml\n".encode()

"""What editors may write in the front matter of parks, events and pages, field by field.

Each field's description is what the editors' field reference prints, so it cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sitegen.fields import (
    Bilingual,
    Choice,
    ClockTime,
    Date,
    Email,
    Flag,
    IdOf,
    ListOf,
    Location,
    Number,
    Record,
    Spec,
    Text,
    Url,
)
from sitegen.geo import COORDINATE_SYSTEMS

PARK_LEVELS = ("national", "provincial", "municipal", "other")
PARK_KINDS = ("development-zone", "high-tech-zone", "new-area", "industrial-park", "incubator", "other")
EVENT_KINDS = ("summit", "roundtable", "signing", "visit", "promotion", "other")

TRANSLATABLE_FIELDS = {
    "parks": ("name", "summary", "district", "operator"),
    "events": ("title", "summary", "venue"),
    "pages": ("title", "summary"),
}
"""Fields an `.en.md` file may override with plain English text."""


class Slug(Text):
    describe = "slug of another entry (its file name without .md)"


@dataclass(frozen=True)
class Schemas:
    park: Record
    event: Record
    page: Record

    def for_collection(self, collection: str) -> Record:
        return {"parks": self.park, "events": self.event, "pages": self.page}[collection]


def english_override(collection: str) -> Record:
    return Record(tuple(
        Spec(name, Text(), f"English {name}, replacing the `en` text of the Chinese file")
        for name in TRANSLATABLE_FIELDS[collection]
    ))


def build_schemas(sector_ids: Callable[[], Iterable[str]], city_ids: Callable[[], Iterable[str]]) -> Schemas:
    """The schemas depend on the site's own vocabularies; no sector or city is known to the code."""
    sector = IdOf("sectors.yaml", sector_ids)
    city = IdOf("cities.yaml", city_ids)
    location = Location((
        Spec("lat", Number(-90, 90), "latitude in degrees, e.g. 36.666", required=True),
        Spec("lon", Number(-180, 180), "longitude in degrees, e.g. 117.134", required=True),
        Spec(
            "crs",
            Choice(COORDINATE_SYSTEMS),
            "where the numbers come from: GPS (wgs84, the default), a Gaode/AMap picker (gcj02), a Baidu picker (bd09)",
        ),
    ))
    figure = Record((
        Spec("label", Bilingual(), "what is counted", required=True),
        Spec("value", Number(), "the number itself, without unit", required=True),
        Spec("unit", Bilingual(), "unit, e.g. {zh: 亿元, en: 100 million yuan}"),
        Spec("year", Number(1900, 2100, whole=True), "the year the figure refers to", required=True),
        Spec("source", Bilingual(), "where the figure was published", required=True),
    ))
    park = Record((
        Spec("name", Bilingual(require_english=True), "park name in Chinese and English", required=True),
        Spec("city", city, "city id from content/cities.yaml", required=True),
        Spec("location", location, "where the park is: {lat, lon}, optional crs", required=True),
        Spec("sectors", ListOf(sector, at_least=1), "sector ids; the first is the primary sector", required=True),
        Spec("level", Choice(PARK_LEVELS), "the level of government that approved the park"),
        Spec("kind", Choice(PARK_KINDS), "what sort of park it is"),
        Spec("parent", Slug(), "slug of the park that contains this one (区中园)"),
        Spec("alliance", Record((
            Spec("member", Flag(), "true when the park is an alliance member", required=True),
            Spec("batch", Number(1, 100, whole=True), "membership batch, 1 for the first"),
            Spec("joined", Date(), "date it joined, YYYY-MM-DD"),
        )), "alliance membership"),
        Spec("district", Bilingual(), "district or county"),
        Spec("operator", Bilingual(), "company or body that runs the park"),
        Spec("summary", Bilingual(), "one line shown in lists, popups and search"),
        Spec("established", Number(1900, 2100, whole=True), "year the park was established"),
        Spec("area_km2", Number(0, 10000), "planned area in square kilometres"),
        Spec("website", Url(), "official website"),
        Spec("contact", Record((
            Spec("phone", Text(), 'phone number in quotes, e.g. "0531-12345678"'),
            Spec("email", Email(), "e-mail address"),
            Spec("address", Bilingual(), "postal address"),
            Spec("person", Bilingual(), "contact person or office"),
        )), "investment contact"),
        Spec("key_enterprises", ListOf(Bilingual()), "leading companies in the park"),
        Spec("figures", ListOf(figure), "key figures, each with label, value, unit, year and source"),
        Spec("cover", Text(), "cover image under content/media/, e.g. media/qilu.jpg"),
        Spec("cover_alt", Bilingual(), "what the cover image shows (required with cover)"),
        Spec("updated", Date(), "date the facts were last checked, YYYY-MM-DD"),
    ))
    event = Record((
        Spec("title", Bilingual(require_english=True), "event title in Chinese and English", required=True),
        Spec("date", Date(), "first day, YYYY-MM-DD (Beijing time)", required=True),
        Spec("end", Date(), "last day, for events of several days"),
        Spec("time", ClockTime(), 'start time in Beijing time, in quotes: "09:30"'),
        Spec("end_time", ClockTime(), 'end time in Beijing time, in quotes: "17:00"'),
        Spec("city", city, "city id from content/cities.yaml"),
        Spec("venue", Bilingual(), "where it takes place"),
        Spec("kind", Choice(EVENT_KINDS), "what sort of event it is"),
        Spec("parks", ListOf(Slug()), "slugs of the parks involved"),
        Spec("summary", Bilingual(), "one line shown in lists"),
    ))
    page = Record((
        Spec("title", Bilingual(require_english=True), "page title in Chinese and English", required=True),
        Spec("summary", Bilingual(), "one line for search engines and lists"),
        Spec("menu", Number(1, 99, whole=True), "position in the main menu; leave out to keep it off the menu"),
    ))
    return Schemas(park, event, page)

"""The site as frozen data: parks, events and pages with their translations linked; no I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sitegen.config import City, Sector, SiteConfig
from sitegen.i18n import Localized

BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")
"""Event dates and times are Beijing time; China has no daylight saving."""


@dataclass(frozen=True, slots=True)
class Body:
    """An entry's Markdown in each language; English is None until someone writes it."""

    zh: str
    en: str | None
    zh_line: int = 1

    def for_lang(self, lang: str) -> str:
        return self.en if lang == "en" and self.en is not None else self.zh

    def is_fallback(self, lang: str) -> bool:
        return lang == "en" and self.en is None


@dataclass(frozen=True, slots=True)
class Figure:
    label: Localized
    value: float
    unit: Localized | None
    year: int
    source: Localized


@dataclass(frozen=True, slots=True)
class Contact:
    phone: str | None = None
    email: str | None = None
    address: Localized | None = None
    person: Localized | None = None


@dataclass(frozen=True, slots=True)
class Membership:
    member: bool
    batch: int | None = None
    joined: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Park:
    slug: str
    name: Localized
    city: City
    lat: float
    lon: float
    sectors: tuple[Sector, ...]
    body: Body
    source_path: str
    level: str | None = None
    kind: str | None = None
    parent: str | None = None
    children: tuple[str, ...] = ()
    membership: Membership | None = None
    district: Localized | None = None
    operator: Localized | None = None
    summary: Localized | None = None
    established: int | None = None
    area_km2: float | None = None
    website: str | None = None
    contact: Contact | None = None
    key_enterprises: tuple[Localized, ...] = ()
    figures: tuple[Figure, ...] = ()
    cover: str | None = None
    cover_alt: Localized | None = None
    updated: dt.date | None = None

    @property
    def primary_sector(self) -> Sector:
        return self.sectors[0]

    @property
    def is_member(self) -> bool:
        return bool(self.membership and self.membership.member)


@dataclass(frozen=True, slots=True)
class Event:
    slug: str
    title: Localized
    date: dt.date
    body: Body
    source_path: str
    end: dt.date | None = None
    time: dt.time | None = None
    end_time: dt.time | None = None
    city: City | None = None
    venue: Localized | None = None
    kind: str | None = None
    parks: tuple[str, ...] = ()
    summary: Localized | None = None

    @property
    def last_day(self) -> dt.date:
        return self.end or self.date


@dataclass(frozen=True, slots=True)
class Page:
    slug: str
    title: Localized
    body: Body
    source_path: str
    summary: Localized | None = None
    menu: int | None = None


@dataclass(frozen=True)
class Site:
    """Everything the renderer needs. `today` decides upcoming versus past events."""

    config: SiteConfig
    parks: tuple[Park, ...]
    events: tuple[Event, ...]
    pages: tuple[Page, ...]
    today: dt.date
    _parks_by_slug: dict[str, Park] = field(init=False, repr=False, compare=False)
    _parks_by_sector: dict[str, tuple[Park, ...]] = field(init=False, repr=False, compare=False)
    _parks_by_city: dict[str, tuple[Park, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Index the parks once: templates ask for a sector's or a city's parks on every page."""
        by_sector: dict[str, list[Park]] = {}
        by_city: dict[str, list[Park]] = {}
        for park in self.parks:
            for sector in park.sectors:
                by_sector.setdefault(sector.id, []).append(park)
            by_city.setdefault(park.city.id, []).append(park)
        object.__setattr__(self, "_parks_by_slug", {park.slug: park for park in self.parks})
        object.__setattr__(self, "_parks_by_sector", {key: tuple(value) for key, value in by_sector.items()})
        object.__setattr__(self, "_parks_by_city", {key: tuple(value) for key, value in by_city.items()})

    def park(self, slug: str) -> Park:
        return self._parks_by_slug[slug]

    @property
    def sectors(self) -> tuple[Sector, ...]:
        return tuple(self.config.sectors.values())

    @property
    def cities(self) -> tuple[City, ...]:
        return tuple(self.config.cities.values())

    def parks_in_sector(self, sector: Sector) -> tuple[Park, ...]:
        return self._parks_by_sector.get(sector.id, ())

    def parks_in_city(self, city: City) -> tuple[Park, ...]:
        return self._parks_by_city.get(city.id, ())

    def events_of_park(self, park: Park) -> tuple[Event, ...]:
        return tuple(event for event in self.events if park.slug in event.parks)

    @property
    def upcoming_events(self) -> tuple[Event, ...]:
        return tuple(event for event in self.events if event.last_day >= self.today)

    @property
    def past_events(self) -> tuple[Event, ...]:
        return tuple(reversed([event for event in self.events if event.last_day < self.today]))

    @property
    def menu_pages(self) -> tuple[Page, ...]:
        return tuple(sorted((page for page in self.pages if page.menu), key=lambda page: page.menu))

"""The site as frozen data: parks, events, pages, chains, projects, sites and policies with their
translations linked; no I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

from sitegen.content.config import Citation, City, Cost, LandingProcess, Sector, SiteConfig
from sitegen.content.fields import PartialDate, Quantity
from sitegen.content.i18n import Localized
from sitegen.content.schema import SITE_STATUSES

Item = TypeVar("Item")
Key = TypeVar("Key", bound=Hashable)


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
    costs: tuple[Cost, ...] = ()
    """The park's own costs; `Site.costs_of_park` merges them with its city's."""
    landing: LandingProcess | None = None
    """The park's own landing process; `Site.landing_of_park` falls back to the alliance's."""

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


@dataclass(frozen=True, slots=True)
class Enterprise:
    name: Localized
    leading: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    """One link of a chain; with no park it is a gap the alliance wants filled."""

    id: str
    name: Localized
    description: Localized | None = None
    enterprises: tuple[Enterprise, ...] = ()
    parks: tuple[str, ...] = ()
    sought: Localized | None = None

    @property
    def is_gap(self) -> bool:
        return not self.parks


@dataclass(frozen=True, slots=True)
class Tier:
    id: str
    name: Localized
    links: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Chain:
    slug: str
    name: Localized
    sectors: tuple[Sector, ...]
    tiers: tuple[Tier, ...]
    sources: tuple[Citation, ...]
    body: Body
    source_path: str
    summary: Localized | None = None

    @property
    def links(self) -> tuple[Link, ...]:
        return tuple(link for tier in self.tiers for link in tier.links)

    @property
    def parks(self) -> tuple[str, ...]:
        """Slugs of the parks hosting any link, in the order the links name them."""
        return tuple(dict.fromkeys(slug for link in self.links for slug in link.parks))

    def link(self, link_id: str) -> Link:
        return next(link for link in self.links if link.id == link_id)


@dataclass(frozen=True, slots=True)
class StageDates:
    signed: PartialDate | None = None
    construction: PartialDate | None = None
    production: PartialDate | None = None


@dataclass(frozen=True, slots=True)
class Project:
    """A project as its source reports it: an amount only when one is stated (亿元)."""

    slug: str
    name: Localized
    city: City
    stage: str
    source: Citation
    source_path: str
    investor: Localized | None = None
    park: str | None = None
    district: Localized | None = None
    sector: Sector | None = None
    chain: str | None = None
    link: str | None = None
    investment: float | None = None
    dates: StageDates = StageDates()
    summary: Localized | None = None


@dataclass(frozen=True, slots=True)
class BuildingSpecs:
    """What a building offers a plant: clear height (m), floor load (t/㎡), power (kVA), crane (t)."""

    floor_height: float | None = None
    floor_load: float | None = None
    power: float | None = None
    crane: float | None = None
    floors: int | None = None


@dataclass(frozen=True, slots=True)
class StandardLandTargets:
    """What a buyer of 标准地 commits to: investment (万元/亩), tax a year (万元/亩), plot ratio."""

    investment_intensity: float | None = None
    tax_per_mu: float | None = None
    plot_ratio: float | None = None


@dataclass(frozen=True, slots=True)
class Photo:
    file: str
    alt: Localized


@dataclass(frozen=True, slots=True)
class Premises:
    """A site (载体) in a park: land or a building to buy or rent, as last confirmed on `verified`.

    `area` is in 亩 for land and ㎡ for buildings; `price` is None when not published and
    `price_on_request` when the office gives it only when asked."""

    slug: str
    name: Localized
    park: str
    kind: str
    area: Quantity
    status: str
    verified: dt.date
    source: Citation
    body: Body
    source_path: str
    price: Quantity | None = None
    price_on_request: bool = False
    available_from: dt.date | None = None
    zoning: Localized | None = None
    summary: Localized | None = None
    building: BuildingSpecs | None = None
    standard_land: StandardLandTargets | None = None
    photos: tuple[Photo, ...] = ()
    contact: Contact | None = None

    @property
    def is_land(self) -> bool:
        return self.kind == "land"

    @property
    def is_available(self) -> bool:
        return self.status == "available"


@dataclass(frozen=True, slots=True)
class PolicyScope:
    """Where a policy applies: every alliance park, or the parks of `cities`, or `parks`;
    `sectors`, when given, narrows that to parks hosting one of them (alone: in every park)."""

    alliance: bool = False
    cities: tuple[str, ...] = ()
    parks: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()

    @property
    def reach(self) -> tuple[int, bool]:
        """How widely the policy applies, narrowest first: parks named, then cities, then every
        park; at each, narrowed to sectors before not. Read from the policy alone, never from
        how many parks there are, so a park added elsewhere reorders no brochure."""
        if self.alliance or not (self.cities or self.parks):
            return 2, not self.sectors
        return (1 if self.cities else 0), not self.sectors


@dataclass(frozen=True, slots=True)
class Benefit:
    """What a policy gives: an amount (元, 万元, 亿元), a rate in per cent, a cap, or only words."""

    what: Localized
    amount: Quantity | None = None
    rate: float | None = None
    cap: Quantity | None = None


@dataclass(frozen=True, slots=True)
class ApplyAt:
    office: Localized | None = None
    phone: str | None = None
    address: Localized | None = None
    website: str | None = None


@dataclass(frozen=True, slots=True)
class Policy:
    """An incentive (招商政策) as published, in force from `valid_from` to `valid_until`."""

    slug: str
    title: Localized
    issuer: Localized
    scope: PolicyScope
    source: Citation
    body: Body
    source_path: str
    number: str | None = None
    summary: Localized | None = None
    eligibility: Localized | None = None
    benefits: tuple[Benefit, ...] = ()
    conditions: Localized | None = None
    apply: ApplyAt | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def has_expired(self, today: dt.date) -> bool:
        return self.valid_until is not None and self.valid_until < today


@dataclass(frozen=True)
class Site:
    """Everything the renderer needs. `today` decides upcoming versus past events."""

    config: SiteConfig
    parks: tuple[Park, ...]
    events: tuple[Event, ...]
    pages: tuple[Page, ...]
    today: dt.date
    chains: tuple[Chain, ...] = ()
    projects: tuple[Project, ...] = ()
    premises: tuple[Premises, ...] = ()
    policies: tuple[Policy, ...] = ()
    """Every policy, expired ones included: their own pages say they have expired."""
    media: dict[str, Path] = field(default_factory=dict, compare=False)
    """The files of content/media/ that may be published, by their path under media/."""
    _parks_by_slug: dict[str, Park] = field(init=False, repr=False, compare=False)
    _parks_by_sector: dict[str, tuple[Park, ...]] = field(init=False, repr=False, compare=False)
    _parks_by_city: dict[str, tuple[Park, ...]] = field(init=False, repr=False, compare=False)
    _parks_by_level: dict[str | None, tuple[Park, ...]] = field(init=False, repr=False, compare=False)
    _events_by_park: dict[str, tuple[Event, ...]] = field(init=False, repr=False, compare=False)
    _chains_by_slug: dict[str, Chain] = field(init=False, repr=False, compare=False)
    _chains_by_park: dict[str, tuple[Chain, ...]] = field(init=False, repr=False, compare=False)
    _projects_by_park: dict[str, tuple[Project, ...]] = field(init=False, repr=False, compare=False)
    _projects_by_chain: dict[str, tuple[Project, ...]] = field(init=False, repr=False, compare=False)
    _premises_by_park: dict[str, tuple[Premises, ...]] = field(init=False, repr=False, compare=False)
    _policies_by_park: dict[str, tuple[Policy, ...]] = field(init=False, repr=False, compare=False)
    _current_by_scope: dict[PolicyScope, tuple[int, ...]] = field(init=False, repr=False, compare=False)
    _slugs_under_scope: dict[PolicyScope, frozenset[str]] = field(init=False, repr=False, compare=False)
    _parks_under_scope: dict[PolicyScope, tuple[Park, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Index parks and events once: templates ask for a sector's, a city's or a level's
        parks on every page, and each of a thousand park pages asks for its events."""
        index = partial(object.__setattr__, self)
        index("_parks_by_slug", {park.slug: park for park in self.parks})
        index("_parks_by_sector", _grouped(self.parks, lambda park: [sector.id for sector in park.sectors]))
        index("_parks_by_city", _grouped(self.parks, lambda park: [park.city.id]))
        index("_parks_by_level", _grouped(self.parks, lambda park: [park.level]))
        index("_events_by_park", _grouped(self.events, lambda event: dict.fromkeys(event.parks)))
        index("_chains_by_slug", {chain.slug: chain for chain in self.chains})
        index("_chains_by_park", _grouped(self.chains, lambda chain: chain.parks))
        index("_projects_by_park", _grouped(self.projects, lambda project: [project.park] if project.park else []))
        index("_projects_by_chain", _grouped(self.projects, lambda project: [project.chain] if project.chain else []))
        by_status = sorted(self.premises, key=lambda premises: SITE_STATUSES.index(premises.status))
        index("_premises_by_park", _grouped(by_status, lambda premises: [premises.park]))
        index("_parks_under_scope", {})
        index("_policies_by_park", {})
        current = [number for number, policy in enumerate(self.policies) if not policy.has_expired(self.today)]
        index("_current_by_scope", _grouped(current, lambda number: [self.policies[number].scope]))
        index("_slugs_under_scope", {})

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

    def parks_at_level(self, level: str | None) -> tuple[Park, ...]:
        """The parks of one level; None gives those whose level is not known."""
        return self._parks_by_level.get(level, ())

    @property
    def sectors_with_parks(self) -> tuple[Sector, ...]:
        return tuple(sector for sector in self.sectors if sector.id in self._parks_by_sector)

    @property
    def cities_with_parks(self) -> tuple[City, ...]:
        return tuple(city for city in self.cities if city.id in self._parks_by_city)

    @property
    def member_parks(self) -> tuple[Park, ...]:
        return tuple(park for park in self.parks if park.is_member)

    def events_of_park(self, park: Park) -> tuple[Event, ...]:
        return self._events_by_park.get(park.slug, ())

    def chain(self, slug: str) -> Chain:
        return self._chains_by_slug[slug]

    def chains_of_park(self, park: Park) -> tuple[Chain, ...]:
        return self._chains_by_park.get(park.slug, ())

    def projects_of_park(self, park: Park) -> tuple[Project, ...]:
        return self._projects_by_park.get(park.slug, ())

    def projects_of_chain(self, chain: Chain) -> tuple[Project, ...]:
        return self._projects_by_chain.get(chain.slug, ())

    def premises_of_park(self, park: Park) -> tuple[Premises, ...]:
        """The park's sites, those still available first."""
        return self._premises_by_park.get(park.slug, ())

    @property
    def current_policies(self) -> tuple[Policy, ...]:
        """The policies the lists show: those not past their `until`."""
        return tuple(policy for policy in self.policies if not policy.has_expired(self.today))

    def policies_of_park(self, park: Park) -> tuple[Policy, ...]:
        """The current policies that apply in the park: the alliance's, its city's, its own, its
        sectors', in the order of their files. Found when first asked: a preview's run draws a
        few parks, and hundreds of policies over a thousand parks make tens of thousands of pairs."""
        found = self._policies_by_park.get(park.slug)
        if found is None:
            numbers = [
                number
                for scope, of_scope in self._current_by_scope.items()
                if park.slug in self._slugs_under(scope)
                for number in of_scope
            ]
            found = self._policies_by_park[park.slug] = tuple(self.policies[number] for number in sorted(numbers))
        return found

    def _slugs_under(self, scope: PolicyScope) -> frozenset[str]:
        slugs = self._slugs_under_scope.get(scope)
        if slugs is None:
            slugs = self._slugs_under_scope[scope] = frozenset(park.slug for park in self.parks_under(scope))
        return slugs

    def policies_by_reach(self, park: Park) -> tuple[Policy, ...]:
        """The park's policies, the narrowest first (`PolicyScope.reach`); for a page with room
        for a few. Policies of the same reach stay in the order of their files."""
        return tuple(sorted(self.policies_of_park(park), key=lambda policy: policy.scope.reach))

    def parks_under(self, scope: PolicyScope) -> tuple[Park, ...]:
        """The parks a policy's scope covers, found through the indexes and kept per scope:
        asking each of a thousand parks about each of hundreds of policies is slow, and the
        model and the plan of every preview run ask for each policy's parks."""
        covered = self._parks_under_scope.get(scope)
        if covered is None:
            covered = self._parks_under_scope[scope] = self._find_parks_under(scope)
        return covered

    def _find_parks_under(self, scope: PolicyScope) -> tuple[Park, ...]:
        if scope.alliance or not (scope.cities or scope.parks):
            placed = self.parks
        else:
            found = {park.slug: park for city in scope.cities for park in self._parks_by_city.get(city, ())}
            found |= {slug: self._parks_by_slug[slug] for slug in scope.parks if slug in self._parks_by_slug}
            placed = tuple(found.values())
        if not scope.sectors:
            return placed
        in_sectors = {park.slug for sector in scope.sectors for park in self._parks_by_sector.get(sector, ())}
        return tuple(park for park in placed if park.slug in in_sectors)

    def costs_of_park(self, park: Park) -> tuple[Cost, ...]:
        """The city's costs with the park's own figure in place of the city's for the same item."""
        own = {cost.key: cost for cost in park.costs}
        merged = [own.pop(cost.key, cost) for cost in park.city.costs]
        return tuple(merged + list(own.values()))

    def landing_of_park(self, park: Park) -> LandingProcess | None:
        return park.landing or self.config.landing

    @property
    def upcoming_events(self) -> tuple[Event, ...]:
        return tuple(event for event in self.events if event.last_day >= self.today)

    @property
    def past_events(self) -> tuple[Event, ...]:
        return tuple(reversed([event for event in self.events if event.last_day < self.today]))

    @property
    def menu_pages(self) -> tuple[Page, ...]:
        numbered = [(page.menu, page) for page in self.pages if page.menu is not None]
        return tuple(page for _, page in sorted(numbered, key=lambda pair: pair[0]))


def _grouped(items: Iterable[Item], keys: Callable[[Item], Iterable[Key]]) -> dict[Key, tuple[Item, ...]]:
    """`items` by each of their keys, in the order of `items`."""
    groups: dict[Key, list[Item]] = {}
    for item in items:
        for key in keys(item):
            groups.setdefault(key, []).append(item)
    return {key: tuple(group) for key, group in groups.items()}

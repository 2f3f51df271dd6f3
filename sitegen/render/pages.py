"""Rendering the site with Jinja into memory: one Output per page, nothing written to disk."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup, escape

if TYPE_CHECKING:
    from sitegen.map.parts import MapParts, MapPoint, MapRenderer
    from sitegen.map.tiles import TileSettings

from sitegen.content.config import Cost, LandingProcess
from sitegen.content.fields import Quantity
from sitegen.content.i18n import (
    HTML_LANG,
    TRADITIONAL,
    Catalogue,
    Localized,
    SearchSpellings,
    TraditionalConverter,
    language_name,
    source_language,
)
from sitegen.content.model import Body, Chain, Park, Policy, Premises, Project, Site
from sitegen.content.schema import PROJECT_STAGES, SITE_KINDS
from sitegen.content.theme import Theme
from sitegen.render import chains, feeds, finder, investment, locator, urls
from sitegen.render.markdown import Converter, place_addresses
from sitegen.render.search import SearchRecord
from sitegen.render.templates import QuickCallContext, ThemeError, ThemeLoader, theme_error

_TAG = re.compile(r"<[^>]+>")
_SVG_NOISE = re.compile(r'<!--.*?-->|<path stroke="none" d="M0 0h24v24H0z" fill="none"\s*/>', re.S)

Snippets = dict[tuple[Hashable, ...], tuple[dict[str, Any], Markup]]
"""Drawn snippets by key, each with the values it was drawn from: a park's card, a policy in a
list, a costs table, drawn once per language and folder depth and reused while those values hold."""

_SECTIONS = {
    "park": "parks",
    "sector": "sectors",
    "city": "cities",
    "event": "events",
    "chain": "chains",
    "policy": "policies",
    "compare": "find",
}
"""Which menu entry a page belongs to, for aria-current."""

CONTACT_SLUG = "contact"
"""A free page with this slug is shown on the contact page, above the office's contact."""

ICON_FOLDER = "vendor/tabler-icons/icons/outline/"
"""Where the theme's vendored icons are, under static/ (sitegen/theme/vendor.json lists them)."""

_HUNDRED_MILLION = {"100 million yuan": "billion yuan", "100 million US dollars": "billion US dollars"}
"""亿 units as English writes them: 265.92 × 100 million = 26.592 billion."""


@dataclass(frozen=True, slots=True)
class SearchEntry:
    """One thing search finds: its page (kind and slug), its names and its text."""

    kind: str
    slug: str
    title: Localized
    summary: Localized | None
    labels: tuple[Localized, ...] = ()  # other names it is found by: a park's sectors and city
    body: Body | None = None
    shown_at: tuple[str, str, str] | None = None
    """(kind, slug, anchor) of the page that shows it, for what has no page of its own: a site."""

    def path(self, lang: str) -> str:
        if self.shown_at is None:
            return urls.page_path(lang, self.kind, self.slug)
        kind, slug, anchor = self.shown_at
        return f"{urls.page_path(lang, kind, slug)}#{anchor}"


@dataclass(frozen=True, slots=True)
class Output:
    """A file of the finished site: bytes made in memory, or a file taken as it is.

    `digest`, the sha256 of `copy_from`'s bytes when it is known (a PDF in the build's cache,
    which the build only ever replaces whole): the file is then linked into the site rather than
    read, digested and written again."""

    path: str
    content: bytes | None = None
    copy_from: Path | None = None
    digest: str | None = None


class Later:
    """A value of a page's context worked out when the page is first drawn, not when the routes
    are listed: a run after an edit draws a few pages, and some values (the finder's and the
    policies' groups) take the whole site to work out."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make: Callable[[], Any] | None = make
        self._value: Any = None

    def value(self) -> Any:
        if self._make is not None:
            self._value, self._make = self._make(), None
        return self._value


@dataclass(frozen=True)
class Route:
    """One page in one language: where it goes, which template draws it, and with what (a
    `Later` value is worked out only if the page is drawn)."""

    kind: str
    slug: str | None
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    map_parks: tuple[Park, ...] = ()
    map_kind: str = "locator"


@dataclass
class RenderCaches:
    """What may outlive one build: converted Markdown, drawn map shapes, compiled templates,
    and each park's snippets (cards, table rows, map points), which a park edit leaves alone
    for every other park. Snippets are filed by slug with the Park they show: checking that
    Park by identity is far quicker than hashing every field of it.

    The preview server keeps one for its whole run; `build` keeps the Markdown, the map
    shapes, the QR codes, the search spellings and the compiled templates between runs.
    """

    markdown: dict[str, str] = field(default_factory=dict)
    markdown_keys: dict[bool, dict[str, str]] = field(default_factory=dict)
    """The Markdown cache's key of each body text of the last run, by raw HTML allowed, then
    by the text: the preview's unchanged entries hand back the same strings, whose hash Python
    keeps, so a run looks their keys up instead of digesting every body again."""
    map_shapes: dict[str, MapParts] = field(default_factory=dict)
    qr_codes: dict[str, str] = field(default_factory=dict)
    search_spellings: SearchSpellings = field(default_factory=SearchSpellings)
    park_snippets: Snippets = field(default_factory=dict)
    policy_snippets: Snippets = field(default_factory=dict)
    section_snippets: Snippets = field(default_factory=dict)
    """Costs tables and landing timelines, filed by what they show: most parks share their
    city's table and the alliance's timeline."""
    map_points: dict[tuple[str, str, int], tuple[Park, MapPoint]] = field(default_factory=dict)
    compiled_templates: jinja2.BytecodeCache | None = None
    _maps: MapRenderer | None = None
    _environments: dict[Theme, jinja2.Environment] = field(default_factory=dict)

    @property
    def maps(self) -> MapRenderer:
        """Folium is imported only by builds that draw a shape of map not kept from before."""
        if self._maps is None:
            from sitegen.map.parts import MapRenderer

            self._maps = MapRenderer(_draw_shape, self.map_shapes)
        return self._maps

    def environment(self, theme: Theme) -> jinja2.Environment:
        """Jinja for a theme, the site's templates before the default ones; it notices edited
        templates itself (auto_reload), but not a new override: see `forget_templates`."""
        if theme not in self._environments:
            environment = jinja2.Environment(
                loader=ThemeLoader(theme),
                autoescape=True,
                undefined=jinja2.StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
                bytecode_cache=self.compiled_templates,
            )
            environment.filters.update({"number": format_number})  # FILTERS says what each is
            environment.context_class = QuickCallContext
            self._environments[theme] = environment
        return self._environments[theme]

    def forget_templates(self) -> None:
        """A template added to or removed from the site's override folder changes which file
        a name loads, which Jinja's cache does not notice."""
        self._environments.clear()

    def forget_drawings(self) -> None:
        """Drop the snippets and map points: after an edit of a template, a UI string or a
        site setting, the same park, policy or costs may be drawn differently."""
        self.park_snippets.clear()
        self.policy_snippets.clear()
        self.section_snippets.clear()
        self.map_points.clear()


def _draw_shape(*shape: Any) -> MapParts:
    from sitegen.map.folium_shapes import draw_shape

    return draw_shape(*shape)


def format_date(value: dt.date, lang: str) -> str:
    """Dates by our own code, never the machine's locale."""
    if lang == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {chains.MONTHS[value.month - 1]} {value.year}"


def format_size(size: int) -> str:
    """A file's size as a download link shows it: "86 KB", "1.2 MB"."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1_000_000:.1f} MB"


@dataclass(frozen=True, slots=True)
class Download:
    """A file made beside the pages (a PDF brochure), as a page links to it."""

    href: str
    size: str


def format_figure(value: float, unit: Localized | None, lang: str) -> str:
    """A figure with its unit; English counts 亿 in billions (265.92 亿元 -> 26.592 billion yuan)."""
    unit_text = unit.get(lang) if unit is not None else ""
    if lang == "en" and unit_text in _HUNDRED_MILLION:
        return f"{format_number(round(value / 10, 6))} {_HUNDRED_MILLION[unit_text]}"
    return f"{format_number(value)} {unit_text}".strip()


def format_number(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) and abs(value) >= 10000 else str(value)


PAGE_GLOBALS = {
    "site": "the whole site: site.parks, site.events, site.pages, site.sectors, site.cities, site.park(slug)",
    "config": "the settings of content/site.yaml (config.title, config.languages, config.icp, config.map ...)",
    "lang": "the page's language: zh, en or zh-hant",
    "html_lang": "the page's language as HTML writes it: zh-CN, en, zh-Hant",
    "path": "the page's own path from the site root, e.g. parks/qilu-software-park/",
    "canonical": "the page's absolute URL, from base_url",
    "alternates": "(hreflang, absolute URL) of the page in every language, for <link rel=alternate>",
    "x_default": "the absolute URL of the Chinese page, for hreflang x-default",
    "switch": "(code, name, hreflang, relative URL) of the page in each other language: the language switcher",
    "og_locale": "Open Graph locale of the page: zh_CN, en_US or zh_TW",
    "section": "which main-menu item the page belongs to (home, map, parks, ...), for aria-current",
    "map": "the page's map: map.styles (in <head>), map.html, then map.scripts before map.script, or"
    " map.deferred_scripts to draw it after the page's first paint (base.html); None on pages without one",
    "structured_data": "JSON-LD of a park or event page, or an empty string",
    "link": "link(kind, slug=None, in_lang=lang): relative URL of a page, e.g. link('park', park.slug)",
    "href": "href(path): relative URL of any path from the site root, e.g. href('data/parks.csv')",
    "absolute": "absolute(path): absolute URL of a path from the site root, for share links",
    "static": "static(file): relative URL of a theme file with ?v=<hash>, e.g. static('css/site.css')",
    "media": "media(file): relative URL of a file in content/media/",
    "media_path": "media_path(file): path of a media file from the site root, percent-encoded, e.g. for absolute()",
    "text": "text(value): a bilingual value in the page's language; Chinese on an English page is marked lang=zh-CN",
    "plain": "plain(value): the same as unmarked text, for attributes and titles",
    "t": "t(key, **values): a UI string of i18n.yaml in the page's language, placeholders filled",
    "t_in": "t_in(lang, key, **values): a UI string in another language",
    "date": "date(value): a date written the page's way: 2020年9月20日 or 20 September 2020",
    "partial_date": "partial_date(value): a date that may lack its day or month: 2023年5月 or May 2023",
    "amount": "amount(value): an investment in 亿元 written the page's way: 58亿元 or 5.8 billion yuan",
    "totals": "totals(projects): the stated amounts added up, and how many projects state none",
    "chain_colours": "chain_colours(chain): a colour for each link of a chain, for the map and the diagram",
    "body": "body(entry.body): an entry's Markdown as HTML in the page's language",
    "body_is_fallback": "body_is_fallback(entry.body): whether an English page shows the Chinese text",
    "brochure": "brochure(slug=None): a park's PDF brochure (.url, .size as '154 KB'), or the alliance's handout "
    "without a slug; None when this build made none",
    "qr_code": "qr_code(slug): relative URL of the QR code (SVG) of a park page's address, for its printout;"
    " empty while base_url is a local address, whose QR code would open nothing",
    "icon": "icon(name, label=''): a vendored Tabler icon as inline SVG in the text colour; decorative without a label",
    "figure_value": "figure_value(figure): a figure with its unit; English counts 亿 in billions (26.592 billion yuan)",
    "quantity": "quantity(value): an area, price or amount with its unit: 50亩 or 50 mu (3.33 ha)",
    "cost_value": "cost_value(cost): a cost of doing business with its unit: 0.7元/kWh or 0.7 yuan/kWh",
    "per_mu": "per_mu(value): a 标准地 target in 万元/亩: 300万元/亩 or 3,000,000 yuan/mu",
    "park_cards": "park_cards(parks): the parks as cards (park_card.html), drawn once and reused",
    "park_rows": "park_rows(parks): the parks as rows of the map table (park_row.html)",
    "policy_items": "policy_items(policies): the policies as list items (policy_item.html), drawn once and reused",
    "costs_table": "costs_table(costs, own=()): a table of costs (costs_table.html), `own` marked as the park's "
    "own figures; each distinct table drawn once and reused",
    "landing_timeline": "landing_timeline(process): a landing process as a numbered timeline "
    "(landing_timeline.html), drawn once and reused",
    "locator": "locator(parks, label, focus=None, font=''): a map without tiles as inline SVG: the cities and "
    "`parks` as points, `focus` large and named; no boundary lines; `font` (a CSS font list) for a brochure's text",
}
"""What every template can use, with what it is; docs/themes.md is generated from this."""

FILTERS = {"number": "number(value): 12000 as 12,000; whole floats without .0"}
"""The theme's own Jinja filters, beside Jinja's built-in ones."""


def data_paths(site: Site) -> list[str]:
    """The files `Renderer.data_outputs` writes, in its order."""
    fixed = [
        feeds.GEOJSON_PATH,
        feeds.CSV_PATH,
        chains.CHAINS_JSON_PATH,
        chains.PROJECTS_CSV_PATH,
        investment.SITES_CSV_PATH,
        investment.SITES_GEOJSON_PATH,
        "sitemap.xml",
        "robots.txt",
        "events.ics",
    ]
    events = [f"events/{event.slug}.ics" for event in site.events]
    return fixed + events + [urls.page_path(lang, "events") + "feed.xml" for lang in site.config.languages]


class Renderer:
    """Draws every route of the site in both languages with the theme's templates."""

    def __init__(self, site: Site, theme: Theme, catalogue: Catalogue, caches: RenderCaches | None = None) -> None:
        self.site = site
        self.theme = theme
        self.catalogue = catalogue
        caches = caches if caches is not None else RenderCaches()
        self._converter = Converter(site.config.allow_raw_html, caches.markdown, caches.markdown_keys)
        self._caches = caches
        self._static_versions: dict[str, str] = {}
        self._versioned_tags: dict[tuple[str, str], Markup] = {}
        self._ui: dict[str, dict[str, str]] = {}
        self._traditional = TraditionalConverter() if TRADITIONAL in site.config.languages else None
        self._icons: dict[str, Markup] = {}
        self.environment = caches.environment(theme)
        self.downloads: dict[str, int] = {}
        """Sizes of files this build makes beside the pages, by site path: a page links to one
        of them (a brochure) only when it is here, with its size."""

    @property
    def caches(self) -> RenderCaches:
        return self._caches

    def routes(self) -> Iterator[Route]:
        site = self.site
        yield Route("home", None, "home.html")
        every_park = self.parks_in_order(site.parks)
        yield Route("map", None, "map.html", {"parks": every_park}, tuple(every_park), "industry")
        yield Route("parks", None, "parks.html", {"parks": every_park})
        for park in site.parks:
            parent = site.park(park.parent) if park.parent else None
            children = [site.park(slug) for slug in park.children]
            yield Route(
                "park",
                park.slug,
                "park.html",
                {
                    "park": park,
                    "parent": parent,
                    "children": children,
                    "events": site.events_of_park(park),
                },
                (park, *([parent] if parent else []), *children),
            )
        yield Route("sectors", None, "sectors.html")
        for sector in site.sectors:
            parks = self.parks_in_order(site.parks_in_sector(sector))
            yield Route("sector", sector.id, "sector.html", {"sector": sector, "parks": parks}, tuple(parks))
        yield Route("cities", None, "cities.html")
        for city in site.cities:
            parks = self.parks_in_order(site.parks_in_city(city))
            yield Route(
                "city",
                city.id,
                "city.html",
                {
                    "city": city,
                    "parks": parks,
                    "events": [event for event in site.events if event.city == city],
                },
                tuple(parks),
            )
        yield Route("chains", None, "chains.html")
        for chain in site.chains:
            yield Route(
                "chain",
                chain.slug,
                "chain.html",
                {
                    "chain": chain,
                    "colours": chains.link_colours(chain),
                    "projects": site.projects_of_chain(chain),
                },
            )
        yield Route("projects", None, "projects.html", {"projects": self.projects_in_order()})
        current = site.current_policies
        yield Route(
            "policies",
            None,
            "policies.html",
            {"groups": Later(lambda: investment.policy_groups(site, current)), "parks": every_park},
        )
        for policy in site.policies:
            yield Route("policy", policy.slug, "policy.html", {"policy": policy})
        yield Route(
            "find",
            None,
            "find.html",
            {"groups": Later(lambda: finder.finder_groups(site, every_park)), "site_kinds": SITE_KINDS},
        )
        yield Route("compare", None, "compare.html", {"parks": every_park})
        yield Route("members", None, "members.html", {"batches": self.member_batches()})
        yield Route("search", None, "search.html")
        contact_page = next((page for page in site.pages if page.slug == CONTACT_SLUG), None)
        yield Route("contact", None, "contact.html", {"page": contact_page})
        yield Route("events", None, "events.html")
        for event in site.events:
            yield Route(
                "event",
                event.slug,
                "event.html",
                {
                    "event": event,
                    "parks": [site.park(slug) for slug in event.parks],
                },
            )
        for page in site.pages:
            if page.slug != CONTACT_SLUG:  # its text goes on the contact page
                yield Route("page", page.slug, "page.html", {"page": page})

    def parks_in_order(self, parks: tuple[Park, ...]) -> list[Park]:
        """Parks by city in the order of cities.yaml, then by slug: stable and geographic."""
        city_order = {city_id: index for index, city_id in enumerate(self.site.config.cities)}
        return sorted(parks, key=lambda park: (city_order[park.city.id], park.slug))

    def projects_in_order(self) -> list[Project]:
        """Projects from the furthest stage back to negotiation, then by city and slug."""
        city_order = {city_id: index for index, city_id in enumerate(self.site.config.cities)}
        return sorted(
            self.site.projects,
            key=lambda project: (-PROJECT_STAGES.index(project.stage), city_order[project.city.id], project.slug),
        )

    def member_batches(self) -> list[tuple[int | None, list[Park]]]:
        batches: dict[int | None, list[Park]] = {}
        for park in self.parks_in_order(self.site.parks):
            if park.membership is not None and park.membership.member:
                batches.setdefault(park.membership.batch, []).append(park)
        return sorted(batches.items(), key=lambda item: (item[0] is None, item[0] or 0))

    def render_site(self) -> list[Output]:
        routes = list(self.routes())
        outputs = self.render_routes(routes)
        outputs.append(self.render_not_found())
        return outputs + self.data_outputs(routes)

    def render_routes(self, routes: Iterable[Route]) -> list[Output]:
        """The pages of `routes` in every language of the site."""
        return [self.render_route(route, lang) for route in routes for lang in self.site.config.languages]

    def data_outputs(self, routes: list[Route]) -> list[Output]:
        """Downloads, sitemap, feeds and calendars at the paths `data_paths` names: small, and
        made from the whole site's facts and settings, never from an entry's body."""
        site = self.site
        made = [
            feeds.parks_geojson(site),
            feeds.parks_csv(site),
            chains.chains_json(site),
            chains.projects_csv(site),
            investment.sites_csv(site),
            investment.sites_geojson(site),
            feeds.sitemap(site, ((route.kind, route.slug) for route in routes)),
            feeds.robots(site),
            feeds.calendar(site, site.events),
            *(feeds.calendar(site, [event]) for event in site.events),
            *(self._in_script(feeds.events_atom(site, lang), lang) for lang in site.config.languages),
        ]
        return [Output(path, data) for path, data in zip(data_paths(site), made, strict=True)]

    def render_route(self, route: Route, lang: str) -> Output:
        path = urls.page_path(lang, route.kind, route.slug)
        alternates = {other: urls.page_path(other, route.kind, route.slug) for other in self.site.config.languages}
        context = self._page_context(lang, path, alternates, section=_SECTIONS.get(route.kind, route.kind))
        context |= {key: value.value() if isinstance(value, Later) else value for key, value in route.context.items()}
        if route.kind == "park":
            context["structured_data"] = Markup(feeds.park_json_ld(self.site, route.context["park"], lang))
        elif route.kind == "event":
            context["structured_data"] = Markup(feeds.event_json_ld(self.site, route.context["event"], lang))
        if route.map_parks:
            focus = route.slug if route.kind == "park" else None
            context["map"] = self._map(route.map_parks, lang, path, route.map_kind, focus)
        page = self._draw(route.template, context)
        return Output(urls.output_file(path), self._in_script(page, lang))

    def render_document(self, template: str, lang: str, values: dict[str, Any]) -> str:
        """A document read away from the site, such as a brochure: drawn with the pages'
        helpers, but every link is absolute."""
        context = self._page_context(lang, "", {}, link_base=self.site.config.base_url) | values
        return self._in_script(self._draw(template, context), lang).decode("utf-8")

    def search_entries(self) -> list[SearchEntry]:
        """What search finds, one kind after another: adding a kind is one line here."""
        site = self.site
        return [
            *(self._park_entry(park) for park in site.parks),
            *(SearchEntry("sector", sector.id, sector.name, None) for sector in site.sectors),
            *(SearchEntry("city", city.id, city.name, None) for city in site.cities),
            *(
                SearchEntry("chain", chain.slug, chain.name, chain.summary, _chain_labels(chain), chain.body)
                for chain in site.chains
            ),
            *(self._site_entry(premises) for premises in site.premises),
            *(self._policy_entry(policy) for policy in site.current_policies),
            *(SearchEntry("event", event.slug, event.title, event.summary, body=event.body) for event in site.events),
            *(
                SearchEntry("page", page.slug, page.title, page.summary, body=page.body)
                for page in site.pages
                if page.slug != CONTACT_SLUG
            ),
        ]

    def _park_entry(self, park: Park) -> SearchEntry:
        """A park is found by its name, every one of its sectors, its city and district."""
        district = (park.district,) if park.district else ()
        labels = (*(sector.name for sector in park.sectors), park.city.name, *district)
        return SearchEntry("park", park.slug, park.name, park.summary, labels, park.body)

    def _site_entry(self, premises: Premises) -> SearchEntry:
        """A site is found by its name, its park, city and use, and leads to its card on the park's page."""
        park = self.site.park(premises.park)
        labels = (park.name, park.city.name, *((premises.zoning,) if premises.zoning else ()))
        return SearchEntry(
            "site",
            premises.slug,
            premises.name,
            premises.summary,
            labels,
            premises.body,
            ("park", park.slug, f"site-{premises.slug}"),
        )

    def _policy_entry(self, policy: Policy) -> SearchEntry:
        """A policy is found by its title, issuer, and the cities and sectors it names."""
        config = self.site.config
        scope = policy.scope
        labels = (
            policy.issuer,
            *(config.cities[city].name for city in scope.cities),
            *(self.site.park(slug).name for slug in scope.parks),
            *(config.sectors[sector].name for sector in scope.sectors),
        )
        return SearchEntry("policy", policy.slug, policy.title, policy.summary, labels, policy.body)

    def search_records(self) -> list[SearchRecord]:
        """Every search entry in every language. Chinese records also carry the pinyin and the
        Traditional form of their names, so `jinan` and `軟體` find 济南 and 软件."""
        records = []
        for lang in self.site.config.languages:
            source = source_language(lang)
            for entry in self.search_entries():
                url = entry.path(lang)
                text = _TAG.sub(" ", self.body_html(entry.body, source, lang, url)) if entry.body is not None else ""
                names = [entry.title.get(source), *(label.get(source) for label in entry.labels)]
                fields = [
                    entry.title.get(source),
                    entry.summary.get(source) if entry.summary else "",
                    " ".join(names[1:]) + " " + html.unescape(text),
                ]
                if lang == TRADITIONAL and self._traditional is not None:
                    fields = [self._traditional.convert(field) for field in fields]
                extra = ""
                if source == "zh":
                    extra = " ".join(self._other_spellings(name) for name in names)
                records.append(
                    SearchRecord(
                        url=url,
                        language=HTML_LANG[lang].lower(),
                        title=fields[0],
                        summary=fields[1],
                        text=" ".join(f"{fields[2]} {extra}".split()),
                        kind=entry.kind,
                    )
                )
        return records

    def _other_spellings(self, name: str) -> str:
        """Pinyin (jinan, ji nan) and the Traditional forms of a Chinese name, mainland and
        Taiwanese wording (软件 -> 軟件, 軟體), for search only."""
        return self.caches.search_spellings.of(name)

    def _in_script(self, text: bytes, lang: str) -> bytes:
        """Traditional Chinese output is the Simplified output converted, phrase by phrase."""
        if lang == TRADITIONAL and self._traditional is not None:
            return self._traditional.convert(text.decode("utf-8")).encode("utf-8")
        return text

    def render_not_found(self) -> Output:
        """One bilingual 404 page; static hosts serve it at any depth, so links are root-based."""
        context = self._page_context("zh", "404.html", {}, link_base=self._site_root_path(), section="404")
        return Output("404.html", self._draw("404.html", context))

    def _site_root_path(self) -> str:
        """The path part of base_url, e.g. "/park-alliance/" for a project sub-path."""
        after_scheme = self.site.config.base_url.split("://", 1)[-1]
        return "/" + after_scheme.split("/", 1)[1] if "/" in after_scheme else "/"

    def _draw(self, template: str, context: dict[str, Any]) -> bytes:
        try:
            return self.environment.get_template(template).render(context).encode("utf-8")
        except ThemeError:
            raise  # a snippet drawn inside this page, already reported
        except Exception as error:  # noqa: BLE001 (a site's template may fail in any way Python can)
            reported = theme_error(self.theme, error)
            if reported is None:
                raise
            raise reported from None

    def tiles(self, lang: str) -> TileSettings:
        """The base map of `lang` pages, as site.yaml sets it (config checked the key)."""
        from sitegen.map.tiles import TileSettings

        settings = self.site.config.map
        provider = settings.tiles[lang]
        return TileSettings(provider, settings.tianditu_key, settings.approval_numbers.get(provider, ""))

    def _map(self, parks: tuple[Park, ...], lang: str, path: str, kind: str, focus: str | None) -> dict[str, Markup]:
        """A folium map of `parks` for the page at `path`, with every link relative to it."""
        from sitegen.map.parts import PopupText

        catalogue = self.catalogue
        page_lang, lang = lang, source_language(lang)
        points = [self._map_point(park, page_lang, path) for park in parks]
        parts = self._caches.maps.render(
            points,
            lang=lang,
            tiles=self.tiles(lang),
            static_prefix=urls.relative(path, "static/"),
            map_id="industry" if kind == "industry" else "locator",
            kind=kind,
            focus=focus,
            text=PopupText(
                profile=catalogue.text("map_view_profile", lang),
                member=catalogue.text("member", lang),
                separator=catalogue.text("list_separator", lang),
                no_tiles=catalogue.text("map_no_tiles", lang),
            ),
        )
        prefix = urls.relative(path, "static/")
        return {
            "styles": self._versioned_links(parts.styles, prefix),
            "html": Markup(parts.html),
            "scripts": self._versioned_links(parts.scripts, prefix),
            "deferred_scripts": self._versioned_links(parts.deferred_scripts, prefix),
            "script": Markup(parts.script),
        }

    def _versioned_links(self, tags: str, prefix: str) -> Markup:
        """A map's stylesheet and script tags with each theme file's `?v=`, as `static()` links
        them: otherwise a reader's browser or a CDN keeps last week's map.css for a day beside
        this week's map script."""
        key = (tags, prefix)
        if key not in self._versioned_tags:
            link = re.compile(rf'(href|src)="{re.escape(prefix)}([^"?#]+)"')
            self._versioned_tags[key] = Markup(
                link.sub(lambda found: f'{found[1]}="{prefix}{found[2]}{self._static_version(found[2])}"', tags)
            )
        return self._versioned_tags[key]

    def _map_point(self, park: Park, page_lang: str, path: str) -> MapPoint:
        """A park as the maps of `page_lang` pages at the folder depth of `path` show it; kept,
        like park cards, because the big map shows every park."""
        from sitegen.map.parts import MapPoint

        key = (park.slug, page_lang, path.count("/"))
        kept = self._caches.map_points.get(key)
        if kept is None or not _same(kept[0], park):
            lang = source_language(page_lang)
            point = MapPoint(
                slug=park.slug,
                lat=park.lat,
                lon=park.lon,
                name=park.name.get(lang),
                city_id=park.city.id,
                city_label=park.city.name.get(lang),
                level=park.level,
                level_label=self.catalogue.text(f"level_{park.level}", lang) if park.level else "",
                sector_ids=tuple(sector.id for sector in park.sectors),
                sector_labels=tuple(sector.name.get(lang) for sector in park.sectors),
                colour=park.primary_sector.colour,
                summary=park.summary.get(lang) if park.summary else "",
                url=urls.relative(path, urls.page_path(page_lang, "park", park.slug)),
                member=park.is_member,
            )
            kept = self._caches.map_points[key] = (park, point)
        return kept[1]

    def _ui_strings(self, lang: str) -> dict[str, str]:
        """Every UI string in `lang`, by key."""
        if lang not in self._ui:
            self._ui[lang] = {key: text.get(lang) for key, text in self.catalogue.strings.items()}
        return self._ui[lang]

    def _static_version(self, file: str) -> str:
        """`?v=` and a short hash of a theme file: a changed file gets a new URL, so caches can keep it long."""
        if file not in self._static_versions:
            path = self.theme.static_file(file)
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10] if path is not None else ""
            self._static_versions[file] = f"?v={digest}" if digest else ""
        return self._static_versions[file]

    def icon(self, name: str, label: str = "") -> Markup:
        """A vendored icon as inline SVG, drawn in the text colour: no request of its own.
        Decorative unless given a label."""
        key = f"{name}\n{label}"
        if key not in self._icons:
            file = self.theme.static_file(ICON_FOLDER + name + ".svg")
            if file is None:
                raise jinja2.UndefinedError(f"icon '{name}' is not vendored under static/{ICON_FOLDER}")
            svg = _SVG_NOISE.sub("", file.read_text(encoding="utf-8"))
            svg = " ".join(svg.split()).replace("> <", "><")
            svg = re.sub(r'\s(width|height|class)="[^"]*"', "", svg)
            named = f' role="img" aria-label="{escape(label)}"' if label else ' aria-hidden="true" focusable="false"'
            self._icons[key] = Markup(svg.replace("<svg", f'<svg class="icon icon--{name}"{named}', 1))
        return self._icons[key]

    def body_html(self, body: Body, lang: str, page_lang: str, path: str) -> Markup:
        """A body in `lang` as HTML for the page at `path` in `page_lang`, its local links made
        relative to that page; the converter remembers each text, however many pages show it."""
        converted = self._converter.convert(body.for_lang(lang))
        folder = urls.page_path(page_lang, "home")
        return Markup(place_addresses(converted, urls.relative(path, ""), folder))

    def page_globals(self, lang: str) -> dict[str, Any]:
        """What every template can use (PAGE_GLOBALS says what each is), here for the home page."""
        return self._page_context(lang, "", {code: urls.page_path(code, "home") for code in self.site.config.languages})

    def _page_context(
        self,
        lang: str,
        path: str,
        alternates: dict[str, str],
        link_base: str | None = None,
        section: str = "",
    ) -> dict[str, Any]:
        site = self.site
        source = source_language(lang)

        def href(target: str) -> str:
            return link_base + target if link_base is not None else urls.relative(path, target)

        def link(kind: str, slug: str | None = None, in_lang: str = lang) -> str:
            return href(urls.page_path(in_lang, kind, slug))

        def text(value: Localized | None, text_lang: str = source) -> Markup:
            """A bilingual value; Chinese shown on an English page is marked as Chinese."""
            if value is None:
                return Markup("")
            shown = escape(value.get(text_lang))
            if value.is_fallback(text_lang):
                return Markup(f'<span lang="{HTML_LANG["zh"]}">{shown}</span>')
            return shown

        def t_in(text_lang: str, key: str, **values: Any) -> str:
            """A UI string from i18n.yaml; an unknown key fails the build like any template typo."""
            if key not in self.catalogue.strings:
                raise jinja2.UndefinedError(f"UI string '{key}' is not in i18n.yaml")
            if values.get("count") == 1 and f"{key}_one" in self.catalogue.strings:
                key = f"{key}_one"  # "1 project", where the language has a singular
            template = self.catalogue.text(key, text_lang)
            try:
                return template.format(**values) if values else template
            except (KeyError, IndexError, ValueError) as error:
                raise jinja2.UndefinedError(
                    f"UI string '{key}' in i18n.yaml has a placeholder the template does not fill"
                    f" ({error}); it may use {', '.join('{' + name + '}' for name in values) or 'none'}"
                ) from None

        strings = self._ui_strings(source)

        def t(key: str, **values: Any) -> str:
            if not values and key in strings:  # nearly every call: a page asks for some seventy
                return strings[key]
            return t_in(source, key, **values)

        other = [candidate for candidate in site.config.languages if candidate != lang]
        local_address = site.config.local_address
        context: dict[str, Any] = {}
        context |= {
            "site": site,
            "config": site.config,
            "section": section,
            "map": None,
            "structured_data": "",
            "og_locale": {"zh": "zh_CN", "en": "en_US", TRADITIONAL: "zh_TW"}[lang],
            "absolute": lambda target: urls.absolute(site.config.base_url, target),
            "lang": lang,
            "html_lang": HTML_LANG[lang],
            "path": path,
            "canonical": urls.absolute(site.config.base_url, path),
            "alternates": [
                (HTML_LANG[code], urls.absolute(site.config.base_url, target)) for code, target in alternates.items()
            ],
            "x_default": urls.absolute(site.config.base_url, alternates["zh"]) if alternates else "",
            "switch": [
                (code, language_name(code, site.config.languages), HTML_LANG[code], href(alternates[code]))
                for code in other
            ]
            if alternates
            else [],
            "link": link,
            "href": href,
            "static": lambda file: href("static/" + file) + self._static_version(file),
            "media": lambda file: href(urls.media_path(file)),
            "media_path": urls.media_path,
            "text": text,
            "plain": lambda value: value.get(source) if value is not None else "",
            "t": t,
            "t_in": t_in,
            "date": lambda value: format_date(value, source),
            "partial_date": lambda value: chains.format_partial_date(value, source),
            "amount": lambda value: chains.format_amount(value, source),
            "totals": chains.totals,
            "chain_colours": chains.link_colours,
            "body": lambda body: self.body_html(body, source, lang, path),
            "body_is_fallback": lambda body: body.is_fallback(source),
            "brochure": lambda park_slug=None: self._download(urls.brochure_path(lang, park_slug), href),
            "qr_code": lambda park_slug: "" if local_address else href(urls.qr_code_path(lang, park_slug)),
            "icon": self.icon,
            "figure_value": lambda figure: format_figure(figure.value, figure.unit, source),
            "quantity": lambda value: investment.format_quantity(value, source),
            "cost_value": lambda cost: _cost_value(cost, source),
            "per_mu": lambda value: investment.format_quantity(Quantity(value, "万元/亩"), source),
            "park_cards": lambda parks: self._park_snippets("park_card.html", parks, lang, path, context),
            "park_rows": lambda parks: self._park_snippets("park_row.html", parks, lang, path, context),
            "policy_items": lambda policies: self._policy_snippets(policies, lang, path, context),
            "costs_table": lambda costs, own=(): self._costs_table(costs, own, lang, path, context),
            "landing_timeline": lambda process: self._landing_timeline(process, lang, path, context),
            "locator": lambda parks, label, focus=None, font="": locator.locator_svg(
                site.cities, parks, source, label, focus, font
            ),
        }
        return context

    def _download(self, path: str, href: Callable[[str], str]) -> Download | None:
        size = self.downloads.get(path)
        return Download(href(path), format_size(size)) if size is not None else None

    def _park_snippets(
        self, template: str, parks: Iterable[Park], lang: str, path: str, context: dict[str, Any]
    ) -> Markup:
        """Parks' cards in a list or rows in a table, one after another. A park's snippet is the
        same on every page in one language at one folder depth (its links are relative), so it
        is drawn once there and reused on other pages and, in the preview, after edits of other
        parks; joining them here saves Jinja a call per park."""
        return self._snippets(template, "park", parks, self._caches.park_snippets, lang, path, context)

    def _policy_snippets(self, policies: Iterable[Policy], lang: str, path: str, context: dict[str, Any]) -> Markup:
        """Policies in a list, drawn once per language and folder depth like parks' cards: an
        alliance-wide policy is listed on every park page, a thousand times in each language."""
        return self._snippets("policy_item.html", "policy", policies, self._caches.policy_snippets, lang, path, context)

    def _costs_table(
        self, costs: Iterable[Cost], own: Iterable[Cost], lang: str, path: str, context: dict[str, Any]
    ) -> Markup:
        """A costs table, drawn once per distinct table: every park of a city without figures
        of its own shows the city's, on a thousand pages in each language."""
        values = {"costs": tuple(costs), "own": tuple(own)}
        key = ("costs_table.html", *values.values(), lang, path.count("/"))
        return self._snippet("costs_table.html", key, values, self._caches.section_snippets, context)

    def _landing_timeline(self, process: LandingProcess, lang: str, path: str, context: dict[str, Any]) -> Markup:
        """A landing timeline, drawn once per process: most parks show the alliance's."""
        key = ("landing_timeline.html", process, lang, path.count("/"))
        return self._snippet("landing_timeline.html", key, {"process": process}, self._caches.section_snippets, context)

    def _snippets(
        self,
        template: str,
        name: str,
        entries: Iterable[Park] | Iterable[Policy],
        kept_snippets: Snippets,
        lang: str,
        path: str,
        context: dict[str, Any],
    ) -> Markup:
        """`entries` each drawn by `template` (which knows one as `name`), filed by the entry's
        slug, language and folder depth."""
        depth = path.count("/")
        return Markup(
            "".join(
                [
                    self._snippet(template, (template, entry.slug, lang, depth), {name: entry}, kept_snippets, context)
                    for entry in entries
                ]
            )
        )

    def _snippet(
        self,
        template: str,
        key: tuple[Hashable, ...],
        values: dict[str, Any],
        kept_snippets: Snippets,
        context: dict[str, Any],
    ) -> Markup:
        """`template` drawn with `values` added to the page's context, or taken from
        `kept_snippets` when drawn under `key` from equal values before. The values are compared
        one by one, each by identity first: the preview hands back the same objects while an
        entry is unchanged, which is far quicker to check than every field."""
        kept = kept_snippets.get(key)
        if kept is None or kept[0] != values:
            snippet = Markup(self._draw(template, context | values).decode("utf-8"))
            kept = kept_snippets[key] = (values, snippet)
        return kept[1]


def _cost_value(cost: Cost, lang: str) -> str:
    return investment.format_quantity(Quantity(cost.value, cost.unit), lang)


def _chain_labels(chain: Chain) -> tuple[Localized, ...]:
    """The names a reader may search a chain by: its tiers, links and enterprises."""
    labels: list[Localized] = []
    for tier in chain.tiers:
        labels.append(tier.name)
        for link in tier.links:
            labels.append(link.name)
            labels += [enterprise.name for enterprise in link.enterprises]
    return tuple(labels)


def _same(kept: Park, park: Park) -> bool:
    """Identity first: the preview hands back the same object while a park is unchanged."""
    return kept is park or kept == park

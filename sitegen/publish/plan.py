"""What a build draws and what it keeps from the last one: the one place that decides it.

An entry's body appears only on its own pages. Its facts also appear in the lists, maps and
feeds, on its sectors' and city's pages, its parent's and children's pages, and the pages of
the events that name it (an event's facts: its parks' and its city's pages). A chain's facts
show on its parks' pages and a park's name on its chains' pages; a project, which has no page
of its own, shows on the projects list, its park's page and its chain's page. A site (载体),
body and all, shows on its park's page and brochure and in the finder; a policy's facts on
the policies list, the finder and the pages of the parks its scope covers, its body on its
own page. A park's name shows on the policies list and on the pages of the policies scoped
to it. Anything else, a template, a site file or a free page (its title is in every menu),
may change every page, and so does a page of the last build that is no longer as it was
written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields

from sitegen.content.model import Chain, Event, Park, Policy, PolicyScope, Premises, Project, Site
from sitegen.publish.output import WrittenFiles
from sitegen.render import urls
from sitegen.render.brochures import brochure_files, qr_code_files
from sitegen.render.pages import Route, data_paths

Entry = tuple[str, str]
"""(collection, slug) of an entry whose edits a build follows page by page, as in
content/<collection>/<slug>.md: a park, an event, a chain, a project, a site or a policy."""
RouteKey = tuple[str, str | None]
"""(kind, slug) of a route: ("park", "qilu-software-park"), ("map", None)."""

FOLLOWED = ("parks", "events", "chains", "projects", "sites", "policies")
"""The collections whose edits redraw only the pages that show them."""
LISTS: dict[str, set[RouteKey]] = {
    "parks": {
        ("parks", None),
        ("map", None),
        ("home", None),
        ("members", None),
        ("sectors", None),
        ("cities", None),
        ("projects", None),
        ("policies", None),
        ("find", None),
        ("compare", None),
    },
    "events": {("events", None), ("home", None)},
    "chains": {("chains", None), ("map", None), ("projects", None)},
    "projects": {("projects", None), ("chains", None)},
    "sites": {("find", None)},
    "policies": {("policies", None), ("find", None)},
}
"""The pages that list every entry of a collection (or name them, as the projects list names
parks and chains)."""
PARK_FIELDS_LISTED = ("name", "city", "sectors", "contact", "district")
"""All that the finder, the compare page and the policies and projects lists show of a park
(with its slug), and all they order, group or count it by; the district is a project's where
it names none (tests/test_preview_lists.py checks that the others are not shown)."""
LISTING_FEW_FIELDS: set[RouteKey] = {("find", None), ("compare", None), ("policies", None), ("projects", None)}
"""Lists of every park that an edit of its other facts (its summary, figures, level...) leaves
as they were."""

EntryStates = dict[Entry, tuple[str, ...]]
"""Entry -> (digest of its facts, digest of its body), and for a park the digest of its
PARK_FIELDS_LISTED."""
Showing = dict[Entry, set[RouteKey]]
"""Entry -> the routes besides the lists that show its facts."""


@dataclass(frozen=True)
class LastBuild:
    """What the last complete build into an output folder read and wrote."""

    shared: str
    entries: EntryStates
    shown: Showing
    written: WrittenFiles


@dataclass(frozen=True)
class Plan:
    """What this build draws: every route, or only `redraw` of them; the files of the last
    build it keeps as they are; the parks whose QR codes and brochures it makes; and whether
    the downloads, feeds and sitemap, made from facts alone, must be made again."""

    routes: list[Route]
    redraw: list[Route] | None
    kept: list[str]
    parks: list[Park]
    alliance: bool
    entries: EntryStates
    shown: Showing
    facts_changed: bool
    digested: bool = False
    """Whether an entry was digested anew, for want of a digest made of the very same object."""
    unchanged_brochures: WrittenFiles = field(default_factory=dict)
    """The brochures of the last build, as its record has them, whose pages would not be drawn
    again but are, because that build's output is gone or was altered (say, build/ was
    deleted): nothing they show changed, so their PDFs may come from the cache instead."""

    @property
    def drawn(self) -> list[Route]:
        return self.routes if self.redraw is None else self.redraw

    @property
    def everything(self) -> bool:
        return self.redraw is None


def plan_build(
    site: Site,
    routes: list[Route],
    last: LastBuild | None,
    shared: str,
    printing: bool,
    still_written: Callable[[list[str]], bool],
    known: Digests | None = None,
) -> Plan:
    """Draw the routes showing entries edited since `last` and keep the rest, or draw every
    route when `last` had other shared inputs (`shared`) or a kept file is not as it was
    written (`still_written`, asked of the output). `known` spares digesting unchanged entries."""
    (entries, digested), shown = states(site, known), showing_facts(site)
    redraw, facts_changed = _routes_to_redraw(last, shared, entries, shown, routes)
    kept = _kept_files(site, routes, redraw, printing) if redraw is not None else []
    if not facts_changed:
        kept += data_paths(site)  # only bodies were edited: the downloads stay as they are
    unchanged: WrittenFiles = {}
    if redraw is not None and last is not None and not still_written(kept):
        # a file was changed or deleted by hand: make them all, but print none of the
        # brochures that would have been kept again
        spared = _kept_brochures(site, redraw) if printing else []
        unchanged = {path: last.written[path] for path in spared if path in last.written}
        redraw, kept, facts_changed = None, [], True
    parks, alliance = drawn_parks(site, redraw)
    return Plan(routes, redraw, kept, parks, alliance, entries, shown, facts_changed, digested > 0, unchanged)


def drawn_parks(site: Site, redraw: list[Route] | None) -> tuple[list[Park], bool]:
    """The parks whose pages are drawn, and whether the map page is."""
    if redraw is None:
        return list(site.parks), True
    drawn = {(route.kind, route.slug) for route in redraw}
    return [park for park in site.parks if ("park", park.slug) in drawn], ("map", None) in drawn


def _routes_to_redraw(
    last: LastBuild | None, shared: str, entries: EntryStates, shown: Showing, routes: list[Route]
) -> tuple[list[Route] | None, bool]:
    """The routes showing entries edited since `last`, None when every page must be drawn; and
    whether an entry's facts changed (or one was added or removed) since."""
    if last is None or last.shared != shared:
        return None, True
    changed = {entry for entry in entries.keys() | last.entries.keys() if entries.get(entry) != last.entries.get(entry)}
    facts_changed = {
        entry
        for entry in changed
        if entry not in last.entries or entry not in entries or entries[entry][0] != last.entries[entry][0]
    }
    keys = touched(facts_changed, last.shown, shown, lists=lambda entry: _lists(entry, entries, last.entries))
    keys |= {page for entry in changed for page in own_page(entry)}
    return [route for route in routes if (route.kind, route.slug) in keys], bool(facts_changed)


def _lists(entry: Entry, now: EntryStates, before: EntryStates) -> set[RouteKey]:
    """The lists an edit of the entry's facts redraws: not those showing few fields of a park
    when the edit left those fields as they were."""
    lists = LISTS[entry[0]]
    if entry in now and entry in before and now[entry][2:] and now[entry][2:] == before[entry][2:]:
        return lists - LISTING_FEW_FIELDS
    return lists


def _kept_files(site: Site, routes: list[Route], redraw: list[Route], printing: bool) -> list[str]:
    """What the last build left that this one keeps: the pages not drawn again, the 404 page,
    and the QR codes and brochures of the parks whose pages are not drawn."""
    drawn = {(route.kind, route.slug) for route in redraw}
    pages = ["404.html"] + [
        urls.output_file(urls.page_path(lang, route.kind, route.slug))
        for route in routes
        if (route.kind, route.slug) not in drawn
        for lang in site.config.languages
    ]
    parks = {park.slug for park in drawn_parks(site, redraw)[0]}
    others = [park.slug for park in site.parks if park.slug not in parks]
    return pages + qr_code_files(site, others) + (_kept_brochures(site, redraw) if printing else [])


def _kept_brochures(site: Site, redraw: list[Route]) -> list[str]:
    """The brochures of the parks whose pages are not drawn, and the alliance's if the map is not."""
    parks, alliance = drawn_parks(site, redraw)
    drawn = {park.slug for park in parks}
    return brochure_files(site, [park.slug for park in site.parks if park.slug not in drawn], not alliance)


Followed = Park | Event | Chain | Project | Premises | Policy


def entries(site: Site) -> dict[Entry, Followed]:
    found: dict[Entry, Followed] = {("parks", park.slug): park for park in site.parks}
    found |= {("events", event.slug): event for event in site.events}
    found |= {("chains", chain.slug): chain for chain in site.chains}
    found |= {("projects", project.slug): project for project in site.projects}
    found |= {("sites", premises.slug): premises for premises in site.premises}
    return found | {("policies", policy.slug): policy for policy in site.policies}


def own_page(entry: Entry) -> set[RouteKey]:
    """The page an entry's body is on: its own, or for a site, which has none, its park's,
    which `showing_facts` already names."""
    return set() if entry[0] == "sites" else {urls.entry_page(*entry)}


Digests = dict[Entry, tuple[object, tuple[str, ...]]]
"""Entry -> (the object its digests were made from, (digest of its facts, digest of its body))."""


def states(site: Site, known: Digests | None = None) -> tuple[EntryStates, int]:
    """For each entry, a digest of its facts and one of its body: what an edit changed; and how
    many entries were digested anew.

    `known` remembers the digests of entries by the object they were made from; the preview
    and the checks kept on disk (sitegen.content.validate.EntryChecks) hand back the same
    object for an unchanged file, so only edited entries are digested.
    """
    known = {} if known is None else known
    found = {}
    digested = 0
    for key, value in entries(site).items():
        kept = known.get(key)
        if kept is None or kept[0] is not value:
            kept = known[key] = (value, _state(value))
            digested += 1
        found[key] = kept[1]
    for key in known.keys() - found.keys():
        del known[key]
    return found, digested


def _state(value: Followed) -> tuple[str, ...]:
    if isinstance(value, Project | Premises):  # no body, or one shown with the facts
        return _digest(value), ""
    facts = tuple(getattr(value, field.name) for field in fields(value) if field.name != "body")
    state = _digest(facts), _digest(value.body)
    if isinstance(value, Park):
        return (*state, _digest(tuple(getattr(value, name) for name in PARK_FIELDS_LISTED)))
    return state


def showing_facts(site: Site) -> Showing:
    """For each entry, the routes besides the lists that show its facts; one pass over the site.
    Policies of the same scope share one set of routes, which is not to be changed in place."""
    shown: Showing = {}
    for park in site.parks:
        keys = shown.setdefault(("parks", park.slug), set())
        keys |= {("park", park.slug), ("city", park.city.id)} | {("sector", sector.id) for sector in park.sectors}
        keys |= {("park", related) for related in (park.parent, *park.children) if related}
    for event in site.events:
        keys = shown.setdefault(("events", event.slug), set())
        keys |= {("event", event.slug)} | {("park", slug) for slug in event.parks}
        if event.city:
            keys.add(("city", event.city.id))
        for slug in event.parks:
            shown.setdefault(("parks", slug), set()).add(("event", event.slug))
    for chain in site.chains:
        keys = shown.setdefault(("chains", chain.slug), set())
        keys |= {("chain", chain.slug)} | {("park", slug) for slug in chain.parks}
        for slug in chain.parks:
            shown.setdefault(("parks", slug), set()).add(("chain", chain.slug))
    pages_under: dict[PolicyScope, set[RouteKey]] = {}  # one set per scope: many policies share one
    for policy in site.policies:
        for slug in policy.scope.parks:
            shown.setdefault(("parks", slug), set()).add(("policy", policy.slug))
        pages = pages_under.get(policy.scope)
        if pages is None:
            pages = pages_under[policy.scope] = {("park", park.slug) for park in site.parks_under(policy.scope)}
        shown[("policies", policy.slug)] = set() if policy.has_expired(site.today) else pages
    for premises in site.premises:
        shown[("sites", premises.slug)] = {("park", premises.park)}
    for project in site.projects:
        keys = shown.setdefault(("projects", project.slug), set())
        if project.park:
            keys.add(("park", project.park))
        if project.chain:
            keys.add(("chain", project.chain))
        if project.park and project.chain:
            shown.setdefault(("parks", project.park), set()).add(("chain", project.chain))
    return shown


def touched(
    changed: Iterable[Entry],
    *shown_in: Showing,
    lists: Callable[[Entry], set[RouteKey]] = lambda entry: LISTS[entry[0]],
) -> set[RouteKey]:
    """The routes showing the facts of `changed` entries in any of the sites (before and after);
    `lists` says which lists show an entry's edit."""
    keys: set[RouteKey] = set()
    for entry in changed:
        keys |= lists(entry) | own_page(entry)
        for shown in shown_in:
            keys |= shown.get(entry, set())
    return keys


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]

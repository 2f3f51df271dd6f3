"""Which pages show which park, event, chain or project: what to redraw after an edit, for
builds and the preview.

An entry's body appears only on its own pages. Its facts also appear in the lists, maps and
feeds, on its sectors' and city's pages, its parent's and children's pages, and the pages of
the events that name it (an event's facts: its parks' and its city's pages). A chain's facts
show on its parks' pages and a park's name on its chains' pages; a project, which has no page
of its own, shows on the projects list, its park's page and its chain's page. Anything else,
a template, a site file or a free page (its title is in every menu), may change every page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace

from sitegen.content.model import Chain, Event, Park, Project, Site

Entry = tuple[str, str]
"""(collection, slug) of a park or an event, as in content/<collection>/<slug>.md."""
RouteKey = tuple[str, str | None]
"""(kind, slug) of a route: ("park", "qilu-software-park"), ("map", None)."""

OWN_KIND = {"parks": "park", "events": "event", "chains": "chain", "projects": "projects"}
"""The kind of page each collection's entries have; a project's is the projects list."""
LISTS = {
    "parks": {
        ("parks", None),
        ("map", None),
        ("home", None),
        ("members", None),
        ("sectors", None),
        ("cities", None),
        ("projects", None),
    },
    "events": {("events", None), ("home", None)},
    "chains": {("chains", None), ("map", None), ("projects", None)},
    "projects": {("projects", None), ("chains", None)},
}
"""The pages that list every entry of a collection (or name them, as the projects list names
parks and chains)."""


def entries(site: Site) -> dict[Entry, Park | Event | Chain | Project]:
    found: dict[Entry, Park | Event | Chain | Project] = {("parks", park.slug): park for park in site.parks}
    found |= {("events", event.slug): event for event in site.events}
    found |= {("chains", chain.slug): chain for chain in site.chains}
    return found | {("projects", project.slug): project for project in site.projects}


def own_route(entry: Entry) -> RouteKey:
    collection, slug = entry
    return (OWN_KIND[collection], None) if collection == "projects" else (OWN_KIND[collection], slug)


Digests = dict[Entry, tuple[object, tuple[str, str]]]
"""Entry -> (the object its digests were made from, (digest of its facts, digest of its body))."""


def states(site: Site, known: Digests | None = None) -> dict[Entry, tuple[str, str]]:
    """For each entry, a digest of its facts and one of its body: what an edit changed.

    `known` remembers the digests of entries by the object they were made from; the preview
    hands back the same object for an unchanged file, so only edited entries are digested.
    """
    known = {} if known is None else known
    found = {}
    for key, value in entries(site).items():
        kept = known.get(key)
        if kept is None or kept[0] is not value:
            kept = known[key] = (value, _state(value))
        found[key] = kept[1]
    for key in known.keys() - found.keys():
        del known[key]
    return found


def _state(value: Park | Event | Chain | Project) -> tuple[str, str]:
    if isinstance(value, Project):  # no body
        return _digest(value), ""
    return _digest(replace(value, body=None)), _digest(value.body)


def showing_facts(site: Site) -> dict[Entry, set[RouteKey]]:
    """For each entry, the routes besides the lists that show its facts; one pass over the site."""
    shown: dict[Entry, set[RouteKey]] = {}
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
    for project in site.projects:
        keys = shown.setdefault(("projects", project.slug), set())
        if project.park:
            keys.add(("park", project.park))
        if project.chain:
            keys.add(("chain", project.chain))
        if project.park and project.chain:
            shown.setdefault(("parks", project.park), set()).add(("chain", project.chain))
    return shown


def touched(changed: Iterable[Entry], *shown_in: dict[Entry, set[RouteKey]]) -> set[RouteKey]:
    """The routes showing the facts of `changed` entries in any of the sites (before and after)."""
    keys: set[RouteKey] = set()
    for entry in changed:
        keys |= LISTS[entry[0]] | {own_route(entry)}
        for shown in shown_in:
            keys |= shown.get(entry, set())
    return keys


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]

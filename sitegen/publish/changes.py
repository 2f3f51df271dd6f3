"""Which pages show which park or event: what to redraw after an edit, for builds and the preview.

An entry's body appears only on its own pages. Its facts also appear in the lists, maps and
feeds, on its sectors' and city's pages, its parent's and children's pages, and the pages of
the events that name it (an event's facts: its parks' and its city's pages). Anything else,
a template, a site file or a free page (its title is in every menu), may change every page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace

from sitegen.content.model import Event, Park, Site

Entry = tuple[str, str]
"""(collection, slug) of a park or an event, as in content/<collection>/<slug>.md."""
RouteKey = tuple[str, str | None]
"""(kind, slug) of a route: ("park", "qilu-software-park"), ("map", None)."""

OWN_KIND = {"parks": "park", "events": "event"}
LISTS = {
    "parks": {("parks", None), ("map", None), ("home", None), ("members", None), ("sectors", None), ("cities", None)},
    "events": {("events", None), ("home", None)},
}
"""The pages that list every park or every event."""


def entries(site: Site) -> dict[Entry, Park | Event]:
    parks = {("parks", park.slug): park for park in site.parks}
    return parks | {("events", event.slug): event for event in site.events}


def own_route(entry: Entry) -> RouteKey:
    collection, slug = entry
    return OWN_KIND[collection], slug


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
            kept = known[key] = (value, (_digest(replace(value, body=None)), _digest(value.body)))
        found[key] = kept[1]
    for key in known.keys() - found.keys():
        del known[key]
    return found


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

"""Rebuilding for `sitegen serve`: after a save, only the pages the changed files touch are
rendered, and only files whose bytes changed are written.

Which pages show a park or an event is sitegen.dependencies' business, shared with `build`;
a template, a site file or a free page (its title is in every menu) redraws everything. The
preview has its own folder, so nothing here touches the `build/` that CI publishes.
"""

from __future__ import annotations

import gc
import hashlib
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from sitegen import dependencies, urls
from sitegen.build import load_site, theme_folder
from sitegen.errors import Problems, SiteError
from sitegen.model import Site
from sitegen.render import Output, RenderCaches, Renderer, Route, ThemeError
from sitegen.search import SearchIndexError, index_site
from sitegen.sources import COLLECTIONS, DocumentCache
from sitegen.validate import EntryChecks
from sitegen.write import static_outputs

Entry = tuple[str, str]
"""(collection, slug) of a park, event or page: unlike dependencies.Entry, also a free page."""


@dataclass(frozen=True)
class Rebuild:
    pages: int
    written: int
    seconds: float

    def summary(self) -> str:
        return f"rebuilt {self.pages} pages, wrote {self.written} changed files in {self.seconds * 1000:.0f} ms"


def changed_entry(root: Path, path: Path) -> Entry | None:
    """The entry a changed file belongs to, or None when it may change every page."""
    try:
        parts = path.resolve().relative_to((root / "content").resolve()).parts
    except ValueError:
        return None
    if len(parts) == 2 and parts[0] in COLLECTIONS and parts[1].endswith(".md"):
        return parts[0], parts[1][: -len(".md")].removesuffix(".en").removesuffix(".zh")
    return None


class PreviewBuilder:
    """The preview's own build: the last good site, and what changed since."""

    def __init__(self, root: Path, output: Path) -> None:
        self.root = root
        self.output = output
        self.problems: Problems | None = None
        self._documents = DocumentCache()
        self._checks = EntryChecks()
        self._caches = RenderCaches()
        self._site: Site | None = None
        self._written: dict[str, str] = {}
        self._pending: set[Entry] | None = None  # None: everything must be redrawn
        self._downloads: tuple[Renderer, list[Route]] | None = None

    def rebuild(self, changed: Iterable[Path] = ()) -> Rebuild | None:
        """Bring the preview's pages up to date; None while the content has problems (see
        `problems`). Call `finish` afterwards for the downloads and feeds."""
        self.finish()
        started = time.perf_counter()
        for path in changed:
            entry = changed_entry(self.root, path)
            if entry is None or self._pending is None:
                self._pending = None
            else:
                self._pending.add(entry)
        if self._pending is None:
            self._caches.forget_park_drawings()  # a template, UI string or setting may have changed
        try:
            site, catalogue, _ = load_site(self.root, strict=False, documents=self._documents, checks=self._checks)
            renderer = Renderer(site, theme_folder(self.root), catalogue, self._caches)
            routes = list(renderer.routes())
            everything = self._pending is None or self._site is None or any(c == "pages" for c, _ in self._pending)
            if everything:
                outputs = renderer.render_site()
                outputs += static_outputs(theme_folder(self.root) / "static", "static/")
                outputs += static_outputs(self.root / "content" / "media", "media/")
            elif _only_bodies_changed(self._site, site, self._pending):
                # Lists, maps and feeds show facts, not bodies: the entries' own pages suffice.
                own = {dependencies.own_route(entry) for entry in self._pending}
                outputs = renderer.render_routes(route for route in routes if (route.kind, route.slug) in own)
            else:
                shown = dependencies.touched(
                    self._pending, dependencies.showing_facts(self._site), dependencies.showing_facts(site)
                )
                touched = [route for route in routes if (route.kind, route.slug) in shown]
                outputs = renderer.render_routes(touched)
                self._downloads = (renderer, routes)
        except SiteError as error:
            self.problems = error.problems
            return None
        except ThemeError as error:
            self.problems = error.problems
            return None
        written = sum(self._write(output) for output in outputs)
        if everything:
            self._remove_stale({output.path for output in outputs})
            self._index_search(renderer)
            del renderer  # its Markdown converter is a reference cycle: collect it rather than freeze it
            _settle_memory()
        else:
            self._remove_entries(self._site, site, self._pending)
        pages = sum(1 for output in outputs if output.path.endswith(".html"))
        self._site, self._pending, self.problems = site, set(), None
        return Rebuild(pages, written, time.perf_counter() - started)

    def finish(self) -> None:
        """Write the downloads, feeds and sitemap of the last change of facts.

        Nobody reads these in the browser, so the preview reloads the pages first and writes
        these after: at 1,000 parks that takes a fifth of a second off the editor's wait.
        """
        if self._downloads is not None:
            renderer, routes = self._downloads
            self._downloads = None
            for output in renderer.data_outputs(routes):
                self._write(output)

    def _write(self, output: Output) -> bool:
        data = output.content if output.copy_from is None else output.copy_from.read_bytes()
        digest = hashlib.sha256(data or b"").hexdigest()
        if self._written.get(output.path) == digest:
            return False
        target = self.output / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data or b"")
        os.replace(temporary, target)  # the server never sends a half-written page
        self._written[output.path] = digest
        return True

    def _remove_stale(self, keep: set[str]) -> None:
        self._remove(set(self._written) - keep)

    def _remove(self, paths: Iterable[str]) -> None:
        for path in paths:
            (self.output / path).unlink(missing_ok=True)
            self._written.pop(path, None)

    def _remove_entries(self, old: Site, new: Site, entries: set[Entry]) -> None:
        """Pages of parks and events whose files were deleted."""
        present = {("parks", park.slug) for park in new.parks} | {("events", event.slug) for event in new.events}
        for collection, slug in entries - present:
            if collection not in dependencies.OWN_KIND:
                continue
            kind = dependencies.own_route((collection, slug))[0]
            self._remove([urls.output_file(urls.page_path(lang, kind, slug)) for lang in new.config.languages])
            self._remove([f"events/{slug}.ics"])

    def _index_search(self, renderer: Renderer) -> None:
        """The search index, rebuilt with full rebuilds only: a park edit does not wait for it."""
        try:
            index_site(self.output, renderer.search_records())
        except SearchIndexError as error:
            print(f"search index not rebuilt: {error}", flush=True)


def _settle_memory() -> None:
    """Hide what a full build keeps (parsed files, checked fields, compiled templates, drawn
    snippets) from the cyclic garbage collector, which otherwise walks all of it every few
    saves, in the middle of a rebuild: 85 ms at 1,000 parks. Reference counting still frees
    these objects; collecting first means none of the build's own cycles is frozen."""
    gc.collect()
    gc.freeze()


def _only_bodies_changed(old: Site, new: Site, entries: set[Entry]) -> bool:
    """Whether the entries exist before and after with the same facts, only other text."""
    before_all, after_all = dependencies.entries(old), dependencies.entries(new)
    for entry in entries:
        before, after = before_all.get(entry), after_all.get(entry)
        if before is None or after is None or replace(after, body=before.body) != before:
            return False
    return True

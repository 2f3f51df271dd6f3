"""Rendering many pages on every core: Jinja runs on one core, and a site of a thousand parks
has thousands of pages.

The pages are shared out between forked workers, which start with the renderer as it is
(templates compiled, Markdown converted, maps' shapes drawn) and send back the bytes in
batches, taken in order. A worker is given a batch only when the caller has taken one, so a
caller that writes each batch before the next holds a few batches at a time, not the whole
site (560 MB of HTML at 10,000 parks): writing is slower than drawing, and finished batches
would otherwise wait in its memory. Where there is no fork (Windows), or few pages, they are
drawn here.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from markupsafe import Markup

from sitegen.map.parts import MapParts
from sitegen.render.pages import Output, Renderer, Route
from sitegen.workers import shared_with_forks, start_worker

_PARALLEL_FROM = 400
"""Below this many pages, starting workers costs more than it saves."""
_BATCHES_PER_WORKER = 16
"""Batches of neighbouring pages (which cost alike) per worker: enough to share the work out
evenly and to keep each batch small."""
_AHEAD_PER_WORKER = 2
"""Batches given out per worker beyond the one it is drawing, so that it always has the next:
on 2 cores, six batches at most are drawn or waiting. A cold build of bench/corpus.py's 1,000
parks with their sites held up to 18 finished batches (the build process grew by 100 MB) before
batches were given out as taken; it now holds a few (and grows by 60 MB)."""

_work: tuple[Renderer, list[tuple[Route, str]], int | None] | None = None
"""What the workers draw, and when they are to send back the parks' cards and rows they draw,
how many the parent had kept: set by the parent just before it forks them."""
_cards_sent: int | None = None
"""In a worker: how many of its kept cards and rows (new ones come last) the parent has."""


class PageRendering:
    """Pages being drawn; the workers are forked at once, so start other threads after this."""

    def __init__(self, renderer: Renderer, routes: list[Route], keep_cards: bool = False) -> None:
        """`keep_cards`: the parks' cards and rows the workers draw are kept in the renderer's
        caches, as if drawn here; the preview draws its next saves here, and a save of a
        park's facts redraws the lists, whose thousands of other cards are then taken as
        they are (at 1,000 parks, its first save took 0.8 s instead of 0.1 s without them)."""
        global _work
        self._renderer = renderer
        self._routes = routes
        self._batches: deque[Future] = deque()
        self._pool: ProcessPoolExecutor | None = None
        jobs = [(route, lang) for route in routes for lang in renderer.site.config.languages]
        workers = min(os.cpu_count() or 1, 8)
        if len(jobs) < _PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return
        _work = (renderer, jobs, len(renderer.caches.park_snippets) if keep_cards else None)
        self._pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=start_worker,
            initargs=(os.getpid(), True),  # `close` cancels what is left
        )
        size = -(-len(jobs) // (workers * _BATCHES_PER_WORKER))
        self._waiting = deque((start, start + size) for start in range(0, len(jobs), size))
        try:
            with shared_with_forks():  # a pool that forks forks every worker at its first task
                self._give_out(1)
            self._give_out(workers * (1 + _AHEAD_PER_WORKER) - 1)
        except BaseException:
            self.close()
            raise
        finally:
            _work = None

    def _give_out(self, count: int) -> None:
        assert self._pool is not None  # batches are given out to workers only
        for _ in range(min(count, len(self._waiting))):
            self._batches.append(self._pool.submit(_draw_batch, *self._waiting.popleft()))

    def outputs(self) -> Iterator[Output]:
        """The pages, in the order of the routes and languages, a batch at a time; raises
        ThemeError as rendering here would."""
        if not self._batches:
            yield from self._renderer.render_routes(self._routes)
            return
        try:
            while self._batches:
                # Taken off the queue: a future keeps its result, and so would keep every page.
                pages, shapes, cards = self._batches.popleft().result()
                self._give_out(1)
                self._renderer.caches.map_shapes.update(shapes)
                self._keep_cards(cards)
                yield from pages
        finally:
            self.close()

    def close(self) -> None:
        """End the workers after their current batch (the pages are done, or no longer wanted)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def _keep_cards(self, cards: list[tuple[tuple, str, Markup]]) -> None:
        """Cards drawn by a worker from its copy of a park, which is this process's park as
        it was when the worker was forked: filed with this process's, as a card drawn here is."""
        if not cards:
            return
        kept, site = self._renderer.caches.park_snippets, self._renderer.site
        for key, slug, card in cards:
            if key not in kept:
                kept[key] = ({"park": site.park(slug)}, card)


Batch = tuple[list[Output], dict[str, MapParts], list[tuple[tuple, str, Markup]]]


def _draw_batch(start: int, stop: int) -> Batch:
    """The pages of jobs[start:stop], the shapes of map drawn so far, which the parent keeps
    for the next build, and when asked, the parks' cards and rows drawn since the last batch
    (key, park's slug, card)."""
    global _cards_sent
    assert _work is not None  # inherited from the parent through fork
    renderer, jobs, kept_before = _work
    pages = [renderer.render_route(route, lang) for route, lang in jobs[start:stop]]
    cards = []
    if kept_before is not None:
        kept = renderer.caches.park_snippets
        new = islice(kept.items(), kept_before if _cards_sent is None else _cards_sent, None)
        cards = [(key, values["park"].slug, card) for key, (values, card) in new]
        _cards_sent = len(kept)
    return pages, renderer.caches.map_shapes, cards

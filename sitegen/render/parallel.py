"""Rendering many pages on every core: Jinja runs on one core, and a site of a thousand parks
has thousands of pages.

The pages are shared out between forked workers, which start with the renderer as it is
(templates compiled, Markdown converted, maps' shapes drawn) and send back the bytes. Where
there is no fork (Windows), or few pages, they are drawn here.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor

from sitegen.map.parts import MapParts
from sitegen.render.pages import Output, Renderer, Route
from sitegen.workers import start_worker

_PARALLEL_FROM = 400
"""Below this many pages, starting workers costs more than it saves."""

_work: tuple[Renderer, list[tuple[Route, str]]] | None = None
"""What the workers draw: set by the parent just before it forks them."""


class PageRendering:
    """Pages being drawn; the workers are forked at once, so start other threads after this."""

    def __init__(self, renderer: Renderer, routes: list[Route]) -> None:
        global _work
        self._renderer = renderer
        self._routes = routes
        self._shares: list[Future] = []
        jobs = [(route, lang) for route in routes for lang in renderer.site.config.languages]
        workers = min(os.cpu_count() or 1, 8)
        if len(jobs) < _PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return
        _work = (renderer, jobs)
        self._pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=start_worker,
            initargs=(os.getpid(),),
        )
        self._shares = [self._pool.submit(_draw_share, share, workers) for share in range(workers)]
        _work = None

    def outputs(self) -> list[Output]:
        """The pages, in the order of the routes and languages; raises ThemeError as rendering here would."""
        if not self._shares:
            return self._renderer.render_routes(self._routes)
        try:
            shares = [share.result() for share in self._shares]
        finally:
            self._pool.shutdown(cancel_futures=True)
        outputs: list[Output] = []
        for index in range(max(len(pages) for pages, _ in shares)):
            outputs += [pages[index] for pages, _ in shares if index < len(pages)]
        for _, shapes in shares:
            self._renderer.caches.map_shapes.update(shapes)
        return outputs


def _draw_share(share: int, workers: int) -> tuple[list[Output], dict[str, MapParts]]:
    """Every `workers`-th page from `share` (neighbouring pages cost alike), and the shapes of
    map drawn for them, which the parent keeps for the next build."""
    assert _work is not None  # inherited from the parent through fork
    renderer, jobs = _work
    return [renderer.render_route(route, lang) for route, lang in jobs[share::workers]], renderer.caches.map_shapes

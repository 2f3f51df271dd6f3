"""CPU seconds of drawing every park page of a generated site, in one process.

    python bench/park_pages.py [--parks 1000] [--rounds 3] [--without-investment] [--code CHECKOUT] [--profile]

Park pages are most of a build's drawing, and the ones sites, costs, policies and the landing
process add to. The site is `bench/corpus.py`'s; it is read and checked once, its Markdown
converted in a first round (as a build converts it before drawing), then each round draws every
park page in every language with fresh drawing caches, so kept cards, policy items and costs
tables are drawn again as in a cold build. Prints each round's CPU seconds and the least (the
one least disturbed by other work on the machine). `--code` measures another checkout's
`sitegen/`, to alternate old and new code; `--profile` prints the largest entries of a cProfile
run of the last round instead.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

from corpus import generate_site

ROOT = Path(__file__).resolve().parent.parent


def measure(site_folder: Path, rounds: int, profile: bool) -> None:
    import sitegen
    from sitegen.build import load_site
    from sitegen.render.pages import RenderCaches, Renderer

    site, theme, catalogue, _ = load_site(site_folder, strict=False)
    languages = site.config.languages
    renderer = Renderer(site, theme, catalogue, RenderCaches())
    routes = [route for route in renderer.routes() if route.kind == "park"]
    for route in routes:  # converts every body once, as a build does before drawing
        for lang in languages:
            renderer.render_route(route, lang)
    seconds = []
    profiler = cProfile.Profile(time.process_time) if profile else None
    for number in range(rounds):
        renderer = Renderer(site, theme, catalogue, RenderCaches(markdown=renderer.caches.markdown))
        for lang in languages:  # compiles the templates, as a build process does once
            renderer.render_route(routes[0], lang)
        renderer.caches.forget_drawings()
        last = profiler is not None and number == rounds - 1
        started = time.process_time()
        if last:
            profiler.enable()
        for route in routes:
            for lang in languages:
                renderer.render_route(route, lang)
        if last:
            profiler.disable()
        seconds.append(time.process_time() - started)
    print(f"sitegen of {Path(sitegen.__file__).parent.parent}")
    print(f"{len(routes) * len(languages)} park pages, CPU s per round: {', '.join(f'{s:.2f}' for s in seconds)}")
    print(f"least: {min(seconds):.2f} CPU s{' (the last round under cProfile)' if profiler else ''}")
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parks", type=int, default=1000, help="parks in the generated site (default 1000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of drawing every park page (default 3)")
    parser.add_argument("--without-investment", action="store_true", help="no sites, policies, costs or landing")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose sitegen/ is measured")
    parser.add_argument("--profile", action="store_true", help="profile the last round and print its largest entries")
    arguments = parser.parse_args()
    sys.path.insert(0, str(arguments.code.resolve()))
    with tempfile.TemporaryDirectory(prefix="sitegen-park-pages-") as scratch:
        site_folder = Path(scratch) / "site"
        generate_site(site_folder, arguments.parks, investment=not arguments.without_investment)
        measure(site_folder, arguments.rounds, arguments.profile)


if __name__ == "__main__":
    main()

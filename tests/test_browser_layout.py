"""Every page type in both languages at phone and desktop widths, checked as a reader's eye would:
no sideways scrolling, no word or short Chinese label split across lines, no text drawn over
other text, touch targets of at least 44 × 44 px on phones, no console error."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from conftest import REPO, StarterSite, serving, wait_until_settled
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

ARTEFACTS = REPO / "test-artifacts" / "layout"
"""Screenshots of the pages with findings, or of every page with SITEGEN_SCREENSHOTS=1 set."""
PAGE_TYPES = (
    "",
    "parks/",
    "parks/jibei-economic-development-zone/",
    "map/",
    "chains/",
    "chains/new-energy-vehicles/",
    "projects/",
    "sectors/",
    "sectors/software/",
    "sectors/culture-tourism/",
    "cities/",
    "cities/jinan/",
    "members/",
    "events/",
    "events/2020-09-20-alliance-founding-ceremony/",
    "about/",
    "contact/",
    "search/?q={query}",
)
QUERIES = {"": "软件", "en/": "software"}
WIDTHS = (360, 390, 1280)
PHONE = 480

# One pass over the page in the browser; returns a list of findings, each a short sentence.
LAYOUT_CHECKS = """
(phone) => {
  const found = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth) found.push(`scrolls sideways: ${root.scrollWidth} > ${window.innerWidth}`);
  const visible = (element) => {
    const style = getComputedStyle(element);
    return style.visibility !== "hidden" && style.display !== "none" && element.getClientRects().length > 0;
  };
  const skip = (element) => element.closest(".leaflet-container, .skip-link, .print-url, script, style, noscript, [hidden], details:not([open]) > :not(summary)");
  // Inside a box of 1 px or less (a table's head kept for screen readers when rows stack).
  const clipped = (element) => {
    for (let e = element; e && e !== document.body; e = e.parentElement) {
      const r = e.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) return true;
    }
    return false;
  };
  const lines = (rects) => new Set(Array.from(rects).filter((r) => r.width > 0.5).map((r) => Math.round(r.top))).size;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !node.textContent.trim() || skip(parent) || !visible(parent) || clipped(parent)) continue;
    texts.push(node);
    const box = parent.closest("td, th, li, p, a, button, label, h1, h2, h3, dd, dt, span, div") || parent;
    const room = box.clientWidth || parent.getBoundingClientRect().width;
    for (const match of node.textContent.matchAll(/[A-Za-z0-9][A-Za-z0-9'’.]*[A-Za-z0-9]/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const rects = range.getClientRects();
      if (lines(rects) > 1) {
        const width = Array.from(rects).reduce((sum, r) => sum + r.width, 0);
        if (width <= room) found.push(`word split: "${match[0]}" in <${parent.tagName.toLowerCase()} class="${parent.className}">`);
      }
    }
    const label = node.textContent.trim();
    if (/^[\\u3400-\\u9fff]{2,4}$/.test(label)) {
      const range = document.createRange();
      range.selectNodeContents(node);
      if (lines(range.getClientRects()) > 1) found.push(`short label split: "${label}"`);
    }
  }
  // Text over text: the boxes of text runs that belong to elements not nested in each other.
  // What a scrolling box (overflow other than visible) hides of its content is not drawn.
  const clipOf = (element) => {
    let box = {left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity};
    for (let e = element.parentElement; e && e !== document.body; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.overflowX !== "visible" || style.overflowY !== "visible") {
        const r = e.getBoundingClientRect();
        box = {left: Math.max(box.left, r.left), top: Math.max(box.top, r.top),
               right: Math.min(box.right, r.right), bottom: Math.min(box.bottom, r.bottom)};
      }
    }
    return box;
  };
  const runs = [];
  for (const node of texts) {
    const range = document.createRange();
    range.selectNodeContents(node);
    const clip = clipOf(node.parentElement);
    for (const full of range.getClientRects()) {
      const r = {left: Math.max(full.left, clip.left), top: Math.max(full.top, clip.top),
                 right: Math.min(full.right, clip.right), bottom: Math.min(full.bottom, clip.bottom)};
      r.width = r.right - r.left;
      r.height = r.bottom - r.top;
      if (r.width > 1 && r.height > 1) runs.push({node, r});
    }
  }
  for (let i = 0; i < runs.length; i++) {
    for (let j = i + 1; j < runs.length; j++) {
      const a = runs[i], b = runs[j];
      if (a.node === b.node) continue;
      const overlapX = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const overlapY = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      // A run's box includes the font's ascent and descent, more than its glyphs: only a
      // third of the smaller line's height counts as text drawn over text.
      if (overlapX > 2 && overlapY > Math.min(a.r.height, b.r.height) / 3) {
        const top = document.elementFromPoint(Math.max(a.r.left, b.r.left) + 1, Math.max(a.r.top, b.r.top) + 1);
        const covered = top && !top.contains(a.node) && !top.contains(b.node);
        if (!covered) found.push(`text overlaps: "${a.node.textContent.trim().slice(0, 20)}" / "${b.node.textContent.trim().slice(0, 20)}"`);
      }
    }
  }
  if (phone) {
    const controls = document.querySelectorAll(
      "button, input:not([type=hidden]), select, textarea, summary, nav a, a.button, a.sector-tag, a.sector-tile, " +
      ".language-switch, .search-link, .leaflet-bar a, .site-footer a, .search-results a, .event-item a, .index-list a"
    );
    for (const control of controls) {
      if (!visible(control) || control.closest(".skip-link, [hidden]")) continue;
      const target = control.matches("input[type=checkbox], input[type=radio]") ? control.closest("label") || control : control;
      const box = target.getBoundingClientRect();
      if (box.width < 43.5 || box.height < 43.5) {
        found.push(`small control ${Math.round(box.width)}×${Math.round(box.height)}: <${control.tagName.toLowerCase()}> "${(control.textContent || control.name || "").trim().slice(0, 24)}"`);
      }
    }
  }
  return Array.from(new Set(found));
}
"""


@pytest.fixture(scope="module")
def base(built_starter: StarterSite) -> Iterator[str]:
    """The starter site served for the whole module, as long as the pages that load from it."""
    with serving(built_starter.output) as url:
        yield url


@pytest.fixture(scope="module")
def page_of_width(browser, base) -> Iterator[dict[int, Page]]:
    """One page per width for the module, both languages read in it: it loads only from the
    site (anything else is refused) and records its errors in `page.errors`."""
    contexts, pages = [], {}
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 844 if width < PHONE else 900})
        context.route(re.compile(f"^(?!{re.escape(base)})"), lambda route: route.abort())  # all but the site
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error, page=page: page.errors.append(str(error)))
        page.on(
            "console",
            lambda message, page=page: (
                message.type == "error" and "net::ERR_FAILED" not in message.text and page.errors.append(message.text)
            ),
        )
        contexts.append(context)
        pages[width] = page
    yield pages
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["", "en/"])
def test_every_page_type_reads_cleanly(page_of_width, base, width, lang):
    page = page_of_width[width]
    page.goto("about:blank")  # stops what the last test left loading; what it logged is cleared below
    page.errors.clear()
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    problems = {}
    for path in PAGE_TYPES:
        page.goto(base + lang + path.format(query=QUERIES[lang]), wait_until="load")
        if path.startswith("search/"):
            page.wait_for_selector(".search-results a")
        wait_until_settled(page)
        # Parts of a page left unrendered until scrolled near (content-visibility: auto) are
        # drawn, as they are for a reader who scrolls to them, so they are checked too.
        page.add_style_tag(content="* { content-visibility: visible !important; }")
        found = page.evaluate(LAYOUT_CHECKS, width < PHONE) + [f"console: {error}" for error in page.errors]
        page.errors.clear()
        if found or os.environ.get("SITEGEN_SCREENSHOTS"):
            name = f"{(lang + path).strip('/').replace('/', '_').split('?')[0] or 'home'}-{width}.png"
            page.screenshot(path=str(ARTEFACTS / name), full_page=True)
        if found:
            problems[lang + path] = found
    assert not problems, "\n".join(f"{path}: {finding}" for path, found in problems.items() for finding in found)

"""The theme reference (docs/themes.md), made from the code so a theme author needs no Python.

It renders a site in memory (the repository's own, which has every kind of page; the starter
of `sitegen init` by default) to see which template draws which page and with what, and reads
the page globals, filters, UI strings and model fields from where the code defines them.
`python -m sitegen.editor.theme_reference SITE_DIR` prints it; a test keeps docs/themes.md in step.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import typing
from pathlib import Path

import jinja2

from sitegen.build import load_site
from sitegen.content import config, model
from sitegen.content.config import City, Cost, Environment, LandingProcess, LandingStep, Sector, SiteConfig
from sitegen.content.fields import Quantity
from sitegen.content.frontmatter import parse_yaml, read_text
from sitegen.content.i18n import Catalogue, Localized
from sitegen.content.theme import DEFAULT_THEME, STRINGS_FILE
from sitegen.editor.skeleton import STARTER
from sitegen.errors import Problems
from sitegen.render import urls
from sitegen.render.pages import FILTERS, PAGE_GLOBALS, Renderer

PARTIALS = {
    "base.html": "the frame of every page: head, header, menu, footer; pages fill {% block main %}",
    "macros.html": "small macros shared by pages (import it: {% import 'macros.html' as macros %})",
    "park_card.html": "one park in a list, given `park`; drawn once per park, language and folder depth, then "
    "reused on other pages (so it shows nothing of the page it is on)",
    "park_row.html": "one park as a row of the map page's table, given `park`",
    "park_chains.html": "the chains and links a park hosts and its projects, included by park.html",
    "map_chains.html": "the map page's chain selector and its legend, included by map.html",
    "chain_macros.html": "macros for chains and projects: the tiers and links of a diagram, a project's row",
    "park_investment.html": "a park's sites, costs, policies and landing process, included by park.html",
    "investment_macros.html": "macros for sites, costs, policies and landing: a site's card, a costs table, "
    "a policy's dates, the numbered timeline",
    "policy_item.html": "one policy in a list, given `policy`; drawn once per policy, language and folder depth, "
    "then reused on other pages (so it shows nothing of the page it is on)",
    "costs_table.html": "a table of costs, given `costs` and `own` (the park's own among them); drawn once per "
    "distinct table, language and folder depth, then reused on other pages (so it shows no park or city)",
    "landing_timeline.html": "a landing process as a numbered timeline, given `process`; drawn once per process, "
    "language and folder depth, then reused on other pages (so it shows no park)",
    "compare_macros.html": "the 'compare' button of a park and the tray leading to the compare page",
    "404.html": "the one bilingual not-found page; its links start from the site root (static hosts serve it anywhere)",
}
"""Templates that draw no page of their own."""


MODEL_CLASSES = (
    model.Park,
    model.Event,
    model.Page,
    model.Body,
    model.Figure,
    model.Contact,
    model.Membership,
    model.Premises,
    model.BuildingSpecs,
    model.StandardLandTargets,
    model.Photo,
    model.Policy,
    model.PolicyScope,
    model.Benefit,
    model.ApplyAt,
    Cost,
    LandingProcess,
    LandingStep,
    Quantity,
    Sector,
    City,
    Localized,
)

_HEAD = """# Theme reference / 主题参考

Generated from the code (`sitegen docs` writes it into a site's `docs/`, with the site's own
overrides); a test keeps the repository's copy in step. 本页由程序生成：模板、每个模板拿到的数据、
可用的函数和界面文字；`sitegen docs` 把它写进本站的 docs/ 文件夹。

The default theme ships inside the `sitegen` package. A site changes it by putting files of the
same name in its own `themes/default/` folder (or `themes/<name>/` with `theme: <name>` in
`content/site.yaml`):

- **a template**: `sitegen theme copy templates/park.html` copies it from the installed package
  to `themes/default/templates/park.html` (never over a file that is there); edit the copy, and the
  other templates stay the default ones. A template of your own that other templates include must
  have a name starting with `_` (`_contact.html`); `sitegen check` warns about any other name the
  default theme does not have, which is most likely a typo;
- **UI strings**: `themes/default/i18n.yaml` with only the keys you change, each in `zh` and `en`
  (`sitegen theme copy i18n.yaml` copies them all: delete those you keep as they are);
- **static files**: `themes/default/static/css/site.css` replaces the default stylesheet
  (`sitegen theme copy static/css/site.css`); new files are published under `static/` too.

Templates are Jinja with autoescaping on and strict undefined variables: a misspelt name fails the
build with the template's file and line, instead of printing nothing. So does anything else that
goes wrong while a template renders: a division by zero, text added to a number, an include or
macro that calls itself without end.

A theme is part of the site and stays inside its folder: a template includes another by its name
under `templates/` (no `..`, no absolute path), a theme file may not be a link to a file outside
the site folder, and `theme:` names a folder in `themes/`. Each of these is refused with the file
and a hint.
"""


def theme_reference(root: Path = STARTER, complete: bool = True) -> str:
    """The reference as `root`'s content draws the templates. `complete` (for docs/themes.md,
    from the repository's site, which has a page of every kind) requires every template to be
    described; a smaller site's reference lists those it does not use yet."""
    site, theme, catalogue, _ = load_site(root, strict=False, environment=Environment())
    renderer = Renderer(site, theme, catalogue)
    parts = [_HEAD, _templates(renderer, complete), _globals(renderer), _filters(renderer), _model(), _strings()]
    return "\n".join(parts)


def _templates(renderer: Renderer, complete: bool) -> str:
    pages: dict[str, tuple[str, set[str]]] = {}
    for route in renderer.routes():
        context = set(route.context) | ({"map"} if route.map_parks else set())
        context |= {"structured_data"} if route.kind in ("park", "event") else set()
        address = urls.page_path("zh", route.kind, "<slug>" if route.slug else None)
        shown, names = pages.get(route.template, (address, set()))
        pages[route.template] = (shown, names | context)
    lines = [
        "## Templates / 模板\n",
        "Every page template also gets the page globals below.\n",
        "| template | page | its own context |",
        "| --- | --- | --- |",
    ]
    unused = sorted(
        file.name for file in (DEFAULT_THEME / "templates").glob("*.html") if file.name not in pages | PARTIALS
    )
    if unused and complete:
        raise ValueError(f"describe these templates in theme_reference.PARTIALS: {unused}")
    for name, (address, context) in sorted(pages.items()):
        shown = ", ".join(f"`{key}`" for key in sorted(context)) or "(only the globals)"
        lines.append(f"| `{name}` | `/{address}` (English under `/en/`) | {shown} |")
    lines += [f"| `{name}` | (no page of this kind on this site yet) | |" for name in unused]
    lines += ["", "Templates that draw no page of their own:", ""]
    lines += [f"- `{name}`: {what}" for name, what in PARTIALS.items()]
    lines += [
        "- `brochure/park.html`, `brochure/alliance.html` (on `brochure/base.html`, with `brochure/brochure.css`): "
        "the A4 PDF brochures, printed by WeasyPrint; they get the page globals and `park` or the parks by sector "
        "and city; `brochure/park_investment.html` holds a park brochure's sites, costs, policies and landing steps",
    ]
    return "\n".join(lines) + "\n"


def _globals(renderer: Renderer) -> str:
    used = set(renderer.page_globals("zh"))
    if used != set(PAGE_GLOBALS):
        raise ValueError(f"pages.PAGE_GLOBALS and the page context differ: {sorted(used ^ set(PAGE_GLOBALS))}")
    lines = ["## Page globals / 每个页面都能用的变量和函数\n", "| name | what it is |", "| --- | --- |"]
    lines += [f"| `{name}` | {_cell(what)} |" for name, what in PAGE_GLOBALS.items()]
    return "\n".join(lines) + "\n"


def _filters(renderer: Renderer) -> str:
    own = set(renderer.environment.filters) - set(jinja2.defaults.DEFAULT_FILTERS)
    if own != set(FILTERS):
        raise ValueError(f"pages.FILTERS and the theme's filters differ: {sorted(own ^ set(FILTERS))}")
    lines = ["## Filters / 过滤器\n", "Jinja's built-in filters (`length`, `join`, `default`, ...) and:\n"]
    lines += [f"- `{name}`: {what}" for name, what in FILTERS.items()]
    return "\n".join(lines) + "\n"


def _model() -> str:
    lines = [
        "## Model / 数据\n",
        "What `park`, `event`, `page`, `site.sectors` and the like hold. A bilingual value "
        "(`Localized`) is shown with `text(value)`; an optional field may be None (`{% if park.website %}`).\n",
    ]
    names = vars(config) | vars(model) | vars(typing)
    hints_of = {cls: typing.get_type_hints(cls, names) for cls in MODEL_CLASSES}
    for cls in MODEL_CLASSES:
        lines.append(f"### `{cls.__name__}`\n")
        if cls.__doc__ and not cls.__doc__.startswith(cls.__name__ + "("):
            lines.append(cls.__doc__.strip().splitlines()[0] + "\n")
        lines += ["| field | type |", "| --- | --- |"]
        lines += [
            f"| `{field.name}` | {_cell(_type_name(hints_of[cls][field.name]))} |" for field in dataclasses.fields(cls)
        ]
        lines.append("")
    lines.append(
        f"`config` is a `{SiteConfig.__name__}`: "
        + ", ".join(f"`{field.name}`" for field in dataclasses.fields(SiteConfig))
        + ".\n"
    )
    return "\n".join(lines)


def _strings() -> str:
    problems = Problems()
    file = DEFAULT_THEME / STRINGS_FILE
    data = parse_yaml(read_text(file, "sitegen/theme/i18n.yaml", problems) or "", "i18n.yaml", problems) or {}
    catalogue = Catalogue({key: Localized(value["zh"], value["en"]) for key, value in data.items()})
    lines = [
        "## UI strings / 界面文字\n",
        "`t('key')` in a template; `{name}` placeholders are filled by the template (`t('park_count', count=3)`).\n",
        "| key | zh | en |",
        "| --- | --- | --- |",
    ]
    lines += [f"| `{key}` | {_cell(text.zh)} | {_cell(text.en or '')} |" for key, text in catalogue.strings.items()]
    return "\n".join(lines) + "\n"


def _type_name(hint: object) -> str:
    text = getattr(hint, "__name__", None) if not typing.get_args(hint) else None
    if text:
        return text
    shown = re.sub(r"\b(?:typing|sitegen\.content|config|model|i18n|datetime)\.", "", str(hint))
    return shown.replace("NoneType", "None")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    print(theme_reference(Path(sys.argv[1]) if len(sys.argv) > 1 else STARTER), end="")

"""A site's own templates are content: whatever goes wrong in them is the site's error, named at
the template and line with a hint (never "internal error"), and no template, partial, string or
static file of a theme reads or publishes anything from outside the site folder."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest
from conftest import MINIMAL_SITE

PAGE = "themes/default/templates/page.html"
BROCHURE = "themes/default/templates/brochure/park.html"


def page_template(main: str, before: str = "") -> str:
    """page.html whose main block is `main`, from line 3 (line 2 with `before` on line 2)."""
    return "{% extends 'base.html' %}\n" + before + "{% block main %}\n" + main + "\n{% endblock %}\n"


FAULTS = {
    "division-by-zero": ({PAGE: page_template("{{ 1 / 0 }}")}, f"{PAGE}:3: ", "division by zero"),
    "text-added-to-a-number": ({PAGE: page_template('{{ 1 + "a" }}')}, f"{PAGE}:3: ", "TypeError"),
    "a-number-as-a-list": ({PAGE: page_template("{% for x in 3 %}{{ x }}{% endfor %}")}, f"{PAGE}:3: ", "TypeError"),
    "a-helper-given-wrong-arguments": ({PAGE: page_template("{{ href(1, 2, 3) }}")}, f"{PAGE}:3: ", "TypeError"),
    "an-undefined-attribute": ({PAGE: page_template("{{ page.title.zh.nmae }}")}, f"{PAGE}:3: ", "nmae"),
    "an-int-filter-on-a-mapping": ({PAGE: page_template("{{ range(page) }}")}, f"{PAGE}:3: ", "TypeError"),
    "a-recursive-macro": (
        {PAGE: page_template("{{ down(1) }}", "{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}\n")},
        f"{PAGE}:2: ",
        "calls itself without end",
    ),
    "a-partial-including-itself": (
        {
            PAGE: page_template('{% include "_loop.html" %}'),
            "themes/default/templates/_loop.html": 'again\n{% include "_loop.html" %}\n',
        },
        "themes/default/templates/_loop.html:2: ",
        "includes or calls itself without end",
    ),
    "a-base-extending-itself": (
        {"themes/default/templates/base.html": "{% extends 'base.html' %}\n"},
        "themes/default/templates/base.html:1: ",
        "",
    ),
}


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("case", sorted(FAULTS))
def test_a_fault_in_a_site_template_is_the_sites_error_at_its_line(case, command, make_site, run):
    files, place, words = FAULTS[case]
    site = make_site(files)
    code, _, err = run(command, "-s", str(site))
    assert code == 1, err
    assert "internal error" not in err and "Traceback" not in err, err
    line = next(line for line in err.splitlines() if line.startswith(place))
    assert words in line
    assert "hint: " in err.split(place, 1)[1].splitlines()[1]
    assert not (site / "build").exists()


BROCHURES_ON = MINIMAL_SITE["content/site.yaml"].replace("brochures: false", "brochures: true")


@pytest.mark.parametrize("expression", ["{{ 1 / 0 }}", '{{ park.area_km2 + "km" }}'])
def test_a_fault_in_a_brochure_template_is_the_sites_error_at_its_line(expression, make_site, run):
    template = '{% extends "brochure/base.html" %}\n{% block main %}\n' + expression + "\n{% endblock %}\n"
    site = make_site({"content/site.yaml": BROCHURES_ON, BROCHURE: template})
    code, _, err = run("check", "-s", str(site))
    assert code == 1, err
    assert "internal error" not in err and f"{BROCHURE}:3: " in err, err


# Themes stay inside the site folder ----------------------------------------------------------------

SECRET = "a secret from outside the site"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the site with a file and a whole theme in it, which no build may read."""
    folder = tmp_path / "outside"
    (folder / "theme" / "templates").mkdir(parents=True)
    (folder / "theme" / "static").mkdir()
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    (folder / "theme" / "templates" / "page.html").write_text(page_template(SECRET), encoding="utf-8")
    (folder / "theme" / "static" / "secret.css").write_text(f"/* {SECRET} */", encoding="utf-8")
    return folder


def published(site: Path) -> str:
    build = site / "build"
    files = build.rglob("*") if build.exists() else []
    return "".join(file.read_text("utf-8", errors="replace") for file in files if file.is_file())


INCLUDES = {
    "up-and-out": '{% include "../../../outside/secret.txt" %}',
    "absolute": '{% include "/etc/passwd" %}',
    "absolute-to-the-secret": '{% include "OUTSIDE/secret.txt" %}',
    "imported-from-outside": '{% import "../../../outside/secret.txt" as secret %}',
    "extends-from-outside": '{% extends "../../../outside/theme/templates/page.html" %}',
}


@pytest.mark.parametrize("case", sorted(INCLUDES))
def test_a_template_cannot_include_a_file_outside_the_site(case, outside, make_site, run):
    statement = INCLUDES[case].replace("OUTSIDE", str(outside))
    site = make_site({PAGE: page_template(statement)})
    code, _, err = run("build", "-s", str(site))
    assert code == 1, err
    assert f"{PAGE}:3: " in err and "hint: " in err and "internal error" not in err, err
    assert SECRET not in published(site) and SECRET not in err


LINKS = {
    "a-template": ("themes/default/templates/_secret.html", "secret.txt", f"{PAGE}", "_secret.html"),
    "a-page-template": ("themes/default/templates/page.html", "theme/templates/page.html", "", ""),
    "a-static-file": ("themes/default/static/secret.css", "theme/static/secret.css", "", ""),
    "a-static-folder": ("themes/default/static/more", "theme/static", "", ""),
    "the-strings": ("themes/default/i18n.yaml", "secret.txt", "", ""),
    "the-theme-folder": ("themes/default", "theme", "", ""),
    "the-themes-folder": ("themes", "", "", ""),
}


@pytest.mark.parametrize("case", sorted(LINKS))
def test_a_theme_file_linked_from_outside_the_site_is_refused(case, outside, make_site, run):
    link, target, including, name = LINKS[case]
    files = {PAGE: page_template(f'{{% include "{name}" %}}')} if including else {}
    site = make_site(files)
    if case == "the-themes-folder":
        (outside / "themes").mkdir()
        os.symlink(outside / "theme", outside / "themes" / "default")
        target = "themes"
    (site / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside / target, site / link)
    code, _, err = run("build", "-s", str(site))
    assert code == 1, err
    shown = "themes/default" if case == "the-themes-folder" else link
    assert f"{shown}: " in err and "outside the site folder" in err and "hint: " in err, err
    assert SECRET not in published(site)


@pytest.mark.parametrize("name", ["../outside", "../../outside/theme", "/etc", "..", "themes/default", "default/.."])
def test_the_theme_setting_names_a_folder_in_themes_and_nothing_else(name, outside, make_site, run):
    site_yaml = MINIMAL_SITE["content/site.yaml"] + f'theme: "{name}"\n'
    site = make_site({"content/site.yaml": site_yaml})
    code, _, err = run("build", "-s", str(site))
    assert code == 1, err
    assert "content/site.yaml:16: " in err and "theme: default" in err, err
    assert SECRET not in published(site)


def test_a_theme_may_link_to_files_inside_the_site(make_site, run):
    site = make_site({"shared/site.css": "/* shared inside the site */\n"})
    (site / "themes/default/static").mkdir(parents=True)
    os.symlink(site / "shared/site.css", site / "themes/default/static/shared.css")
    code, _, err = run("build", "-s", str(site))
    assert code == 0, err
    assert (site / "build/static/shared.css").read_text(encoding="utf-8") == "/* shared inside the site */\n"


def test_templates_call_each_kind_of_function_as_jinja_itself_does():
    """The theme's quicker context (sitegen.render.templates.QuickCallContext) against Jinja's."""
    from sitegen.render.templates import QuickCallContext

    @jinja2.pass_context
    def page_language(context: jinja2.runtime.Context) -> str:
        return context["lang"]

    class Greeting:
        @jinja2.pass_environment
        def __call__(self, environment: jinja2.Environment, name: str) -> str:
            return f"{type(environment).__name__} greets {name}"

    def stops() -> None:
        raise StopIteration

    source = (
        "{{ page_language() }}|{{ greet('x') }}|{% macro box(a) %}[{{ a }}{{ caller() if caller }}]{% endmacro %}"
        "{{ box(1) }}{% call box(2) %}c{% endcall %}|{{ stops() is undefined }}|{{ twice(3) }}|"
        "{% for n in [1] %}{{ page_language() }}{% endfor %}"
    )
    drawn = []
    for context in (jinja2.runtime.Context, QuickCallContext):
        environment = jinja2.Environment()
        environment.context_class = context
        values = {"lang": "en", "greet": Greeting(), "stops": stops, "twice": lambda n: n * 2}
        drawn.append(environment.from_string(source).render(values, page_language=page_language))
    assert drawn[0] == drawn[1] == "en|Environment greets x|[1][2c]|True|6|en"

"""After `pip install`, the docs are within reach: the starter's site.yaml shows every setting,
`sitegen docs` writes the field and theme references into the site, and `sitegen theme copy`
copies a packaged theme file to override it, never over a file and never outside the theme."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from sitegen.content.fields import FieldMapping, ListOf
from sitegen.content.schema import SITE_SCHEMA
from sitegen.content.theme import DEFAULT_THEME
from sitegen.editor.skeleton import STARTER

DEPRECATED = {"traditional_chinese"}
_KEY = re.compile(r"^( *)(?:- )?([a-z_]+):(?: |$)")
_COMMENTED = re.compile(r"^( *)# (.*)$")


def schema_paths(record: FieldMapping, prefix: str = "") -> Iterator[str]:
    for spec in record.fields:
        if spec.name in DEPRECATED:
            continue
        yield prefix + spec.name
        inner = spec.type.item if isinstance(spec.type, ListOf) else spec.type
        if isinstance(inner, FieldMapping):
            yield from schema_paths(inner, f"{prefix}{spec.name}.")


def written_paths(text: str) -> set[str]:
    """Every key path the file sets or shows as a commented example (`# key: value`)."""
    paths, stack = set(), []  # stack of (indent, name)
    for line in text.splitlines():
        commented = _COMMENTED.match(line)
        shown = commented.group(1) + commented.group(2) if commented else line
        match = _KEY.match(shown)
        if not match:
            continue
        indent = len(match.group(1)) + (2 if shown.lstrip().startswith("- ") else 0)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, match.group(2)))
        paths.add(".".join(name for _, name in stack))
    return paths


def test_the_starter_site_yaml_shows_every_setting():
    text = (STARTER / "content" / "site.yaml").read_text(encoding="utf-8")
    assert sorted(set(schema_paths(SITE_SCHEMA)) - written_paths(text)) == []
    assert "sitegen docs" in text.splitlines()[0] + text.splitlines()[1]


def test_sitegen_docs_writes_the_references_into_a_new_site(tmp_path, run):
    site = tmp_path / "site"
    assert run("init", str(site))[0] == 0
    code, out, err = run("docs", "-s", str(site))
    assert code == 0, err
    fields = (site / "docs" / "fields.md").read_text(encoding="utf-8")
    themes = (site / "docs" / "themes.md").read_text(encoding="utf-8")
    assert "docs/fields.md" in out and "docs/themes.md" in out
    for path in ("base_url", "deploy.bucket", "highlights[].source", "location.lat", "figures[].source"):
        assert f"| `{path}` |" in fields, path
    assert "| `park.html` |" in themes and "sitegen theme copy templates/park.html" in themes
    assert "| `nav_members` |" in themes
    assert run("docs", "-s", str(site))[0] == 0  # written again, e.g. after an upgrade


def test_sitegen_docs_never_overwrites_a_file_it_did_not_write(tmp_path, run):
    site = tmp_path / "site"
    assert run("init", str(site))[0] == 0
    (site / "docs").mkdir()
    (site / "docs" / "themes.md").write_text("# Our own notes\n", encoding="utf-8")
    code, _, err = run("docs", "-s", str(site))
    assert code == 1
    assert "docs/themes.md: 已存在，不是 sitegen docs 写的，没有覆盖" in err and "hint: " in err
    assert (site / "docs" / "themes.md").read_text(encoding="utf-8") == "# Our own notes\n"
    assert not (site / "docs" / "fields.md").exists()


def test_theme_copy_copies_a_packaged_template_that_then_overrides_the_default(make_site, run):
    site = make_site()
    code, out, err = run("theme", "copy", "templates/park.html", "-s", str(site))
    assert code == 0, err
    copy = site / "themes" / "default" / "templates" / "park.html"
    assert copy.read_bytes() == (DEFAULT_THEME / "templates" / "park.html").read_bytes()
    assert "themes/default/templates/park.html" in out
    copy.write_text(copy.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}<p>OWN COPY</p>"))
    assert run("build", "-s", str(site))[0] == 0
    assert "OWN COPY" in (site / "build" / "parks" / "qilu-software-park" / "index.html").read_text(encoding="utf-8")
    for name in ("i18n.yaml", "static/css/site.css"):
        assert run("theme", "copy", name, "-s", str(site))[0] == 0
        assert (site / "themes" / "default" / name).read_bytes() == (DEFAULT_THEME / name).read_bytes()


def test_theme_copy_goes_to_the_theme_site_yaml_names(make_site, run):
    site = make_site()
    settings = site / "content" / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "theme: ours\n", encoding="utf-8")
    assert run("theme", "copy", "templates/home.html", "-s", str(site))[0] == 0
    assert (site / "themes" / "ours" / "templates" / "home.html").is_file()


def test_theme_copy_never_overwrites(make_site, run):
    site = make_site()
    own = site / "themes" / "default" / "templates" / "park.html"
    own.parent.mkdir(parents=True)
    own.write_text("mine", encoding="utf-8")
    code, _, err = run("theme", "copy", "templates/park.html", "-s", str(site))
    assert code == 1 and "already exists, not overwritten" in err
    assert own.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(
    "name",
    ["../content/site.yaml", "/etc/passwd", "templates/../../cli.py", "../theme/i18n.yaml", "templates", ""],
)
def test_theme_copy_refuses_what_is_not_a_file_of_the_default_theme(make_site, run, name):
    site = make_site()
    code, _, err = run("theme", "copy", name, "-s", str(site))
    assert code == 1 and "the default theme has no such file" in err and "hint: " in err
    assert not (site / "themes").exists()


def test_theme_copy_suggests_the_closest_file_for_a_typo(make_site, run):
    code, _, err = run("theme", "copy", "templates/prak.html", "-s", str(make_site()))
    assert code == 1 and "did you mean templates/park.html?" in err


def test_every_document_the_starter_points_to_is_one_sitegen_docs_writes(tmp_path, run):
    site = tmp_path / "site"
    assert run("init", str(site))[0] == 0
    assert run("docs", "-s", str(site))[0] == 0
    pointers = [
        (file.name, line, name)
        for file in (site / "content").rglob("*")
        if file.suffix in (".md", ".yaml")
        for line in file.read_text(encoding="utf-8").splitlines()
        for name in re.findall(r"docs/([\w.-]+\.md)", line)
    ]
    assert pointers
    assert [pointer for pointer in pointers if not (site / "docs" / pointer[2]).is_file()] == []
    assert all("sitegen docs" in line for _, line, _ in pointers)

"""The same corpus as a Hugo site, so the benchmark can set our build time against Hugo's.

Reads a sitegen site's content/ (parks, events, pages; `<slug>.md` plus `<slug>.en.md`) and writes
a Hugo site with the same pages in both languages through Hugo's `.en.md` file-name convention:
Chinese at the root, English under /en/, cities and sectors as taxonomies (a page per city and per
sector, like ours), and a minimal layout of our own: a base, a home page, list pages and single
pages. Like ours, the site has a sitemap and one feed of events per language (Hugo's RSS; its
default feed for every list page is turned off). No theme, no download, no map, no search index,
no calendar or data files: those are ours alone, and count against us.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("zh", "en")
COLLECTIONS = {"parks": ("园区", "Parks"), "events": ("活动", "Events"), "pages": ("页面", "Pages")}
TITLE_FIELD = {"parks": "name", "events": "title", "pages": "title"}

CONFIG = """\
baseURL = "http://localhost:1313/"
title = "{title}"
defaultContentLanguage = "zh"
defaultContentLanguageInSubdir = false
enableRobotsTXT = false
disableKinds = []

# Feeds as ours: one per language, of the events (Hugo's default is a feed for every list page).
[outputs]
home = ["HTML"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]

[taxonomies]
city = "cities"
sector = "sectors"

[languages.zh]
weight = 1
languageName = "中文"
title = "{title}"

[languages.en]
weight = 2
languageName = "English"
title = "{title_en}"
"""

LAYOUTS = {
    "_default/baseof.html": """\
<!DOCTYPE html>
<html lang="{{ .Site.Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ .Site.Title }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}
</head>
<body>
<header>
<a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
<nav>
{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{ end }}
{{ range $name, $taxonomy := .Site.Taxonomies }}<a href="{{ (printf "/%s/" $name) | relLangURL }}">{{ $name }}</a>
{{ end }}
</nav>
{{ range .Translations }}
<a hreflang="{{ .Language.Lang }}" href="{{ .RelPermalink }}">{{ .Language.LanguageName }}</a>
{{ end }}
</header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ .Site.Title }}</footer>
</body>
</html>
""",
    "index.html": """\
{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
{{ range .Site.Sections }}
<section>
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<ul>{{ range first 10 .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</section>
{{ end }}
{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.summary }}: {{ . }}{{ end }}</li>
{{ end }}
</ul>
{{ end }}
""",
    "_default/single.html": """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p class="summary">{{ . }}</p>{{ end }}
<dl>
{{ with .Params.level }}<dt>level</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.kind }}<dt>kind</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.established }}<dt>established</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.lat }}<dt>location</dt><dd>{{ . }}, {{ $.Params.lon }}</dd>{{ end }}
{{ with .GetTerms "cities" }}<dt>city</dt>
<dd>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>{{ end }}
{{ with .GetTerms "sectors" }}<dt>sectors</dt>
<dd>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>{{ end }}
{{ with .Params.parks }}<dt>parks</dt>
<dd>{{ range . }}<a href="{{ relref $ (printf "/parks/%s" .) }}">{{ . }}</a> {{ end }}</dd>{{ end }}
</dl>
{{ .Content }}
</article>
{{ end }}
""",
}


def write_hugo_site(site: Path, target: Path) -> int:
    """Write the Hugo mirror of `site` into `target` (which must not exist); return its page files."""
    content = site / "content"
    settings = yaml.safe_load((content / "site.yaml").read_text("utf-8"))
    (target / "content").mkdir(parents=True)
    (target / "config.toml").write_text(
        CONFIG.format(title=_text(settings["title"], "zh"), title_en=_text(settings["title"], "en")),
        encoding="utf-8",
    )
    for name, text in LAYOUTS.items():
        (target / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (target / "layouts" / name).write_text(text, encoding="utf-8")
    for taxonomy, vocabulary in (("cities", "cities.yaml"), ("sectors", "sectors.yaml")):
        for term, labels in yaml.safe_load((content / vocabulary).read_text("utf-8")).items():
            folder = target / "content" / taxonomy / term
            folder.mkdir(parents=True)
            for lang in LANGUAGES:
                suffix = ".en.md" if lang == "en" else ".md"
                (folder / f"_index{suffix}").write_text(_front_matter({"title": labels[lang]}), encoding="utf-8")
    written = 0
    for collection, titles in COLLECTIONS.items():
        folder = content / collection
        if not folder.is_dir():
            continue
        out = target / "content" / collection
        out.mkdir()
        for lang, title in zip(LANGUAGES, titles, strict=True):
            suffix = ".en.md" if lang == "en" else ".md"
            index = {"title": title, **({"outputs": ["HTML", "RSS"]} if collection == "events" else {})}
            (out / f"_index{suffix}").write_text(_front_matter(index), encoding="utf-8")
        for source in sorted(folder.glob("*.md")):
            if source.name.endswith(".en.md"):
                continue
            slug = source.name.removesuffix(".md")
            fields, body_zh = split(source.read_text("utf-8"))
            english = folder / f"{slug}.en.md"
            overrides, body_en = split(english.read_text("utf-8")) if english.exists() else ({}, body_zh)
            for lang, body in (("zh", body_zh), ("en", body_en)):
                suffix = ".en.md" if lang == "en" else ".md"
                front = _hugo_fields(collection, fields, overrides if lang == "en" else {}, lang)
                (out / f"{slug}{suffix}").write_text(_front_matter(front) + body, encoding="utf-8")
                written += 1
    return written


def split(text: str) -> tuple[dict[str, Any], str]:
    """Front matter and body of a sitegen Markdown file; no front matter gives an empty mapping."""
    if not text.startswith("---\n"):
        return {}, text
    head, _, body = text[4:].partition("\n---\n")
    return yaml.safe_load(head) or {}, body


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang, value.get("zh", "")))
    return str(value)


def _hugo_fields(collection: str, fields: dict[str, Any], overrides: dict[str, Any], lang: str) -> dict[str, Any]:
    def localized(key: str) -> str | None:
        if key in overrides:
            return str(overrides[key])
        return _text(fields[key], lang) if key in fields else None

    front: dict[str, Any] = {"title": localized(TITLE_FIELD[collection])}
    if summary := localized("summary"):
        front["summary"] = summary
        front["description"] = summary
    for key in ("level", "kind", "established"):
        if key in fields:
            front[key] = fields[key]
    if "location" in fields:
        front["lat"], front["lon"] = fields["location"]["lat"], fields["location"]["lon"]
    if "city" in fields:
        front["cities"] = [fields["city"]]
    if "sectors" in fields:
        front["sectors"] = list(fields["sectors"])
    if collection == "events":
        front["date"] = str(fields["date"])
        front["parks"] = list(fields.get("parks", []))
    elif isinstance(fields.get("updated"), dt.date):
        front["lastmod"] = str(fields["updated"])
    return front


def _front_matter(fields: dict[str, Any]) -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=True) + "---\n"


def hugo_version() -> str | None:
    """`hugo version`'s first line, or None when Hugo is not installed."""
    hugo = shutil.which("hugo")
    if hugo is None:
        return None
    result = subprocess.run([hugo, "version"], capture_output=True, text=True, check=False)
    return result.stdout.strip().splitlines()[0] if result.returncode == 0 and result.stdout.strip() else None


def hugo_command(target: Path) -> list[str]:
    """A full Hugo build of `target` into `target/public`."""
    return [shutil.which("hugo") or "hugo", "--quiet", "--source", str(target), "--destination", "public"]


def pagefind_command(target: Path) -> list[str]:
    """Pagefind's index of the Hugo build in `target/public`, by the same binary our builds run
    (PAGEFIND_BINARY_PATH, else the plain binary of pagefind-bin)."""
    from sitegen.render.search import _pagefind_binary

    return [str(_pagefind_binary()), "--site", str(target / "public")]


def clean_hugo_output(target: Path) -> None:
    """Remove what a Hugo build leaves, so the next build is a full one."""
    for name in ("public", "resources"):
        shutil.rmtree(target / name, ignore_errors=True)

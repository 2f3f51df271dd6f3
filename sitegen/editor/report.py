"""Showing problems to people and tools (text grouped by file, JSON, GitHub annotations) and the
translation report: what is not yet written in both languages."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from sitegen.content.config import load_config
from sitegen.content.frontmatter import Mapping, parse_yaml, read_text
from sitegen.content.i18n import LANGUAGES
from sitegen.content.placeholders import english_body
from sitegen.content.schema import build_schemas
from sitegen.content.sources import load_sources
from sitegen.content.theme import STRINGS_FILE, Theme
from sitegen.content.translation import fields_only_in_chinese, is_blank
from sitegen.errors import Problem, Problems, Severity, zh_en

JSON_FORMAT_VERSION = 1
"""Bumped only when a key of `format_json`'s document is renamed or removed; new keys may appear."""


@dataclass(frozen=True, slots=True)
class MissingText:
    """One text that exists in some languages but not all: an entry's body, a field, a UI string."""

    path: str
    line: int | None
    name: str
    missing: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "name": self.name, "missing": list(self.missing)}


@dataclass(frozen=True, slots=True)
class TranslationReport:
    """What an English reader does not yet get in English, and which UI strings lack a language;
    the check reports each of these as a problem too."""

    entries: int
    bodies: tuple[MissingText, ...]
    fields: tuple[MissingText, ...]
    ui_strings: tuple[MissingText, ...]

    def summary(self) -> str:
        return zh_en(
            f"翻译：{self.entries} 个条目中 {len(self.bodies)} 个没有英文正文，"
            f"{len(self.fields)} 个字段缺少英文，{len(self.ui_strings)} 条界面文字缺少某种语言",
            f"translation: {len(self.bodies)} of {self.entries} entries have no English text, "
            f"{len(self.fields)} field(s) lack English, {len(self.ui_strings)} UI string(s) lack a language",
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "entries": self.entries,
            "entries_without_english": [gap.as_dict() for gap in self.bodies],
            "fields_without_english": [gap.as_dict() for gap in self.fields],
            "ui_strings_missing_a_language": [gap.as_dict() for gap in self.ui_strings],
        }


def load_translation_report(root: Path) -> TranslationReport:
    """Read the content and the theme's UI strings again, on their own, so the report is complete
    even when the site has errors; files that cannot be read are left to `check` to report.
    A site not published in English misses no English text."""
    sources = load_sources(root, Problems())
    schemas = build_schemas(lambda: (), lambda: ())
    bodies: list[MissingText] = []
    fields: list[MissingText] = []
    config = load_config(root, Problems())
    for source in sources if config is None or "en" in config.languages else ():
        if english_body(source.en) is None and source.needs_english_body:
            bodies.append(MissingText(source.zh.path, None, source.slug, ("en",)))
        record = schemas.for_collection(source.collection)
        fields.extend(
            MissingText(source.zh.path, line, name, ("en",)) for name, line in fields_only_in_chinese(source, record)
        )
    theme = config.theme if config is not None else "default"
    return TranslationReport(len(sources), tuple(bodies), tuple(fields), tuple(_ui_strings_missing(root, theme)))


def _ui_strings_missing(root: Path, theme: str) -> Iterator[MissingText]:
    """UI strings of the site's own theme folder without English (the default theme has all)."""
    site_theme = Theme(root, theme)
    file = site_theme.override / STRINGS_FILE
    if site_theme.override not in site_theme.folders() or not file.is_file() or not site_theme.may_read(file):
        return
    relative = file.relative_to(root).as_posix()
    scratch = Problems()
    text = read_text(file, relative, scratch)
    data = parse_yaml(text, relative, scratch) if text is not None else None
    if not isinstance(data, Mapping):
        return
    for key, value in data.items():
        texts = value if isinstance(value, Mapping) else {"zh": value}
        missing = tuple(lang for lang in LANGUAGES if is_blank(texts.get(lang)) or not isinstance(texts[lang], str))
        if missing:
            yield MissingText(relative, data.line_of(key), key, missing)


def format_text(problems: Problems) -> str:
    """Every problem as `path:line: message` and its hint, grouped by file with a blank line between."""
    groups = groupby(problems.sorted(), key=lambda problem: problem.path)
    return "\n\n".join("\n".join(problem.format() for problem in group) for _, group in groups)


def format_json(problems: Problems, strict: bool, translation: TranslationReport | None = None) -> str:
    """A stable document for other tools: same problems, same order, every run."""
    document = {
        "version": JSON_FORMAT_VERSION,
        "ok": not problems.is_fatal(strict),
        "strict": strict,
        "errors": len(problems.errors),
        "warnings": len(problems.warnings),
        "problems": [_problem_dict(problem) for problem in problems.sorted()],
        "translation": translation.as_dict() if translation is not None else None,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _problem_dict(problem: Problem) -> dict[str, Any]:
    return {
        "path": problem.path,
        "line": problem.line,
        "column": problem.column,
        "severity": problem.severity.value,
        "message": problem.message,
        "hint": problem.hint,
    }


def on_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def format_github(problems: Problems, root: Path) -> str:
    """GitHub Actions workflow commands, so each problem is shown on its line in the pull request."""
    commands = []
    for problem in problems.sorted():
        level = "error" if problem.severity is Severity.ERROR else "warning"
        properties = {"file": _repository_path(root, problem.path)}
        if problem.line:
            properties["line"] = str(problem.line)
        properties["title"] = "sitegen"
        text = problem.message + (f"\nhint: {problem.hint}" if problem.hint else "")
        listed = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
        commands.append(f"::{level} {listed}::{_escape_data(text)}")
    return "\n".join(commands)


def _repository_path(root: Path, path: str) -> str:
    """Problems name files from the site folder; GitHub wants them from the checkout (the working folder)."""
    try:
        return Path(os.path.relpath(root / path)).as_posix()
    except ValueError:  # another drive on Windows
        return (root / path).as_posix()


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")

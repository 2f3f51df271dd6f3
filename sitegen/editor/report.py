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
from sitegen.content.fields import Bilingual, FieldMapping, FieldType, ListOf
from sitegen.content.frontmatter import Mapping, Sequence, parse_yaml, read_text
from sitegen.content.i18n import LANGUAGES
from sitegen.content.schema import TRANSLATABLE_FIELDS, build_schemas
from sitegen.content.sources import Source, load_sources
from sitegen.content.theme import STRINGS_FILE, Theme
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
    """What an English reader does not yet get in English, and which UI strings lack a language.

    Bodies and UI strings are already reported by the loader (a warning and an error); fields
    in Chinese only are reported nowhere else, so `warnings` turns those into problems.
    """

    entries: int
    bodies: tuple[MissingText, ...]
    fields: tuple[MissingText, ...]
    ui_strings: tuple[MissingText, ...]

    def warnings(self) -> Problems:
        problems = Problems()
        for gap in self.fields:
            problems.warning(
                gap.path,
                gap.line,
                zh_en(f"'{gap.name}' 还没有英文", f"'{gap.name}' has no English text yet"),
                zh_en(
                    f"写成 {{zh: 中文, en: English}}；英文页面暂时显示中文{_override_hint_zh(gap)}",
                    f"write it as {{zh: 中文, en: English}}; until then the English page shows the Chinese"
                    f"{_override_hint_en(gap)}",
                ),
            )
        return problems

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


def _override_hint_zh(gap: MissingText) -> str:
    return f"，也可以在 {gap.path[:-3]}.en.md 里写 {gap.name}: English" if _overridable(gap) else ""


def _override_hint_en(gap: MissingText) -> str:
    return f"; or write {gap.name}: English in {gap.path[:-3]}.en.md" if _overridable(gap) else ""


def _overridable(gap: MissingText) -> bool:
    collection = gap.path.split("/")[-2] if gap.path.count("/") >= 1 else ""
    return gap.name in TRANSLATABLE_FIELDS.get(collection, ())


def load_translation_report(root: Path) -> TranslationReport:
    """Read the content and the theme's UI strings again, on their own, so the report is complete
    even when the site has errors; files that cannot be read are left to `check` to report."""
    sources = load_sources(root, Problems())
    schemas = build_schemas(lambda: (), lambda: ())
    bodies: list[MissingText] = []
    fields: list[MissingText] = []
    for source in sources:
        if source.en is None and source.collection != "projects":  # projects have no body
            bodies.append(MissingText(source.zh.path, None, source.slug, ("en",)))
        fields.extend(_fields_without_english(source, schemas.for_collection(source.collection)))
    return TranslationReport(len(sources), tuple(bodies), tuple(fields), tuple(_ui_strings_missing(root)))


def _fields_without_english(source: Source, record: FieldMapping) -> Iterator[MissingText]:
    overridden = set(source.en.meta) if source.en is not None and source.en.meta else set()
    for name, line in _chinese_only(record, source.zh.meta, ""):
        if name not in overridden:
            yield MissingText(source.zh.path, line, name, ("en",))


def _chinese_only(record: FieldMapping, value: Any, prefix: str) -> Iterator[tuple[str, int]]:
    """(field name, line) of every optional-English bilingual value written in Chinese only."""
    if not isinstance(value, Mapping):
        return
    for spec in record.fields:
        if spec.name not in value:
            continue
        name, item, line = prefix + spec.name, value[spec.name], value.line_of(spec.name)
        if isinstance(spec.type, ListOf) and isinstance(item, Sequence):
            for index, element in enumerate(item):
                yield from _value_only_in_chinese(spec.type.item, element, f"{name}[{index + 1}]", item.line_of(index))
        else:
            yield from _value_only_in_chinese(spec.type, item, name, line)


def _value_only_in_chinese(field_type: FieldType, value: Any, name: str, line: int) -> Iterator[tuple[str, int]]:
    if isinstance(field_type, FieldMapping):
        yield from _chinese_only(field_type, value, name + ".")
    elif isinstance(field_type, Bilingual) and not field_type.require_english and _lacks_english(value):
        yield name, line


def _lacks_english(value: Any) -> bool:
    if isinstance(value, Mapping):
        return not _blank(value.get("zh")) and _blank(value.get("en"))
    return isinstance(value, str) and bool(value.strip())


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _ui_strings_missing(root: Path) -> Iterator[MissingText]:
    """UI strings of the site's own theme folder without English (the default theme has all)."""
    theme = Theme(root, _theme_name(root))
    file = theme.override / STRINGS_FILE
    if theme.override not in theme.folders() or not file.is_file() or not theme.may_read(file):
        return
    relative = file.relative_to(root).as_posix()
    scratch = Problems()
    text = read_text(file, relative, scratch)
    data = parse_yaml(text, relative, scratch) if text is not None else None
    if not isinstance(data, Mapping):
        return
    for key, value in data.items():
        texts = value if isinstance(value, Mapping) else {"zh": value}
        missing = tuple(lang for lang in LANGUAGES if _blank(texts.get(lang)) or not isinstance(texts[lang], str))
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


def _theme_name(root: Path) -> str:
    config = load_config(root, Problems())
    return config.theme if config is not None else "default"

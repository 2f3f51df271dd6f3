"""Short bilingual fields written in Chinese only: found once, for the check's warnings (which
`build` and `check` share) and for the translation report."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sitegen.content.fields import Bilingual, FieldMapping, FieldType, ListOf
from sitegen.content.frontmatter import Mapping, Sequence
from sitegen.content.schema import TRANSLATABLE_FIELDS
from sitegen.content.sources import Source
from sitegen.errors import Problems, zh_en


def fields_only_in_chinese(source: Source, record: FieldMapping) -> Iterator[tuple[str, int]]:
    """(field name, line) of every optional-English value of the entry's Chinese file that has
    no English, neither beside it nor in the English file."""
    overridden = set(source.en.meta) if source.en is not None and source.en.meta else set()
    for name, line in _chinese_only(record, source.zh.meta, ""):
        if name not in overridden:
            yield name, line


def warn_fields_only_in_chinese(source: Source, record: FieldMapping, problems: Problems) -> None:
    """A warning for each: the English page shows the Chinese until someone writes it."""
    path = source.zh.path
    for name, line in fields_only_in_chinese(source, record):
        overridable = name in TRANSLATABLE_FIELDS.get(source.collection, ())
        english_file = f"{path[:-3]}.en.md"
        problems.warning(
            path,
            line,
            zh_en(f"'{name}' 还没有英文", f"'{name}' has no English text yet"),
            zh_en(
                "写成 {zh: 中文, en: English}；英文页面暂时显示中文"
                + (f"，也可以在 {english_file} 里写 {name}: English" if overridable else ""),
                "write it as {zh: 中文, en: English}; until then the English page shows the Chinese"
                + (f"; or write {name}: English in {english_file}" if overridable else ""),
            ),
        )


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
        return not is_blank(value.get("zh")) and is_blank(value.get("en"))
    return isinstance(value, str) and bool(value.strip())


def is_blank(value: Any) -> bool:
    """Nothing written: no value, or only white space."""
    return value is None or (isinstance(value, str) and not value.strip())

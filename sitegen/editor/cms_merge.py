"""What the browser editor sends, merged into the file as it is: only the values that changed are
set (through `sitegen.editor.roundtrip`, as `sitegen import` does), so comments, key order,
quoting, fields the form does not show and the Markdown body stay exactly as they were.

The editor (Decap CMS) sends the whole file, re-written in its own YAML style; writing that would
reformat every file it touches and drop every comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from sitegen.content.fields import Bilingual, FieldMapping, FieldType, ListOf, Spec, Text
from sitegen.content.frontmatter import parse_yaml, split_document
from sitegen.editor.cms_refusal import Refusal
from sitegen.editor.roundtrip import FieldPath, RewriteError, rewrite
from sitegen.errors import Problems, zh_en

Change = tuple[FieldPath, Any]


def split_sent(raw: str, display: str) -> tuple[dict[str, Any], str]:
    """The front matter and body of a file as the editor sent it."""
    problems = Problems()
    document = split_document(raw.replace("\r\n", "\n"), display, problems)
    if document is None:
        raise Refusal(
            zh_en("编辑器发来的内容无法读取", "what the editor sent cannot be read"),
            problems.errors[0].message if problems.errors else "",
        )
    return plain(document.meta or {}), document.body


def plain(value: Any) -> Any:
    """Mappings and lists as plain dicts and lists, with blank values (`""`, `[]`, `{zh: , en: }`) left out:
    a field left empty counts as not written, as the schema reads it."""
    if isinstance(value, dict):
        kept = {key: plain(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if not _blank(item)}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _blank(value: Any) -> bool:
    return value is None or value == {} or value == []


def changes_between(old: dict[str, Any], new: dict[str, Any], record: FieldMapping, hidden: set[str]) -> list[Change]:
    """The (path, value) changes that turn `old` into `new`. A key the form does not show (unknown
    to the schema) is kept even when the editor left it out; `hidden` keys are never written."""
    shown = {spec.name for spec in record.fields}
    changes: list[Change] = []
    for key, value in new.items():
        if key not in hidden:
            changes += _value_changes(old.get(key), value, _child_type(record, key), (key,))
    changes += [((key,), None) for key in old if key not in new and key in shown]
    return changes


def _child_type(field_type: FieldType, key: str | int) -> FieldType:
    if isinstance(field_type, FieldMapping):
        return next((spec.type for spec in field_type.fields if spec.name == key), Text())
    if isinstance(field_type, ListOf):
        return field_type.item
    return Text()


def _value_changes(old: Any, new: Any, field_type: FieldType, path: FieldPath) -> Iterator[Change]:
    if isinstance(field_type, Bilingual) and isinstance(old, str | int | float) and isinstance(new, dict):
        old = {"zh": old}
    if _same(old, new):
        return
    if new is None:
        yield path, None
    elif isinstance(new, dict):
        old_map = old if isinstance(old, dict) else {}
        for key, value in new.items():
            yield from _value_changes(old_map.get(key), value, _child_type(field_type, key), (*path, key))
        known = _known_keys(field_type)
        yield from (((*path, key), None) for key in old_map if key not in new and (known is None or key in known))
    elif isinstance(new, list) and any(isinstance(item, dict) for item in new):
        old_list = old if isinstance(old, list) else []
        for index, item in enumerate(new):
            before = old_list[index] if index < len(old_list) else None
            yield from _value_changes(before, item, _child_type(field_type, index), (*path, index))
        yield from (((*path, index), None) for index in range(len(new), len(old_list)))
    else:
        yield path, new


def _known_keys(field_type: FieldType) -> set[str] | None:
    """Keys the form shows inside a value; None when it shows them all."""
    if isinstance(field_type, FieldMapping):
        return {spec.name for spec in field_type.fields}
    return None


def _same(old: Any, new: Any) -> bool:
    """Equal as the site reads them: `1995` and `1995.0`, a date as text or as a date."""
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(_same(old[key], new[key]) for key in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True))
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, int | float) and isinstance(new, int | float):
        return float(old) == float(new)
    if old is None or new is None:
        return old is new
    return str(old) == str(new)


def merge_entry(
    original: str | None, sent: str, record: FieldMapping, hidden: set[str], display: str, with_text: bool = True
) -> str:
    """The entry file with the sent values and body; `original` None for a new file. Without
    `with_text` (the form has no text field) the file's body, if someone wrote one, is kept."""
    new_meta, new_body = split_sent(sent, display)
    if not with_text:
        new_body = ""
    if original is None:
        changes = changes_between({}, new_meta, record, hidden)
        text = _rewritten(None, record, changes) if changes else ""
        return text + _body_for_new(new_body)
    old = split_document(_normalized(original), display, Problems())
    if old is None:
        raise Refusal(
            zh_en(
                f"{display} 现在有错误，无法在编辑器里修改", f"{display} has errors now, so the editor cannot change it"
            ),
            zh_en(
                "先用文本编辑器改正它（sitegen check 会指出错误）",
                "fix it in a text editor first (sitegen check says how)",
            ),
        )
    if not with_text:
        new_body = old.body
    changes = changes_between(plain(old.meta or {}), new_meta, record, hidden)
    text = original
    if changes:
        if old.meta is None:
            raise Refusal(
                zh_en(f"{display} 没有 front matter，不能添加字段", f"{display} has no front matter to add fields to"),
                zh_en("用文本编辑器添加", "add them in a text editor"),
            )
        text = _rewritten(original, record, changes)
    if new_body.strip() == old.body.strip():
        return text
    return _with_body(text, new_body, old.meta is not None)


def _rewritten(original: str | None, record: FieldMapping, changes: list[Change]) -> str:
    try:
        return rewrite(original, record, changes)
    except RewriteError as error:
        raise Refusal(
            zh_en("这个文件的 front matter 无法自动修改", "this file's front matter cannot be changed automatically"),
            str(error),
        ) from None


def read_sent_yaml(sent: str, display: str) -> dict[str, Any]:
    """A YAML file (site.yaml, sectors.yaml) as the editor sent it."""
    problems = Problems()
    data = parse_yaml(sent, display, problems)
    if problems.errors or not isinstance(data, dict | None):
        raise Refusal(zh_en("编辑器发来的内容无法读取", "what the editor sent cannot be read"), "")
    return plain(data or {})


def merge_yaml(original: str, new: dict[str, Any], record: FieldMapping, display: str) -> str:
    """A YAML settings file with the new values; what the form does not show stays as it is."""
    old = plain(parse_yaml(_normalized(original), display, Problems()) or {})
    changes = changes_between(old, new, record, set())
    if not changes:
        return original
    newline = _newline(original)
    bom = "\ufeff" if original.startswith("\ufeff") else ""
    body = original[len(bom) :]
    if body and not body.endswith(newline):
        body += newline
    fence = "---" + newline
    text = _rewritten(f"{bom}{fence}{body}{fence}", record, changes)
    return bom + text[len(bom) + len(fence) : -len(fence)]


def vocabulary_as_list(text: str, key: str, display: str) -> str:
    """`sectors.yaml` (id -> fields) as the editor's form holds it: {sectors: [{id, …}, …]}."""
    data = parse_yaml(_normalized(text), display, Problems())
    entries = [{"id": name, **plain(fields)} for name, fields in (data or {}).items() if isinstance(fields, dict)]
    return yaml.safe_dump({key: entries}, allow_unicode=True, sort_keys=False)


def merge_vocabulary(original: str, sent: dict[str, Any], key: str, entry: FieldMapping, display: str) -> str:
    """`sectors.yaml` with the form's list: changed fields set in place, new ids added in the
    form's order, ids taken out of the list removed."""
    vocabulary = {
        str(item["id"]): {name: value for name, value in item.items() if name != "id"}
        for item in sent.get(key) or []
        if isinstance(item, dict) and item.get("id")
    }
    old_ids = list(parse_yaml(_normalized(original), display, Problems()) or {})
    ids = [*vocabulary, *(name for name in old_ids if name not in vocabulary)]
    return merge_yaml(original, vocabulary, FieldMapping(tuple(Spec(name, entry, "") for name in ids)), display)


def _normalized(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _newline(text: str) -> str:
    found = re.search(r"\r\n|\r|\n", text)
    return found.group() if found else "\n"


def _body_for_new(body: str) -> str:
    text = body.strip("\n")
    return text + "\n" if text else ""


def _with_body(text: str, body: str, has_front_matter: bool) -> str:
    """`text` with its body replaced, in the file's own line endings."""
    newline = _newline(text)
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    normalized = _normalized(text)
    if has_front_matter:
        lines = normalized.split("\n")
        closing = next(index for index in range(1, len(lines)) if lines[index].rstrip() == "---")
        head = "\n".join(lines[: closing + 1]) + "\n"
    else:
        head = ""
    joined = head + _body_for_new(body)
    return bom + joined.replace("\n", newline)

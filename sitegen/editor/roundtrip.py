"""Changing some fields of an entry's front matter in place, so comments, key order, quoting and the
Markdown body stay as the editor left them (ruamel.yaml's round-trip mode).

ruamel.yaml writes the whole front matter again, and not quite as it was (an empty `en:` inside
`{…}` comes back as `en: null`; a comment above a key belongs, to it, to the key before). So only
the top-level keys that changed take its text; every other line is the file's own, byte for byte,
and a new key goes after the key it follows in the schema, above the comments of the next one.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError as RoundTripYAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from sitegen.content.fields import Bilingual, Date, FieldMapping, FieldType, ListOf, Text
from sitegen.content.frontmatter import split_document
from sitegen.errors import Problems

FieldPath = tuple[str | int, ...]
"""Where a value sits in the front matter: ("location", "lat"), ("figures", 0, "label", "zh")."""

_PLAIN_TEXT_TAG = "tag:yaml.org,2002:str"
_ESCAPED = re.compile("[\n\r\t\x85\u2028\u2029\ufeff]")
"""Line breaks and the like, which only a double-quoted scalar keeps as they are (a cell's Alt+Enter)."""


class RewriteError(Exception):
    """The front matter cannot be edited automatically; the editor changes it by hand."""


def rewrite(original: str | None, record: FieldMapping, changes: Iterable[tuple[FieldPath, Any]]) -> str:
    """The file's text with each (path, value) set, or removed when the value is None.

    `original` is the whole file as decoded (a BOM kept as U+FEFF), or None for a new file. Paths
    that run through a list must be given in order, an item's index at most one past the end.
    """
    if original is None:
        bom, head, tail, newline, front = "", "---\n", "---\n", "\n", ""
    else:
        bom = "\ufeff" if original.startswith("\ufeff") else ""
        text = original[len(bom) :]
        ends = list(re.finditer(r"\r\n|\r|\n", text))
        newline = ends[0].group() if ends else "\n"
        starts = [0] + [end.end() for end in ends]
        normalized = text.replace("\r\n", "\n").replace("\r", "\n")
        document = split_document(normalized, "", Problems())
        if document is None or document.meta is None:
            raise RewriteError("the front matter cannot be read")
        closing = document.body_line - 2
        head, tail = text[: starts[1]], text[starts[closing] :]
        front = "".join(line + "\n" for line in normalized.split("\n")[1:closing])
    editor = _round_trip_yaml(front)
    try:
        data = editor.load(front) if front.strip() else None
    except RoundTripYAMLError as error:
        raise RewriteError(str(error)) from None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise RewriteError("the front matter is not a mapping")
    touched = set()
    for path, value in changes:
        _put(data, path, value, record)
        touched.add(path[0])
    for key in touched:
        _prune(data, key)
    output = io.StringIO()
    editor.dump(data, output)
    new_front = "" if not data else _spliced(front, output.getvalue(), touched)
    return bom + head + new_front.replace("\n", newline) + tail


_NULL_IN_FLOW = re.compile(r"(?<=:) null(?=\s*[,}])")


def _empty_kept_empty(written: list[str], before: list[str]) -> list[str]:
    """ruamel.yaml writes an empty value inside `{…}` as `null`; a key whose file said no `null`
    gets its empty values back as the editor wrote them (`en: }`), which every reader takes the same."""
    if any("null" in line for line in before):
        return written
    return [_NULL_IN_FLOW.sub(" ", line) for line in written]


_TOP_LEVEL_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)")


@dataclass
class _Block:
    """A top-level key of the front matter: the comment and blank lines above it, its own lines."""

    key: str
    above: list[str]
    lines: list[str] = field(default_factory=list)


def _blocks(front: str) -> tuple[list[_Block], list[str]]:
    """The top-level keys in order, and the lines after the last one."""
    blocks: list[_Block] = []
    pending: list[str] = []
    for line in front.splitlines(keepends=True):
        if match := _TOP_LEVEL_KEY.match(line):
            blocks.append(_Block(match[1], pending, [line]))
            pending = []
        elif blocks and line.strip() and line[:1] in (" ", "\t", "-"):
            blocks[-1].lines += pending + [line]  # indented, or a list item at the key's own indent
            pending = []
        else:
            pending.append(line)
    return blocks, pending


def _spliced(front: str, dumped: str, touched: set[str | int]) -> str:
    """The file's own lines, with the keys in `touched` as ruamel.yaml wrote them and the keys it
    added after the key they follow; the dump itself when the file's keys cannot be told apart."""
    kept, after_last = _blocks(front)
    written, _ = _blocks(dumped)
    if len({block.key for block in kept}) != len(kept) or not written:
        return dumped
    by_key = {block.key: block for block in written}
    original = {block.key for block in kept}
    added: dict[str | None, list[_Block]] = {}
    previous: str | None = None
    for block in written:
        if block.key in original:
            previous = block.key
        else:
            added.setdefault(previous, []).append(block)
    lines = [line for block in added.get(None, []) for line in block.lines]
    for block in kept:
        lines += block.above
        if block.key in by_key:
            lines += _empty_kept_empty(by_key[block.key].lines, block.lines) if block.key in touched else block.lines
        lines += [line for new in added.get(block.key, []) for line in new.lines]
    return "".join(lines + after_last)


def _round_trip_yaml(front: str) -> YAML:
    """A round-trip dumper that indents lists the way this file already does."""
    editor = YAML(typ="rt")
    editor.preserve_quotes = True
    editor.width = 4096
    editor.allow_unicode = True
    offset = 2
    if front.strip():
        try:
            offset = load_yaml_guess_indent(front)[2]
        except RoundTripYAMLError:
            offset = 2
    if offset == 0:
        editor.indent(mapping=2, sequence=2, offset=0)
    else:
        editor.indent(mapping=2, sequence=4, offset=2)
    return editor


def _order(field_type: FieldType) -> list[str]:
    if isinstance(field_type, FieldMapping):
        return [spec.name for spec in field_type.fields]
    return ["zh", "en"]


def _child_type(field_type: FieldType, key: str | int) -> FieldType:
    if isinstance(field_type, FieldMapping):
        return field_type.spec(str(key)).type
    if isinstance(field_type, ListOf):
        return field_type.item
    return Text()


def _put(node: CommentedMap | CommentedSeq, path: FieldPath, value: Any, field_type: FieldType) -> None:
    key, rest = path[0], path[1:]
    child_type = _child_type(field_type, key)
    current = _get(node, key)
    if not rest:
        if value is None:
            _remove(node, key)
        else:
            _store(node, key, _yaml_value(value, child_type, current, _is_flow(node)), field_type)
        return
    if isinstance(child_type, Bilingual) and isinstance(current, str | int | float) and rest == ("zh",):
        # `district: 安丘市` stays plain text while only its Chinese changes.
        if value is None:
            _remove(node, key)
        else:
            _store(node, key, _yaml_value(value, Text(), current, _is_flow(node)), field_type)
        return
    wanted = CommentedSeq if isinstance(rest[0], int) else CommentedMap
    if not isinstance(current, wanted):
        if value is None:
            return
        current = _new_container(current, child_type, field_type)
        _store(node, key, current, field_type)
    _put(current, rest, value, child_type)


def _get(node: CommentedMap | CommentedSeq, key: str | int) -> Any:
    if isinstance(node, CommentedSeq):
        return node[key] if isinstance(key, int) and key < len(node) else None
    return node.get(key)


def _store(node: CommentedMap | CommentedSeq, key: str | int, value: Any, field_type: FieldType) -> None:
    if isinstance(node, CommentedSeq):
        if isinstance(key, int) and key < len(node):
            node[key] = value
        else:
            node.append(value)
        return
    if key in node:
        node[key] = value
        return
    order = _order(field_type)
    rank = order.index(key) if key in order else len(order)
    position = 0
    for index, existing in enumerate(node):
        if existing in order and order.index(existing) < rank:
            position = index + 1
    node.insert(position, key, value)


def _remove(node: CommentedMap | CommentedSeq, key: str | int) -> None:
    if isinstance(node, CommentedMap):
        node.pop(key, None)
    elif isinstance(key, int) and key < len(node):
        # Emptied list items are removed by _prune, so the indices of later items stay valid.
        node[key] = CommentedMap()


def _new_container(current: Any, field_type: FieldType, parent_type: FieldType) -> CommentedMap | CommentedSeq:
    """A new map or list in the style of the starter content: short ones inline, list items of
    records (figures) as blocks."""
    if isinstance(field_type, ListOf):
        container: CommentedMap | CommentedSeq = CommentedSeq()
        if not isinstance(field_type.item, FieldMapping | Bilingual):
            container.fa.set_flow_style()
        return container
    container = CommentedMap()
    if isinstance(field_type, Bilingual) and isinstance(current, str | int | float) and str(current).strip():
        container["zh"] = _yaml_value(str(current), Text(), None, True)
    if not (isinstance(field_type, FieldMapping) and isinstance(parent_type, ListOf)):
        container.fa.set_flow_style()
    return container


def _is_flow(node: CommentedMap | CommentedSeq) -> bool:
    return bool(node.fa.flow_style())


def _yaml_value(value: Any, field_type: FieldType, current: Any, in_flow: bool) -> Any:
    """`value` as ruamel.yaml should write it, quoted where PyYAML would misread it bare."""
    if isinstance(value, list | tuple):
        items = [_yaml_value(item, Text(), None, True) for item in value]
        if isinstance(current, CommentedSeq):
            del current[:]
            current.extend(items)
            return current
        sequence = CommentedSeq(items)
        sequence.fa.set_flow_style()
        return sequence
    if isinstance(value, str) and isinstance(field_type, Date):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return SingleQuotedScalarString(value)
    if isinstance(value, str) and _ESCAPED.search(value):
        return DoubleQuotedScalarString(value)
    if isinstance(value, str) and _needs_quotes(value, in_flow):
        return SingleQuotedScalarString(value)
    return value


def _needs_quotes(text: str, in_flow: bool) -> bool:
    """Quote what PyYAML (YAML 1.1) would read as something else (yes, no, on, 10:00, 0531, 1_000)
    or could not read bare (`a: b`, and inside `{…}` also `0?`, `a:b`, `x, y`).

    ruamel.yaml writes YAML 1.2, which reads all of those as text, so it would leave them bare.
    """
    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))
    bare = _BARE_IN_FLOW if in_flow else _BARE_IN_BLOCK
    return tag != _PLAIN_TEXT_TAG or not bare.fullmatch(text)


_BARE_IN_FLOW = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^,\[\]{}:?#]*(?<=\S)")
_BARE_IN_BLOCK = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?!.*(: | #))[^\n]*(?<=[^\s:])")
"""Text that every YAML reader takes as the same text without quotes, inside `{…}` or on a line of its own."""


def _prune(node: CommentedMap | CommentedSeq, key: str | int) -> None:
    """Remove the maps and lists that emptied out under `key`, then `key` itself if it is empty."""
    value = _get(node, key)
    if isinstance(value, CommentedMap):
        for child in list(value):
            _prune(value, child)
    elif isinstance(value, CommentedSeq):
        for index in reversed(range(len(value))):
            item = value[index]
            if isinstance(item, CommentedMap | CommentedSeq):
                for child in list(item) if isinstance(item, CommentedMap) else reversed(range(len(item))):
                    _prune(item, child)
                if not item:
                    del value[index]
    if isinstance(value, CommentedMap | CommentedSeq) and not value:
        if isinstance(node, CommentedMap):
            node.pop(key, None)
        elif isinstance(key, int):
            del node[key]

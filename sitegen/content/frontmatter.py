"""Reading editors' files: decoding, splitting YAML front matter from Markdown, and a safe YAML
loader that remembers line numbers and refuses duplicate keys."""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sitegen.errors import Problems, zh_en


class Mapping(dict):
    """A YAML mapping that remembers where it and each of its keys were written."""

    line: int = 0
    key_lines: dict[str, int]
    raw: dict[str, str]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(list):
    """A YAML list that remembers where it and each of its items were written."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _DuplicateKey(yaml.MarkedYAMLError):
    def __init__(self, key: str, first_line: int, mark: yaml.Mark) -> None:
        super().__init__(problem=f"duplicate key {key!r}", problem_mark=mark)
        self.key = key
        self.first_line = first_line
        self.line = mark.line  # counted from 0


_DEEPEST = 50
"""How deep lists and mappings may nest in front matter. No field needs a tenth of it, and the
checks of a value nested a few hundred deep would exhaust Python's stack."""


def _report_too_deep(display: str, line: int, problems: Problems) -> None:
    problems.error(
        display,
        line,
        zh_en("括号嵌套太深", "the brackets are nested too deeply"),
        zh_en("检查 [ ] 和 { } 是否成对", "check that every [ and { is closed"),
    )


def _deepest_line(text: str, first_line: int) -> int:
    """The line where brackets outside quotes first nest deeper than _DEEPEST: where to look
    when the parser itself ran out of stack; the first line when they never do."""
    depth, quote = 0, ""
    for offset, line in enumerate(text.split("\n")):
        for character in line:
            if quote:
                quote = "" if character == quote else quote
            elif character in "'\"":
                quote = character
            elif character in "[{":
                depth += 1
                if depth > _DEEPEST:
                    return first_line + offset
            elif character in "]}":
                depth -= 1
        quote = ""
    return first_line


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line  # counted from 0


def _refuse_deep_nesting(node: yaml.Node, depth: int, deepest: dict[int, int], path: set[int]) -> None:
    """_TooDeep where collections nest deeper than _DEEPEST. A node shared by aliases is
    walked again only when met deeper; one that holds itself is left to the constructor,
    which refuses it in its own words."""
    if depth > _DEEPEST:
        raise _TooDeep(node.start_mark.line)
    if isinstance(node, yaml.ScalarNode) or id(node) in path or deepest.get(id(node), -1) >= depth:
        return
    deepest[id(node)] = depth
    path.add(id(node))
    children = [child for pair in node.value for child in pair] if isinstance(node, yaml.MappingNode) else node.value
    for child in children:
        _refuse_deep_nesting(child, depth + 1, deepest, path)
    path.discard(id(node))


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that builds Mapping/Sequence and records a problem for each duplicate key."""

    first_line = 1

    def _line(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.first_line

    def construct_line_mapping(self, node: yaml.MappingNode) -> Mapping:
        mapping = Mapping()
        mapping.line = self._line(node)
        mapping.key_lines = {}
        mapping.raw = {}
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in mapping.key_lines:
                raise _DuplicateKey(key, mapping.key_lines[key], key_node.start_mark)
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = self._line(key_node)
            if isinstance(value_node, yaml.ScalarNode):
                mapping.raw[key] = value_node.value
        return mapping

    def construct_document(self, node: yaml.Node) -> Any:
        _refuse_deep_nesting(node, 0, {}, set())
        return super().construct_document(node)

    def construct_line_sequence(self, node: yaml.SequenceNode) -> Sequence:
        sequence = Sequence(self.construct_object(child, deep=True) for child in node.value)
        sequence.line = self._line(node)
        sequence.item_lines = [self._line(child) for child in node.value]
        return sequence


# Dates stay text so that the schema can read them itself and say which line holds an impossible
# one (PyYAML raises a bare ValueError for 2023-02-30) and so no time zone is ever applied.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_line_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_line_sequence)


class _TagRefused(yaml.constructor.ConstructorError):
    """An explicit tag that SafeLoader would turn into bytes, a set or a datetime; editors never need one."""


def _refuse_tag(loader: _LineLoader, node: yaml.Node) -> None:
    shown = node.tag.replace("tag:yaml.org,2002:", "!!")
    raise _TagRefused(None, None, f"the tag {shown} is not allowed", node.start_mark)


def _refuse_object_tags() -> None:
    for name in ("binary", "set", "omap", "pairs", "timestamp"):
        _LineLoader.add_constructor(f"tag:yaml.org,2002:{name}", _refuse_tag)


_refuse_object_tags()


_SCALAR_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null")}
_STR_TAG = "tag:yaml.org,2002:str"
_MAPPING_TAG = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
_SEQUENCE_TAG = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG


class _FastLineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same loader on LibYAML's parser (PyYAML's C extension), which is much faster.

    It builds the same values with the same line numbers; only its syntax-error wording
    differs, so a file it refuses is read again by _LineLoader, whose messages the hints know.
    """

    first_line = 1
    _line = _LineLoader._line
    construct_line_mapping = _LineLoader.construct_line_mapping
    construct_line_sequence = _LineLoader.construct_line_sequence
    yaml_implicit_resolvers = _LineLoader.yaml_implicit_resolvers
    yaml_constructors = _LineLoader.yaml_constructors
    without_anchors = False
    """Set when the text holds no `&`, so no node is shared: `construct_document` may then
    build the values by a direct walk, a third of the time of PyYAML's general one."""

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        """PyYAML's tag resolution, without the paths and wildcards no loader here registers."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR_TAG
        return _SEQUENCE_TAG if kind is yaml.SequenceNode else _MAPPING_TAG

    def descend_resolver(self, current_node: yaml.Node | None, current_index: Any) -> None:
        """Nothing to follow: no path resolver is registered."""

    def ascend_resolver(self) -> None:
        """Nothing to follow: no path resolver is registered."""

    def construct_document(self, node: yaml.Node) -> Any:
        if self.without_anchors:
            try:
                return self._plain(node, 0)
            except _NotPlain:
                pass
        _refuse_deep_nesting(node, 0, {}, set())
        return super().construct_document(node)

    def _plain(self, node: yaml.Node, depth: int) -> Any:
        """What construct_line_mapping and construct_line_sequence build for plain mappings,
        lists and scalars; _NotPlain for anything else (tags, merge keys, complex keys)."""
        kind, tag = node.__class__, node.tag
        if depth > _DEEPEST:
            raise _TooDeep(node.start_mark.line)
        if kind is yaml.ScalarNode:
            if tag == _STR_TAG:
                return node.value
            if tag in _SCALAR_TAGS:
                return self.yaml_constructors[tag](self, node)
        elif kind is yaml.MappingNode and tag == _MAPPING_TAG:
            mapping = Mapping()
            mapping.line = node.start_mark.line + self.first_line
            key_lines: dict[str, int] = {}
            raw: dict[str, str] = {}
            mapping.key_lines, mapping.raw = key_lines, raw
            for key_node, value_node in node.value:
                if key_node.__class__ is not yaml.ScalarNode:
                    raise _NotPlain
                key = self._plain(key_node, depth + 1)
                if not isinstance(key, str):
                    key = str(key)
                if key in key_lines:
                    raise _DuplicateKey(key, key_lines[key], key_node.start_mark)
                mapping[key] = self._plain(value_node, depth + 1)
                key_lines[key] = key_node.start_mark.line + self.first_line
                if value_node.__class__ is yaml.ScalarNode:
                    raw[key] = value_node.value
            return mapping
        elif kind is yaml.SequenceNode and tag == _SEQUENCE_TAG:
            sequence = Sequence(self._plain(child, depth + 1) for child in node.value)
            sequence.line = node.start_mark.line + self.first_line
            sequence.item_lines = [child.start_mark.line + self.first_line for child in node.value]
            return sequence
        raise _NotPlain


class _NotPlain(Exception):
    """A node the direct walk leaves to PyYAML's general construction."""


def bare_scalar(text: str) -> Any:
    """What a file means by `key: text` with `text` written bare, by the rules files are read
    with: a number, true or false, or the text itself (dates stay text, as in files)."""
    loader = _LineLoader(text)
    try:
        if loader.resolve(yaml.ScalarNode, text, (True, False)) not in _SCALAR_TAGS:
            return text
        return loader.get_single_data()
    finally:
        loader.dispose()


@dataclass(frozen=True, slots=True)
class Document:
    """A content file split into its front matter and its Markdown body."""

    path: str
    meta: Mapping | None
    body: str
    body_line: int


def read_text(file: Path, display: str, problems: Problems, data: bytes | None = None) -> str | None:
    """Decode as UTF-8 (BOM or not, any line ending); a GBK file from Windows gets a clear error.
    Only an ordinary file is opened: reading a named pipe would wait for ever. `data`: the
    file's bytes, when read already."""
    if data is None and not stat.S_ISREG(os.stat(file).st_mode):
        problems.error(
            display,
            None,
            zh_en("这不是普通文件（而是文件夹、管道或设备）", "this is not an ordinary file"),
            zh_en("删除它，放一个普通的文本文件", "delete it and put an ordinary text file here"),
        )
        return None
    if data is None:
        data = file.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
            looks_like = "GBK/GB18030"
        except UnicodeDecodeError:
            looks_like = ""
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            looks_like = "UTF-16"  # Notepad's "Unicode" encoding
        problems.error(
            display,
            line,
            zh_en(
                f"文件不是 UTF-8 编码{'（看起来是 ' + looks_like + '）' if looks_like else ''}",
                f"the file is not UTF-8{' (it looks like ' + looks_like + ')' if looks_like else ''}",
            ),
            zh_en(
                "用记事本打开，选择“另存为”，编码选 UTF-8 后保存",
                "open it in Notepad, choose Save As, set Encoding to UTF-8 and save",
            ),
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


_FENCE = re.compile(r"^---[ \t]*$")
_FULLWIDTH_FENCE = re.compile(r"^[－—–﹣ー─]{2,}[ \t]*$")
_CLOSING_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


def split_document(text: str, display: str, problems: Problems) -> Document | None:
    """Split `---` front matter from the body; a file with no front matter has meta None."""
    lines = text.split("\n")
    if _FULLWIDTH_FENCE.match(lines[0]):
        problems.error(
            display,
            1,
            zh_en("第一行的 `---` 用了中文破折号或全角减号", "the first line's `---` is typed with Chinese dashes"),
            zh_en(
                "切换到英文输入法，输入三个减号 `---`（结束行也一样）",
                "switch the keyboard to English and type three hyphens `---` (the closing line too)",
            ),
        )
        return None
    if not lines or not _FENCE.match(lines[0]):
        return Document(display, None, text, 1)
    index = _closing_fence(lines)
    if index is None:
        problems.error(
            display,
            1,
            zh_en("front matter 没有结束的 `---` 行", "the front matter has no closing `---` line"),
            zh_en(
                "在最后一个字段之后、正文之前加一行 `---`",
                "add a line `---` after the last field, before the body text",
            ),
        )
        return None
    yaml_text = "\n".join(lines[1:index])
    body = "\n".join(lines[index + 1 :])
    found = Problems()
    meta = parse_yaml(yaml_text, display, found, first_line=2)
    problems.extend(found)
    if found.errors:
        return None
    if meta is None:
        meta = Mapping()
        meta.line, meta.key_lines, meta.raw = 1, {}, {}
    if not isinstance(meta, Mapping):
        problems.error(
            display,
            2,
            zh_en("front matter 应当是“键: 值”的列表", "front matter is not a list of key: value pairs"),
            zh_en(
                "每行写成 `键: 值`，冒号用英文半角 `:`，冒号后加空格",
                "write each line as `key: value` with an ASCII colon followed by a space",
            ),
        )
        return None
    return Document(display, meta, body, index + 2)


def body_of(text: str) -> str | None:
    """The body `split_document` finds in `text`, without reading the front matter (which it
    may yet refuse); None when it finds none."""
    lines = text.split("\n")
    if _FULLWIDTH_FENCE.match(lines[0]):
        return None
    if not _FENCE.match(lines[0]):
        return text
    index = _closing_fence(lines)
    return None if index is None else "\n".join(lines[index + 1 :])


def _closing_fence(lines: list[str]) -> int | None:
    return next((index for index in range(1, len(lines)) if _CLOSING_FENCE.match(lines[index])), None)


_FULLWIDTH_COLON_KEY = re.compile(r"^\s*-?\s*[A-Za-z_][\w-]*\s*：")
_FULLWIDTH_SPACE_AFTER_COLON = re.compile(r"^\s*-?\s*[A-Za-z_][\w-]*:\u3000")


_CHINESE_TYPING = re.compile("[：\u3000\t－—]")
"""A character each of the mistakes below is made of: text without one is spared the look."""


def _lint_chinese_typing(text: str, display: str, first_line: int, problems: Problems) -> bool:
    """Catch the YAML mistakes a Chinese keyboard makes, on the line where they are made.

    PyYAML reports most of them a line late or not at all, so they are looked for first.
    Returns True when something was reported.
    """
    if not _CHINESE_TYPING.search(text):
        return False
    found = False
    for offset, line in enumerate(text.split("\n")):
        number = first_line + offset
        stripped = line.lstrip(" ")
        indent = line[: len(line) - len(stripped)]
        if _FULLWIDTH_COLON_KEY.match(line):
            problems.error(
                display,
                number,
                zh_en("键后面用了全角冒号 `：`", "a full-width colon `：` follows the key"),
                zh_en(
                    "把 `：` 改成英文半角冒号 `:` 并在后面加一个空格",
                    "use an ASCII colon `:` followed by a space",
                ),
            )
            found = True
        elif _FULLWIDTH_SPACE_AFTER_COLON.match(line):
            problems.error(
                display,
                number,
                zh_en("冒号后面是全角空格", "a full-width space follows the colon"),
                zh_en(
                    "把冒号后的全角空格换成英文半角空格：`键: 值`",
                    "replace it with an ASCII space: `key: value`",
                ),
            )
            found = True
        elif stripped.startswith("\u3000") or stripped.startswith("\t") or "\t" in indent:
            problems.error(
                display,
                number,
                zh_en("缩进里有全角空格或制表符", "the indentation contains a full-width space or a tab"),
                zh_en("缩进只用英文半角空格（两个一级）", "indent with ASCII spaces only (two per level)"),
            )
            found = True
        elif stripped.startswith(("－ ", "— ", "－")) and not stripped.startswith("－－"):
            problems.error(
                display,
                number,
                zh_en("列表项用了全角破折号 `－`", "a list item starts with a full-width dash `－`"),
                zh_en("列表项以英文半角 `- ` 开头", "start list items with an ASCII `- `"),
            )
            found = True
    return found


def _load_fast(text: str, first_line: int) -> Any:
    fast = _FastLineLoader(text)
    fast.first_line = first_line
    fast.without_anchors = "&" not in text
    try:
        return fast.get_single_data()
    finally:
        fast.dispose()


def parse_yaml(text: str, display: str, problems: Problems, first_line: int = 1) -> Any:
    """Load YAML safely; syntax errors become problems with the file's own line numbers."""
    if _lint_chinese_typing(text, display, first_line, problems):
        return None
    try:
        data = _load_fast(text, first_line)
    except _TooDeep as error:  # the pure-Python parser may run out of stack before it finds the line
        _report_too_deep(display, error.line + first_line, problems)
        return None
    except Exception:  # the pure-Python loader below reports the problem in the words the hints know
        data = _load_reporting(text, display, problems, first_line)
    if data is not None and ("\\" in text or "\x85" in text) and _report_unsafe_characters(data, display, problems):
        return None
    return data


_UNSAFE_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Control characters, which XML feeds cannot carry and nobody types, and lone surrogates (half
of a character pair), which cannot be written as UTF-8 at all. YAML makes them only from escapes
in double quotes ("\\0", "\\udc80"); the reader refuses them written directly."""


def _report_unsafe_characters(data: Any, display: str, problems: Problems) -> bool:
    found = next(_unsafe_characters(data, 0), None)
    if found is None:
        return False
    line, character = found
    problems.error(
        display,
        line or None,
        zh_en(
            f"有一个不能发布的字符 U+{ord(character):04X}（控制字符或半个字符）",
            f"the text holds a character that cannot be published, U+{ord(character):04X}"
            " (a control character or half of a character pair)",
        ),
        zh_en(
            "删掉引号里的 \\ 转义（如 \\0、\\udc80），直接写出要的字符",
            "remove the \\ escape in the quotes (such as \\0 or \\udc80) and type the character itself",
        ),
    )
    return True


def _unsafe_characters(value: Any, line: int) -> Iterator[tuple[int, str]]:
    if isinstance(value, str):
        match = _UNSAFE_CHARACTER.search(value)
        if match:
            yield line, match.group()
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _unsafe_characters(key, value.line_of(key))
            yield from _unsafe_characters(item, value.line_of(key))
    elif isinstance(value, Sequence):
        for index, item in enumerate(value):
            yield from _unsafe_characters(item, value.line_of(index))


def _load_reporting(text: str, display: str, problems: Problems, first_line: int) -> Any:
    """The pure-Python loader, whose errors become problems with the file's own line numbers."""
    loader: _LineLoader | None = None
    try:
        loader = _LineLoader(text)
        loader.first_line = first_line
        return loader.get_single_data()
    except yaml.reader.ReaderError as error:
        problems.error(
            display,
            text[: error.position].count("\n") + first_line,
            zh_en(
                f"有一个看不见的控制字符（#x{error.character:04x}）",
                f"the text contains an invisible control character (#x{error.character:04x})",
            ),
            zh_en(
                "删掉这一行重新输入，或从纯文本编辑器重新复制",
                "delete the line and type it again, or copy it again from a plain-text editor",
            ),
        )
    except (RecursionError, _TooDeep) as error:
        line = error.line + first_line if isinstance(error, _TooDeep) else _deepest_line(text, first_line)
        _report_too_deep(display, line, problems)
    except _DuplicateKey as error:
        problems.error(
            display,
            error.line + first_line,
            zh_en(
                f"键 '{error.key}' 写了两次（第一次在第 {error.first_line} 行）",
                f"the key '{error.key}' is written twice (first on line {error.first_line})",
            ),
            zh_en("删除其中一行，只保留正确的那一个", "delete one of the two lines and keep the right value"),
        )
    except yaml.constructor.ConstructorError as error:
        mark = error.problem_mark or error.context_mark
        if not isinstance(error, _TagRefused) and "constructor for the tag" not in (error.problem or ""):
            problems.error(
                display,
                (mark.line + first_line) if mark else first_line,
                zh_en("YAML 格式错误", f"YAML error: {error.problem}"),
                zh_en(
                    "不要使用 `&`、`*` 和 `<<`，每个值直接写出来",
                    "do not use `&`, `*` or `<<`; write each value out in full",
                ),
            )
            return None
        problems.error(
            display,
            (mark.line + first_line) if mark else first_line,
            zh_en("不允许使用 YAML 标签（如 !!python）", f"YAML tags are not allowed ({error.problem})"),
            zh_en(
                "删除以 `!` 开头的标签，只写普通的值",
                "remove the tag starting with `!` and write a plain value",
            ),
        )
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + first_line) if mark else first_line
        problems.error(
            display,
            line,
            zh_en("YAML 格式错误", f"YAML syntax error: {error.problem}"),
            _syntax_hint(text, line - first_line, error.problem or ""),
        )
    except yaml.YAMLError as error:
        problems.error(
            display,
            first_line,
            zh_en("YAML 格式错误", f"YAML syntax error: {error}"),
            zh_en("检查冒号、引号和缩进", "check colons, quotes and indentation"),
        )
    except ValueError:  # Python refuses to read an integer of thousands of digits
        long_number = re.search(r"\d{1000,}", text)
        problems.error(
            display,
            (text[: long_number.start()].count("\n") if long_number else 0) + first_line,
            zh_en("数字太长，无法读取", "a number is too long to be read"),
            zh_en("写出真实的数字；如果是文字，请加上引号", "write the real number; if it is text, quote it"),
        )
    finally:
        if loader is not None:
            loader.dispose()
    return None


def _syntax_hint(text: str, line_index: int, problem: str) -> str:
    lines = text.split("\n")
    culprit = lines[line_index] if 0 <= line_index < len(lines) else ""
    if "，" in culprit and ("[" in culprit or "{" in culprit):
        return zh_en(
            "[ ] 或 { } 里的各项之间要用英文逗号 `,`，不能用中文逗号 `，`",
            "items inside [ ] or { } are separated by an ASCII comma `,`, not the Chinese `，`",
        )
    if "mapping values are not allowed" in problem and culprit.count(": ") > 1:
        return zh_en(
            '值里含有 `: `，请给整个值加上引号，例如 title: "招商会: 青岛站"',
            'the value contains `: `; put the whole value in quotes, e.g. title: "Expo: Qingdao"',
        )
    return zh_en(
        "检查这一行及上一行的冒号、引号和缩进（用空格，不用 Tab）",
        "check colons, quotes and indentation (spaces, not tabs) on this line and the one above",
    )

"""The site's content as the browser editor sees it: listing and reading files, and saving them only
when the whole site still passes its checks, written whole (temporary file, then rename).

The editor names files as Decap CMS does: a translated entry's Chinese file `parks/x.md` is
`parks/x.zh.md` to it, beside `parks/x.en.md`. Every path it sends is checked to stay inside
content/; a file that changed on disk since this editor tab read it is never overwritten.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.build import check
from sitegen.content.fields import FieldMapping
from sitegen.content.files import is_windows_device_name
from sitegen.content.schema import CITY_SCHEMA, SECTOR_SCHEMA, SITE_SCHEMA, build_schemas
from sitegen.content.sources import COLLECTIONS, SLUG
from sitegen.editor.cms_media import prepare_image
from sitegen.editor.cms_merge import (
    merge_entry,
    merge_vocabulary,
    merge_yaml,
    read_sent_yaml,
    vocabulary_as_list,
)
from sitegen.editor.cms_refusal import Refusal
from sitegen.errors import Problem, SiteError, zh_en
from sitegen.publish.cache import CACHE_FOLDER
from sitegen.publish.lock import BuildLock
from sitegen.publish.plan import FOLLOWED, Entry
from sitegen.render.cms_config import FILE_NAME_FIELD, MEDIA_FOLDER, SITE_SETTINGS, WITHOUT_TEXT, label

_SETTINGS_SHOWN = FieldMapping(tuple(SITE_SCHEMA.spec(name) for name in SITE_SETTINGS))
"""The part of site.yaml the editor's form shows; the rest of the file is never touched."""
VOCABULARIES = {"content/sectors.yaml": ("sectors", SECTOR_SCHEMA), "content/cities.yaml": ("cities", CITY_SCHEMA)}
"""Files of id -> fields, which the form edits as a list of entries, each with its id."""
_ENTRY = re.compile(r"content/(?P<collection>[^/]+)/(?P<slug>[^/]+?)(?P<lang>\.zh|\.en)?\.md")


@dataclass(frozen=True)
class Written:
    """One file a save writes: its place under the site and its bytes."""

    relative: str
    data: bytes


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ContentStore:
    """Reads and checked writes under `root`/content, remembering what each editor tab has read."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._seen: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    # Paths

    def disk_path(self, sent: str) -> str:
        """The file under the site that an editor path names; refused when it leaves content/."""
        path = sent.replace("\\", "/")
        parts = path.split("/")
        if path.startswith("/") or ".." in parts or "." in parts or "" in parts or parts[0] != "content":
            raise _outside(sent)
        match = _ENTRY.fullmatch(path)
        if match and match["lang"] == ".zh":
            path = f"content/{match['collection']}/{match['slug']}.md"
        resolved = (self.root / path).resolve()
        if not resolved.is_relative_to((self.root / "content").resolve()):
            raise _outside(sent)
        return path

    def shown_path(self, relative: str, translated: bool) -> str:
        match = _ENTRY.fullmatch(relative)
        if translated and match and match["lang"] is None and match["collection"] in COLLECTIONS:
            return f"content/{match['collection']}/{match['slug']}.zh.md"
        return relative

    # Reading

    def entries(self, tab: str, folder: str, extension: str, translated: bool) -> list[dict[str, Any]]:
        relative = self.disk_path(folder)
        directory = self.root / relative
        if not directory.is_dir():
            return []
        names = sorted(
            entry.name
            for entry in os.scandir(directory)
            if entry.is_file() and entry.name.endswith(f".{extension}") and not entry.name.startswith((".", "~"))
        )
        return [self.entry(tab, self.shown_path(f"{relative}/{name}", translated)) for name in names]

    def entry(self, tab: str, shown: str) -> dict[str, Any]:
        relative = self.disk_path(shown)
        try:
            data = (self.root / relative).read_bytes()
        except OSError:
            return {"data": None, "file": {"path": shown, "id": None}}
        digest = sha256(data)
        with self._lock:
            self._seen[tab, relative] = digest
        text = data.decode("utf-8-sig", errors="replace")
        if relative in VOCABULARIES:
            text = vocabulary_as_list(text, VOCABULARIES[relative][0], relative)
        return {"data": text, "file": {"path": shown, "id": digest}}

    def media(self, path: str) -> dict[str, Any]:
        relative = self.disk_path(path)
        data = (self.root / relative).read_bytes()
        return {
            "id": sha256(data),
            "content": base64.b64encode(data).decode("ascii"),
            "encoding": "base64",
            "path": relative,
            "name": Path(relative).name,
        }

    def all_media(self) -> list[dict[str, Any]]:
        folder = self.root / MEDIA_FOLDER
        if not folder.is_dir():
            return []
        names = sorted(item.name for item in os.scandir(folder) if item.is_file() and not item.name.startswith("."))
        return [self.media(f"{MEDIA_FOLDER}/{name}") for name in names]

    # Saving

    def save_entry(self, tab: str, data_files: list[dict[str, Any]], assets: list[dict[str, Any]]) -> None:
        """Merge and check every file of one save, then write them all, or refuse and write none."""
        writes: list[Written] = []
        renamed: dict[str, str] = {}
        for asset in assets:
            image = self._prepared_image(asset)
            renamed[_public_path(asset["path"])] = _public_path(image.relative)
            writes.append(image)
        for data_file in data_files:
            merged = self._merged(tab, data_file, renamed)
            if merged is not None:
                writes.append(merged)
        changed = [written for written in writes if not self._holds(written)]
        if changed:
            self._write_checked(tab, changed, removed=[])

    def _holds(self, written: Written) -> bool:
        """Whether the file already holds these bytes: a save that changes nothing writes nothing."""
        file = self.root / written.relative
        return file.is_file() and file.read_bytes() == written.data

    def save_media(self, tab: str, asset: dict[str, Any]) -> dict[str, Any]:
        image = self._prepared_image(asset)
        self._write_checked(tab, [image], removed=[])
        return self.media(image.relative)

    def delete_media(self, tab: str, path: str) -> None:
        relative = self.disk_path(path)
        if not relative.startswith(MEDIA_FOLDER + "/"):
            raise Refusal(
                zh_en("编辑器只能删除图片，不能删除内容文件", "the editor deletes only images, never content files"),
                zh_en(
                    "要删除条目，请在文件夹里删除它的 .md 文件",
                    "to remove an entry, delete its .md files in the folder",
                ),
            )
        self._write_checked(tab, [], removed=[relative])

    def _prepared_image(self, asset: dict[str, Any]) -> Written:
        self.disk_path(asset["path"])
        try:
            data = base64.b64decode(asset.get("content", ""), validate=True)
        except (binascii.Error, ValueError):
            raise Refusal(
                zh_en("上传的文件已损坏", "the uploaded file arrived damaged"), zh_en("请重新上传", "upload it again")
            ) from None
        name, image = prepare_image(Path(asset["path"]).name, data)
        relative = self._free_media_name(name, image)
        return Written(relative, image)

    def _free_media_name(self, name: str, data: bytes) -> str:
        """`name` under content/media/, or name-2, name-3 … when another image already has it."""
        stem, suffix = name.rsplit(".", 1)
        for number in range(1, 1000):
            candidate = f"{MEDIA_FOLDER}/{stem if number == 1 else f'{stem}-{number}'}.{suffix}"
            existing = self.root / candidate
            if not existing.exists() or existing.read_bytes() == data:
                return candidate
        raise Refusal(zh_en("同名图片太多", "too many images of this name"), zh_en("换个文件名", "rename the file"))

    def _merged(self, tab: str, data_file: dict[str, Any], renamed: dict[str, str]) -> Written | None:
        shown = data_file["path"]
        relative = self.disk_path(shown)
        match = _ENTRY.fullmatch(relative)
        raw = data_file.get("raw") or ""
        for before, after in renamed.items():
            raw = raw.replace(before, after)
        file = self.root / relative
        original = file.read_bytes() if file.exists() else None
        self._refuse_stale(tab, relative, original)
        if match is None:
            return Written(relative, self._merged_settings(relative, original, raw).encode("utf-8"))
        collection, slug, lang = match["collection"], match["slug"], match["lang"]
        if collection not in COLLECTIONS:
            raise _outside(shown)
        if original is None:
            self._refuse_new_name(collection, slug, raw, lang)
        record = _schema_of(collection) if lang != ".en" else FieldMapping(())
        text = merge_entry(
            None if original is None else _decoded(original),
            raw,
            record,
            {FILE_NAME_FIELD},
            shown,
            with_text=collection not in WITHOUT_TEXT,
        )
        if original is None and lang == ".en" and not text.strip():
            return None  # an English text nobody wrote is not a file
        return Written(relative, text.encode("utf-8"))

    def _merged_settings(self, relative: str, original: bytes | None, raw: str) -> str:
        """site.yaml, sectors.yaml or cities.yaml with what the form sent; no other file."""
        if original is None or (relative != "content/site.yaml" and relative not in VOCABULARIES):
            raise _outside(relative)
        sent = read_sent_yaml(raw, relative)
        if relative == "content/site.yaml":
            return merge_yaml(_decoded(original), sent, _SETTINGS_SHOWN, relative)
        key, entry = VOCABULARIES[relative]
        return merge_vocabulary(_decoded(original), sent, key, entry, relative)

    def _refuse_stale(self, tab: str, relative: str, original: bytes | None) -> None:
        with self._lock:
            seen = self._seen.get((tab, relative))
        now = None if original is None else sha256(original)
        if original is not None and seen is not None and seen != now:
            raise Refusal(
                zh_en(
                    f"{relative} 在你打开之后被修改过（另一个标签页或另一个程序），这次保存没有写入",
                    f"{relative} was changed after you opened it (in another tab or program); "
                    "this save was not written",
                ),
                zh_en(
                    "复制你的修改，刷新页面看最新内容，再重新修改并保存",
                    "copy your changes, reload the page to see the current file, then make them again and save",
                ),
            )

    def _refuse_new_name(self, collection: str, slug: str, raw: str, lang: str | None) -> None:
        if not SLUG.fullmatch(slug) or is_windows_device_name(slug):
            raise Refusal(
                zh_en(f"文件名 '{slug}' 不能用", f"the file name '{slug}' cannot be used"),
                zh_en(
                    "文件名只能用小写英文字母、数字和单个连字符，例如 weihai-huoju-park，"
                    "且不能是 con、nul 等 Windows 保留名",
                    "use only a-z, 0-9 and single hyphens, e.g. weihai-huoju-park, "
                    "and no name Windows reserves (con, nul …)",
                ),
            )
        wanted = re.search(rf"^{FILE_NAME_FIELD}:\s*['\"]?([^'\"\s]+)", raw, re.MULTILINE)
        if lang != ".en" and wanted and wanted.group(1) != slug:
            raise Refusal(
                zh_en(
                    f"content/{collection}/ 里已经有 {wanted.group(1)}.md，新条目不能覆盖它",
                    f"content/{collection}/ already has {wanted.group(1)}.md; a new entry cannot replace it",
                ),
                zh_en("在“文件名”里换一个名字", "choose another name in 'File name'"),
            )

    def _write_checked(self, tab: str, writes: list[Written], removed: list[str]) -> None:
        refused = problems_after(self.root, writes, removed)
        if refused:
            raise Refusal(*_summary(refused, writes), problems=refused)
        try:
            with BuildLock(self.root / CACHE_FOLDER, _build_running):
                for written in writes:
                    write_whole(self.root / written.relative, written.data)
                for relative in removed:
                    (self.root / relative).unlink(missing_ok=True)
        except OSError as error:
            raise Refusal(
                zh_en(f"无法写入文件：{error.strerror}", f"the file cannot be written: {error.strerror}"),
                zh_en(
                    "检查磁盘空间和文件夹权限；原文件没有改动",
                    "check the free space and the folder's permissions; the files on disk are as they were",
                ),
            ) from None
        with self._lock:
            for written in writes:
                self._seen[tab, written.relative] = sha256(written.data)


def _build_running(holder: str) -> None:
    raise Refusal(
        zh_en(
            f"网站正在生成（{holder}），这次保存没有写入",
            f"the site is being built ({holder}); this save was not written",
        ),
        zh_en("等几秒钟再点一次保存", "wait a few seconds and save again"),
        status=409,
    )


def _outside(sent: str) -> Refusal:
    return Refusal(
        zh_en(
            f"'{sent}' 不在 content 文件夹里，编辑器不能读写它",
            f"'{sent}' is not inside content/; the editor cannot touch it",
        ),
        zh_en("编辑器只读写 content/ 里的文件", "the editor reads and writes only files inside content/"),
        status=403,
    )


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refusal(
            zh_en(
                "这个文件不是 UTF-8 编码，编辑器不能修改",
                "this file is not saved as UTF-8, so the editor cannot change it",
            ),
            zh_en("运行 sitegen check，照提示把它另存为 UTF-8", "run sitegen check and re-save it as UTF-8 as it says"),
        ) from None


def _public_path(relative: str) -> str:
    """How an entry refers to an image: media/x.jpg for content/media/x.jpg."""
    return relative.removeprefix("content/")


def _schema_of(collection: str) -> FieldMapping:
    schemas = build_schemas(list, list)  # the ids matter only to the checks, not to the merge
    return schemas.for_collection(collection)


def write_whole(file: Path, data: bytes) -> None:
    """Write `data` so the file is either as it was or wholly new, never half written."""
    file.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=file.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def problems_after(root: Path, writes: list[Written], removed: list[str]) -> list[Problem]:
    """The errors the site would have after the save that it does not have now, or that are in
    the saved files: what `sitegen check` finds (files, fields, ids, cross-references, and the
    templates drawing the pages that show the saved entries), run on a scratch copy of content/
    and themes/. A template that already fails on those pages is not the save's fault."""
    saved = {written.relative for written in writes} | set(removed)
    edited = _edited_entries(saved)
    scratch_parent = root / CACHE_FOLDER
    scratch_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="editor-check-", dir=scratch_parent) as temporary:
        scratch = Path(temporary)
        _copy_site(root, scratch)
        for written in writes:
            write_whole(scratch / written.relative, written.data)
        for relative in removed:
            (scratch / relative).unlink(missing_ok=True)
        after = _errors(scratch, edited)
    if not after:
        return []
    before = {(problem.path, problem.message) for problem in _errors(root, edited)}
    return [problem for problem in after if problem.path in saved or (problem.path, problem.message) not in before]


def _edited_entries(saved: set[str]) -> set[Entry] | None:
    """The entries a save changes, whose pages the check draws; None when it changes a file
    that may show on every page (a setting, a free page, a site or a policy). Images show
    nowhere until an entry names them."""
    edited: set[Entry] = set()
    for relative in saved:
        if relative.startswith(MEDIA_FOLDER + "/"):
            continue
        match = _ENTRY.fullmatch(relative)
        if match is None or match["collection"] not in FOLLOWED:
            return None
        edited.add((match["collection"], match["slug"]))
    return edited


def _errors(root: Path, edited: set[Entry] | None) -> list[Problem]:
    try:
        return check(root, strict=False, edited=edited).errors
    except SiteError as error:
        return error.problems.errors


def _copy_site(root: Path, scratch: Path) -> None:
    """content/ and themes/, linked rather than copied where the file system allows it."""
    for folder in ("content", "themes"):
        if (root / folder).is_dir():
            shutil.copytree(root / folder, scratch / folder, copy_function=_link_or_copy, symlinks=True)


def _link_or_copy(source: str, destination: str) -> None:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _summary(problems: list[Problem], writes: list[Written]) -> tuple[str, str]:
    """The first problem, with the form field it is about when it is in a saved file, as the
    form shows it: the editor sees no file lines, only labels."""
    first = problems[0]
    where = f"{first.path}:{first.line}" if first.line else first.path
    saved = next((written.data for written in writes if written.relative == first.path), None)
    keys = field_at_line(saved.decode("utf-8", errors="replace"), first.line) if saved and first.line else []
    message = f"{where}: {first.message}"
    if keys:
        shown = " › ".join(label(key) for key in keys)
        message = zh_en(f"字段「{shown}」", f"field “{shown}”") + f"\n{message}"
    more = len(problems) - 1
    if more:
        message += "\n" + zh_en(f"另有 {more} 个问题", f"and {more} more problem(s)")
    return message, first.hint


_KEY = re.compile(r"^(?P<indent>[ -]*)(?P<key>[A-Za-z_][A-Za-z0-9_]*):(\s|$)")


def field_at_line(text: str, line: int) -> list[str]:
    """The keys leading to line `line` (1-based) of a YAML or front-matter file, outermost
    first: ["location", "lat"] for the `lat:` line under `location:`."""
    lines = text.splitlines()[:line]
    keys: list[str] = []
    deepest = None
    for row in reversed(lines):
        match = _KEY.match(row)
        if row.strip() == "---":
            break
        if match is None:
            continue
        depth = len(match["indent"])
        if deepest is None or depth < deepest:
            keys.insert(0, match["key"])
            deepest = depth
        if depth == 0:
            break
    return keys

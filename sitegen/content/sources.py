"""Finding the content files: `<slug>.md` paired with `<slug>.en.md`, slugs checked, files read."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sitegen.content.fields import closest
from sitegen.content.files import Listed, inside_or_refused, list_folder, settled_state
from sitegen.content.frontmatter import Document, Mapping, read_text, split_document
from sitegen.content.i18n import LANGUAGES
from sitegen.errors import Problem, Problems, zh_en

COLLECTIONS = ("parks", "events", "pages", "chains", "projects", "sites", "policies")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class Source:
    """One entry's files: the Chinese one with every fact, and the English text if written."""

    collection: str
    slug: str
    zh: Document
    en: Document | None

    @property
    def front_matter(self) -> Mapping:
        """The Chinese file's fields: a Source is made only of a file that has front matter."""
        assert self.zh.meta is not None, f"{self.zh.path} was made a source without front matter"
        return self.zh.meta

    @property
    def needs_english_body(self) -> bool:
        """Projects have no body, and a site or policy without one says all it says in its
        bilingual fields; every other entry wants an English text."""
        if self.collection == "projects":
            return False
        return self.collection not in ("sites", "policies") or bool(self.zh.body.strip())


def suggest_slug(name: str) -> str:
    """A valid slug close to what the editor wrote; Chinese becomes pinyin."""
    from pypinyin import lazy_pinyin  # its dictionary is slow to load, so only callers pay for it

    words = lazy_pinyin(name)
    text = "-".join(word.strip() for word in words).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text)
    return re.sub(r"-+", "-", text).strip("-") or "entry"


def report_dangling(
    path: str, line: int, key: str, slug: str, collection: str, known: set[str], problems: Problems
) -> None:
    """An error for a reference to an entry that does not exist, naming the closest one."""
    suggestion = closest(slug, known)
    guess = zh_en(f"是不是 '{suggestion}'？", f"did you mean '{suggestion}'? ") if suggestion else ""
    problems.error(
        path,
        line,
        zh_en(f"{key} 指向的 '{slug}' 不存在", f"{key} names '{slug}', which does not exist"),
        guess
        + zh_en(
            f"写 content/{collection}/ 里某个文件的文件名（不带 .md）",
            f"write the file name (without .md) of an entry in content/{collection}/",
        ),
    )


def has_content_folder(root: Path, problems: Problems) -> bool:
    """Whether `root` is a site; if not, say so with the fix (the usual cause: the wrong folder)."""
    if (root / "content").is_dir():
        return inside_or_refused(root / "content", "content", root, problems)
    problems.error(
        (root / "content").as_posix(),
        None,
        zh_en("找不到 content 文件夹", "there is no content folder here"),
        zh_en(
            "在站点文件夹里运行，或用 -s 指定站点文件夹",
            "run this in the site folder, or give it with -s SITE_DIR",
        ),
    )
    return False


def slugs_on_disk(root: Path, collection: str) -> set[str]:
    """The slugs of every entry file present, readable or not, for cross-references."""
    folder = root / "content" / collection
    if not folder.is_dir():
        return set()
    names = [name for name in os.listdir(folder) if name.endswith(".md")]
    return {_split_name(name)[0] for name in names if not is_editor_litter(name)}


_LITTER_ENDINGS = (".swp", ".swx", ".tmp", ".bak", "~", ".crdownload")


def is_editor_litter(name: str) -> bool:
    """Swap, backup and temporary files that editors and browsers write beside the real one
    (vim's `4913` tests whether it may write in the folder): neither read nor watched, so
    that the preview, which lists a folder again only when a watched file came or went, sees
    what a build sees."""
    return name.startswith((".", "#", "~$")) or name.endswith(_LITTER_ENDINGS) or name == "4913"


def _split_name(name: str) -> tuple[str, str | None]:
    """(stem, language suffix) of `x.md`, `x.en.md`, `x.zh.md`; Decap CMS writes `x.zh.md` too."""
    stem = name[: -len(".md")]
    if "." in stem:
        stem, suffix = stem.rsplit(".", 1)
        return stem, suffix
    return stem, None


_Cached = tuple["tuple[int, ...] | None", "bytes | None", "Document | None", list[Problem]]
"""A file's settled state (sitegen.content.files), a digest of its bytes (None when it is not an
ordinary file), what it holds, and what is wrong with it."""
_Loaded = tuple[list[Source], list[Problem]]
"""A collection's entries as the last load found them, and the problems of its folder and files."""


_Listing = tuple[list[Listed], list[Problem]]
"""A collection's folder as the last load listed it: its files, and what was wrong with their names."""


class DocumentCache:
    """Parsed files kept between builds: a file is read again only when its settled state
    changes (sitegen.content.files), so a save re-reads one file, not thousands. The preview
    keeps one for its run; `build` keeps it in its cache folder for the next build.

    Files are named by plain strings: on a large site, making and hashing Path objects cost
    more than the checks themselves."""

    def __init__(self) -> None:
        self._entries: dict[str, _Cached] = {}
        self._used: set[str] = set()
        self.changed = False
        """Whether a file was read since this cache was made or kept."""
        self._collections: dict[str, _Loaded] = {}  # those whose files were all settled when loaded
        self._listings: dict[str, _Listing] = {}
        self._saved_in: dict[str, set[str]] | None = None  # names saved in each collection's folder; None: unknown
        self.unsettled_reads = 0  # reads of files that had not settled, counted to tell a collection that had

    def note_saves(self, saved: dict[str, set[str]] | None) -> None:
        """Which files of which collections' folders were saved before the next load, by name,
        as a watcher of the content folder says (the preview); None, when a save may have been
        anywhere or nobody watched, has the next load look at every folder and file."""
        if saved is None or self._saved_in is None:
            self._saved_in = None
            return
        for collection, names in saved.items():
            self._saved_in.setdefault(collection, set()).update(names)

    def unchanged_collection(self, collection: str) -> _Loaded | None:
        """The collection as the last load found it, when no save was noted in its folder since
        and each of its files had settled: then nothing in it is listed or statted again."""
        if self._saved_in is None or collection in self._saved_in:
            return None
        return self._collections.get(collection)

    def kept_listing(self, folder: Path, collection: str) -> tuple[_Listing, set[str]] | None:
        """The collection's folder as the last load listed it, and the names saved since, when
        every save was a rewrite of a file listed then: no file came or went, so the others
        need neither listing nor stat. Not for a folder whose listing found a problem or a link
        (a link's target may lie outside the watched folder, and may have gone or come back)."""
        if self._saved_in is None:
            return None
        listing = self._listings.get(collection)
        saved = self._saved_in.get(collection, set())
        if listing is None or listing[1] or any(file.is_link for file in listing[0]):
            return None
        if not saved <= {file.name for file in listing[0] if not file.is_folder}:
            return None
        for name in saved:
            try:
                status = os.lstat(folder / name)
            except OSError:
                return None
            if not stat.S_ISREG(status.st_mode):
                return None
        return listing, saved

    def keep_listing(self, collection: str, listing: _Listing) -> None:
        self._listings[collection] = listing

    def keep_collection(self, collection: str, loaded: _Loaded, settled: bool) -> None:
        if settled:
            self._collections[collection] = loaded
        else:
            self._collections.pop(collection, None)

    def loaded(self) -> None:
        """Every folder has been looked at as noted: saves from now on are noted afresh."""
        self._saved_in = {}

    def read(self, file: str, display: str, problems: Problems) -> Document | None:
        """The file as parsed, read again when its state changed or has not settled, and
        parsed again only when its bytes changed: files just written (a checkout, a copied
        site) are unsettled for their first two seconds, and the checks of their entries
        are kept while their documents are (EntryChecks)."""
        status = os.stat(file)
        state = settled_state(status)
        self._used.add(file)
        cached = self._entries.get(file)
        self.unsettled_reads += state is None
        if state is None or cached is None or cached[0] != state:
            data = Path(file).read_bytes() if stat.S_ISREG(status.st_mode) else None
            digest = hashlib.blake2b(data, digest_size=16).digest() if data is not None else None
            if cached is not None and digest is not None and cached[1] == digest:
                cached = (state, digest, cached[2], cached[3])
            else:
                found = Problems()
                cached = (state, digest, _read(file, display, found, data), found.items)
            self._entries[file] = cached
            self.changed = True
        problems.items.extend(cached[3])
        return cached[2]

    def read_unchanged(self, file: str, display: str, problems: Problems) -> Document | None:
        """`read` of a file not saved since it was last read, without a stat; unless it had not
        settled then: a write within the tick of its time would not have shown in its state."""
        cached = self._entries.get(file)
        if cached is None or cached[0] is None:
            return self.read(file, display, problems)
        self._used.add(file)
        problems.items.extend(cached[3])
        return cached[2]

    def forget_unused(self) -> None:
        """Drop the files no run has read since the last call (deleted ones)."""
        used, self._used = self._used, set()
        self._entries = {file: cached for file, cached in self._entries.items() if file in used}
        self.changed = False
        # kept for another run, it knows none of its saves
        self._collections, self._listings, self._saved_in = {}, {}, None


def load_sources(root: Path, problems: Problems, cache: DocumentCache | None = None) -> list[Source]:
    """Every park, event, page, chain, project, site and policy under content/, by collection
    and slug. With a `cache` told where saves were (`DocumentCache.note_saves`), the folders
    of the other collections are not looked at again: at a thousand parks with their sites
    and policies, listing and statting 7,800 files was a third of a preview's run."""
    sources: list[Source] = []
    for collection in COLLECTIONS:
        loaded = cache.unchanged_collection(collection) if cache is not None else None
        if loaded is None:
            loaded, settled = _load_folder(root, collection, cache)
            if cache is not None:
                cache.keep_collection(collection, loaded, settled)
        sources.extend(loaded[0])
        problems.items.extend(loaded[1])
    if cache is not None:
        cache.loaded()
    return sources


def _load_folder(root: Path, collection: str, cache: DocumentCache | None) -> tuple[_Loaded, bool]:
    """The collection's entries and problems, and whether it may be kept whole until a save in
    its folder: when each of its files had settled, and its listing found no link and no problem."""
    found = Problems()
    folder = root / "content" / collection
    if not (folder.is_dir() and inside_or_refused(folder, f"content/{collection}", root, found)):
        if cache is not None:
            cache.keep_listing(collection, ([], []))  # a folder made again is listed again
        return ([], found.items), cache is not None
    kept = cache.kept_listing(folder, collection) if cache is not None else None
    if kept is None:
        listing_problems = Problems()
        listed = list_folder(folder, f"content/{collection}", root, listing_problems, is_editor_litter)
        listing, reread = (listed, listing_problems.items), None
    else:
        listing, reread = kept
    found.items.extend(listing[1])
    if cache is None:
        return (_load_collection(collection, listing[0], found, _read), found.items), False
    cache.keep_listing(collection, listing)
    unsettled_before = cache.unsettled_reads

    def read(file: str, display: str, problems: Problems) -> Document | None:
        if reread is None or os.path.basename(file) in reread:
            return cache.read(file, display, problems)
        return cache.read_unchanged(file, display, problems)

    entries = _load_collection(collection, listing[0], found, read)
    # listed again at every run (`kept_listing`): a link's target lies outside the watched folder
    relisted = bool(listing[1]) or any(file.is_link for file in listing[0])
    return (entries, found.items), cache.unsettled_reads == unsettled_before and not relisted


Reader = Callable[[str, str, Problems], "Document | None"]
"""Reads (file, its path as shown to editors, problems) into a Document, or None."""


def _load_collection(collection: str, listed: list[Listed], problems: Problems, read: Reader) -> list[Source]:
    files: dict[str, dict[str, Listed]] = {}
    for file in listed:
        display = f"content/{collection}/{file.name}"
        if file.is_folder:
            if file.name.lower().endswith(".md"):
                problems.error(
                    display,
                    None,
                    zh_en("这是一个以 .md 结尾的文件夹", "this is a folder named like a content file"),
                    zh_en(
                        f"把里面的文件移出来并删除这个文件夹；条目直接放在 content/{collection}/ 下",
                        f"move its files out and delete the folder; entries sit directly in content/{collection}/",
                    ),
                )
            continue
        if not file.name.lower().endswith(".md"):
            problems.warning(
                display,
                None,
                zh_en("这个文件不是 .md，已忽略", "this file is not a .md file and is ignored"),
                zh_en("图片等文件放到 content/media/", "put images and other files in content/media/"),
            )
            continue
        stem, suffix = _split_name(file.name)
        lang = "zh" if suffix in (None, "zh") else suffix
        if lang not in LANGUAGES:
            problems.error(
                display,
                None,
                zh_en(f"不认识的语言后缀 '.{suffix}'", f"unknown language suffix '.{suffix}'"),
                zh_en(
                    f"中文文件命名为 {stem}.md，英文文件命名为 {stem}.en.md",
                    f"name the Chinese file {stem}.md and the English one {stem}.en.md",
                ),
            )
            continue
        if not SLUG.fullmatch(stem):
            suggestion = suggest_slug(stem)
            problems.error(
                display,
                None,
                zh_en(
                    f"文件名 '{stem}' 只能用小写英文字母、数字和单个连字符",
                    f"the file name '{stem}' may use only lower-case a-z, 0-9 and single hyphens",
                ),
                zh_en(
                    f"把文件改名为 {suggestion}{file.name[len(stem) :]}",
                    f"rename the file to {suggestion}{file.name[len(stem) :]}",
                ),
            )
            continue
        by_lang = files.setdefault(stem, {})
        if lang in by_lang:
            problems.error(
                display,
                None,
                zh_en(
                    f"与 {by_lang[lang].name} 是同一条目的同一种语言",
                    f"duplicates {by_lang[lang].name} (same entry, same language)",
                ),
                zh_en("删除其中一个文件", "delete one of the two files"),
            )
            continue
        by_lang[lang] = file

    sources = []
    for slug, by_lang in files.items():
        if "zh" not in by_lang:
            problems.error(
                f"content/{collection}/{by_lang['en'].name}",
                None,
                zh_en(
                    f"有英文文件但没有中文文件 {slug}.md",
                    f"there is an English file but no Chinese file {slug}.md",
                ),
                zh_en(
                    f"先建立 content/{collection}/{slug}.md（所有事实写在中文文件里），或检查文件名拼写",
                    f"create content/{collection}/{slug}.md first (it holds every fact), or check the spelling",
                ),
            )
            continue
        documents = {
            lang: read(file.path, f"content/{collection}/{file.name}", problems) for lang, file in by_lang.items()
        }
        zh = documents["zh"]
        if zh is None:
            continue
        if zh.meta is None:
            problems.error(
                zh.path,
                1,
                zh_en("文件开头缺少 front matter", "the file does not start with front matter"),
                zh_en(
                    "第一行写 ---，然后是字段（如 name: …），再写一行 --- 结束",
                    "start with a line ---, then the fields (e.g. name: …), then a closing line ---",
                ),
            )
            continue
        sources.append(Source(collection, slug, zh, documents.get("en")))
    return sources


def _read(file: str, display: str, problems: Problems, data: bytes | None = None) -> Document | None:
    """The file, or `data` when its bytes were read already."""
    text = read_text(Path(file), display, problems, data)
    if text is None:
        return None
    if not text.strip():
        problems.error(
            display,
            1,
            zh_en("文件是空的", "the file is empty"),
            zh_en("用 sitegen new 重新生成模板，或删除这个文件", "recreate it with `sitegen new`, or delete it"),
        )
        return None
    return split_document(text, display, problems)

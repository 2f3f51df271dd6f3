"""What `build` keeps between runs in `.sitegen-cache/` beside content/: content files as read
and checked, converted Markdown, maps drawn by folium, the search index, what the last build
read and wrote, and the site before the current one, where the next build assembles its output
(sitegen.publish.output).

Everything here is an optimisation: deleting the folder only makes the next build slower.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import pickle
import re
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import jinja2

from sitegen.content.files import settled_state
from sitegen.content.i18n import SearchSpellings
from sitegen.content.sources import DocumentCache
from sitegen.content.validate import EntryChecks
from sitegen.errors import Problem, Severity
from sitegen.map.parts import MapParts
from sitegen.publish.output import WrittenFiles
from sitegen.publish.plan import FOLLOWED, EntryStates, LastBuild, Showing
from sitegen.render.pages import RenderCaches

CACHE_FOLDER = ".sitegen-cache"
_PACKAGE = Path(__file__).resolve().parent.parent


@functools.cache
def code_version() -> str:
    """A hash of the generator's own code and default theme: a cache written by other code, or
    for other templates, is not trusted. Once per process: the code running does not change."""
    digest = hashlib.sha256()
    for file in sorted(_PACKAGE.rglob("*")):
        if file.is_file() and "__pycache__" not in file.parts:
            digest.update(file.relative_to(_PACKAGE).as_posix().encode() + b"\0")
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


ENTRY_FOLDERS = tuple(f"content/{collection}" for collection in FOLLOWED)
"""Files whose edits a build can follow page by page; an edit anywhere else redraws every page."""


@dataclass(frozen=True)
class InputDigests:
    """Digests of what a build reads: every file, setting and the code (`every_file`), and all
    of it but the entries that a build follows page by page (`shared`), on which every page
    may depend. Empty digests stand for inputs that must not be taken as up to date."""

    every_file: str
    shared: str


def read_inputs(root: Path, settings: dict[str, str], known: dict[str, list] | None = None) -> InputDigests:
    """Content and theme files byte for byte, plus `settings` and the generator's code.

    `known` holds each file's digest by its path, with the settled state it had when read
    (sitegen.content.files; a build keeps them for the next): a file in the same state is not
    read again. It is brought up to date in place.
    """
    known = known if known is not None else {}
    seen = set()
    shared = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    shared.update(code_version().encode())
    entries = hashlib.sha256()
    for folder in (root / "content", root / "themes"):
        for file in sorted(folder.rglob("*")):
            try:
                status = file.stat()
            except OSError:  # a broken link: the build says what is wrong with it
                continue
            if not stat.S_ISREG(status.st_mode):
                continue
            name = file.relative_to(root).as_posix()
            seen.add(name)
            state = settled_state(status)
            kept = known.get(name)
            if state is not None and kept is not None and _is_digest_of(kept, state):
                file_digest = kept[-1]
            else:
                file_digest = hashlib.sha256(file.read_bytes()).hexdigest()
                if state is not None:
                    known[name] = [*state, file_digest]
                else:
                    known.pop(name, None)  # changed a moment ago: read it next time too
            digest = entries if name.rsplit("/", 1)[0] in ENTRY_FOLDERS else shared
            digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
            digest.update(bytes.fromhex(file_digest))
    for gone in known.keys() - seen:
        del known[gone]
    everything = hashlib.sha256((shared.hexdigest() + entries.hexdigest()).encode()).hexdigest()
    return InputDigests(everything, shared.hexdigest())


class BuildCache:
    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_FOLDER
        self.spare_output = self.folder / "previous-output"
        self._version = code_version()
        self._loaded: dict[str, set[str]] = {}  # the keys of each file as read

    def _read_json(self, name: str) -> dict:
        try:
            data = json.loads((self.folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _make_folder(self, inside: str = "") -> Path:
        """The cache folder (and `inside` it), which git is told to ignore."""
        (self.folder / inside).mkdir(parents=True, exist_ok=True)
        (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
        return self.folder / inside

    def _write_json(self, name: str, data: dict) -> None:
        self._make_folder()
        temporary = self.folder / f"{name}.tmp"
        # A lone surrogate (from a YAML escape) is written as it is and makes the file unreadable:
        # a cache that is not read again, never a failed build.
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        temporary.write_text(text, encoding="utf-8", errors="surrogatepass")
        temporary.replace(self.folder / name)

    def markdown(self) -> dict[str, str]:
        """Converted bodies by hash of their Markdown, from the last build of this code."""
        return self._load(f"markdown-{self._version}.json")

    def save_markdown(self, converted: dict[str, str], used: set[str]) -> None:
        """Keep the bodies of this build only: edited-away texts would pile up otherwise."""
        kept = {key: converted[key] for key in used if key in converted}
        self._save("markdown-", f"markdown-{self._version}.json", kept)

    def map_shapes(self) -> dict[str, MapParts]:
        """Maps drawn by folium for the last build, from this code and this folium."""
        kept = self._load(self._map_shapes_name(), _is_map_parts)
        return {key: MapParts(*parts) for key, parts in kept.items()}

    def save_map_shapes(self, shapes: dict[str, MapParts]) -> None:
        data = {key: [parts.header, parts.html, parts.script] for key, parts in shapes.items()}
        self._save("map-shapes-", self._map_shapes_name(), data)

    def qr_codes(self) -> dict[str, str]:
        """QR codes (SVG) by the address they encode, from the last build of this code."""
        return self._load(f"qr-codes-{self._version}.json")

    def save_qr_codes(self, codes: dict[str, str]) -> None:
        self._save("qr-codes-", f"qr-codes-{self._version}.json", codes)

    def compiled_templates(self) -> jinja2.BytecodeCache:
        """Templates as Jinja compiled them, by name and source: compiling the theme costs as much
        as drawing a one-park edit's pages. Folders of other code are deleted."""
        folder = self.folder / f"templates-{self._version}"
        for stale in self.folder.glob("templates-*"):
            if stale != folder:
                shutil.rmtree(stale, ignore_errors=True)
        with contextlib.suppress(OSError):  # a full or read-only disk: nothing is kept, as below
            self._make_folder(folder.name)
        return _CompiledTemplates(str(folder))

    def render_caches(self, compiled_templates: bool = True) -> RenderCaches:
        """What a renderer may take from the last build (or preview) instead of working it out
        again; the preview compiles its templates in memory (`compiled_templates` False)."""
        return RenderCaches(
            markdown=self.markdown(),
            map_shapes=self.map_shapes(),
            qr_codes=self.qr_codes(),
            search_spellings=SearchSpellings(self.search_spellings()),
            compiled_templates=self.compiled_templates() if compiled_templates else None,
        )

    def save_render_caches(self, caches: RenderCaches, used_markdown: frozenset[str]) -> None:
        """Keep what the next run may take: the Markdown of the bodies used, the maps, QR codes
        and the search spellings used."""
        self.save_markdown(caches.markdown, used=set(used_markdown))
        self.save_map_shapes(caches.map_shapes)
        self.save_qr_codes(caches.qr_codes)
        spellings = caches.search_spellings
        self.save_search_spellings({name: spellings.known[name] for name in spellings.used})

    def search_spellings(self) -> dict[str, str]:
        """The pinyin and Traditional spellings of names, by name, from the last build of this
        code and these dictionaries: loading pypinyin and OpenCC is slow."""
        return self._load(self._spellings_name())

    def save_search_spellings(self, spellings: dict[str, str]) -> None:
        self._save("spellings-", self._spellings_name(), spellings)

    def reading(self) -> tuple[DocumentCache, EntryChecks]:
        """Content files as the last build of this code and this PyYAML read and checked them,
        kept in one file so that each check still refers to the very document it checked
        (EntryChecks compares them by identity); empty ones when there is none or it is damaged.
        Pickle runs what the file says, so the folder is trusted as the compiled templates
        beside it are: only builds and the preview write it, and git is told to ignore it."""
        try:
            with open(self.folder / self._reading_name(), "rb") as file:
                documents, checks = pickle.load(file)
        except Exception:  # noqa: BLE001 (any damage: pickle raises many kinds)
            return DocumentCache(), EntryChecks()
        if not isinstance(documents, DocumentCache) or not isinstance(checks, EntryChecks):
            return DocumentCache(), EntryChecks()
        return documents, checks

    def save_reading(self, documents: DocumentCache, checks: EntryChecks) -> None:
        """Written whole and renamed into place; a full disk costs the speed-up, not the build."""
        name = self._reading_name()
        for stale in self.folder.glob("reading-*"):
            if stale.name != name:
                stale.unlink(missing_ok=True)
        documents.forget_unused()
        checks.forget_unseen()
        temporary = self.folder / f".{name}.tmp"
        try:
            self._make_folder()
            with open(temporary, "wb") as file:
                pickle.dump((documents, checks), file, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(self.folder / name)
        except OSError:
            temporary.unlink(missing_ok=True)

    def input_digests(self) -> dict[str, list]:
        """What `read_inputs` knew after the last build."""
        return self._read_json("input-digests.json")

    def save_input_digests(self, known: dict[str, list]) -> None:
        self._save("input-digests", "input-digests.json", known, by_content=False)

    def _load(self, name: str, valid: Callable[[object], bool] = lambda value: isinstance(value, str)) -> dict:
        """A kept table; entries whose value is not `valid` (a damaged file) are left out."""
        kept = {key: value for key, value in self._read_json(name).items() if valid(value)}
        self._loaded[name] = set(kept)
        return kept

    def _save(self, prefix: str, name: str, data: dict, by_content: bool = True) -> None:
        """Write `name`, unless `by_content` (each value depends on its key only) and it holds
        these keys already; delete the files of the same prefix that other code wrote."""
        for stale in self.folder.glob(f"{prefix}*.json"):
            if stale.name != name:
                stale.unlink()
        if not (by_content and self._loaded.get(name) == set(data)):
            self._write_json(name, data)
            self._loaded[name] = set(data)

    def _map_shapes_name(self) -> str:
        return f"map-shapes-{self._version}-{_version_of('folium')}.json"

    def _reading_name(self) -> str:
        return f"reading-{self._version}-{_version_of('PyYAML')}.pickle"

    def _spellings_name(self) -> str:
        return f"spellings-{self._version}-{_version_of('pypinyin')}-{_version_of('opencc')}.json"

    def up_to_date(self, output: Path, inputs: InputDigests) -> list[Problem] | None:
        """The warnings of the last build if it had these inputs and its output is still there."""
        last = self._read_json("last-build.json")
        if last.get("fingerprint") != inputs.every_file or last.get("output") != str(output.resolve()):
            return None
        if self._read_json("written.json").get("output") != last["output"] or not (output / "index.html").is_file():
            return None  # that build was interrupted after it started writing: the output may be newer
        return [
            Problem(item["path"], item["line"], Severity.WARNING, item["message"], item["hint"])
            for item in last.get("warnings", [])
        ]

    def last_build(self, output: Path) -> LastBuild | None:
        """The last complete build into `output`, or None if there was none or it was interrupted."""
        last = self._read_json("last-build.json")
        written = self._read_json("written.json")
        if not last or last.get("output") != str(output.resolve()) or written.get("output") != last["output"]:
            return None
        return LastBuild(
            shared=last["shared"],
            entries={_entry(key): tuple(state) for key, (*state, _) in last["entries"].items()},
            shown={_entry(key): {tuple(route) for route in shown} for key, (*_, shown) in last["entries"].items()},
            written={path: tuple(stamp) for path, stamp in written["files"].items()},
        )

    def forget_writes(self) -> None:
        """Called before the output is swapped: until `record_build`, nothing there is trusted.
        A build killed before the swap leaves the last build's output and record, which agree."""
        (self.folder / "written.json").unlink(missing_ok=True)

    def record_build(
        self,
        output: Path,
        inputs: InputDigests,
        warnings: list[Problem],
        entries: EntryStates,
        shown: Showing,
        written: WrittenFiles,
    ) -> None:
        """What the build read and wrote; written.json last, as it marks the build complete."""
        self._write_json(
            "last-build.json",
            {
                "fingerprint": inputs.every_file,
                "shared": inputs.shared,
                "output": str(output.resolve()),
                "warnings": [
                    {"path": problem.path, "line": problem.line, "message": problem.message, "hint": problem.hint}
                    for problem in warnings
                ],
                "entries": {
                    "/".join(entry): [*state, sorted([kind, slug] for kind, slug in shown.get(entry, ()))]
                    for entry, state in entries.items()
                },
            },
        )
        self._write_json("written.json", {"output": str(output.resolve()), "files": written})


def _is_map_parts(value: object) -> bool:
    return isinstance(value, list) and len(value) == 3 and all(isinstance(part, str) for part in value)


_DIGEST = re.compile("[0-9a-f]{64}")


def _is_digest_of(entry: object, state: tuple[int, ...]) -> bool:
    """Whether a kept entry is [*state, sha256 in hex]: the file may be damaged or older."""
    return (
        isinstance(entry, list)
        and len(entry) == 5
        and tuple(entry[:4]) == state
        and isinstance(entry[4], str)
        and _DIGEST.fullmatch(entry[4]) is not None
    )


def _version_of(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def _entry(key: str) -> tuple[str, str]:
    collection, slug = key.split("/", 1)
    return collection, slug


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's own cache (each file written whole, then renamed into place), made harmless: a
    damaged file is compiled again, and a full disk costs the speed-up, not the build."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # any damage: marshal and pickle raise many kinds
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)

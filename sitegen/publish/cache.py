"""What `build` keeps between runs in `.sitegen-cache/` beside content/: converted Markdown,
maps drawn by folium, the search index, and what the last build read and wrote.

Everything here is an optimisation: deleting the folder only makes the next build slower.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from sitegen.errors import Problem, Severity
from sitegen.map.parts import MapParts
from sitegen.publish.changes import OWN_KIND, Entry, RouteKey
from sitegen.publish.output import Record

CACHE_FOLDER = ".sitegen-cache"
_PACKAGE = Path(__file__).resolve().parent.parent


def code_version() -> str:
    """A hash of the generator's own code and default theme: a cache written by other code, or
    for other templates, is not trusted."""
    digest = hashlib.sha256()
    for file in sorted(_PACKAGE.rglob("*")):
        if file.is_file() and "__pycache__" not in file.parts:
            digest.update(file.relative_to(_PACKAGE).as_posix().encode() + b"\0")
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


ENTRY_FOLDERS = tuple(f"content/{collection}" for collection in OWN_KIND)
"""Files whose edits a build can follow page by page; an edit anywhere else redraws every page."""


@dataclass(frozen=True)
class Inputs:
    """Digests of everything a build reads: all of it, and all but the park and event files."""

    everything: str
    shared: str


def read_inputs(root: Path, settings: dict[str, str]) -> Inputs:
    """Content and theme files byte for byte, plus `settings` and the generator's code."""
    shared = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    shared.update(code_version().encode())
    entries = hashlib.sha256()
    for folder in (root / "content", root / "themes"):
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                name = file.relative_to(root).as_posix()
                digest = entries if name.rsplit("/", 1)[0] in ENTRY_FOLDERS else shared
                digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
                digest.update(hashlib.sha256(file.read_bytes()).digest())
    everything = hashlib.sha256((shared.hexdigest() + entries.hexdigest()).encode()).hexdigest()
    return Inputs(everything, shared.hexdigest())


@dataclass(frozen=True)
class LastBuild:
    """What the last complete build into an output folder read and wrote."""

    shared: str
    entries: dict[Entry, tuple[str, str]]
    shown: dict[Entry, set[RouteKey]]
    written: Record


class BuildCache:
    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_FOLDER
        self._version = code_version()

    def _read_json(self, name: str) -> dict:
        try:
            return json.loads((self.folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _write_json(self, name: str, data: dict) -> None:
        self.folder.mkdir(exist_ok=True)
        (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
        temporary = self.folder / f"{name}.tmp"
        temporary.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        temporary.replace(self.folder / name)

    def markdown(self) -> dict[str, str]:
        """Converted bodies by hash of their Markdown, from the last build of this code."""
        return self._read_json(f"markdown-{self._version}.json")

    def save_markdown(self, converted: dict[str, str], used: set[str]) -> None:
        """Keep the bodies of this build only: edited-away texts would pile up otherwise."""
        kept = {key: html for key, html in converted.items() if key in used}
        for stale in self.folder.glob("markdown-*.json"):
            if stale.name != f"markdown-{self._version}.json":
                stale.unlink()
        self._write_json(f"markdown-{self._version}.json", kept)

    def map_shapes(self) -> dict[str, MapParts]:
        """Maps drawn by folium for the last build, from this code and this folium."""
        kept = self._read_json(self._map_shapes_name())
        return {key: MapParts(*parts) for key, parts in kept.items()}

    def save_map_shapes(self, shapes: dict[str, MapParts]) -> None:
        name = self._map_shapes_name()
        for stale in self.folder.glob("map-shapes-*.json"):
            if stale.name != name:
                stale.unlink()
        self._write_json(name, {key: [parts.header, parts.html, parts.script] for key, parts in shapes.items()})

    def qr_codes(self) -> dict[str, str]:
        """QR codes (SVG) by the address they encode, from the last build of this code."""
        return self._read_json(f"qr-codes-{self._version}.json")

    def save_qr_codes(self, codes: dict[str, str]) -> None:
        for stale in self.folder.glob("qr-codes-*.json"):
            if stale.name != f"qr-codes-{self._version}.json":
                stale.unlink()
        self._write_json(f"qr-codes-{self._version}.json", codes)

    def _map_shapes_name(self) -> str:
        try:
            folium = metadata.version("folium")
        except metadata.PackageNotFoundError:
            folium = "unknown"
        return f"map-shapes-{self._version}-{folium}.json"

    def up_to_date(self, output: Path, inputs: Inputs) -> list[Problem] | None:
        """The warnings of the last build if it had these inputs and its output is still there."""
        last = self._read_json("last-build.json")
        if last.get("fingerprint") != inputs.everything or last.get("output") != str(output.resolve()):
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
        """Called before writing into the output: until `record_build`, nothing there is trusted."""
        (self.folder / "written.json").unlink(missing_ok=True)

    def record_build(
        self,
        output: Path,
        inputs: Inputs,
        warnings: list[Problem],
        entries: dict[Entry, tuple[str, str]],
        shown: dict[Entry, set[RouteKey]],
        written: Record,
    ) -> None:
        """What the build read and wrote; written.json last, as it marks the build complete."""
        self._write_json("last-build.json", {
            "fingerprint": inputs.everything,
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
        })
        self._write_json("written.json", {"output": str(output.resolve()), "files": written})


def _entry(key: str) -> Entry:
    collection, slug = key.split("/", 1)
    return collection, slug

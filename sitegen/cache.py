"""What `build` keeps between runs in `.sitegen-cache/` beside content/: converted Markdown,
the search index, and a fingerprint of the inputs of the last build.

Everything here is an optimisation: deleting the folder only makes the next build slower.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from sitegen.errors import Problem, Severity

CACHE_FOLDER = ".sitegen-cache"
_CODE = Path(__file__).resolve().parent


def code_version() -> str:
    """A hash of the generator's own code: a cache written by other code is not trusted."""
    digest = hashlib.sha256()
    for file in sorted(_CODE.glob("*.py")):
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def input_fingerprint(root: Path, settings: dict[str, str]) -> str:
    """Everything a build reads: content and theme files byte for byte, plus `settings`."""
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    digest.update(code_version().encode())
    for folder in (root / "content", root / "themes"):
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                digest.update(file.relative_to(root).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


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

    def save_markdown(self, converted: dict[str, str], used: set[str] | None = None) -> None:
        kept = {key: html for key, html in converted.items() if used is None or key in used}
        for stale in self.folder.glob("markdown-*.json"):
            if stale.name != f"markdown-{self._version}.json":
                stale.unlink()
        self._write_json(f"markdown-{self._version}.json", kept)

    def up_to_date(self, output: Path, fingerprint: str) -> list[Problem] | None:
        """The warnings of the last build if it had these inputs and its output is still there."""
        last = self._read_json("last-build.json")
        if last.get("fingerprint") != fingerprint or last.get("output") != str(output.resolve()):
            return None
        if not (output / "index.html").is_file():
            return None
        return [
            Problem(item["path"], item["line"], Severity.WARNING, item["message"], item["hint"])
            for item in last.get("warnings", [])
        ]

    def record_build(self, output: Path, fingerprint: str, warnings: list[Problem]) -> None:
        self._write_json("last-build.json", {
            "fingerprint": fingerprint,
            "output": str(output.resolve()),
            "warnings": [
                {"path": problem.path, "line": problem.line, "message": problem.message, "hint": problem.hint}
                for problem in warnings
            ],
        })

    def search_bundle(self, records_hash: str) -> Path | None:
        bundle = self.folder / "search" / records_hash
        return bundle if bundle.is_dir() else None

    def store_search_bundle(self, records_hash: str, bundle: Path) -> None:
        target = self.folder / "search"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        shutil.copytree(bundle, target / records_hash)

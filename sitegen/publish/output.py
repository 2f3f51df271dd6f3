"""Publishing the rendered site into the output folder, writing only files whose bytes changed.

Creating a file costs twenty times more than overwriting one on a typical disk, so rewriting a
whole `build/` for a one-park edit would dominate the build. Every page is rendered and checked
in memory before the first write, so a build that fails on the content never touches `build/`;
each file is written through a temporary file and a rename, so nobody reads half a page.

What was written is recorded (digest, size and modification time of each file), so the next
build knows which files it may leave alone without reading them. The record is dropped before
writing starts and saved when it ends: after an interrupted build, every file is compared again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sitegen.render.pages import Output

Record = dict[str, tuple[str, int, int]]
"""Output path -> (sha256 of its bytes, size, st_mtime_ns) as written."""


class UnsafeOutput(Exception):
    """The output folder would overwrite content, the theme, or something that is not a site."""


def check_destination(destination: Path, site_root: Path) -> None:
    """Refuse output folders whose replacement would lose an editor's files."""
    destination = destination.resolve()
    site_root = site_root.resolve()
    if site_root.is_relative_to(destination):
        raise UnsafeOutput(f"{destination} contains the site's own files")
    for folder in (site_root / "content", site_root / "themes"):
        if destination.is_relative_to(folder):
            raise UnsafeOutput(f"{destination} is inside {folder}")
    if destination.is_dir() and any(destination.iterdir()) and not (
        (destination / "index.html").is_file() or (destination / "404.html").is_file()
    ):
        raise UnsafeOutput(f"{destination} is not empty and does not look like a built site")


@dataclass
class Published:
    written: int  # files whose bytes changed
    record: Record


def publish(outputs: Iterable[Output], destination: Path, last: Record | None, kept: Iterable[str] = ()) -> Published:
    """Make `destination` hold exactly `outputs` plus the `kept` paths of the last build.

    `last` is the record of the previous publish into this folder, or None when it is unknown
    (first build, or an interrupted one): then existing files are read and compared, and
    anything that is not an output is removed.
    """
    destination.mkdir(parents=True, exist_ok=True)
    destination.chmod(0o755)
    record: Record = {}
    written = 0
    for output in outputs:
        data = output.content if output.copy_from is None else output.copy_from.read_bytes()
        data = data or b""
        digest = hashlib.sha256(data).hexdigest()
        target = destination / output.path
        if _unchanged(target, data, digest, last.get(output.path) if last is not None else None, last is None):
            record[output.path] = last[output.path] if last and output.path in last else _stamp(target, digest)
            continue
        _write(target, data)
        record[output.path] = _stamp(target, digest)
        written += 1
    for path in kept:
        if last is not None and path in last and path not in record:
            record[path] = last[path]
    stale = set(last) - set(record) if last is not None else _files_under(destination) - set(record)
    for path in sorted(stale):
        _remove(destination, path)
    return Published(written, record)


def intact(destination: Path, record: Record, paths: Iterable[str]) -> bool:
    """Whether these recorded files are still in `destination` as the last build wrote them."""
    for path in paths:
        try:
            status = (destination / path).stat()
        except OSError:
            return False
        entry = record.get(path)
        if entry is None or (status.st_size, status.st_mtime_ns) != (entry[1], entry[2]):
            return False
    return True


def _unchanged(target: Path, data: bytes, digest: str, entry: tuple[str, int, int] | None, compare: bool) -> bool:
    try:
        status = target.stat()
    except OSError:
        return False
    if entry is not None:
        return entry == (digest, status.st_size, status.st_mtime_ns)
    return compare and status.st_size == len(data) and target.read_bytes() == data


def _stamp(target: Path, digest: str) -> tuple[str, int, int]:
    status = target.stat()
    return digest, status.st_size, status.st_mtime_ns


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.sitegen-tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def _remove(destination: Path, path: str) -> None:
    """Delete a file that is no longer an output, and the folders it leaves empty."""
    target = destination / path
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != destination and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _files_under(folder: Path) -> set[str]:
    found = set()
    for parent, _, names in os.walk(folder):
        for name in names:
            found.add((Path(parent) / name).relative_to(folder).as_posix())
    return found


def copied_outputs(files: dict[str, Path], prefix: str) -> list[Output]:
    """Files to copy as they are (theme assets, media), by their published path, in a stable order."""
    return [Output(f"{prefix}{relative}", copy_from=file) for relative, file in sorted(files.items())]

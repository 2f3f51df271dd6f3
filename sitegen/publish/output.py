"""Writing the rendered site into the output folder: all of it at once, or nothing.

Every page is rendered and checked in memory before the first write, so a build that fails on
the content never touches the output. The output itself changes in one step: the new site is
assembled in a sibling folder (`.build.new`), where every file whose bytes did not change is a
hard link to the current one (cheap: a one-park edit creates a few files, not thousands), and
then the two folders are swapped with one rename. Killed at any moment, out of disk space or
refused a write, the output is the complete old site or the complete new one; leftovers of an
interrupted build beside it are removed by the next build. (The guarantee is about processes
being killed; it does not make the disk survive a power cut, which would need an fsync of every
file.)

The preview writes in place instead (`in_place=True`): its folder is private, and a save must
reload in a fraction of a second.

What was written is recorded (digest, size and modification time of each file), so the next
build knows which files it may keep without reading them.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sitegen.render.pages import Output

Record = dict[str, tuple[str, int, int]]
"""Output path -> (sha256 of its bytes, size, st_mtime_ns) as written."""


class UnsafeOutput(Exception):
    """The output folder would overwrite content, the theme, or something that is not a site."""


class OutputError(Exception):
    """Writing the output failed (no space, no permission); the previous output is untouched."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def check_destination(destination: Path, site_root: Path) -> None:
    """Refuse output folders whose replacement would lose an editor's files."""
    destination = destination.resolve()
    site_root = site_root.resolve()
    if site_root.is_relative_to(destination):
        raise UnsafeOutput(f"{destination} contains the site's own files")
    for folder in (site_root / "content", site_root / "themes"):
        if destination.is_relative_to(folder):
            raise UnsafeOutput(f"{destination} is inside {folder}")
    if destination.exists() and not destination.is_dir():
        raise UnsafeOutput(f"{destination} is a file, not a folder")
    if destination.is_dir() and any(destination.iterdir()) and not (
        (destination / "index.html").is_file() or (destination / "404.html").is_file()
    ):
        raise UnsafeOutput(f"{destination} is not empty and does not look like a built site")


@dataclass
class Published:
    written: int  # files whose bytes changed
    record: Record


def sibling(destination: Path, role: str) -> Path:
    """A hidden folder beside the output: where the next site is assembled, or the old one goes."""
    return destination.with_name(f".{destination.name}.{role}")


def recover(destination: Path) -> None:
    """Undo what an interrupted publish left: an output folder renamed away and not replaced is
    put back; half-assembled and retired folders are removed. Call it holding the build lock."""
    old, new = sibling(destination, "old"), sibling(destination, "new")
    if not destination.exists() and old.is_dir():
        os.rename(old, destination)
    for leftover in (new, old):
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)


def publish(
    outputs: Iterable[Output],
    destination: Path,
    last: Record | None,
    kept: Iterable[str] = (),
    in_place: bool = False,
) -> Published:
    """Make `destination` hold exactly `outputs` plus the `kept` paths of the last build.

    `last` is the record of the previous publish into this folder, or None when it is unknown
    (first build, or an interrupted one): then existing files are read and compared.
    """
    if in_place:
        return _publish_in_place(outputs, destination, last, kept)
    return _publish_by_swap(outputs, destination, last, kept)


def _publish_by_swap(
    outputs: Iterable[Output], destination: Path, last: Record | None, kept: Iterable[str]
) -> Published:
    recover(destination)
    stage = sibling(destination, "new")
    try:
        stage.mkdir(parents=True)
        stage.chmod(0o755)
        record, written = _assemble(outputs, destination, stage, last, kept)
        _swap(stage, destination)
    except OSError as error:
        shutil.rmtree(stage, ignore_errors=True)
        raise _output_error(error, destination) from None
    shutil.rmtree(sibling(destination, "old"), ignore_errors=True)
    return Published(written, record)


def _assemble(
    outputs: Iterable[Output], current: Path, stage: Path, last: Record | None, kept: Iterable[str]
) -> tuple[Record, int]:
    """Fill `stage` with the new site: unchanged files linked from `current`, the rest written."""
    record: Record = {}
    written = 0
    folders: set[Path] = set()
    for output in outputs:
        data = output.content if output.copy_from is None else output.copy_from.read_bytes()
        data = data or b""
        digest = hashlib.sha256(data).hexdigest()
        source = current / output.path
        target = stage / output.path
        _make_folder(target.parent, folders)
        entry = last.get(output.path) if last is not None else None
        if _unchanged(source, data, digest, entry, last is None) and _link(source, target):
            record[output.path] = entry if entry is not None else _stamp(target, digest)
            continue
        target.write_bytes(data)
        record[output.path] = _stamp(target, digest)
        written += 1
    for path in kept:
        if last is not None and path in last and path not in record:
            target = stage / path
            _make_folder(target.parent, folders)
            if not _link(current / path, target):
                shutil.copy2(current / path, target)
            record[path] = last[path]
    return record, written


def _make_folder(folder: Path, made: set[Path]) -> None:
    if folder not in made:
        folder.mkdir(parents=True, exist_ok=True)
        made.add(folder)


def _link(source: Path, target: Path) -> bool:
    """Hard-link an unchanged file into the new site; False where the file system cannot."""
    try:
        os.link(source, target)
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES):
            raise
        return False
    return True


_RENAME_EXCHANGE = 2


def _swap(stage: Path, destination: Path) -> None:
    """Put `stage` where `destination` is, in one step where the system allows it.

    Linux swaps two folders atomically (renameat2 with RENAME_EXCHANGE); elsewhere the old
    folder is renamed away first, and `recover` puts it back if the process dies in between.
    """
    if not destination.exists():
        os.rename(stage, destination)
        return
    if sys.platform == "linux" and _exchange(stage, destination):
        os.rename(stage, sibling(destination, "old"))  # `stage` now holds the old site
        return
    old = sibling(destination, "old")
    os.rename(destination, old)
    os.rename(stage, destination)


def _exchange(first: Path, second: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_cwd = -100
    result = renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False  # the file system or kernel cannot exchange: rename twice instead
    raise OSError(code, os.strerror(code), str(second))


def _output_error(error: OSError, destination: Path) -> OutputError:
    where = error.filename or destination
    reason = error.strerror or str(error)
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = "free some disk space (the new site is assembled beside the old one), then build again"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = f"make {destination.parent} writable, or choose another output folder with -o"
    else:
        hint = "check the disk and the folder, then build again"
    return OutputError(
        f"could not write {where}: {reason}; {destination} was left as it was",
        hint,
    )


def _publish_in_place(
    outputs: Iterable[Output], destination: Path, last: Record | None, kept: Iterable[str]
) -> Published:
    destination.mkdir(parents=True, exist_ok=True)
    record: Record = {}
    written = 0
    for output in outputs:
        data = output.content if output.copy_from is None else output.copy_from.read_bytes()
        data = data or b""
        digest = hashlib.sha256(data).hexdigest()
        target = destination / output.path
        entry = last.get(output.path) if last is not None else None
        if _unchanged(target, data, digest, entry, last is None):
            record[output.path] = entry if entry is not None else _stamp(target, digest)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.sitegen-tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)  # the preview's server never sends a half-written page
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

"""Writing the rendered site into the output folder: all of it at once, or nothing.

Every page is rendered and checked in memory before the first write, so a build that fails on
the content never touches the output. The output itself changes in one step: the new site is
assembled in another folder, where every file whose bytes did not change is a hard link to the
current one, and then the two folders are swapped with one rename. Killed at any moment, out of
disk space or refused a write, the output is the complete old site or the complete new one;
leftovers of an interrupted build beside it are removed by the next build. (The guarantee is
about processes being killed; it does not make the disk survive a power cut, which would need an
fsync of every file.)

The folder the new site is assembled in is, when the build keeps a cache, the site before the
current one (`spare`), which the swap leaves behind: a one-park edit then replaces a few dozen
files in it instead of making every folder and linking every file into an empty one, and
nothing has to be deleted afterwards. Nothing about the spare is trusted: each
file in it is kept only when it is the very file (the same inode) the output holds and the build
keeps, so one left half-updated by a killed build is simply brought up to date. Without a spare
(no cache, or the cache on another file system) the site is assembled in `.build.new` beside the
output and the old one is deleted after the swap.

The preview writes in place instead (`in_place=True`): its folder is private, and a save must
reload at once.

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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sitegen.render.pages import Output

WrittenFiles = dict[str, tuple[str, int, int]]
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
    if (
        destination.is_dir()
        and any(destination.iterdir())
        and not ((destination / "index.html").is_file() or (destination / "404.html").is_file())
    ):
        raise UnsafeOutput(f"{destination} is not empty and does not look like a built site")


@dataclass
class Published:
    written: int  # files whose bytes changed
    record: WrittenFiles


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
    last: WrittenFiles | None,
    kept: Iterable[str] = (),
    in_place: bool = False,
    spare: Path | None = None,
) -> Published:
    """Make `destination` hold exactly `outputs` plus the `kept` paths of the last build.

    `last` is the record of the previous publish into this folder, or None when it is unknown
    (first build, or an interrupted one): then existing files are read and compared. `spare` is
    a folder this function owns, where it assembles the new site and leaves the old one.
    """
    if in_place:
        return _publish_in_place(outputs, destination, last, kept)
    with Staging(destination, last, spare) as staging:
        staging.add(outputs)
        staging.keep(kept)
        return staging.publish()


class Staging:
    """A new site being assembled, to be swapped in by `publish`; files may be added while
    others are still being made (a build stages its pages while Pagefind indexes them).

    Used as a context manager: leaving it by an exception discards what was assembled beside
    the output. Every OSError becomes an OutputError naming the file.
    """

    def __init__(self, destination: Path, last: WrittenFiles | None, spare: Path | None = None) -> None:
        recover(destination)
        self.destination = destination
        self._last = last
        self._reuse = spare is not None and _same_file_system(spare.parent, destination.parent)
        self.folder = spare if self._reuse and spare is not None else sibling(destination, "new")
        self._record: WrittenFiles = {}
        self._written = 0
        with self._reporting():
            if self._reuse and (self.folder.is_symlink() or self.folder.is_file()):
                self.folder.unlink()  # never list, let alone empty, a folder elsewhere
            self._present = _contents(self.folder) if self._reuse else _Contents({}, set())
            self.folder.mkdir(parents=True, exist_ok=True)
            self.folder.chmod(0o755)
            self._device = self.folder.stat().st_dev
        self._made = set(self._present.folders)  # folders known to exist in the stage

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None and not self._reuse:
            shutil.rmtree(self.folder, ignore_errors=True)

    def add(self, outputs: Iterable[Output]) -> None:
        """Files of the new site: linked from the current one where their bytes did not change."""
        with self._reporting():
            for output in outputs:
                if output.copy_from is not None and output.digest is not None:
                    self._add_known(output.path, output.copy_from, output.digest)
                    continue
                data = output.content if output.copy_from is None else output.copy_from.read_bytes()
                self._add(output.path, data or b"")

    def keep(self, paths: Iterable[str]) -> None:
        """Files of the last build that stay as they are (the last record must list them)."""
        with self._reporting():
            for path in paths:
                if self._last is None or path not in self._last or path in self._record:
                    continue
                source, target = self.destination / path, self.folder / path
                if not self._linked(source, source.stat(), path):
                    shutil.copy2(source, target)
                self._record[path] = self._last[path]

    def publish(self) -> Published:
        """Remove what the new site does not hold, then swap it in."""
        with self._reporting():
            for path in self._present.files.keys() - self._record.keys():
                (self.folder / path).unlink(missing_ok=True)
            needed = {folder for path in self._record for folder in _parents(path)}
            for folder in sorted(self._present.folders - needed, key=len):
                shutil.rmtree(self.folder / folder, ignore_errors=True)
            _swap(self.folder, self.destination, keep_old=self._reuse)
        shutil.rmtree(sibling(self.destination, "old"), ignore_errors=True)
        return Published(self._written, self._record)

    def _add(self, path: str, data: bytes) -> None:
        digest = hashlib.sha256(data).hexdigest()
        source, target = self.destination / path, self.folder / path
        entry = self._last.get(path) if self._last is not None else None
        status = _unchanged(source, data, digest, entry, self._last is None)
        if status is not None and self._linked(source, status, path):
            self._record[path] = entry if entry is not None else _stamp(target, digest)
            return
        self._clear(path)
        target.write_bytes(data)
        self._record[path] = _stamp(target, digest)
        self._written += 1

    def _add_known(self, path: str, file: Path, digest: str) -> None:
        """`file`, whose digest is known, at `path`: linked from the current output when that
        holds it as recorded, else from `file` itself, and copied where links fail."""
        source, target = self.destination / path, self.folder / path
        entry = self._last.get(path) if self._last is not None else None
        status = _unchanged(source, b"", digest, entry, compare=False)
        if entry is not None and status is not None and self._linked(source, status, path):
            self._record[path] = entry
            return
        if not self._linked(file, file.stat(), path):
            shutil.copyfile(file, target)
        self._record[path] = _stamp(target, digest)
        self._written += 1

    def _linked(self, source: Path, status: os.stat_result, path: str) -> bool:
        """Make the stage's `path` the very file `source` is; False where the file system cannot link."""
        if self._present.files.get(path) == status.st_ino and status.st_dev == self._device:
            return True  # the spare holds it already
        self._clear(path)
        return _link(source, self.folder / path)

    def _clear(self, path: str) -> None:
        """Make room for a new file at `path`. A file the spare holds there is removed, never
        written into: it may be the live site's file under another name. A folder there, or a
        file where a folder must go, is what an older site had; they go too."""
        target = self.folder / path
        if self._present.files.pop(path, None) is not None:
            target.unlink()
        elif path in self._present.folders:
            shutil.rmtree(target)
            self._present.forget_folder(path)
            self._made -= {path} | {folder for folder in self._made if folder.startswith(f"{path}/")}
        for folder in reversed(list(_parents(path))):
            if folder in self._made:
                continue
            if self._present.files.pop(folder, None) is not None:
                (self.folder / folder).unlink()
            (self.folder / folder).mkdir(exist_ok=True)
            self._made.add(folder)

    @contextmanager
    def _reporting(self) -> Iterator[None]:
        try:
            yield
        except OSError as error:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise _output_error(error, self.destination) from None


def _same_file_system(first: Path, second: Path) -> bool:
    """Whether a folder in `first` can be swapped with one in `second` (no copy across disks)."""
    try:
        first.mkdir(parents=True, exist_ok=True)
        return first.stat().st_dev == second.stat().st_dev
    except OSError:
        return False


@dataclass
class _Contents:
    """What a folder holds: each file (or link) by its path in the site with its inode, and each folder."""

    files: dict[str, int]
    folders: set[str]

    def forget_folder(self, folder: str) -> None:
        """A folder was removed, with all it held."""
        inside = f"{folder}/"
        self.files = {path: inode for path, inode in self.files.items() if not path.startswith(inside)}
        self.folders = {path for path in self.folders if path != folder and not path.startswith(inside)}


def _contents(folder: Path) -> _Contents:
    """Listed with scandir, which gives each inode without a stat of its own."""
    contents = _Contents({}, set())
    pending = [("", str(folder))]
    while pending:
        prefix, path = pending.pop()
        try:
            entries = list(os.scandir(path))
        except FileNotFoundError:
            continue
        for entry in entries:
            name = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                contents.folders.add(name)
                pending.append((name + "/", entry.path))
            else:
                contents.files[name] = entry.inode()
    return contents


def _parents(path: str) -> Iterator[str]:
    """The folders holding a file's path in the site: "a/b/c.html" -> "a/b", "a"."""
    while "/" in path:
        path = path.rsplit("/", 1)[0]
        yield path


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


def _swap(stage: Path, destination: Path, keep_old: bool) -> None:
    """Put `stage` where `destination` is, in one step where the system allows it; the old site
    is then left in `stage` (`keep_old`) or in the `.old` sibling, for the caller to delete.

    Linux swaps two folders atomically (renameat2 with RENAME_EXCHANGE); elsewhere the old
    folder is renamed away first, and `recover` puts it back if the process dies in between.
    """
    if not destination.exists():
        os.rename(stage, destination)
        return
    old = sibling(destination, "old")
    if not (sys.platform == "linux" and _exchange(stage, destination)):
        os.rename(destination, old)
        os.rename(stage, destination)
        if keep_old:
            os.rename(old, stage)
    elif not keep_old:
        os.rename(stage, old)


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


def write_in_place(
    outputs: Iterable[Output], destination: Path, last: WrittenFiles | None, record: WrittenFiles
) -> int:
    """Write each output whose bytes `destination` does not hold already, each whole (the
    preview's server never sends a half-written page), noting in `record` what the folder holds
    at each path as it goes: a write that fails half-way leaves `record` true of every file
    written before it. Returns how many were written."""
    destination.mkdir(parents=True, exist_ok=True)
    written = 0
    for output in outputs:
        data = output.content if output.copy_from is None else output.copy_from.read_bytes()
        data = data or b""
        digest = hashlib.sha256(data).hexdigest()
        target = destination / output.path
        entry = last.get(output.path) if last is not None else None
        if _unchanged(target, data, digest, entry, last is None) is not None:
            record[output.path] = entry if entry is not None else _stamp(target, digest)
            continue
        _write_whole(target, data)
        record[output.path] = _stamp(target, digest)
        written += 1
    return written


def _write_whole(target: Path, data: bytes) -> None:
    """Write a temporary file beside `target`, then put it in its place. The preview's late
    work writes beside its runs: a run may remove the folder as left empty (a deleted park's)
    or, knowing no record of the folder, the temporary file itself, between the two; it is
    then written again. (A late file such a run removes once in place, it owes again.)"""
    temporary = target.with_name(f".{target.name}.sitegen-tmp")
    for attempt in (1, 2):
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(data)
            os.replace(temporary, target)
            return
        except BaseException as error:
            temporary.unlink(missing_ok=True)
            if isinstance(error, OSError) and error.filename is None:
                error.filename = str(target)  # a write that ran out of space names no file
            if attempt == 2 or not isinstance(error, FileNotFoundError):
                raise


def _publish_in_place(
    outputs: Iterable[Output], destination: Path, last: WrittenFiles | None, kept: Iterable[str]
) -> Published:
    record: WrittenFiles = {}
    written = write_in_place(outputs, destination, last, record)
    for path in kept:
        if last is not None and path in last and path not in record:
            record[path] = last[path]
    stale = set(last) - set(record) if last is not None else _files_under(destination) - set(record)
    for path in sorted(stale):
        _remove(destination, path)
    return Published(written, record)


def intact(destination: Path, record: WrittenFiles, paths: Iterable[str]) -> bool:
    """Whether these recorded files are still in `destination` as the last build wrote them."""
    folder = os.fspath(destination)
    for path in paths:
        try:
            status = os.stat(os.path.join(folder, path))  # thousands of files: no Path for each
        except OSError:
            return False
        entry = record.get(path)
        if entry is None or (status.st_size, status.st_mtime_ns) != (entry[1], entry[2]):
            return False
    return True


def _unchanged(
    target: Path, data: bytes, digest: str, entry: tuple[str, int, int] | None, compare: bool
) -> os.stat_result | None:
    """The status of `target` when it holds `data` already (by the record, or by reading it
    when `compare` and there is no record), else None."""
    try:
        status = target.stat()
    except OSError:
        return None
    if entry is not None:
        same = entry == (digest, status.st_size, status.st_mtime_ns)
    else:
        same = compare and status.st_size == len(data) and target.read_bytes() == data
    return status if same else None


def _stamp(target: Path, digest: str) -> tuple[str, int, int]:
    status = target.stat()
    return digest, status.st_size, status.st_mtime_ns


def _remove(destination: Path, path: str) -> None:
    """Delete a file that is no longer an output, and the folders it leaves empty (one that
    gains a file meanwhile, as the preview's late work writes beside its runs, is kept)."""
    target = destination / path
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != destination and folder.is_dir() and not any(folder.iterdir()):
        try:
            folder.rmdir()
        except OSError:
            return
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

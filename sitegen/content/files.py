"""Which files under the site folder may be read and published: regular files inside the site,
with names every editor's computer can hold.

Editors share the site through Windows, macOS and Linux machines and zip files. A name that is
not UTF-8 (a zip unpacked on Chinese Windows), two names Windows or macOS take for the same file
(`Logo.png` and `logo.png`; `é` composed and decomposed), or a Windows device name (`con.md`)
breaks a checkout on one of them; a link to `/etc/passwd` would publish a file from outside the
site; a named pipe would hang the build on reading. Each is refused here, with a message, before
anything is read.
"""

from __future__ import annotations

import os
import re
import stat
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import Problems, zh_en

MEDIA_FOLDER = "content/media"

_WINDOWS_DEVICE = re.compile(r"(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])", re.IGNORECASE)
"""Names Windows keeps for devices, whatever the extension (`con.md`, `AUX.png`)."""


@dataclass(frozen=True, slots=True)
class Listed:
    """A name in a folder that passed every check: a regular file or a folder, inside the site."""

    name: str
    path: str
    is_folder: bool
    is_link: bool = False


def readable_name(name: str) -> str:
    """A name as people can read it: one that is not UTF-8 is shown as GBK if it reads as GBK
    (zip files made on Chinese Windows), else with the undecodable bytes replaced."""
    raw = os.fsencode(name)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace")


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_SETTLED_NS = 2_000_000_000


def settled_state(status: os.stat_result) -> tuple[int, int, int, int] | None:
    """What tells a file's bytes apart without reading them (size, modification and change
    times, inode), or None while the file changed within the last two seconds.

    File times tick coarsely (milliseconds on Linux, two seconds on FAT), so a file rewritten
    at the same size within the tick after it was read would look unchanged: such a file is
    read every time until it settles, as Git does with its index.
    """
    if time.time_ns() - max(status.st_mtime_ns, status.st_ctime_ns) < _SETTLED_NS:
        return None
    return status.st_size, status.st_mtime_ns, status.st_ino, status.st_ctime_ns


def is_inside(path: str | Path, root: str | Path) -> bool:
    """Whether `path`, links followed, lies inside `root`, links followed."""
    return lies_in(os.path.realpath(path), os.path.realpath(root))


def lies_in(real: str, base: str) -> bool:
    """Whether the resolved path `real` is the resolved folder `base` or lies inside it."""
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def list_folder(
    folder: Path, shown: str, root: Path, problems: Problems, ignored: Callable[[str], bool] = lambda name: False
) -> list[Listed]:
    """The files and folders in `folder` that may be read, sorted by name; every other name is
    reported (shown as `shown/name`) and left out. `ignored` names are neither checked nor listed."""
    with os.scandir(folder) as entries:
        found = sorted((entry.name, entry) for entry in entries if not ignored(entry.name))
    listed = []
    for name, entry in found:
        if not _is_utf8(name):
            _refuse(problems, f"{shown}/{readable_name(name)}", *_not_utf8(readable_name(name)))
            continue
        display = f"{shown}/{name}"
        is_link = entry.is_symlink()
        if is_link and not is_inside(entry.path, root):
            _refuse(problems, display, *_OUTSIDE)
            continue
        try:
            # the listing knows the type of all but links, without a call of its own per file
            mode = os.stat(entry.path).st_mode if is_link else _mode(entry)
        except OSError:
            _refuse(problems, display, *_BROKEN_LINK)
            continue
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            _refuse(problems, display, *_NOT_A_FILE)
            continue
        listed.append(Listed(name, entry.path, stat.S_ISDIR(mode), is_link))
    _check_portable_names(listed, shown, problems)
    return listed


def _mode(entry: os.DirEntry) -> int:
    """The type bits of an entry that is not a link: a file, a folder, or something else (0)."""
    if entry.is_file(follow_symlinks=False):
        return stat.S_IFREG
    return stat.S_IFDIR if entry.is_dir(follow_symlinks=False) else 0


def _check_portable_names(listed: list[Listed], shown: str, problems: Problems) -> None:
    """Report names Windows reserves, and names that Windows or macOS would take for another."""
    first: dict[str, str] = {}
    for item in listed:
        display = f"{shown}/{item.name}"
        if is_windows_device_name(item.name):
            _refuse(problems, display, *_device_name(item.name))
        key = _as_windows_and_macos_compare(item.name)
        if key in first:
            _refuse(problems, display, *_same_name(item.name, first[key], f"{shown}/{first[key]}"))
        else:
            first[key] = item.name


def is_windows_device_name(name: str) -> bool:
    """`con.md`, `AUX.png`, `com1.tar.gz`: names Windows keeps for devices, whatever follows the dot."""
    return bool(_WINDOWS_DEVICE.fullmatch(name.split(".", 1)[0].rstrip(" ")))


def _as_windows_and_macos_compare(name: str) -> str:
    """NTFS and APFS ignore case letter by letter (simple case mapping, so `ß` is not `SS`), and
    macOS keeps names decomposed (NFD), so a composed twin is the same file there."""
    if name.isascii():  # nearly every name: nothing to compose, every letter maps to one
        return name.upper()
    return "".join(
        letter.upper() if len(letter.upper()) == 1 else letter for letter in unicodedata.normalize("NFC", name)
    )


def media_files(root: Path, problems: Problems) -> dict[str, Path]:
    """Every file under content/media/ that may be published, by its path there; links to
    folders inside the site are followed once, links leaving it are refused."""
    folder = root / MEDIA_FOLDER
    found: dict[str, Path] = {}
    if folder.is_dir() and inside_or_refused(folder, MEDIA_FOLDER, root, problems):
        _collect(folder, "", root, problems, found, {os.path.realpath(folder)})
    return dict(sorted(found.items()))


def inside_or_refused(folder: Path, shown: str, root: Path, problems: Problems) -> bool:
    """Whether a folder the site reads lies inside it; a link elsewhere is reported."""
    if is_inside(folder, root):
        return True
    _refuse(problems, shown, *_OUTSIDE)
    return False


def _collect(folder: Path, prefix: str, root: Path, problems: Problems, found: dict[str, Path], seen: set[str]) -> None:
    for item in list_folder(folder, f"{MEDIA_FOLDER}/{prefix}".rstrip("/"), root, problems, _hidden):
        if not item.is_folder:
            found[prefix + item.name] = Path(item.path)
        elif (real := os.path.realpath(item.path)) not in seen:
            seen.add(real)
            _collect(Path(item.path), f"{prefix}{item.name}/", root, problems, found, seen)


def _hidden(name: str) -> bool:
    """Hidden files (`.DS_Store`, `.gitkeep`) are never published."""
    return name.startswith(".")


def _refuse(problems: Problems, display: str, message: str, hint: str) -> None:
    problems.error(display, None, message, hint)


def _not_utf8(readable: str) -> tuple[str, str]:
    return (
        zh_en(
            f"文件名不是 UTF-8 编码（可能是“{readable}”，常见于在中文 Windows 上解压的 zip 文件）",
            f"the file name is not UTF-8 (it may read “{readable}”; zip files unpacked on Chinese Windows do this)",
        ),
        zh_en(
            "把文件重新命名（删掉名字重新输入），或用支持 UTF-8 的工具重新解压",
            "rename the file (delete the name and type it again), or unpack the zip again with a tool that keeps"
            " UTF-8 names",
        ),
    )


_OUTSIDE = (
    zh_en("这是一个指向站点文件夹之外的链接，不能发布", "this is a link to a file outside the site folder"),
    zh_en(
        "把文件本身复制到这里，替换这个链接（快捷方式）",
        "copy the file itself here in place of the link (shortcut)",
    ),
)
_BROKEN_LINK = (
    zh_en("这个链接（快捷方式）指向的文件不存在", "this link (shortcut) points to nothing"),
    zh_en("删除这个链接，或把文件本身放到这里", "delete the link, or put the file itself here"),
)
_NOT_A_FILE = (
    zh_en("这不是普通文件（是管道、套接字或设备）", "this is not an ordinary file (a pipe, socket or device)"),
    zh_en("删除它，放一个普通文件", "delete it and put an ordinary file here"),
)


def _device_name(name: str) -> tuple[str, str]:
    return (
        zh_en(
            f"'{name}' 在 Windows 上是保留的设备名，无法保存或检出",
            f"'{name}' is a device name Windows reserves: the file cannot be saved or checked out there",
        ),
        zh_en(
            "换个名字，例如在前面加上一个词（about-con.md）",
            "choose another name, e.g. with a word in front (about-con.md)",
        ),
    )


def _same_name(name: str, other: str, other_path: str) -> tuple[str, str]:
    if unicodedata.normalize("NFC", name) == unicodedata.normalize("NFC", other):
        why_zh = "只是 Unicode 写法不同（macOS 会这样保存）"
        why_en = "differ only in their Unicode form (as macOS saves names)"
    else:
        why_zh, why_en = "只有大小写不同", "differ only in upper and lower case"
    return (
        zh_en(
            f"'{name}' 与 {other_path} {why_zh}，在 Windows 和 macOS 上是同一个文件",
            f"'{name}' and {other_path} {why_en}: Windows and macOS take them for the same file",
        ),
        zh_en("删除或重命名其中一个", "delete or rename one of the two"),
    )

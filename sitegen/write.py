"""Publishing the rendered site: written into a fresh folder beside the output, then swapped in,
so a failed build never leaves a half-written or emptied `build/`."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from sitegen.render import Output


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


def publish(outputs: Iterable[Output], destination: Path, finish: Callable[[Path], None] | None = None) -> int:
    """Write every output, let `finish` add to the new folder, then replace `destination` with it.

    Returns the number of outputs written.
    """
    destination = destination.resolve()
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.new-", dir=destination.parent))
    count = 0
    try:
        for output in outputs:
            target = staging / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            if output.copy_from is not None:
                shutil.copyfile(output.copy_from, target)
            else:
                target.write_bytes(output.content or b"")
            count += 1
        if finish is not None:
            finish(staging)
        staging.chmod(0o755)  # mkdtemp makes it private; a web server serving build/ must read it
        _swap(staging, destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def _swap(staging: Path, destination: Path) -> None:
    if not destination.exists():
        staging.rename(destination)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{destination.name}.old-", dir=destination.parent))
    retired.rmdir()
    destination.rename(retired)
    try:
        staging.rename(destination)
    except BaseException:
        retired.rename(destination)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def static_outputs(folder: Path, prefix: str) -> list[Output]:
    """Files to copy as they are (theme assets, media), in a stable order."""
    if not folder.is_dir():
        return []
    return [
        Output(f"{prefix}{file.relative_to(folder).as_posix()}", copy_from=file)
        for file in sorted(folder.rglob("*"))
        if file.is_file() and not file.name.startswith(".")
    ]

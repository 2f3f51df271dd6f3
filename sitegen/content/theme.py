"""The theme's files: the default theme shipped inside the package, with a site's overrides on top.

A site overrides single files by putting them in its own `themes/<name>/` (MkDocs' custom_dir,
Hugo's layout lookup): a template or static file there replaces the default one of the same
path, and its `i18n.yaml` replaces single UI strings. Everything else comes from the package,
so a site needs no `themes/` folder at all.

Themes are content: a theme file is read only from inside the site folder (links followed) or
from the package's own theme, so no template, partial, string or static file reaches elsewhere.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from sitegen.content.files import is_inside, lies_in

DEFAULT_THEME = Path(__file__).resolve().parent.parent / "theme"
"""The default theme, installed with the package."""

STRINGS_FILE = "i18n.yaml"
THEME_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
"""A theme's name is one folder under themes/: no `..`, no slash, no absolute path."""


@dataclass(frozen=True)
class Theme:
    """Where a theme's files come from; the site's override folder wins over the default."""

    root: Path
    name: str = "default"

    @property
    def override(self) -> Path:
        """The site's own folder for this theme, which may not exist."""
        return self.root / "themes" / self.name

    def folders(self) -> list[Path]:
        """Folders to look in, the site's first; an override that is not a folder of the site's
        own themes/ is never looked in."""
        own = [self.override] if self._override_is_inside() else []
        return [folder for folder in (*own, DEFAULT_THEME) if folder.is_dir()]

    def _override_is_inside(self) -> bool:
        return THEME_NAME.fullmatch(self.name) is not None and is_inside(self.override, self.root)

    def may_read(self, file: Path | str) -> bool:
        """Whether `file`, links followed, is in the site folder or in the package's theme."""
        return _in_any(os.path.realpath(file), self._readable_folders())

    def _readable_folders(self) -> tuple[str, str]:
        """The site folder and the package's theme, links followed."""
        return os.path.realpath(self.root), os.path.realpath(DEFAULT_THEME)

    def links_outside(self) -> list[Path]:
        """The override folder, or the files and folders in it, that lead outside the site
        folder through a link: none of them is read, and each is worth a message."""
        if not self.override.is_dir() or THEME_NAME.fullmatch(self.name) is None:
            return []
        if not is_inside(self.override, self.root):
            return [self.override]
        found = []
        for folder, folders, files in os.walk(self.override):
            for name in folders + files:
                path = Path(folder) / name
                if path.is_symlink() and not self.may_read(path):
                    found.append(path)
        return sorted(found)

    def template_folders(self) -> list[Path]:
        return [folder / "templates" for folder in self.folders() if (folder / "templates").is_dir()]

    def string_files(self) -> list[Path]:
        """The UI strings, the default first, so the site's strings are read over them."""
        files = [folder / STRINGS_FILE for folder in reversed(self.folders())]
        return [file for file in files if file.is_file() and self.may_read(file)]

    def static_file(self, relative: str) -> Path | None:
        for folder in self.folders():
            candidate = folder / "static" / relative
            if candidate.is_file() and self.may_read(candidate):
                return candidate
        return None

    def static_files(self) -> dict[str, Path]:
        """Every static file by its path under static/, the site's replacing the default's; a
        link to a file outside the site folder is left out, so nothing from elsewhere is published."""
        found: dict[str, Path] = {}
        readable = self._readable_folders()  # once, not for each of a theme's hundreds of files
        for folder in reversed(self.folders()):
            static = folder / "static"
            if static.is_dir():
                for file in static.rglob("*"):
                    if file.is_file() and not file.name.startswith(".") and _in_any(os.path.realpath(file), readable):
                        found[file.relative_to(static).as_posix()] = file
        return dict(sorted(found.items()))

    def unknown_overrides(self) -> list[str]:
        """Templates the site overrides that the default theme does not have: most likely a typo.
        A site's own partials, whose names start with `_`, are expected to be new."""
        folder = self.override / "templates"
        if not folder.is_dir():
            return []
        return sorted(
            file.relative_to(folder).as_posix()
            for file in folder.rglob("*.html")
            if not file.name.startswith("_") and not (DEFAULT_THEME / "templates" / file.relative_to(folder)).is_file()
        )

    def shown(self, file: Path | str) -> str:
        """A theme file's path as messages show it: from the site root, or inside the package."""
        path = Path(file).resolve()
        for base in (self.root.resolve(), DEFAULT_THEME.parent.parent):
            if path.is_relative_to(base):
                return path.relative_to(base).as_posix()
        return path.as_posix()


def _in_any(real: str, folders: tuple[str, ...]) -> bool:
    return any(lies_in(real, folder) for folder in folders)

"""`sitegen theme copy`: a file of the default theme copied into the site's theme folder, where
the copy overrides it (docs/themes.md), so nobody has to find where pip put the package."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path, PurePosixPath

from sitegen.content.config import load_config
from sitegen.content.fields import closest
from sitegen.content.theme import DEFAULT_THEME, STRINGS_FILE
from sitegen.errors import Problems, visible

_OVERRIDABLE = ("templates", "static")
"""The folders of the default theme a site may override file by file, besides i18n.yaml."""


def theme_files() -> list[str]:
    """Every file a site may copy, as `theme copy` names them: templates/park.html, i18n.yaml ..."""
    files = [STRINGS_FILE]
    for folder in _OVERRIDABLE:
        files += sorted(
            file.relative_to(DEFAULT_THEME).as_posix() for file in (DEFAULT_THEME / folder).rglob("*") if file.is_file()
        )
    return files


def copy_theme_file(root: Path, requested: str) -> int:
    """Copy one packaged theme file into `themes/<name>/` at the same path; never overwrites,
    and takes only a file of the default theme, named from the theme folder."""
    name = PurePosixPath(requested.replace("\\", "/")).as_posix().removeprefix("./")
    known = theme_files()
    if name not in known:
        return _refuse_unknown(requested, name, known)
    config = load_config(root, Problems())
    theme = config.theme if config is not None else "default"
    target = root / "themes" / theme / name
    shown = target.relative_to(root).as_posix()
    if not target.resolve().is_relative_to((root / "themes").resolve()):
        print(f"{visible(shown)}: 不在本站的 themes/ 文件夹里 / is outside the site's themes/ folder", file=sys.stderr)
        print(
            "  hint: 在 content/site.yaml 把 theme 写成 themes/ 下的文件夹名 / set theme to a folder name",
            file=sys.stderr,
        )
        return 1
    if target.exists() or target.is_symlink():
        print(f"{shown}: 已存在，没有覆盖 / already exists, not overwritten", file=sys.stderr)
        print("  hint: 直接编辑这个文件；想重新开始就先删掉它 / edit it, or delete it to start again", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DEFAULT_THEME / name, target)
    print(f"copied {name} of the default theme to {shown}: edit it there; it overrides the default one")
    if name == STRINGS_FILE:
        print("      delete the strings you keep as they are, so later versions can improve them")
    return 0


def _refuse_unknown(requested: str, name: str, known: list[str]) -> int:
    shown = visible(requested)
    print(f"{shown}: 默认主题里没有这个文件 / the default theme has no such file", file=sys.stderr)
    guess = closest(name, known)
    suggestion = f"是不是 {guess}？ / did you mean {guess}? " if guess else ""
    print(
        f"  hint: {suggestion}写主题文件夹里的路径，例如 templates/park.html、i18n.yaml、static/css/site.css"
        " / give the path inside the theme, e.g. templates/park.html, i18n.yaml, static/css/site.css",
        file=sys.stderr,
    )
    return 1

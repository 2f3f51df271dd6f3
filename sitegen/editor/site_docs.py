"""`sitegen docs`: the editors' references written into a site's `docs/` folder by the installed
sitegen, so a site started with `pip install` and `sitegen init` has them beside its content:
every field (`fields.md`) and the theme with the site's own overrides (`themes.md`)."""

from __future__ import annotations

import sys
from pathlib import Path

from sitegen.content.reference import field_reference
from sitegen.editor.theme_reference import theme_reference
from sitegen.errors import SiteError

MARK = "<!-- written by `sitegen docs`: run it again after upgrading sitegen; edits here are lost -->"
"""The first line of every file this writes: such a file may be written again, no other."""

_FIELDS_HEAD = """\
# Field reference / 字段参考

园区、活动、页面、产业链、项目和网站设置可以填写的全部字段，由 sitegen 根据自己的检查规则生成。
Every field of parks, events, pages, chains, projects and the site's own files, as `sitegen check`
accepts them. To override a template or a UI string, see themes.md; `sitegen theme copy` copies one.

"""


def write_docs(root: Path) -> int:
    """Write docs/fields.md and docs/themes.md; a file there that this did not write is kept."""
    folder = root / "docs"
    documents = {"fields.md": _FIELDS_HEAD + field_reference(), "themes.md": _theme_page(root)}
    for name in documents:
        file = folder / name
        if file.exists() and not _written_here(file):
            shown = file.relative_to(root).as_posix()
            print(
                f"{shown}: 已存在，不是 sitegen docs 写的，没有覆盖 / exists and was not written by sitegen docs",
                file=sys.stderr,
            )
            print(
                "  hint: 改名或删掉它，再运行 sitegen docs / rename or delete it, then run sitegen docs again",
                file=sys.stderr,
            )
            return 1
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in documents.items():
        (folder / name).write_text(f"{MARK}\n{text}", encoding="utf-8")
        print(f"wrote {(folder / name).as_posix()}")
    return 0


def _written_here(file: Path) -> bool:
    try:
        with file.open(encoding="utf-8") as opened:
            return opened.readline().rstrip("\n") == MARK
    except (OSError, UnicodeDecodeError):
        return False


def _theme_page(root: Path) -> str:
    """The theme reference of this site, overrides included; of the starter site while this one
    has errors (`sitegen check` lists them), since the templates and strings are the same."""
    try:
        return theme_reference(root, complete=False)
    except SiteError:
        return theme_reference(complete=False)

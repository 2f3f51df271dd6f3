"""Hosted editing: the browser editor published with the site at /admin/, saving to a git host
(GitHub, GitLab or Gitea) instead of to `sitegen serve`. Only when site.yaml names one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sitegen.content.fields import INVALID, Where
from sitegen.content.frontmatter import parse_yaml, read_text
from sitegen.content.schema import HOSTED_EDITOR
from sitegen.editor.cms_config import cms_config, site_choices
from sitegen.editor.cms_store import write_whole
from sitegen.errors import Problems

EDITOR_FILES = Path(__file__).resolve().parent / "cms"
DECAP_DIST = EDITOR_FILES / "vendor" / "decap-cms" / "dist"
LICENCES = (EDITOR_FILES / "vendor" / "decap-server" / "LICENSE", DECAP_DIST / "decap-cms.js.LICENSE.txt")


def hosted_backend(root: Path) -> dict[str, Any] | None:
    """Decap's backend settings from site.yaml's `editor`, or None when hosted editing is off."""
    problems = Problems()
    text = read_text(root / "content" / "site.yaml", "content/site.yaml", problems)
    data = parse_yaml(text, "content/site.yaml", problems) if text is not None else None
    if not isinstance(data, dict) or "editor" not in data:
        return None
    settings = HOSTED_EDITOR.check(data["editor"], Where("content/site.yaml", None, "editor", problems))
    if settings is INVALID or problems.errors:
        return None  # `sitegen check` reports it with the rest of site.yaml
    backend = {"name": settings["backend"], "repo": settings["repo"], "branch": settings.get("branch", "main")}
    backend |= {key: settings[key] for key in ("api_root", "base_url") if key in settings}
    return backend


def hosted_editor_files(root: Path) -> dict[str, bytes]:
    """The files of /admin/ by their path in the output, or none when hosted editing is off."""
    backend = hosted_backend(root)
    if backend is None:
        return {}
    config = cms_config(root, site_choices(root), backend)
    files = {
        "admin/index.html": (EDITOR_FILES / "index.html").read_bytes(),
        "admin/editor.js": (EDITOR_FILES / "editor.js").read_bytes(),
        "admin/config.json": json.dumps(config, ensure_ascii=False, indent=1).encode("utf-8"),
    }
    for script in sorted(DECAP_DIST.iterdir()):
        files[f"admin/{script.name}"] = script.read_bytes()
    files["admin/LICENSE.txt"] = b"\n\n".join(licence.read_bytes() for licence in LICENCES)
    return files


def publish_hosted_editor(root: Path, output: Path) -> list[str]:
    """Write /admin/ into a finished build when site.yaml asks for it; the lines to print."""
    backend = hosted_backend(root)
    if backend is None:
        return []
    for relative, data in hosted_editor_files(root).items():
        write_whole(output / relative, data)
    return [f"editor: published at admin/, saving to {backend['name']} {backend['repo']} ({backend['branch']})"]

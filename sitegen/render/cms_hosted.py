"""Hosted editing: the browser editor published with the site at /admin/, saving to a git host
(GitHub, GitLab or Gitea) instead of to `sitegen serve`. Only when site.yaml names one; the
pipeline publishes these files with the pages, so they appear and go in the same swap of the
output folder, and the preview holds the same files as the build."""

from __future__ import annotations

import json
from pathlib import Path

from sitegen.content.model import Site
from sitegen.render.cms_config import Choices, cms_config
from sitegen.render.pages import Output

EDITOR_FILES = Path(__file__).resolve().parent.parent / "editor" / "cms"
DECAP_DIST = EDITOR_FILES / "vendor" / "decap-cms" / "dist"
LICENCES = (EDITOR_FILES / "vendor" / "decap-server" / "LICENSE", DECAP_DIST / "decap-cms.js.LICENSE.txt")
ADMIN = "admin/"


def hosted_editor_outputs(site: Site) -> list[Output]:
    """The files of /admin/, or none when site.yaml does not ask for hosted editing."""
    editor = site.config.editor
    if editor is None:
        return []
    config = cms_config(site.config.languages, Choices.of_site(site), editor.decap_backend())
    outputs = [
        Output(f"{ADMIN}index.html", copy_from=EDITOR_FILES / "index.html"),
        Output(f"{ADMIN}editor.js", copy_from=EDITOR_FILES / "editor.js"),
        Output(f"{ADMIN}config.json", json.dumps(config, ensure_ascii=False, indent=1).encode("utf-8")),
        Output(f"{ADMIN}LICENSE.txt", b"\n\n".join(licence.read_bytes() for licence in LICENCES)),
    ]
    return outputs + [Output(f"{ADMIN}{script.name}", copy_from=script) for script in sorted(DECAP_DIST.iterdir())]

"""Hosted editing: the build publishes the browser editor at /admin/ only when site.yaml names a git
host, configured to save there; by default no admin page is published."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from conftest import MINIMAL_SITE

from sitegen.build import Pipeline
from sitegen.publish.store import MemoryStore

HOSTED = MINIMAL_SITE["content/site.yaml"] + textwrap.dedent("""\
    editor:
      backend: gitea
      repo: alliance/site
      api_root: https://git.example.cn/api/v1
    """)


def test_by_default_no_admin_page_is_published(make_site, run, tmp_path):
    site = make_site()
    code, out, err = run("build", "-s", str(site))
    assert code == 0, err
    assert not (site / "build" / "admin").exists()
    assert not any(path.startswith("admin/") for path in published_files(site))


def published_files(site: Path) -> set[str]:
    build = site / "build"
    return {path.relative_to(build).as_posix() for path in build.rglob("*") if path.is_file()}


def test_the_editor_is_part_of_the_built_output_and_of_the_preview(make_site, run, tmp_path):
    """/admin/ comes out of the pipeline with the pages: in the one swap of build/, recorded as
    the build's own files, and the preview (the same pipeline in memory) holds it too."""
    site = make_site({"content/site.yaml": HOSTED})
    code, out, err = run("build", "-s", str(site))
    assert code == 0, err
    built = {path for path in published_files(site) if path.startswith("admin/")}
    assert {"admin/index.html", "admin/config.json", "admin/decap-cms.js", "admin/LICENSE.txt"} <= built
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "out"))
    preview.run()
    previewed = {p.relative_to(preview.output).as_posix() for p in preview.output.rglob("admin/*")}
    assert previewed == built
    (site / "content/site.yaml").write_text(MINIMAL_SITE["content/site.yaml"], encoding="utf-8")
    code, out, err = run("build", "-s", str(site))
    assert code == 0, err
    assert not (site / "build" / "admin").exists()


def test_a_site_that_names_a_git_host_publishes_the_editor_saving_there(make_site, run):
    site = make_site({"content/site.yaml": HOSTED})
    code, out, err = run("build", "-s", str(site))
    assert code == 0, err
    admin = site / "build" / "admin"
    config = json.loads((admin / "config.json").read_text(encoding="utf-8"))
    assert config["backend"] == {
        "name": "gitea",
        "repo": "alliance/site",
        "branch": "main",
        "api_root": "https://git.example.cn/api/v1",
    }
    parks = next(collection for collection in config["collections"] if collection["name"] == "parks")
    assert parks["fields"][0] == parks["fields"][0] | {"name": "file_name", "required": True}
    assert (admin / "index.html").read_text(encoding="utf-8").count('src="decap-cms.js"') == 1
    assert (admin / "decap-cms.js").stat().st_size > 1_000_000
    assert "MIT License" in (admin / "LICENSE.txt").read_text(encoding="utf-8")


def test_a_misspelt_git_host_is_an_error_naming_the_choices(make_site, run):
    site = make_site({"content/site.yaml": HOSTED.replace("backend: gitea", "backend: gittea")})
    code, out, err = run("check", "-s", str(site))
    assert code == 1
    assert "content/site.yaml" in err and "'gitea'" in err


def test_a_page_cannot_take_the_editors_address(make_site, run):
    site = make_site({"content/pages/admin.md": "---\ntitle: {zh: 管理, en: Admin}\n---\n正文。\n"})
    code, out, err = run("check", "-s", str(site))
    assert code == 1
    assert "content/pages/admin.md" in err and "a page cannot be called 'admin'" in err

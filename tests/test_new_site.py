"""sitegen as a generator anyone can install: the theme inside the package, `sitegen init`, a
site's own overrides of the default theme, and the site's languages."""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, theme_override

from sitegen import __version__


def test_version_is_printed(capsys):
    from sitegen.cli import main

    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"sitegen {__version__}"


def test_init_writes_a_site_that_builds_and_passes_strict_check_but_for_filing_numbers(tmp_path, run):
    code, out, _ = run("init", str(tmp_path / "demo"))
    assert code == 0 and "sitegen serve" in out
    site = tmp_path / "demo"
    assert not (site / "themes").exists()
    assert (site / ".gitignore").read_text(encoding="utf-8") == "/build/\n/.sitegen-cache/\n"
    code, out, err = run("build", "-s", str(site))
    assert code == 0, err
    assert (site / "build" / "parks" / "qilu-software-park" / "index.html").is_file()
    assert (site / "build" / "en" / "events" / "2020-09-20-alliance-founding-ceremony" / "index.html").is_file()
    code, _, err = run("check", "-s", str(site), "--strict")
    assert code == 1
    warnings = "\n".join(line for line in err.splitlines() if ": warning: " in line)
    # Only what a new site cannot know: its address, its filing numbers and its office's contact.
    assert warnings.count(": warning: ") == 4, err
    assert "base_url (the address the site is published at) is not set" in warnings
    assert "no ICP filing number is set" in warnings
    assert "no map approval number (审图号) is set for gaode tiles" in warnings
    assert "no contact is set for the alliance office" in warnings


def test_init_never_overwrites_a_site(tmp_path, run):
    assert run("init", str(tmp_path))[0] == 0
    park = tmp_path / "content" / "parks" / "qilu-software-park.md"
    park.write_text("mine", encoding="utf-8")
    code, _, err = run("init", str(tmp_path))
    assert code == 1 and "already exists, not overwritten" in err
    assert park.read_text(encoding="utf-8") == "mine"


def files_under(folder: Path) -> dict[str, bytes]:
    return {file.relative_to(folder).as_posix(): file.read_bytes() for file in folder.rglob("*") if file.is_file()}


def test_init_on_a_full_disk_names_the_file_and_leaves_nothing_in_the_way(tmp_path, run, monkeypatch):
    assert run("init", str(tmp_path / "complete"))[0] == 0
    site = tmp_path / "demo"
    write_bytes = Path.write_bytes
    writes = []

    def disk_fills_up(self: Path, data: bytes) -> int:
        writes.append(self)
        if len(writes) == 4:  # as a write() that finds no space: no file name in the error
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_fills_up)
    code, out, err = run("init", str(site))
    monkeypatch.undo()

    assert code == 1 and "Traceback" not in err
    named = re.search(r"could not read or write (\S+): No space left on device", err)
    assert named and Path(named[1]).is_relative_to(site / "content"), err
    assert "free some space" in err
    assert not (site / "content").exists() and list(site.iterdir()) == []
    assert run("init", str(site))[0] == 0
    assert files_under(site) == files_under(tmp_path / "complete")


_KILLED_HALF_WAY = """
import pathlib, sys, time
from sitegen.cli import main

write_bytes = pathlib.Path.write_bytes
writes = []

def slow(self, data):
    writes.append(self)
    if len(writes) == 4:
        print("half-way", flush=True)
        time.sleep(120)
    return write_bytes(self, data)

pathlib.Path.write_bytes = slow
sys.exit(main(["init", sys.argv[1]]))
"""


def test_init_killed_half_way_does_not_stop_a_second_init(tmp_path, run):
    site = tmp_path / "demo"
    process = subprocess.Popen(
        [sys.executable, "-c", _KILLED_HALF_WAY, str(site)], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "half-way"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)

    code, out, err = run("init", str(site))

    assert code == 0, err
    assert sorted(path.name for path in site.iterdir()) == [".gitignore", "content"]
    assert run("build", "-s", str(site))[0] == 0


def test_the_site_overrides_a_template_a_string_and_a_stylesheet(make_site, run):
    site = make_site({"themes/default/i18n.yaml": "nav_map: {zh: 招商地图, en: Investment map}\n"})
    template = theme_override(site, "templates/park.html")
    template.write_text(
        template.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}<p>OURS</p>"),
        encoding="utf-8",
    )
    (site / "themes/default/static/css").mkdir(parents=True, exist_ok=True)
    (site / "themes/default/static/css/site.css").write_text("body { color: red }\n", encoding="utf-8")
    code, _, err = run("build", "-s", str(site))
    assert code == 0, err
    park = (site / "build/parks/qilu-software-park/index.html").read_text(encoding="utf-8")
    home = (site / "build/index.html").read_text(encoding="utf-8")
    assert "<p>OURS</p>" in park and "<p>OURS</p>" not in home
    assert "招商地图" in home and "Investment map" in (site / "build/en/index.html").read_text(encoding="utf-8")
    assert "产业" in home  # the strings the site does not override stay the default ones
    assert (site / "build/static/css/site.css").read_text(encoding="utf-8") == "body { color: red }\n"
    assert (site / "build/static/js/map.js").is_file()


def test_check_warns_about_an_override_the_theme_does_not_have(make_site, run):
    site = make_site(
        {
            "themes/default/templates/prak.html": "{% extends 'base.html' %}\n",
            "themes/default/templates/_contact.html": "<p>contact</p>\n",
        }
    )
    code, _, err = run("check", "-s", str(site))
    assert code == 0
    assert "themes/default/templates/prak.html: warning: 默认主题里没有模板 prak.html" in err
    assert "the default theme has no template prak.html" in err and "_something.html" in err
    assert "_contact.html" not in err


@pytest.mark.parametrize(
    "languages, folders",
    [
        ("[zh]", []),
        ("[zh, en]", ["en"]),
        ("[zh, en, zh-hant]", ["en", "zh-hant"]),
        ("[zh, zh-hant]", ["zh-hant"]),
    ],
)
def test_languages_choose_the_sites_languages(make_site, run, languages, folders):
    from conftest import MINIMAL_SITE

    site = make_site({"content/site.yaml": MINIMAL_SITE["content/site.yaml"] + f"languages: {languages}\n"})
    code, _, err = run("build", "-s", str(site))
    assert code == 0, err
    built = sorted(name for name in ("en", "zh-hant") if (site / "build" / name).is_dir())
    assert built == folders
    park = (site / "build/parks/qilu-software-park/index.html").read_text(encoding="utf-8")
    for folder in folders:
        assert f'hreflang="{ {"en": "en", "zh-hant": "zh-Hant"}[folder] }"' in park


def test_languages_must_start_with_chinese(make_site, run):
    from conftest import MINIMAL_SITE

    site = make_site({"content/site.yaml": MINIMAL_SITE["content/site.yaml"] + "languages: [en, zh]\n"})
    code, _, err = run("check", "-s", str(site))
    assert code == 1
    assert "languages must start with zh, each once" in err and "content/site.yaml:" in err


def test_traditional_chinese_switch_still_works_with_a_deprecation_warning(make_site, run):
    from conftest import MINIMAL_SITE

    site = make_site({"content/site.yaml": MINIMAL_SITE["content/site.yaml"] + "traditional_chinese: true\n"})
    code, _, err = run("build", "-s", str(site))
    assert code == 0
    assert "traditional_chinese is deprecated" in err and "languages: [zh, en, zh-hant]" in err
    assert (site / "build/zh-hant/index.html").is_file()


def test_the_wheel_carries_the_theme_and_the_starter_site(tmp_path):
    source = tmp_path / "source"  # a copy: building writes build/ and *.egg-info beside pyproject.toml
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "sitegen", source / "sitegen", ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("sitegen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    theme = REPO / "sitegen" / "theme"
    starter = REPO / "sitegen" / "editor" / "starter"
    expected = {
        file.relative_to(REPO).as_posix() for folder in (theme, starter) for file in folder.rglob("*") if file.is_file()
    }
    assert expected and expected <= names, sorted(expected - names)[:5]

"""The command line contract: commands, help, exit codes, and `sitegen new`."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("command", [[], ["build"], ["check"], ["new"], ["serve"], ["deploy"]])
def test_every_command_has_help(command, run):
    code, out, _ = run(*command, "--help")
    assert code == 0
    assert "usage: sitegen" in out


def test_wrong_usage_exits_2(run):
    assert run("publish")[0] == 2
    assert run("build", "--no-such-option")[0] == 2
    assert run("new", "building", "x")[0] == 2


def test_python_dash_m_runs_the_same_command(make_site):
    site = make_site()
    result = subprocess.run(
        [sys.executable, "-m", "sitegen", "check", "-s", str(site)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 1 warning(s)")


def test_check_writes_nothing(make_site, run):
    site = make_site()
    assert run("check", "-s", str(site))[0] == 0
    assert not (site / "build").exists()


def test_build_writes_to_the_output_folder_given(make_site, run, tmp_path):
    code, out, _ = run("build", "-s", str(make_site()), "-o", str(tmp_path / "public"))
    assert code == 0 and "built" in out
    assert (tmp_path / "public/index.html").is_file()
    assert (tmp_path / "public/en/index.html").is_file()


def test_a_folder_without_content_is_explained(run, tmp_path):
    code, _, err = run("build", "-s", str(tmp_path))
    assert code == 1
    assert "there is no content folder here" in err


def test_new_park_skeleton_passes_check_once_the_required_fields_are_filled(make_site, run):
    site = make_site()
    code, out, _ = run("new", "park", "weihai-torch-park", "-s", str(site))
    assert code == 0
    skeleton = site / "content/parks/weihai-torch-park.md"
    assert (site / "content/parks/weihai-torch-park.en.md").is_file()

    code, _, err = run("check", "-s", str(site))
    assert code == 1
    assert "content/parks/weihai-torch-park.md:3: 必填字段 'name' 是空的 / the required field 'name' is empty" in err
    assert "the required field 'city' is empty" in err

    filled = (
        skeleton.read_text(encoding="utf-8")
        .replace("name: {zh: , en: }", "name: {zh: 威海火炬高技术产业开发区, en: Weihai Torch Hi-tech Zone}")
        .replace("city:\n", "city: yantai\n")
        .replace("location: {lat: , lon: }", "location: {lat: 37.45, lon: 121.6}")
        .replace("sectors: []", "sectors: [software]")
    )
    skeleton.write_text(filled, encoding="utf-8")
    code, _, err = run("check", "-s", str(site))
    assert code == 0, err


def test_new_refuses_to_overwrite(make_site, run):
    site = make_site()
    before = (site / "content/parks/qilu-software-park.md").read_bytes()
    code, _, err = run("new", "park", "qilu-software-park", "-s", str(site))
    assert code == 1 and "already exists, not overwritten" in err
    assert (site / "content/parks/qilu-software-park.md").read_bytes() == before


def test_new_with_a_chinese_name_proposes_a_pinyin_slug_and_fills_the_name(make_site, run):
    site = make_site()
    code, out, _ = run("new", "event", "鹊华观澜会", "-s", str(site))
    assert code == 0
    assert "slug: que-hua-guan-lan-hui" in out
    text = (site / "content/events/que-hua-guan-lan-hui.md").read_text(encoding="utf-8")
    assert "title: {zh: 鹊华观澜会, en: }" in text

"""`sitegen check` as the editors' and CI's gate: problems grouped by file, the translation report,
GitHub annotations, `--format json`, exit codes. (The field reference is kept in step with the
schemas by tests/test_docs.py.)"""

from __future__ import annotations

import json
import re
import shlex

import pytest
from conftest import MINIMAL_SITE, REPO, theme_override

PARK = "content/parks/qilu-software-park.md"
BIOTECH = "content/parks/yantai-biotech-park.md"
BROKEN = {
    PARK: "---\nname: {zh: 齐鲁软件园, en: Qilu}\ncity: jinnan\nlocation: {lat: 36.666, lon: 117.134}\nsectors: [softwre]\n---\n",
    "content/events/alliance-founding.md": "---\ntitle: {zh: 成立, en: Founding}\ndate: 2023-02-30\n---\n",
    "content/parks/qilu-software-park.en.md": "English.\n",
}
CHINESE_ONLY = {
    # district in Chinese only, summary without en, one key enterprise without en, a figure's source
    # without en; name is overridden nowhere, operator is overridden by the English file.
    BIOTECH: """\
        ---
        name: {zh: 山东国际生物科技园, en: Shandong International Biotech Park}
        city: yantai
        location: {lat: 37.44, lon: 121.59}
        sectors: [biomedicine]
        district: 莱山区
        operator: {zh: 运营公司}
        summary: {zh: 生物医药园区}
        key_enterprises:
          - {zh: 绿叶制药, en: Luye Pharma}
          - 荣昌生物
        figures:
          - label: {zh: 企业, en: Companies}
            value: 100
            year: 2023
            source: {zh: 烟台日报}
        ---
        园区位于烟台。
        """,
    "content/parks/yantai-biotech-park.en.md": "---\noperator: The operating company\n---\nThe park lies in Yantai.\n",
}


def test_problems_are_grouped_by_file_with_a_blank_line_between_files(make_site, run):
    code, _, err = run("check", "-s", str(make_site(BROKEN)))
    assert code == 1
    groups = err.split("\n\n")
    assert groups[0].startswith("content/events/alliance-founding.md:3: 日期 2023-02-30 不存在")
    assert groups[1].startswith(f"{PARK}:3: content/cities.yaml 里没有 'jinnan'")
    assert f"\n{PARK}:5: content/sectors.yaml 里没有 'softwre'" in groups[1]
    assert groups[2].startswith(f"{BIOTECH}: warning: 还没有英文正文")
    assert "failed: 3 error(s), 1 warning(s); nothing was written" in err


def test_the_translation_report_lists_what_english_readers_miss(make_site, run):
    code, out, err = run("check", "-s", str(make_site(CHINESE_ONLY)))
    assert code == 0, err
    assert f"{BIOTECH}:6: warning: 'district' 还没有英文 / 'district' has no English text yet\n" in err
    assert (
        "  hint: 写成 {zh: 中文, en: English}；英文页面暂时显示中文，也可以在 content/parks/yantai-biotech-park.en.md 里写"
        " district: English / write it as {zh: 中文, en: English}; until then the English page shows the Chinese;"
        " or write district: English in content/parks/yantai-biotech-park.en.md"
    ) in err
    assert f"{BIOTECH}:8: warning: 'summary' 还没有英文" in err
    assert f"{BIOTECH}:11: warning: 'key_enterprises[2]' 还没有英文" in err
    assert f"{BIOTECH}:16: warning: 'figures[1].source' 还没有英文" in err
    assert "'operator'" not in err  # the English file gives it
    assert "'key_enterprises[1]'" not in err
    assert out.splitlines() == [
        "ok: 4 warning(s)",
        "翻译：4 个条目中 0 个没有英文正文，4 个字段缺少英文，0 条界面文字缺少某种语言"
        " / translation: 0 of 4 entries have no English text, 4 field(s) lack English, 0 UI string(s) lack a language",
    ]


def test_strict_makes_the_translation_report_fatal(make_site, run):
    site = make_site(
        {**CHINESE_ONLY, "content/parks/yantai-biotech-park.en.md": "---\noperator: Operator\n---\nText.\n"}
    )
    code, _, err = run("check", "-s", str(site), "--strict")
    assert code == 1
    assert "failed: 0 error(s), 4 warning(s); nothing was written" in err


def test_ui_strings_missing_a_language_are_errors_and_in_the_report(make_site, run):
    site = make_site()
    catalogue = theme_override(site, "i18n.yaml")
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace(
            "main_menu: {zh: 主菜单, en: Main menu}", "main_menu: {zh: 主菜单}"
        ),
        encoding="utf-8",
    )
    code, out, err = run("check", "-s", str(site), "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["translation"]["ui_strings_missing_a_language"] == [
        {"path": "themes/default/i18n.yaml", "line": 5, "name": "main_menu", "missing": ["en"]}
    ]
    assert {"path": "themes/default/i18n.yaml", "line": 5} in [
        {"path": problem["path"], "line": problem["line"]} for problem in report["problems"]
    ]


def test_json_is_one_stable_document_of_problems_and_translations(make_site, run):
    site = make_site(BROKEN)
    code, out, err = run("check", "-s", str(site), "--format", "json")
    assert code == 1
    assert err == ""
    report = json.loads(out)
    assert list(report) == ["version", "ok", "strict", "errors", "warnings", "problems", "translation"]
    assert (report["version"], report["ok"], report["strict"], report["errors"], report["warnings"]) == (
        1,
        False,
        False,
        3,
        1,
    )
    assert report["problems"][0] == {
        "path": "content/events/alliance-founding.md",
        "line": 3,
        "column": None,
        "severity": "error",
        "message": "日期 2023-02-30 不存在 / 2023-02-30 is not a real date",
        "hint": "检查月份和日期，例如 2023-02-28 / check the month and day, e.g. 2023-02-28",
    }
    assert [problem["line"] for problem in report["problems"]] == [3, 3, 5, None]
    assert report["translation"]["entries_without_english"] == [
        {"path": BIOTECH, "line": None, "name": "yantai-biotech-park", "missing": ["en"]}
    ]
    assert run("check", "-s", str(site), "--format", "json")[1] == out


def test_json_of_a_good_site_exits_0(make_site, run):
    code, out, _ = run("check", "-s", str(make_site()), "--format", "json")
    assert code == 0
    assert json.loads(out)["ok"] is True


def test_json_even_without_a_content_folder(run, tmp_path):
    code, out, _ = run("check", "-s", str(tmp_path), "--format", "json")
    assert code == 1
    assert json.loads(out)["problems"][0]["message"] == "找不到 content 文件夹 / there is no content folder here"


def test_on_github_actions_each_problem_is_also_an_annotation(make_site, run, monkeypatch):
    site = make_site(BROKEN)
    monkeypatch.chdir(site)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, err = run("check")
    assert code == 1
    annotations = out.splitlines()
    assert annotations[0] == (
        "::error file=content/events/alliance-founding.md,line=3,title=sitegen::"
        "日期 2023-02-30 不存在 / 2023-02-30 is not a real date%0A"
        "hint: 检查月份和日期，例如 2023-02-28 / check the month and day, e.g. 2023-02-28"
    )
    assert annotations[-1].startswith(f"::warning file={BIOTECH},title=sitegen::还没有英文正文")
    assert f"{PARK}:3:" in err  # people still read the same report


def test_annotations_name_files_from_the_checkout_when_the_site_is_elsewhere(make_site, run, monkeypatch):
    site = make_site(BROKEN)
    monkeypatch.chdir(site.parent)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, out, _ = run("build", "-s", "site")
    assert "::error file=site/content/parks/qilu-software-park.md,line=3,title=sitegen::" in out


def test_without_github_actions_there_are_no_annotations(make_site, run, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    _, out, _ = run("check", "-s", str(make_site(BROKEN)))
    assert "::" not in out


def test_a_wrong_format_is_wrong_usage(run):
    assert run("check", "--format", "xml")[0] == 2


@pytest.mark.parametrize("guide", ["docs/editing.md", "docs/editing.en.md"])
def test_every_command_in_the_editing_guides_exists(guide, run):
    text = (REPO / guide).read_text(encoding="utf-8")
    commands = re.findall(r"^ *sitegen ([^\n#`]+)$", text, flags=re.MULTILINE)
    assert len(commands) >= 6
    for command in commands:
        code, _, err = run(*shlex.split(command), "--help")
        assert code == 0, f"{guide}: sitegen {command}: {err}"


def warning_lines(err: str) -> list[str]:
    return sorted(line for line in err.splitlines() if ": warning: " in line)


def test_build_and_check_report_the_same_warnings(make_site, run):
    """One code path finds them: fields in Chinese only, a missing English body, a placeholder,
    an image without alt text, a local base_url."""
    site = make_site(
        {
            **CHINESE_ONLY,
            "content/site.yaml": MINIMAL_SITE["content/site.yaml"].replace(
                "https://parks.example.cn/alliance/", "http://localhost:8000/"
            ),
            "content/parks/qilu-software-park.en.md": "Write the English text here (Markdown).\n\n![](media/x.png)\n",
            "content/media/x.png": b"\x89PNG\r\n\x1a\n",
            "content/events/second.md": "---\ntitle: {zh: 第二次, en: Second}\ndate: 2021-09-20\n---\n正文\n",
        }
    )
    code, _, checked = run("check", "-s", str(site))
    assert code == 0, checked
    code, _, built = run("build", "-s", str(site))
    assert code == 0, built
    assert len(warning_lines(checked)) >= 8
    assert warning_lines(built) == warning_lines(checked)
    code, _, rebuilt = run("build", "-s", str(site))  # nothing changed: the warnings kept from the last build
    assert warning_lines(rebuilt) == warning_lines(checked)

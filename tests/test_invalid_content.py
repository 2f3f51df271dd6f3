"""Each mistake an editor can make ends in one exact message with file, line and hint; exit 1."""

from __future__ import annotations

import pytest
from conftest import theme_override

PARK = "content/parks/qilu-software-park.md"

CASES = {
    "unknown-sector": (
        {
            PARK: "---\nname: {zh: 齐鲁软件园, en: Qilu}\ncity: jinan\nlocation: {lat: 36.666, lon: 117.134}\nsectors: [softwre]\n---\n正文\n"
        },
        f"{PARK}:5: content/sectors.yaml 里没有 'softwre' / 'softwre' is not an id in content/sectors.yaml\n"
        "  hint: 是不是 'software'？ / did you mean 'software'? 使用 content/sectors.yaml 里已有的编号，或先在那里添加"
        " / use an id listed in content/sectors.yaml, or add it there first",
    ),
    "unknown-city": (
        {
            PARK: "---\nname: {zh: 齐鲁软件园, en: Qilu}\ncity: jinnan\nlocation: {lat: 36.666, lon: 117.134}\nsectors: [software]\n---\n"
        },
        f"{PARK}:3: content/cities.yaml 里没有 'jinnan' / 'jinnan' is not an id in content/cities.yaml\n"
        "  hint: 是不是 'jinan'？ / did you mean 'jinan'? 使用 content/cities.yaml 里已有的编号，或先在那里添加"
        " / use an id listed in content/cities.yaml, or add it there first",
    ),
    "unknown-key": (
        {
            PARK: "---\nname: {zh: 齐鲁软件园, en: Qilu}\ncity: jinan\nlocation: {lat: 36.666, lon: 117.134}\nsectors: [software]\nsumary: {zh: 简介}\n---\n"
        },
        f"{PARK}:6: 不认识的字段 'sumary' / unknown field 'sumary'\n"
        "  hint: 是不是 'summary'？ / did you mean 'summary'? 可用字段：",
    ),
    "missing-required-field": (
        {
            PARK: "---\nname: {zh: 齐鲁软件园, en: Qilu}\nlocation: {lat: 36.666, lon: 117.134}\nsectors: [software]\n---\n"
        },
        f"{PARK}:2: 缺少必填字段 'city' / the required field 'city' is missing\n"
        "  hint: 加上一行 city: …（content/cities.yaml 里的城市编号） / add a line city: … (city id from content/cities.yaml)",
    ),
    "duplicate-key": (
        {
            PARK: "---\nname: {zh: 齐鲁软件园, en: Qilu}\ncity: jinan\ncity: yantai\nlocation: {lat: 36.666, lon: 117.134}\nsectors: [software]\n---\n"
        },
        f"{PARK}:4: 键 'city' 写了两次（第一次在第 3 行） / the key 'city' is written twice (first on line 3)\n"
        "  hint: 删除其中一行，只保留正确的那一个 / delete one of the two lines and keep the right value",
    ),
    "number-where-text-expected": (
        {
            PARK: "---\nname: {zh: 齐鲁软件园, en: Qilu}\ncity: jinan\nlocation: {lat: 36.666, lon: 117.134}\nsectors: [software]\ncontact:\n  phone: 05321234\n---\n"
        },
        f"{PARK}:7: 'contact.phone' 应当是文字，但 YAML 把它读成了数字 1417884 / 'contact.phone' should be text, but YAML read it as the number 1417884\n"
        '  hint: 给值加上引号：contact.phone: "05321234" / put the value in quotes: contact.phone: "05321234"',
    ),
    "time-where-text-expected": (
        {
            PARK: "---\nname: {zh: 齐鲁软件园, en: Qilu}\ncity: jinan\nlocation: {lat: 36.666, lon: 117.134}\nsectors: [software]\noperator: 10:00\n---\n"
        },
        f"{PARK}:6: 'operator' 应当是文字，但 YAML 把它读成了数字 600 / 'operator' should be text, but YAML read it as the number 600\n"
        '  hint: 给值加上引号：operator: "10:00" / put the value in quotes: operator: "10:00"',
    ),
    "yes-no-where-text-expected": (
        {
            PARK: "---\nname: {zh: 齐鲁软件园, en: no}\ncity: jinan\nlocation: {lat: 36.666, lon: 117.134}\nsectors: [software]\n---\n"
        },
        f"{PARK}:2: 'name.en' 应当是文字，但 YAML 把它读成了是/否 (yes/no) / 'name.en' should be text, but YAML read it as a yes/no value\n"
        '  hint: 给值加上引号：name.en: "no" / put the value in quotes: name.en: "no"',
    ),
    "outside-shandong": (
        {
            PARK: "---\nname: {zh: 齐鲁软件园, en: Qilu}\ncity: jinan\nlocation: {lat: 31.23, lon: 121.47}\nsectors: [software]\n---\n"
        },
        f"{PARK}:4: 坐标 (31.23, 121.47) 不在山东省内 / the location (31.23, 121.47) is outside Shandong\n"
        "  hint: 山东的纬度 lat 约 34.3–38.5，经度 lon 约 114.7–122.8 / Shandong lies at lat 34.3–38.5 and lon 114.7–122.8",
    ),
    "lat-lon-swapped": (
        {
            PARK: "---\nname: {zh: 齐鲁软件园, en: Qilu}\ncity: jinan\nlocation: {lat: 117.134, lon: 36.666}\nsectors: [software]\n---\n"
        },
        f"{PARK}:4: 'location.lat' 的值 117.134 超出范围 / 'location.lat' is out of range: 117.134\n",
    ),
    "dangling-parent": (
        {
            "content/parks/yantai-biotech-park.md": "---\nname: {zh: 生物科技园, en: Biotech}\ncity: yantai\nlocation: {lat: 37.44, lon: 121.59}\nsectors: [biomedicine]\nparent: qilu-sofware-park\n---\n"
        },
        "content/parks/yantai-biotech-park.md:6: parent 指向的 'qilu-sofware-park' 不存在 / parent names 'qilu-sofware-park', which does not exist\n"
        "  hint: 是不是 'qilu-software-park'？ / did you mean 'qilu-software-park'? 写 content/parks/ 里某个文件的文件名（不带 .md）"
        " / write the file name (without .md) of an entry in content/parks/",
    ),
    "dangling-event-park": (
        {
            "content/events/alliance-founding.md": "---\ntitle: {zh: 成立, en: Founding}\ndate: 2020-09-20\nparks:\n  - qilu-software-park\n  - jinan-hightech\n---\n"
        },
        "content/events/alliance-founding.md:6: parks 指向的 'jinan-hightech' 不存在 / parks names 'jinan-hightech', which does not exist\n",
    ),
    "impossible-date": (
        {"content/events/alliance-founding.md": "---\ntitle: {zh: 成立, en: Founding}\ndate: 2023-02-30\n---\n"},
        "content/events/alliance-founding.md:3: 日期 2023-02-30 不存在 / 2023-02-30 is not a real date\n"
        "  hint: 检查月份和日期，例如 2023-02-28 / check the month and day, e.g. 2023-02-28",
    ),
    "bad-slug": (
        {"content/parks/Qilu_Software Park.md": "---\nname: {zh: 齐鲁软件园, en: Qilu}\n---\n"},
        "content/parks/Qilu_Software Park.md: 文件名 'Qilu_Software Park' 只能用小写英文字母、数字和单个连字符"
        " / the file name 'Qilu_Software Park' may use only lower-case a-z, 0-9 and single hyphens\n"
        "  hint: 把文件改名为 qilu-software-park.md / rename the file to qilu-software-park.md",
    ),
    "chinese-file-name": (
        {"content/parks/齐鲁软件园.md": "---\nname: {zh: 齐鲁软件园, en: Qilu}\n---\n"},
        "  hint: 把文件改名为 qi-lu-ruan-jian-yuan.md / rename the file to qi-lu-ruan-jian-yuan.md",
    ),
    "english-without-chinese": (
        {"content/parks/weihai-park.en.md": "Weihai.\n"},
        "content/parks/weihai-park.en.md: 有英文文件但没有中文文件 weihai-park.md / there is an English file but no Chinese file weihai-park.md\n",
    ),
    "gbk-file": (
        {PARK: "---\nname: {zh: 齐鲁软件园, en: Qilu}\n---\n".encode("gb18030")},
        f"{PARK}:2: 文件不是 UTF-8 编码（看起来是 GBK/GB18030） / the file is not UTF-8 (it looks like GBK/GB18030)\n"
        "  hint: 用记事本打开，选择“另存为”，编码选 UTF-8 后保存 / open it in Notepad, choose Save As, set Encoding to UTF-8 and save",
    ),
    "fullwidth-colon": (
        {PARK: "---\nname: {zh: 齐鲁软件园, en: Qilu}\ncity：jinan\nlocation: {lat: 36.666, lon: 117.134}\n---\n"},
        f"{PARK}:3: 键后面用了全角冒号 `：` / a full-width colon `：` follows the key\n",
    ),
    "unquoted-colon-in-value": (
        {PARK: "---\nname: {zh: 齐鲁软件园, en: Qilu}\nsummary: 招商会: 青岛站\n---\n"},
        f"{PARK}:3: YAML 格式错误 / YAML syntax error: mapping values are not allowed here\n"
        '  hint: 值里含有 `: `，请给整个值加上引号，例如 title: "招商会: 青岛站"',
    ),
    "unclosed-front-matter": (
        {PARK: "---\nname: {zh: 齐鲁软件园, en: Qilu}\n\n正文\n"},
        f"{PARK}:1: front matter 没有结束的 `---` 行 / the front matter has no closing `---` line\n",
    ),
    "empty-file": (
        {PARK: ""},
        f"{PARK}:1: 文件是空的 / the file is empty\n",
    ),
    "python-tag": (
        {PARK: "---\nname: !!python/object/apply:os.system ['echo hi']\n---\n"},
        f"{PARK}:2: 不允许使用 YAML 标签（如 !!python） / YAML tags are not allowed",
    ),
    "english-overrides-a-fact": (
        {"content/parks/qilu-software-park.en.md": "---\ncity: yantai\n---\nText.\n"},
        "content/parks/qilu-software-park.en.md:2: 不认识的字段 'city' / unknown field 'city'\n",
    ),
    "name-without-english": (
        {
            PARK: "---\nname: {zh: 齐鲁软件园}\ncity: jinan\nlocation: {lat: 36.666, lon: 117.134}\nsectors: [software]\n---\n"
        },
        f"{PARK}:2: 'name' 缺少英文 (en) / 'name' has no English text (en)\n",
    ),
    "theme-typo": (
        {
            "themes/default/templates/page.html": "{% extends 'base.html' %}\n{% block main %}{{ page.titel }}{% endblock %}\n"
        },
        "themes/default/templates/page.html:2: 模板出错 / template error:",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_mistake_prints_its_message_and_exits_1(case, make_site, run):
    files, expected = CASES[case]
    site = make_site(files)
    code, out, err = run("build", "-s", str(site))
    assert code == 1
    assert expected in err
    assert "Traceback" not in err
    assert "nothing was written" in err
    assert not (site / "build").exists()


def test_all_problems_are_reported_in_one_run(make_site, run):
    site = make_site(
        {
            PARK: "---\nname: {zh: 齐鲁软件园, en: Qilu}\ncity: jinnan\nlocation: {lat: 36.666, lon: 117.134}\nsectors: [softwre]\n---\n",
            "content/events/alliance-founding.md": "---\ntitle: {zh: 成立, en: Founding}\ndate: 2023-02-30\n---\n",
        }
    )
    code, _, err = run("check", "-s", str(site))
    assert code == 1
    assert f"{PARK}:3:" in err and f"{PARK}:5:" in err
    assert "content/events/alliance-founding.md:3:" in err
    assert "failed: 3 error(s)" in err


def test_missing_english_body_is_a_warning_that_strict_makes_fatal(make_site, run):
    site = make_site()
    code, out, err = run("check", "-s", str(site))
    assert code == 0
    assert "content/parks/yantai-biotech-park.md: warning: 还没有英文正文 / there is no English text yet" in err
    code, _, err = run("check", "-s", str(site), "--strict")
    assert code == 1
    assert "there is no English text yet" in err


def test_a_broken_placeholder_in_a_ui_string_names_the_string(make_site, run):
    site = make_site()
    catalogue = theme_override(site, "i18n.yaml")
    text = catalogue.read_text(encoding="utf-8").replace(
        'park_count: {zh: "{count} 个园区"', 'park_count: {zh: "{cnt} 个园区"'
    )
    catalogue.write_text(text, encoding="utf-8")
    code, _, err = run("build", "-s", str(site))
    assert code == 1 and "Traceback" not in err
    assert (
        "UI string 'park_count' in i18n.yaml has a placeholder the template does not fill ('cnt'); it may use {count}"
        in err
    )

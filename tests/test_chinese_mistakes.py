"""The mistakes a Chinese keyboard and Windows make in front matter, each with the exact message and
the hint that names the fix, reported on the line where the editor made it.

Cases whose input already lives in test_invalid_content.CASES reuse that input; here they are
held to the whole message, hint included.
"""

from __future__ import annotations

import pytest
from test_invalid_content import CASES

from sitegen.content.fields import Location, Where
from sitegen.content.frontmatter import parse_yaml
from sitegen.content.schema import build_schemas
from sitegen.errors import Problems

PARK = "content/parks/qilu-software-park.md"
HEAD = "---\nname: {zh: 齐鲁软件园, en: Qilu Software Park}\ncity: jinan\nlocation: {lat: 36.666, lon: 117.134}\n"


def park(*lines: str, sectors: str = "sectors: [software]") -> dict[str, str]:
    """The minimal site's first park, its lines after `location` replaced (and its English text
    without the fields it overrides)."""
    return {
        PARK: HEAD + sectors + "\n" + "".join(line + "\n" for line in lines) + "---\n正文\n",
        "content/parks/qilu-software-park.en.md": "English text.\n",
    }


MISTAKES = {
    # A full-width colon after a key: PyYAML points at the next line, we point at this one.
    "fullwidth-colon": (
        CASES["fullwidth-colon"][0],
        f"{PARK}:3: 键后面用了全角冒号 `：` / a full-width colon `：` follows the key\n"
        "  hint: 把 `：` 改成英文半角冒号 `:` 并在后面加一个空格 / use an ASCII colon `:` followed by a space",
    ),
    "fullwidth-space-after-colon": (
        park("summary:\u3000软件园"),
        f"{PARK}:6: 冒号后面是全角空格 / a full-width space follows the colon\n"
        "  hint: 把冒号后的全角空格换成英文半角空格：`键: 值` / replace it with an ASCII space: `key: value`",
    ),
    "fullwidth-space-indent": (
        park("contact:", '\u3000\u3000phone: "0531-12345678"'),
        f"{PARK}:7: 缩进里有全角空格或制表符 / the indentation contains a full-width space or a tab\n"
        "  hint: 缩进只用英文半角空格（两个一级） / indent with ASCII spaces only (two per level)",
    ),
    "tab-indent": (
        park("contact:", '\tphone: "0531-12345678"'),
        f"{PARK}:7: 缩进里有全角空格或制表符 / the indentation contains a full-width space or a tab\n"
        "  hint: 缩进只用英文半角空格（两个一级） / indent with ASCII spaces only (two per level)",
    ),
    "fullwidth-dash": (
        park(sectors="sectors:\n  － software"),
        f"{PARK}:6: 列表项用了全角破折号 `－` / a list item starts with a full-width dash `－`\n"
        "  hint: 列表项以英文半角 `- ` 开头 / start list items with an ASCII `- `",
    ),
    "chinese-comma-between-ids": (
        park(sectors="sectors: [software，biomedicine]"),
        f"{PARK}:5: 'sectors' 里的 'software，biomedicine' 用了中文逗号，YAML 会把它当成一项"
        " / 'sectors' has 'software，biomedicine': with a Chinese comma YAML reads it as one item\n"
        "  hint: 各项之间用英文逗号加空格：sectors: [software, biomedicine]"
        " / separate the items with an ASCII comma and a space: sectors: [software, biomedicine]",
    ),
    "enumeration-comma-between-ids": (
        park(sectors="sectors: [software、biomedicine]"),
        f"{PARK}:5: 'sectors' 里的 'software、biomedicine' 用了中文逗号，YAML 会把它当成一项",
    ),
    "chinese-comma-in-flow-mapping": (
        {PARK: "---\nname: {zh: 齐鲁软件园，en: Qilu Software Park}\n---\n"},
        f"{PARK}:2: YAML 格式错误 / YAML syntax error: expected ',' or '}}', but got ':'\n"
        "  hint: [ ] 或 { } 里的各项之间要用英文逗号 `,`，不能用中文逗号 `，`"
        " / items inside [ ] or { } are separated by an ASCII comma `,`, not the Chinese `，`",
    ),
    "unquoted-colon-in-value": (
        CASES["unquoted-colon-in-value"][0],
        f"{PARK}:3: YAML 格式错误 / YAML syntax error: mapping values are not allowed here\n"
        '  hint: 值里含有 `: `，请给整个值加上引号，例如 title: "招商会: 青岛站"'
        ' / the value contains `: `; put the whole value in quotes, e.g. title: "Expo: Qingdao"',
    ),
    "unclosed-front-matter": (
        CASES["unclosed-front-matter"][0],
        f"{PARK}:1: front matter 没有结束的 `---` 行 / the front matter has no closing `---` line\n"
        "  hint: 在最后一个字段之后、正文之前加一行 `---` / add a line `---` after the last field, before the body text",
    ),
    "chinese-dashes-as-fence": (
        {PARK: "———\nname: {zh: 齐鲁软件园, en: Qilu Software Park}\n———\n"},
        f"{PARK}:1: 第一行的 `---` 用了中文破折号或全角减号 / the first line's `---` is typed with Chinese dashes\n"
        "  hint: 切换到英文输入法，输入三个减号 `---`（结束行也一样）"
        " / switch the keyboard to English and type three hyphens `---` (the closing line too)",
    ),
    "empty-file": (
        CASES["empty-file"][0],
        f"{PARK}:1: 文件是空的 / the file is empty\n"
        "  hint: 用 sitegen new 重新生成模板，或删除这个文件 / recreate it with `sitegen new`, or delete it",
    ),
    "gbk-file": (
        CASES["gbk-file"][0],
        CASES["gbk-file"][1],
    ),
    "gb18030-only-characters": (
        {PARK: "---\nname: {zh: 齐鲁软件园𠀀, en: Qilu}\n---\n".encode("gb18030")},
        f"{PARK}:2: 文件不是 UTF-8 编码（看起来是 GBK/GB18030） / the file is not UTF-8 (it looks like GBK/GB18030)\n"
        "  hint: 用记事本打开，选择“另存为”，编码选 UTF-8 后保存 / open it in Notepad, choose Save As, set Encoding to UTF-8 and save",
    ),
    "notepad-unicode-file": (
        {PARK: "---\nname: {zh: 齐鲁软件园, en: Qilu}\n---\n".encode("utf-16")},
        f"{PARK}:1: 文件不是 UTF-8 编码（看起来是 UTF-16） / the file is not UTF-8 (it looks like UTF-16)\n"
        "  hint: 用记事本打开，选择“另存为”，编码选 UTF-8 后保存",
    ),
    "impossible-date": (
        CASES["impossible-date"][0],
        "content/events/alliance-founding.md:3: 日期 2023-02-30 不存在 / 2023-02-30 is not a real date\n"
        "  hint: 检查月份和日期，例如 2023-02-28 / check the month and day, e.g. 2023-02-28",
    ),
    "chinese-file-name": (
        CASES["chinese-file-name"][0],
        "content/parks/齐鲁软件园.md: 文件名 '齐鲁软件园' 只能用小写英文字母、数字和单个连字符"
        " / the file name '齐鲁软件园' may use only lower-case a-z, 0-9 and single hyphens\n"
        "  hint: 把文件改名为 qi-lu-ruan-jian-yuan.md / rename the file to qi-lu-ruan-jian-yuan.md",
    ),
    # Map pickers copy "lon,lat"; pasted the wrong way round, the latitude is out of range.
    "lat-lon-swapped": (
        {
            PARK: HEAD.replace("{lat: 36.666, lon: 117.134}", "{lat: 117.134, lon: 36.666}")
            + "sectors: [software]\n---\n"
        },
        f"{PARK}:4: 'location.lat' 的值 117.134 超出范围 / 'location.lat' is out of range: 117.134\n"
        "  hint: lat 和 lon 好像写反了，请对调：lat: 36.666, lon: 117.134"
        " / lat and lon look swapped; exchange them: lat: 36.666, lon: 117.134",
    ),
}


@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_each_mistake_names_its_fix(case, make_site, run):
    files, expected = MISTAKES[case]
    code, _, err = run("check", "-s", str(make_site(files)))
    assert code == 1
    assert expected in err, err
    assert "Traceback" not in err


def test_the_fullwidth_colon_is_reported_on_its_own_line_only(make_site, run):
    _, _, err = run("check", "-s", str(make_site(CASES["fullwidth-colon"][0])))
    assert f"{PARK}:4:" not in err


def test_a_chinese_comma_between_words_that_are_not_ids_also_says_which_ids_are_unknown(make_site, run):
    code, _, err = run("check", "-s", str(make_site(park(sectors="sectors: [汽车，化工]"))))
    assert code == 1
    assert f"{PARK}:5: 'sectors' 里的 '汽车，化工' 用了中文逗号，YAML 会把它当成一项" in err
    assert "hint: 各项之间用英文逗号加空格：sectors: [汽车, 化工]" in err
    assert f"{PARK}:5: content/sectors.yaml 里没有 '汽车' / '汽车' is not an id in content/sectors.yaml" in err
    assert f"{PARK}:5: content/sectors.yaml 里没有 '化工' / '化工' is not an id in content/sectors.yaml" in err


def test_a_chinese_comma_inside_free_text_in_a_list_is_a_warning(make_site, run):
    site = make_site(park("key_enterprises: [浪潮集团，海尔集团]"))
    code, out, err = run("check", "-s", str(site))
    assert code == 0, err
    assert f"{PARK}:6: warning: 'key_enterprises' 里的 '浪潮集团，海尔集团' 用了中文逗号，YAML 会把它当成一项" in err
    assert "hint: 各项之间用英文逗号加空格：key_enterprises: [浪潮集团, 海尔集团]" in err
    assert run("check", "-s", str(site), "--strict")[0] == 1


def test_lat_and_lon_swapped_inside_the_province_box_say_so_too(make_site, run):
    # Both numbers are valid degrees, so only the province check can tell.
    files = {
        PARK: HEAD.replace("{lat: 36.666, lon: 117.134}", "{lat: 36.666, lon: 36.666}") + "sectors: [software]\n---\n"
    }
    code, _, err = run("check", "-s", str(make_site(files)))
    assert code == 1
    assert f"{PARK}:4: 坐标 (36.666, 36.666) 不在山东省内 / the location (36.666, 36.666) is outside Shandong" in err


LOCATION = build_schemas(lambda: (), lambda: ()).park.spec("location").type


def check_location(text: str) -> Problems:
    problems = Problems()
    meta = parse_yaml(text, "x.md", problems)
    Location(LOCATION.fields).check(meta["location"], Where("x.md", 1, "location", problems))
    return problems


def test_picker_precise_coordinates_without_crs_warn_with_the_distance_and_how_to_mark_them():
    problems = check_location("location: {lat: 36.666123, lon: 117.134567}")
    assert problems.report() == (
        "x.md:1: warning: 坐标有 6 位小数但没有写 crs：如果是从高德地图复制的，标记会偏约 550 米，从百度地图复制的会偏约 1.3 公里"
        " / the coordinates have 6 decimals but no crs: if they were copied from Gaode/AMap the marker is about 550 m off,"
        " from Baidu about 1.3 km\n"
        "  hint: 在 location 里写明来源：高德、腾讯地图加 crs: gcj02，百度地图加 crs: bd09，GPS 或天地图加 crs: wgs84"
        " / say where they come from in location: crs: gcj02 for Gaode/AMap or Tencent, crs: bd09 for Baidu,"
        " crs: wgs84 for GPS or Tianditu"
    )


@pytest.mark.parametrize(
    "text",
    [
        "location: {lat: 36.666, lon: 117.134}",  # typed by hand: no picker gives three decimals
        "location: {lat: 36.666123, lon: 117.134567, crs: wgs84}",  # the editor said where it is from
        "location: {lat: 36.666123, lon: 117.134567, crs: gcj02}",
    ],
)
def test_coordinates_typed_by_hand_or_marked_get_no_crs_warning(text):
    assert check_location(text).items == []


def test_the_crs_warning_reaches_editors_once_the_schema_uses_location(make_site, run):
    if not isinstance(LOCATION, Location):
        pytest.skip("sitegen/content/schema.py still builds `location` as a plain FieldMapping (see fields.Location)")
    files = park()
    files[PARK] = files[PARK].replace("{lat: 36.666, lon: 117.134}", "{lat: 36.666123, lon: 117.134567}")
    code, _, err = run("check", "-s", str(make_site(files)))
    assert code == 0, err
    assert f"{PARK}:4: warning: 坐标有 6 位小数但没有写 crs" in err

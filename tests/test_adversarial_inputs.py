"""Hostile and unlucky inputs: files from outside the site, names other systems cannot hold,
characters and numbers no page can carry, formulas in downloads, workflow commands in reports.

Each ends in a message naming the file (and line, where there is one) with a hint, exit 1 (or a
warning), never a traceback; a failed build leaves the last good build/ exactly as it was.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import shutil
import socket
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import MINIMAL_SITE, tree_digest, write_site
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from sitegen import cli
from sitegen.build import Pipeline
from sitegen.content.body_links import classify, local_target, references
from sitegen.preview.server import Preview

PARK = "content/parks/qilu-software-park.md"
EVENT = "content/events/alliance-founding.md"
SITE_YAML = "content/site.yaml"


def park_with(*lines: str) -> dict[str, str]:
    """The minimal site's park with `lines` added as lines 7, 8…, after `level: national`."""
    text = MINIMAL_SITE[PARK]
    return {PARK: text.replace("level: national\n", "level: national\n" + "".join(f"{line}\n" for line in lines))}


def park_body(body: str, *lines: str) -> dict[str, str]:
    """The park with front-matter `lines` added and `body` as its text from line 17 + len(lines)."""
    text = park_with(*lines)[PARK]
    return {PARK: text[: text.index("---", 4) + 4] + body}


def body_line(body_line_number: int, added: int = 0) -> int:
    """The file line of a body's line: the park's front matter takes 15 lines plus those added."""
    return 15 + added + body_line_number


def site_yaml(*replacements: tuple[str, str]) -> dict[str, str]:
    text = MINIMAL_SITE[SITE_YAML]
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    return {SITE_YAML: text}


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Iterator[Path]:
    """The minimal site, built once; each test works on a copy of it, build/ included."""
    site = write_site(tmp_path_factory.mktemp("adversarial") / "site", MINIMAL_SITE)
    assert cli.main(["build", "-s", str(site)]) == 0
    before = tree_digest(site / "build")
    yield site
    assert tree_digest(site / "build") == before, "a build wrote into a file of the build/ its copy links to"


@pytest.fixture
def site(built_site: Path, tmp_path: Path) -> Callable[..., Path]:
    def copy(files: dict[str, str | bytes | None] | None = None, setup: Callable[[Path], object] | None = None) -> Path:
        root = tmp_path / "site"
        shutil.copytree(built_site, root, symlinks=True, ignore=shutil.ignore_patterns("build"))
        # build/ is linked file by file, which costs far less than copying it: a build never
        # writes into a file of its output (it replaces the file), and failed_build compares
        # every file before and after.
        shutil.copytree(built_site / "build", root / "build", copy_function=os.link)
        write_site(root, files or {})
        if setup is not None:
            setup(root)
        return root

    return copy


@pytest.fixture
def failed_build(run) -> Callable[..., str]:
    """Build `root`, which must fail with exit 1 and no traceback, leaving build/ untouched; the messages."""

    def attempt(root: Path, *options: str, env: dict[str, str] | None = None) -> str:
        before = files_under(root / "build")
        saved = {name: os.environ.get(name) for name in env or {}}
        os.environ.update(env or {})
        try:
            code, out, err = run("build", "-s", str(root), *options)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        assert code == 1, out + err
        assert "Traceback" not in out + err
        assert files_under(root / "build") == before
        return err

    return attempt


def assert_reported(err: str, where: str, *words: str) -> None:
    """`where` (path or path:line) starts a message holding `words`, followed by its hint."""
    lines = err.splitlines()
    found = [index for index, line in enumerate(lines) if line.startswith(f"{where}: ")]
    assert found, f"no message at {where}:\n{err}"
    for index in found:
        message = lines[index]
        if all(word in message for word in words):
            assert index + 1 < len(lines) and lines[index + 1].startswith("  hint: "), err
            return
    pytest.fail(f"no message at {where} says {words}:\n{err}")


# Characters and numbers no page or feed can carry --------------------------------------------------


@pytest.mark.parametrize(
    ("files", "where", "shown"),
    [
        (park_with('operator: "\\udc80"'), f"{PARK}:7", "U+DC80"),
        (park_with('district: {zh: "历下\\ud83d区"}'), f"{PARK}:7", "U+D83D"),
        (park_with('operator: "a\\0b"'), f"{PARK}:7", "U+0000"),
        (park_with('district: {zh: "\\e[31m红色", en: red}'), f"{PARK}:7", "U+001B"),
        (park_with('operator: "line\\Nbreak"'), f"{PARK}:7", "U+0085"),
        (park_with('"\\udc80key": x'), f"{PARK}:7", "U+DC80"),
        ({EVENT: '---\ntitle: {zh: "成立\\x07", en: Founding}\ndate: 2020-09-20\n---\n'}, f"{EVENT}:2", "U+0007"),
        (site_yaml(("tagline: {zh: 园区与产业", 'tagline: {zh: "园区\\udfff"')), f"{SITE_YAML}:2", "U+DFFF"),
        (
            {
                "content/sectors.yaml": 'software: {zh: "软件\\u0000", en: Software, colour: "#1565c0"}\n'
                'biomedicine: {zh: 生物医药, en: Biomedicine, colour: "#2e7d32"}\n'
            },
            "content/sectors.yaml:1",
            "U+0000",
        ),
    ],
)
def test_control_characters_and_lone_surrogates_are_refused_on_their_line(files, where, shown, site, failed_build):
    assert_reported(failed_build(site(files)), where, shown)


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("area_km2: .nan", ".nan"),
        ("area_km2: .NaN", ".NaN"),
        ("established: 1.0e999", None),
    ],
)
def test_numbers_that_are_not_finite_are_refused(line, shown, site, failed_build):
    err = failed_build(site(park_with(line)))
    assert_reported(err, f"{PARK}:7", *(["finite", shown] if shown else []))


@pytest.mark.parametrize("value", [".inf", "-.Inf", "1.0e+309", "9" * 400])
def test_a_figure_that_is_not_a_finite_number_is_refused(value, site, failed_build):
    text = MINIMAL_SITE[PARK].replace("value: 36", f"value: {value}")
    assert_reported(failed_build(site({PARK: text})), f"{PARK}:11", "finite")


def test_an_integer_of_thousands_of_digits_is_a_message_not_a_crash(site, failed_build):
    text = MINIMAL_SITE[PARK].replace("value: 36", "value: " + "7" * 5000)
    assert_reported(failed_build(site({PARK: text})), f"{PARK}:11", "too long")


@pytest.mark.parametrize(
    ("files", "where"),
    [
        ({EVENT: "---\ntitle: {zh: 成立, en: Founding}\ndate: 9999-12-31\n---\n"}, f"{EVENT}:3"),
        ({EVENT: "---\ntitle: {zh: 成立, en: Founding}\ndate: 2020-09-20\nend: 9999-12-31\n---\n"}, f"{EVENT}:4"),
        ({EVENT: "---\ntitle: {zh: 成立, en: Founding}\ndate: 0001-01-01\n---\n"}, f"{EVENT}:3"),
        (park_with("updated: 2999-01-01"), f"{PARK}:7"),
        (park_with("alliance: {member: true, joined: 1066-10-14}"), f"{PARK}:7"),
    ],
)
def test_dates_beyond_what_calendars_and_feeds_can_hold_are_refused(files, where, site, failed_build):
    assert_reported(failed_build(site(files)), where, "plausible")


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("正文\x00有空字符。\n", 1),
        ("第一行\n\x1b[31m红色\x1b[0m\n", 2),
        ("响铃\x07\n", 1),
        ("\x85\n", 1),
    ],
)
def test_control_characters_in_a_body_are_refused_on_their_line(body, line, site, failed_build):
    assert_reported(failed_build(site(park_body(body))), f"{PARK}:{body_line(line)}", "control character")


def test_a_very_long_line_is_read_like_any_other(site, run):
    root = site(park_body("很长的一行。" * 50_000 + "\n"))
    code, _, err = run("check", "-s", str(root))
    assert code == 0 and "Traceback" not in err


def test_a_byte_order_mark_in_the_middle_is_reported_on_its_line(site, failed_build):
    err = failed_build(site(park_with("\ufeffoperator: {zh: 运营}")))
    assert_reported(err, f"{PARK}:7", "operator")


# Settings from site.yaml and the environment --------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["abc def0123", 'ab"<script>', "https://api.tianditu.gov.cn/?tk=0123456789abcdef", "短"]
)
def test_a_malformed_tianditu_key_in_site_yaml_is_a_message(key, site, failed_build):
    files = site_yaml(("tiles: gaode", f"tiles: tianditu\n  tianditu_key: {json.dumps(key, ensure_ascii=False)}"))
    assert_reported(failed_build(site(files)), f"{SITE_YAML}:10", "Tianditu")


@pytest.mark.parametrize("key", ["not a key", "0123456789abcdef\n::add-mask::x", "'quoted'"])
def test_a_malformed_tianditu_key_in_the_environment_is_a_message_that_does_not_repeat_it(key, site, failed_build):
    err = failed_build(site(site_yaml(("tiles: gaode", "tiles: tianditu"))), env={"SITEGEN_TIANDITU_KEY": key})
    assert_reported(err, "$SITEGEN_TIANDITU_KEY", "Tianditu")
    assert key not in err


@pytest.mark.parametrize("value", ["yesterday", "1.7e9", "99999999999999999999", "-99999999999999", "0x10"])
def test_a_malformed_source_date_epoch_is_a_message(value, site, failed_build):
    err = failed_build(site(), env={"SOURCE_DATE_EPOCH": value})
    assert_reported(err, "$SOURCE_DATE_EPOCH", "SOURCE_DATE_EPOCH")


# Files and names ---------------------------------------------------------------------------------


def named(folder: str, raw: bytes, data: bytes = b"x") -> Callable[[Path], None]:
    def make(root: Path) -> None:
        target = os.path.join(os.fsencode(root / folder), raw)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(data)

    return make


@pytest.mark.parametrize(
    ("folder", "raw", "readable"),
    [
        ("content/parks", "园区.md".encode("gbk"), "园区.md"),
        ("content/media", "园区大门.png".encode("gb18030"), "园区大门.png"),
        ("content/media", "テスト.png".encode("shift_jis"), None),
        ("content/pages", b"caf\xe9.md", None),
    ],
)
def test_file_names_that_are_not_utf8_are_reported_readably(folder, raw, readable, site, failed_build):
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    park = MINIMAL_SITE[PARK].encode()
    err = failed_build(site(setup=named(folder, raw, park)))
    assert "not UTF-8" in err
    line = next(line for line in err.splitlines() if "not UTF-8" in line)
    assert line.startswith(folder + "/")
    if readable:
        assert readable in line
    assert "\\udc" not in err and "\ufffd\ufffd\ufffd\ufffd" not in line.split(":")[0]


@pytest.mark.parametrize(
    "name", ["content/parks/extra-park.md", "content/events/new-event.md", "content/pages/x.en.md"]
)
def test_a_folder_named_like_a_content_file_is_refused(name, site, failed_build):
    err = failed_build(site(setup=lambda root: (root / name).mkdir()))
    assert_reported(err, name, "folder")


def test_a_folder_named_like_a_settings_file_is_a_message(site, failed_build):
    def replace_with_folder(root: Path) -> None:
        (root / "content/cities.yaml").unlink()
        (root / "content/cities.yaml").mkdir()

    assert_reported(failed_build(site(setup=replace_with_folder)), "content/cities.yaml", "ordinary file")


@pytest.mark.parametrize(
    "name",
    [
        "content/parks/pipe-park.md",
        "content/pages/pipe.en.md",
        "content/media/pipe.png",
        "content/media/sub/pipe.jpg",
    ],
)
def test_a_named_pipe_is_refused_without_being_opened(name, site, failed_build):
    def make_fifo(root: Path) -> None:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / name)

    assert_reported(failed_build(site(setup=make_fifo)), name, "ordinary")


def test_a_socket_named_like_a_park_file_is_refused(site, failed_build, monkeypatch):
    root = site()
    monkeypatch.chdir(root / "content/parks")  # a socket's path is limited to about 100 bytes
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind("socket-park.md")
        monkeypatch.undo()
        assert_reported(failed_build(root), "content/parks/socket-park.md", "ordinary")


def test_a_named_pipe_as_settings_file_does_not_hang(site, failed_build):
    def pipe(root: Path) -> None:
        (root / SITE_YAML).unlink()
        os.mkfifo(root / SITE_YAML)

    assert_reported(failed_build(site(setup=pipe)), SITE_YAML, "ordinary file")


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("content/media/passwd", "/etc/passwd"),
        ("content/media/etc", "/etc"),
        ("content/media/sub/hosts.png", "/etc/hosts"),
        ("content/parks/passwd-park.md", "/etc/passwd"),
        ("content/pages/relative.md", "../../../../../../../../etc/passwd"),
        ("content/media", "/etc"),
        ("content/events", "/etc"),
    ],
)
def test_links_leaving_the_site_are_refused_and_nothing_is_published(name, target, site, failed_build):
    def link(root: Path) -> None:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        if (root / name).is_dir():
            shutil.rmtree(root / name)
        (root / name).symlink_to(target)

    assert_reported(failed_build(site(setup=link)), name, "outside the site")


def test_a_link_to_a_settings_file_outside_the_site_is_refused(site, failed_build):
    def link(root: Path) -> None:
        (root / "content/cities.yaml").unlink()
        (root / "content/cities.yaml").symlink_to("/etc/passwd")

    assert_reported(failed_build(site(setup=link)), "content/cities.yaml", "outside the site")


def test_links_inside_the_site_are_published_and_loops_end(site, run):
    def links(root: Path) -> None:
        (root / "shared").mkdir()
        (root / "shared/logo.png").write_bytes(b"logo")
        (root / "content/media").mkdir()
        (root / "content/media/shared").symlink_to(root / "shared")
        (root / "content/media/again").symlink_to(root / "content/media")

    root = site(setup=links)
    code, _, err = run("build", "-s", str(root))
    assert code == 0, err
    assert (root / "build/media/shared/logo.png").read_bytes() == b"logo"


def test_a_broken_link_is_a_message(site, failed_build):
    def link(root: Path) -> None:
        (root / "content/media").mkdir()
        (root / "content/media/gone.png").symlink_to(root / "nowhere.png")

    assert_reported(failed_build(site(setup=link)), "content/media/gone.png", "points to nothing")


NFC, NFD = (lambda text: unicodedata.normalize("NFC", text)), (lambda text: unicodedata.normalize("NFD", text))


@pytest.mark.parametrize(
    ("first", "second", "names"),
    [
        ("content/media/Logo.png", "content/media/logo.png", ("Logo.png", "logo.png")),
        ("content/media/PHOTOS/a.png", "content/media/photos/b.png", ("PHOTOS", "photos")),
        ("content/media/" + NFC("café.png"), "content/media/" + NFD("café.png"), (NFC("café.png"), NFD("café.png"))),
        ("content/media/" + NFC("Ångström.pdf"), "content/media/" + NFD("ångström.pdf"), (NFC("Å"), NFD("å"))),
        ("content/media/园区/" + NFC("Über.png"), "content/media/园区/" + NFD("über.png"), (NFC("Ü"), NFD("ü"))),
    ],
)
def test_names_windows_or_macos_take_for_the_same_file_are_refused_naming_both(
    first, second, names, site, failed_build
):
    err = failed_build(site({first: b"one", second: b"two"}))
    message = next(line for line in err.splitlines() if "same file" in line)
    assert all(name in message for name in names), message
    assert err.splitlines()[err.splitlines().index(message) + 1].startswith("  hint: ")


def test_names_that_differ_beyond_simple_case_are_kept_apart(site, run):
    root = site({"content/media/STRASSE.png": b"one", "content/media/straße.png": b"two"})
    code, _, err = run("build", "-s", str(root))
    assert code == 0, err


@pytest.mark.parametrize(
    "name",
    [
        "content/pages/con.md",
        "content/pages/aux.md",
        "content/pages/nul.en.md",
        "content/pages/prn.md",
        "content/parks/com1.md",
        "content/events/lpt9.md",
        "content/media/CON.png",
        "content/media/Aux.tar.gz",
        "content/media/com³.png",
    ],
)
def test_windows_device_names_are_refused(name, site, failed_build):
    page = "---\ntitle: {zh: 页面, en: Page}\n---\n正文\n"
    assert_reported(failed_build(site({name: page})), name, "Windows")


@pytest.mark.parametrize("slug", ["con", "aux", "nul", "com1", "lpt3"])
def test_new_refuses_a_windows_device_name(slug, site, run):
    root = site()
    code, _, err = run("new", "page", slug, "-s", str(root))
    assert code == 1 and "Windows" in err and "hint: " in err
    assert not (root / f"content/pages/{slug}.md").exists()


# Cover images and addresses in bodies -------------------------------------------------------------


@pytest.mark.parametrize(
    "cover",
    [
        "../../../../etc/passwd",
        "/etc/passwd",
        "media/../site.yaml",
        "media/../../../etc/passwd",
        "C:\\Windows\\win.ini",
        "parks/yantai-biotech-park.md",
        "~/.ssh/id_rsa",
        "//evil.example/x.png",
        "https://evil.example/x.png",
        "media",
    ],
)
def test_a_cover_outside_content_media_is_refused(cover, site, failed_build):
    files = park_with(f"cover: {json.dumps(cover)}", "cover_alt: {zh: 大门, en: Gate}")
    assert_reported(failed_build(site(files)), f"{PARK}:7", "content/media/")


def test_a_missing_cover_is_refused(site, failed_build):
    files = park_with("cover: media/missing.jpg", "cover_alt: {zh: 大门, en: Gate}")
    assert_reported(failed_build(site(files)), f"{PARK}:7", "does not exist")


@pytest.mark.parametrize("name", ["a b.jpg", "a#b.jpg", "a?b.jpg", "园区 大门#1?.jpg", "100%.jpg"])
def test_a_cover_with_spaces_hash_or_question_mark_is_published_percent_encoded(name, site, run):
    from urllib.parse import quote

    files = {
        **park_with(f"cover: {json.dumps('media/' + name, ensure_ascii=False)}", "cover_alt: {zh: 大门, en: Gate}"),
        f"content/media/{name}": b"jpeg",
    }
    root = site(files)
    code, _, err = run("build", "-s", str(root))
    assert code == 0, err
    page = (root / "build/parks/qilu-software-park/index.html").read_text(encoding="utf-8")
    assert f'src="../../media/{quote(name)}"' in page
    assert f"https://parks.example.cn/alliance/media/{quote(name)}" in page
    assert (root / "build/media" / name).read_bytes() == b"jpeg"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("[密码](../../../etc/passwd)\n", ["outside the site"]),
        ("![密码](../../../../etc/passwd)\n", ["outside the site"]),
        ("![图](/etc/passwd)\n", ["content/media/"]),
        ("![图](media/missing.png)\n", ["does not exist"]),
        ("[站点](../site.yaml)\n", ["leads to no page"]),
        ("[不存在](../parks/no-such-park.md)\n", ["leads to no page"]),
        ("[旁边](yantai-biotech-park.md)\n", ["outside the site"]),
        ("[页](/no-such-page/)\n", ["leads to no page"]),
        ("[脚本](javascript:alert(1))\n", ["javascript:"]),
        ("[脚本](JaVaScRiPt:alert(1))\n", ["javascript:"]),
        ("[数据](data:text/html;base64,PHNjcmlwdD4=)\n", ["data:"]),
        ("![数据](data:image/png;base64,iVBORw0KGgo=)\n", ["data:"]),
        ("[文件](file:///etc/passwd)\n", ["file:"]),
        ("[a]: vbscript:msgbox\n\n[链接][a]\n", ["vbscript:"]),
        ('<a href="&#106;avascript:alert(1)">x</a>\n', ["javascript:"]),
    ],
)
def test_addresses_in_bodies_that_leave_the_site_or_run_code_are_refused(body, words, site, failed_build):
    err = failed_build(site(park_body("正文。\n" + body)))
    assert_reported(err, f"{PARK}:{body_line(2)}", *words)


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("![图](https://evil.example/x.png)\n", 2),
        ("![图](//evil.example/x.png)\n", 2),
        ("![图](/\\evil.example/x.png)\n", 2),
        ("![图][logo]\n\n[logo]: https://evil.example/logo.png\n", 4),
        ('<img src="https://evil.example/x.png" alt="x">\n', 2),
        ('<img srcset="https://evil.example/x.png 2x" alt="x">\n', 2),
        ('<script src="https://evil.example/x.js"></script>\n', 2),
        ('<iframe src="https://evil.example/"></iframe>\n', 2),
        ('<div style="background: url(https://evil.example/x.png)">x</div>\n', 2),
        ("<style>\n@import 'https://evil.example/x.css';\n</style>\n", 3),
        ("<style>\nbody { background: url('//evil.example/x.png') }\n</style>\n", 3),
        ('<link rel="stylesheet" href="https://evil.example/x.css">\n', 2),
        ('<video poster="https://evil.example/x.png"></video>\n', 2),
    ],
)
def test_images_and_scripts_from_other_hosts_are_a_warning_and_an_error_with_strict(
    body, line, site, run, failed_build
):
    raw = {SITE_YAML: MINIMAL_SITE[SITE_YAML] + "allow_raw_html: true\n"}
    root = site({**raw, **park_body("正文。\n" + body)})
    code, _, err = run("check", "-s", str(root))
    assert code == 0, err
    assert_reported(err, f"{PARK}:{body_line(line)}", "warning: ", "evil.example")
    assert_reported(failed_build(root, "--strict"), f"{PARK}:{body_line(line)}", "evil.example")


def test_code_and_links_to_other_sites_are_not_reported(site, run):
    body = "[官网](https://www.example.cn/) <mailto:a@b.cn>\n\n```\n![x](https://evil.example/x.png)\n```\n`![y](//e.example/y)`\n"
    code, _, err = run("check", "-s", str(site(park_body(body))))
    assert code == 0 and "example" not in err, err


def test_local_links_and_images_are_resolved_encoded_and_relative_to_each_page(site, run):
    body = (
        "![大门](media/gate%201.png) ![门](../media/gate%201.png) [手册](/media/手册.pdf)\n"
        "[生物园](../parks/yantai-biotech-park.md#intro) [地图](/map/) [关于](about/)\n"
    )
    root = site(
        {
            **park_body(body),
            "content/media/gate 1.png": b"png",
            "content/media/手册.pdf": b"pdf",
            "content/parks/qilu-software-park.en.md": "[Biotech](../parks/yantai-biotech-park.md) ![Gate](media/gate%201.png)\n",
        }
    )
    code, _, err = run("build", "-s", str(root))
    assert code == 0, err
    zh = (root / "build/parks/qilu-software-park/index.html").read_text(encoding="utf-8")
    for address in (
        'src="../../media/gate%201.png"',
        'href="../../media/%E6%89%8B%E5%86%8C.pdf"',
        'href="../../parks/yantai-biotech-park/#intro"',
        'href="../../map/"',
        'href="../../about/"',
    ):
        assert address in zh
    en = (root / "build/en/parks/qilu-software-park/index.html").read_text(encoding="utf-8")
    assert 'href="../../../en/parks/yantai-biotech-park/"' in en and 'src="../../../media/gate%201.png"' in en


# Downloads ---------------------------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("https://evil.example","点击")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    " =1+1",
    "＝1+1",
    "\r=1",
]


@pytest.mark.parametrize("name", FORMULAS)
def test_a_formula_in_a_name_reaches_parks_csv_as_text(name, site, run):
    files = {
        PARK: MINIMAL_SITE[PARK].replace(
            "name: {zh: 齐鲁软件园, en: Qilu Software Park}", f"name: {{zh: {json.dumps(name)}, en: Qilu}}"
        )
    }
    root = site(files)
    code, _, err = run("build", "-s", str(root))
    assert code == 0, err
    with (root / "build/data/parks.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    cells = [cell for row in rows for cell in row]
    assert "'" + name.strip() in cells  # YAML values lose the spaces around them
    assert not [cell for cell in cells if cell and cell.lstrip()[0] in "=+-@＝\t\r"], rows
    geojson = json.loads((root / "build/data/parks.geojson").read_text(encoding="utf-8"))
    assert name.strip() in [feature["properties"]["name_zh"] for feature in geojson["features"]]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_formulas_in_an_export_stay_text_and_come_back_as_written(suffix, site, run, tmp_path):
    name = FORMULAS[0]
    files = {
        PARK: MINIMAL_SITE[PARK].replace("summary: {zh: 济南高新区内的软件园", f"summary: {{zh: {json.dumps(name)}")
    }
    root = site(files)
    sheet = tmp_path / f"parks.{suffix}"
    assert run("export", str(sheet), "-s", str(root))[0] == 0
    if suffix == "csv":
        text = sheet.read_text(encoding="utf-8-sig")
        assert "'=HYPERLINK" in text and ",=" not in text
    else:
        book = load_workbook(sheet)
        cells = [cell for row in book["parks"].iter_rows() for cell in row]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        assert [cell.quotePrefix for cell in cells if cell.value == name] == [True]
    before = (root / PARK).read_bytes()
    code, out, err = run("import", str(sheet), "-s", str(root))
    assert code == 0, err
    assert (root / PARK).read_bytes() == before, out


def test_an_xlsx_formula_cell_is_refused_with_its_row_and_column(site, run, tmp_path):
    root = site()
    sheet = tmp_path / "parks.xlsx"
    assert run("export", str(sheet), "-s", str(root))[0] == 0
    book = load_workbook(sheet)
    rows = book["parks"]
    column = next(cell.column_letter for cell in rows[1] if cell.value == "area_km2")
    rows[f"{column}2"] = "=10*2"
    book.save(sheet)
    before = (root / PARK).read_bytes()
    code, _, err = run("import", str(sheet), "-s", str(root))
    assert code == 1 and "Traceback" not in err
    assert_reported(err, f"{sheet.as_posix()}:2:{column}", "formula", "=10*2")
    assert (root / PARK).read_bytes() == before


def test_a_sheet_made_elsewhere_with_formulas_everywhere_is_refused_cell_by_cell(site, run, tmp_path):
    root = site()
    sheet = tmp_path / "made-elsewhere.xlsx"
    book = Workbook()
    book.active.append(["slug", "name.zh", "name.en", "city", "location.lat", "location.lon", "sectors"])
    book.active.append(['=LOWER("NEW-PARK")', "=A2", "Park", "jinan", "=36+0.5", 117.1, "software"])
    book.save(sheet)
    code, _, err = run("import", str(sheet), "-s", str(root))
    assert code == 1 and "Traceback" not in err
    for cell in ("2:A", "2:B", "2:E"):
        assert f"{sheet.as_posix()}:{cell}: " in err


# Reports on GitHub Actions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "x\\n::error::injected",
        "x\\r\\n::add-mask::secret",
        "x\\n::stop-commands::t",
        "x\\u2028::warning::y",
        "x\\n%0A::error::y",
    ],
)
def test_no_value_can_start_a_workflow_command_line(value, site, run, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    text = MINIMAL_SITE[PARK].replace("city: jinan", f'city: "{value}"')
    root = site({PARK: text.replace("level: national", f'level: national\n"{value}": x')})
    code, out, err = run("check", "-s", str(root))
    assert code == 1
    # GitHub reads a workflow command from any line, split at "\n" (and Python at \u2028 too).
    lines = [line for line in out.replace("\r", "\n").split("\n") if line]
    assert lines and all(line.startswith(("::error file=", "::warning file=")) for line in lines), out
    assert not [line for line in err.splitlines() if line.lstrip().startswith("::")], err


# The preview, the port, and what nobody foresaw -----------------------------------------------------


@pytest.mark.parametrize("port", ["70000", "0", "-1", "http", "80.5"])
def test_serve_refuses_a_port_that_does_not_exist(port, run):
    code, _, err = run("serve", "--port", port)
    assert code == 2 and "port" in err and "Traceback" not in err


def test_serve_on_a_busy_port_names_the_port_and_suggests_another(site, run):
    root = site()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, _, err = run("serve", "-s", str(root), "--port", str(port))
    assert code == 1 and "Traceback" not in err
    assert f"port {port} cannot be used" in err and "hint: " in err and "--port" in err
    assert os.strerror(errno.EADDRINUSE) in err or "use" in err


def test_an_internal_error_is_one_line_with_a_log_and_leaves_build_alone(site, run, monkeypatch):
    root = site()
    before = files_under(root / "build")

    def broken(*arguments, **keywords):
        raise RuntimeError("a bug nobody foresaw")

    monkeypatch.setattr("sitegen.render.pages.Renderer.render_route", broken)
    monkeypatch.setattr("sitegen.render.parallel.PageRendering.outputs", broken)
    (root / PARK).write_text(MINIMAL_SITE[PARK] + "改过的正文。\n", encoding="utf-8")
    code, out, err = run("build", "-s", str(root))
    assert code == 1
    assert "Traceback" not in out + err and len(err.strip().splitlines()) == 1
    assert "internal error" in err and "内部错误" in err
    log = root / ".sitegen-cache/last-error.log"
    assert str(log) in err
    assert "RuntimeError: a bug nobody foresaw" in log.read_text(encoding="utf-8")
    assert files_under(root / "build") == before


def test_the_preview_survives_any_error_and_keeps_serving_the_last_good_site(site, tmp_path, capsys):
    root = site()
    preview = Preview(root, tmp_path / "preview", on_internal_error=lambda details: "internal error, logged")
    preview.rebuild()
    preview.complete()  # as serve does once it answers: no "being prepared" line on the pages
    good = (tmp_path / "preview/index.html").read_bytes()
    calls = []
    original = Pipeline.run

    def fails_once(self, *arguments, **keywords):
        calls.append(1)
        if len(calls) == 1:
            raise KeyError("a bug nobody foresaw")
        return original(self, *arguments, **keywords)

    Pipeline.run = fails_once
    try:
        preview.rebuild({root / PARK})
        assert "internal error, logged" in capsys.readouterr().out
        assert preview.problems is None

        def get(path: str) -> tuple[str, bytes]:
            answer: list[str] = []
            body = b"".join(preview.app({"PATH_INFO": path}, lambda status, headers: answer.append(status)))
            return answer[0], body

        assert get("/") == ("200 OK", good)
        (root / PARK).write_text(
            MINIMAL_SITE[PARK].replace("齐鲁软件园位于", "新的正文：齐鲁软件园位于"), encoding="utf-8"
        )
        preview.rebuild({root / PARK})
        assert "新的正文" in get("/parks/qilu-software-park/")[1].decode("utf-8")
    finally:
        Pipeline.run = original


# Any address at all ---------------------------------------------------------------------------------

address_parts = st.sampled_from(
    [
        "media/",
        "../",
        "..",
        "/",
        "\\",
        "//",
        "%2e%2e/",
        "%2f",
        "#",
        "?",
        " ",
        "\t",
        "\n",
        "javascript:",
        "JAVA\tSCRIPT:",
        "data:",
        "http://",
        "https://",
        "mailto:",
        "parks/",
        ".md",
        ".en.md",
        "qilu-software-park",
        "a.png",
        "&#106;",
        "C:",
        "~",
        "\x00",
        "园区",
        "%",
    ]
)
addresses = st.lists(address_parts | st.text(max_size=4), max_size=8).map("".join)


@settings(deadline=None, max_examples=300)
@given(address=addresses)
def test_every_address_is_classified_and_no_local_one_leaves_the_site(address):
    kind = classify(address).kind
    assert kind in ("remote", "local", "fragment", "contact", "refused")
    target = local_target(address)
    if target is None:
        return
    parts = target.path.split("/")
    assert ".." not in parts and not target.path.startswith("/")
    if target.kind == "media":
        assert parts[0] == "media" and len(parts) >= 2


@settings(deadline=None, max_examples=200)
@given(
    body=st.lists(
        address_parts
        | st.sampled_from(["[", "]", "(", ")", "![", "](", "]: ", "<img src=", "<a href='", '"', ">", "`", "```\n"])
        | st.text(max_size=3),
        max_size=30,
    ).map("".join)
)
def test_any_body_gives_addresses_with_lines_inside_it(body):
    for reference in references(body):
        assert 1 <= reference.line <= body.count("\n") + 1

"""The Markdown every body goes through."""

import errno
import multiprocessing
import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions.toc import TocTreeprocessor
from markdown.treeprocessors import InlineProcessor

from sitegen.content.body_links import lines_with_images_missing_alt
from sitegen.content.frontmatter import read_text
from sitegen.content.placeholders import without_placeholders
from sitegen.errors import Problems
from sitegen.render import markdown as markdown_module
from sitegen.render.markdown import BodiesAhead, Converter

REPOSITORY = Path(__file__).resolve().parent.parent


def test_a_line_break_between_chinese_characters_adds_no_space():
    html = Converter().convert("山东半岛\n南部\n\nEnglish\nwords")
    assert "<p>山东半岛南部</p>" in html
    assert "English\nwords" in html


def test_code_keeps_its_line_breaks():
    assert "中\n文" in Converter().convert("```\n中\n文\n```")


def test_tables_and_heading_ids():
    html = Converter().convert("## 主导产业\n\n| 产业 | 企业 |\n|---|---|\n| 软件 | 10 |\n")
    assert '<h2 id="主导产业">主导产业</h2>' in html
    assert "<td>软件</td>" in html


def test_scripts_event_handlers_and_javascript_links_are_removed():
    html = Converter().convert(
        '<img src="a.png" alt="x" onerror="steal()"><script>x()</script>[a](javascript:alert(1))'
    )
    assert "onerror" not in html and "<script" not in html and "javascript:" not in html
    assert '<img src="a.png" alt="x">' in html


def test_images_without_alt_are_found_by_line():
    assert lines_with_images_missing_alt("text\n![](a.png)\n![门](b.png)") == [2]


def stock_and_quick():
    """Our Markdown, and the same with Python-Markdown's own steps in place of ours: the inline
    step that passes on text no inline pattern can match, and the table of contents drawn only
    where the text asks for one."""
    quick, stock = Converter()._markdown, Converter()._markdown
    stock.treeprocessors.register(InlineProcessor(stock), "inline", 20)
    stock.treeprocessors["toc"].__class__ = TocTreeprocessor  # the same settings, the stock step
    return stock, quick


STOCK, QUICK = stock_and_quick()
MARKDOWN_PIECES = st.sampled_from(
    [
        "园区",
        "ab",
        " ",
        "  ",
        "\n",
        "\n\n",
        "*",
        "**",
        "_",
        "`",
        "\\",
        "[x]",
        "(y)",
        "![a](b.png)",
        "<b>",
        "<",
        "&amp;",
        "&",
        "# ",
        "- ",
        "1. ",
        "| a |",
        "---",
        "{: #id}",
        ">",
        "    ",
        "!",
        "~~~",
        "http://a.cn",
        "a@b.cn",
        "[TOC]",
        "\n## 主导产业\n",
        "\n### Key\n",
        "\n\n[TOC]\n\n",
    ]
)


@given(pieces=st.lists(MARKDOWN_PIECES, max_size=40))
@settings(max_examples=300, deadline=None)
def test_the_quick_inline_step_converts_any_text_as_python_markdown_does(pieces):
    text = "".join(pieces)
    assert QUICK.reset().convert(text) == STOCK.reset().convert(text)


def test_the_starter_bodies_convert_as_python_markdown_converts_them():
    bodies = [path.read_text(encoding="utf-8").split("---", 2)[-1] for path in (REPOSITORY / "content").rglob("*.md")]
    assert len(bodies) > 50
    for body in bodies:
        assert QUICK.reset().convert(body) == STOCK.reset().convert(body)


def test_bodies_converted_ahead_are_the_bodies_the_content_stage_reads(tmp_path, monkeypatch):
    """Workers convert bodies from the files while the build reads them; each text they give
    back is the one the content stage would take from that file, and files it cannot split,
    cannot decode or must not follow are left to it."""
    monkeypatch.setattr(markdown_module, "_PARALLEL_FROM", 1)
    folder = tmp_path / "content" / "pages"
    folder.mkdir(parents=True)
    files = {
        "plain.md": "---\ntitle: 一\n---\n## 概况\n\n山东半岛\n南部\n".encode(),
        "windows.md": b"\xef\xbb\xbf---\r\ntitle: two\r\n---\r\n*Two* lines\r\nhere\r\n",
        "skeleton.en.md": b"---\ntitle: three\n---\nWrite the English text here (Markdown).\n\nKept text.\n",
        "no-front-matter.md": b"Just a body with [a link](../parks/x.md).\n",
        "refused-yaml.md": b"---\ntitle: [broken\n---\nThe body of a file whose fields are refused.\n",
    }
    left_to_the_build = {
        "gbk.md": "---\ntitle: 四\n---\n正文\n".encode("gb18030"),
        "unclosed.md": b"---\ntitle: five\nno closing line\n",
        "dashes.md": "——\ntitle: six\n——\nbody\n".encode(),
        "notes.txt": b"not a content file\n",
    }
    for name, data in {**files, **left_to_the_build}.items():
        (folder / name).write_bytes(data)
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: outside\n---\nA secret body outside the site.\n", encoding="utf-8")
    (folder / "link.md").symlink_to(outside)
    os.mkfifo(folder / "pipe.md")  # reading it would wait for ever

    ahead = BodiesAhead.start([folder, tmp_path / "content" / "missing"], allow_raw_html=False)
    assert ahead is not None
    try:
        converted = ahead.converted()
    finally:
        ahead.close()

    converter = Converter()
    expected = {}
    for name in files:
        text = read_text(folder / name, name, Problems())
        body = without_placeholders(text.split("\n---\n", 1)[-1] if text.startswith("---") else text)
        expected[converter.key(body)] = converter.convert(body)
    assert converted == expected
    assert "Kept text" in "".join(converted.values()) and "English text here" not in "".join(converted.values())


def test_bodies_are_left_to_the_build_when_no_worker_can_be_forked(tmp_path, monkeypatch):
    """A machine out of processes or memory: the build converts the bodies itself."""
    monkeypatch.setattr(markdown_module, "_PARALLEL_FROM", 1)
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "about.md").write_text("---\ntitle: 关于\n---\n联盟简介。\n", encoding="utf-8")

    def no_fork() -> int:
        raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert BodiesAhead.start([folder], allow_raw_html=False) is None
    assert multiprocessing.active_children() == []


def test_workers_forked_before_the_fork_that_failed_are_ended(tmp_path, monkeypatch):
    """Out of processes part-way through the pool: the workers already forked wait for work
    that never comes, and the build, which converts the bodies itself, would wait for them as
    it exits."""
    monkeypatch.setattr(markdown_module, "_PARALLEL_FROM", 1)
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "about.md").write_text("---\ntitle: 关于\n---\n联盟简介。\n", encoding="utf-8")
    fork, forked = os.fork, []

    def fork_once() -> int:
        if forked:
            raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")
        forked.append(fork())
        return forked[-1]

    monkeypatch.setattr(os, "fork", fork_once)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert BodiesAhead.start([folder], allow_raw_html=False) is None
    assert multiprocessing.active_children() == []

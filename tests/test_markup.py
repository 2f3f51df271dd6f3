"""The Markdown every body goes through."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions.toc import TocTreeprocessor
from markdown.treeprocessors import InlineProcessor

from sitegen.content.body_links import lines_with_images_missing_alt
from sitegen.render.markdown import Converter

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

"""The Markdown every body goes through."""

from sitegen.content.body_links import lines_with_images_missing_alt
from sitegen.render.markdown import Converter


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

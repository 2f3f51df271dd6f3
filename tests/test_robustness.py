"""Whatever an editor's file holds, the loader and `check` answer with success or a list of problems,
never a traceback; and YAML can never make Python build an object or run a command."""

from __future__ import annotations

import contextlib
import io
import string
from pathlib import Path
from unittest.mock import patch

import pytest
import yaml
from conftest import MINIMAL_SITE, write_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.cli import main
from sitegen.content.frontmatter import Mapping, Sequence, _FastLineLoader, parse_yaml, read_text, split_document
from sitegen.errors import Problems

PARK = "content/parks/qilu-software-park.md"
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=40)
SLOW = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=15)

# Pieces of YAML and of Chinese typing, so generated text reaches the parser's corners quickly.
TOKENS = [
    "---",
    "...",
    "\n",
    "\r\n",
    " ",
    "  ",
    "\t",
    "\u3000",
    ":",
    ": ",
    "：",
    "- ",
    "－ ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "，",
    "、",
    "#",
    "&a ",
    "*a",
    "<<: ",
    "? ",
    "!!",
    "!!python/object/apply:os.system",
    "!!binary ",
    "!!set ",
    "!tag ",
    "|",
    ">",
    "'",
    '"',
    "“",
    "”",
    "\\",
    "%YAML 1.1",
    "name",
    "zh",
    "en",
    "city",
    "location",
    "lat",
    "lon",
    "sectors",
    "figures",
    "齐鲁软件园",
    "2023-02-30",
    "36.666",
    "117.134",
    "10:00",
    "0531",
    "no",
    "~",
    "null",
    ".nan",
    "1e400",
    "\ufeff",
    "\x00",
    "\x85",
    "\u2028",
    "\ud7ff",
]
yaml_like = st.lists(st.sampled_from(TOKENS) | st.text(max_size=5), max_size=40).map("".join)
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20)
data = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(max_size=8)
            | st.sampled_from(
                [
                    "name",
                    "zh",
                    "en",
                    "city",
                    "location",
                    "lat",
                    "lon",
                    "crs",
                    "sectors",
                    "figures",
                    "alliance",
                    "contact",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


def no_exception_but_problems(call) -> Problems:
    problems = Problems()
    call(problems)
    for problem in problems.items:
        assert problem.message and problem.path
    return problems


@RELAXED
@given(text=st.text() | yaml_like)
def test_any_text_loads_or_gives_problems(text):
    no_exception_but_problems(lambda problems: parse_yaml(text, "x.md", problems))
    no_exception_but_problems(lambda problems: split_document(text, "x.md", problems))
    no_exception_but_problems(lambda problems: split_document("---\n" + text + "\n---\nbody\n", "x.md", problems))


@RELAXED
@given(value=data)
def test_any_yaml_document_loads_or_gives_problems(value):
    text = yaml.safe_dump(value, allow_unicode=True)
    no_exception_but_problems(lambda problems: parse_yaml(text, "x.md", problems))


def loaded_with_lines(text: str) -> tuple[object, list[tuple[int | None, str]]]:
    """What parse_yaml gives for `text`, with every line number it keeps, and its problems."""
    problems = Problems()
    return with_lines(parse_yaml(text, "x.md", problems)), [(p.line, p.message) for p in problems.items]


def with_lines(value: object) -> object:
    if isinstance(value, Mapping):
        items = tuple((key, with_lines(item)) for key, item in value.items())
        return ("mapping", value.line, tuple(value.key_lines.items()), tuple(value.raw.items()), items)
    if isinstance(value, Sequence):
        return ("list", value.line, tuple(value.item_lines), tuple(with_lines(item) for item in value))
    if isinstance(value, float) and value != value:
        return ("nan",)
    return (type(value).__name__, value)


@RELAXED
@given(text=yaml_like | data.map(lambda value: yaml.safe_dump(value, allow_unicode=True)) | data.map(yaml.safe_dump))
def test_the_direct_construction_builds_what_pyyaml_builds(text):
    """Front matter without anchors is built by a direct walk of LibYAML's nodes, whose tags a
    shorter resolution gives: the values, their lines, the raw texts and the problems are those
    of PyYAML's own resolution and construction."""
    direct = loaded_with_lines(text)
    with pyyamls_own_resolution_and_construction():
        general = loaded_with_lines(text)
    assert direct == general


@contextlib.contextmanager
def pyyamls_own_resolution_and_construction():
    with contextlib.ExitStack() as stack:
        for name in ("resolve", "descend_resolver", "ascend_resolver"):
            stack.enter_context(patch.object(_FastLineLoader, name, getattr(yaml.resolver.BaseResolver, name)))
        stack.enter_context(
            patch.object(_FastLineLoader, "construct_document", yaml.constructor.BaseConstructor.construct_document)
        )
        yield


def test_a_parks_front_matter_is_built_by_the_direct_construction():
    text = (Path(__file__).parent.parent / "sitegen/editor/starter" / PARK).read_text(encoding="utf-8")
    front = text.split("---\n")[1]
    with patch.object(_FastLineLoader, "_plain", autospec=True, side_effect=_FastLineLoader._plain) as walk:
        direct = loaded_with_lines(front)
    assert walk.called
    with pyyamls_own_resolution_and_construction():
        assert loaded_with_lines(front) == direct


@RELAXED
@given(raw=st.binary(max_size=200))
def test_any_bytes_decode_or_give_problems(raw, tmp_path_factory):
    file = tmp_path_factory.mktemp("bytes") / "x.md"
    file.write_bytes(raw)
    no_exception_but_problems(lambda problems: read_text(file, "x.md", problems))


@pytest.mark.parametrize("depth", [50, 5000])
def test_deep_nesting_is_a_problem_not_a_crash(depth):
    problems = no_exception_but_problems(lambda problems: parse_yaml("a: " + "[" * depth + "]" * depth, "x", problems))
    assert depth == 50 or problems.errors


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return write_site(tmp_path_factory.mktemp("robust") / "site", MINIMAL_SITE)


def check(site: Path, park: str | bytes) -> tuple[int, str]:
    """`sitegen check` in-process on the site with the park file replaced."""
    file = site / PARK
    if isinstance(park, bytes):
        file.write_bytes(park)
    else:
        file.write_text(park, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "-s", str(site)])
    return code, err.getvalue()


@pytest.mark.parametrize("opening, closing", [("{a: ", "}"), ("[", "]")], ids=["mappings", "lists"])
@pytest.mark.parametrize("depth", [60, 400, 600, 5000])
@pytest.mark.parametrize("anchored", [False, True], ids=["plain", "with an anchor"])
def test_a_field_nested_too_deep_is_refused_on_its_line(site, opening, closing, depth, anchored):
    """However deep a value nests, `check` names the file and line and exits 1; a value
    nested a few hundred deep once exhausted the stack in the field checks."""
    original = (site / PARK).read_text(encoding="utf-8")
    nested = opening * depth + "1" + closing * depth
    front = original.replace("city: jinan", ("city: &deep " if anchored else "city: ") + nested, 1)
    assert front != original
    try:
        code, err = check(site, front)
    finally:
        (site / PARK).write_text(original, encoding="utf-8")
    line = original.split("\n").index("city: jinan") + 1
    assert code == 1
    assert f"{PARK}:{line}:" in err and "nested too deeply" in err
    assert "internal error" not in err


@pytest.mark.parametrize("depth", [400, 600])
def test_indented_mappings_nested_too_deep_are_refused_where_they_go_too_deep(site, depth):
    original = (site / PARK).read_text(encoding="utf-8")
    nested = "".join("  " * level + f"k{level}:\n" for level in range(depth)) + "  " * depth + "v\n"
    try:
        code, err = check(site, original.replace("city: jinan\n", "city: jinan\nextra:\n" + nested, 1))
    finally:
        (site / PARK).write_text(original, encoding="utf-8")
    extra = original.split("\n").index("city: jinan") + 2  # the line of `extra:`
    assert code == 1
    assert f"{PARK}:{extra + 51}:" in err and "nested too deeply" in err  # the 51st level's line


@SLOW
@given(front=yaml_like, body=st.text(max_size=50))
def test_check_answers_any_front_matter(site, front, body):
    code, err = check(site, f"---\n{front}\n---\n{body}")
    assert code in (0, 1)
    assert "Traceback" not in err


@SLOW
@given(value=data)
def test_check_answers_any_yaml_value_as_front_matter(site, value):
    code, _ = check(site, "---\n" + yaml.safe_dump(value, allow_unicode=True) + "---\n正文\n")
    assert code in (0, 1)


@SLOW
@given(raw=st.binary(max_size=300))
def test_check_answers_any_bytes(site, raw):
    assert check(site, raw)[0] in (0, 1)


printable = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)


@SLOW
@given(
    name=printable,
    english=printable,
    summary=printable,
    body=st.text(max_size=200),
    lat=st.floats(min_value=34.4, max_value=38.4),
    lon=st.floats(min_value=114.8, max_value=122.7),
)
def test_any_valid_looking_park_renders_or_gives_problems(site, name, english, summary, body, lat, lon):
    """Arbitrary names, summaries and Markdown reach the templates and the map."""
    front = yaml.safe_dump(
        {
            "name": {"zh": name, "en": english},
            "city": "jinan",
            "location": {"lat": lat, "lon": lon},
            "sectors": ["software"],
            "summary": {"zh": summary},
        },
        allow_unicode=True,
    )
    code, err = check(site, f"---\n{front}---\n{body}")
    assert code in (0, 1), err


@SLOW
@given(text=st.text(alphabet=string.printable + "齐鲁，、：\ufeff", max_size=300))
def test_import_answers_any_csv(site, text, tmp_path_factory):
    sheet = tmp_path_factory.mktemp("csv") / "parks.csv"
    sheet.write_text("slug,name.zh,location.lat,sectors\n" + text, encoding="utf-8")
    before = (site / PARK).read_bytes()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["import", str(sheet), "-s", str(site), "--dry-run"])
    assert code in (0, 1)
    assert (site / PARK).read_bytes() == before


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!!python/module:os",
        "!!binary aGVsbG8=",
        "!!set {{a, b}}",
        "!!timestamp 2020-01-01",
        "!!omap [{{a: 1}}]",
    ],
)
def test_yaml_tags_that_build_python_objects_are_refused(tag, tmp_path):
    marker = tmp_path / "ran"
    problems = Problems()
    assert parse_yaml(f"name: {tag.format(marker=marker)}\n", "x.md", problems) is None
    assert problems.report().startswith("x.md:1: 不允许使用 YAML 标签（如 !!python） / YAML tags are not allowed")
    assert not marker.exists()

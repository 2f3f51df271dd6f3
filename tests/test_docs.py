"""Documents kept in step with the code: the field reference, the theme reference, and the module
list of docs/architecture.md."""

import re

import pytest
from conftest import REPO

from sitegen.content.reference import field_reference

ARCHITECTURE = REPO / "docs" / "architecture.md"


def test_the_field_reference_matches_the_schemas():
    text = (REPO / "docs" / "fields.md").read_text(encoding="utf-8")
    start = text.index("<!-- field-reference:start -->\n") + len("<!-- field-reference:start -->\n")
    end = text.index("<!-- field-reference:end -->")
    assert text[start:end] == field_reference(), "run: python scripts/field_reference.py"


def test_the_theme_reference_matches_the_code():
    from sitegen.editor.theme_reference import theme_reference

    written = (REPO / "docs" / "themes.md").read_text(encoding="utf-8")
    assert written == theme_reference(REPO), "run: python -m sitegen.editor.theme_reference . > docs/themes.md"


def listed_modules() -> list[str]:
    """The modules named in the first column of the tables under '## Modules'."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    section = text.split("\n## Modules\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(sitegen/[^`]+\.py)` \|", section, flags=re.MULTILINE)


def modules_on_disk() -> set[str]:
    return {file.relative_to(REPO).as_posix() for file in (REPO / "sitegen").rglob("*.py")}


def test_the_architecture_lists_every_module_once():
    listed = listed_modules()
    missing = sorted(modules_on_disk() - set(listed))
    assert not missing, (
        f"docs/architecture.md does not list {', '.join(missing)}: add a row "
        "| `sitegen/<path>.py` | <the first sentence of its docstring> | to a table under '## Modules'"
    )
    repeated = sorted({module for module in listed if listed.count(module) > 1})
    assert not repeated, f"docs/architecture.md lists {', '.join(repeated)} more than once"


def test_the_architecture_lists_no_module_that_is_gone():
    gone = sorted(set(listed_modules()) - modules_on_disk())
    assert not gone, (
        f"docs/architecture.md lists {', '.join(gone)}, which is not under sitegen/ any more: "
        "remove its row, or rename it to where the module moved"
    )


@pytest.mark.parametrize("document", ["README.md", "CONTRIBUTING.md", "docs/architecture.md", "docs/site.md"])
def test_local_links_in_the_guides_lead_somewhere(document):
    text = (REPO / document).read_text(encoding="utf-8")
    base = (REPO / document).parent
    targets = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text)
    broken = [target for target in targets if not (base / target).exists()]
    assert not broken, f"{document} links to files that do not exist: {broken}"


@pytest.mark.parametrize("guide", ["docs/editing.md", "docs/editing.en.md"])
def test_the_editing_guides_show_every_kind_sitegen_new_writes(guide):
    from sitegen.cli import _parser

    commands = next(action for action in _parser()._actions if action.dest == "command")
    kinds = next(action for action in commands.choices["new"]._actions if action.dest == "kind").choices
    text = (REPO / guide).read_text(encoding="utf-8")
    assert [kind for kind in kinds if f"sitegen new {kind} " not in text] == []

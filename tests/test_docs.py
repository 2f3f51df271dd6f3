"""The field reference in README.md and docs/fields.md is the one the schemas print."""

import pytest
from conftest import REPO

from sitegen.content.reference import field_reference


@pytest.mark.parametrize("document", ["README.md", "docs/fields.md"])
def test_the_field_reference_matches_the_schemas(document):
    text = (REPO / document).read_text(encoding="utf-8")
    start = text.index("<!-- field-reference:start -->\n") + len("<!-- field-reference:start -->\n")
    end = text.index("<!-- field-reference:end -->")
    assert text[start:end] == field_reference(), "run: python scripts/field_reference.py"


def test_the_theme_reference_matches_the_code():
    from sitegen.editor.theme_reference import theme_reference

    written = (REPO / "docs" / "themes.md").read_text(encoding="utf-8")
    assert written == theme_reference(REPO), "run: python -m sitegen.editor.theme_reference . > docs/themes.md"

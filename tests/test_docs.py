"""The README's field reference is the one the schema prints."""

from conftest import REPO

from sitegen.reference import field_reference


def test_readme_field_reference_matches_the_schema():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- field-reference:start -->\n") + len("<!-- field-reference:start -->\n")
    end = readme.index("<!-- field-reference:end -->")
    assert readme[start:end] == field_reference(), "run: python -m sitegen.reference, and paste it into README.md"

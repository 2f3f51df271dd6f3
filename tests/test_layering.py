"""Each module imports only from the layers above it, so data keeps flowing one way."""

import ast
from pathlib import Path

LAYERS = [
    "errors", "i18n", "geo", "frontmatter", "fields", "config", "markup", "sources", "schema", "rewrite",
    "model", "dependencies", "validate", "reference", "urls", "tiles", "mapping", "map_drawing", "feeds", "search", "render", "drawing", "write", "cache", "build", "report", "spreadsheet", "sheet_import", "skeleton", "preview", "serve", "cli", "__main__",
]
PACKAGE = Path(__file__).resolve().parent.parent / "sitegen"


def sitegen_imports(module: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sitegen"):
            names.add(node.module.removeprefix("sitegen").lstrip(".") or node.names[0].name)
        elif isinstance(node, ast.Import):
            names.update(alias.name.removeprefix("sitegen.") for alias in node.names if alias.name.startswith("sitegen."))
    return names


def test_every_module_is_placed_in_a_layer():
    modules = {file.stem for file in PACKAGE.glob("*.py")} - {"__init__"}
    assert modules <= set(LAYERS), modules - set(LAYERS)


def test_modules_import_only_from_layers_above():
    for file in PACKAGE.glob("*.py"):
        if file.stem == "__init__":
            continue
        position = LAYERS.index(file.stem)
        for name in sitegen_imports(file):
            assert LAYERS.index(name) < position, f"sitegen/{file.name} imports {name}"

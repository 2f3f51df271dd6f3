"""Each module imports only from the layers above it, so data keeps flowing one way:
load -> validate -> model -> render -> write. The layers are the intended design, written out
here; a module that does not fit one is a design question, not a line to add at the end."""

import ast
from pathlib import Path

LAYERS = [
    # the package's own version, and pure helpers
    ["__init__", "errors", "geo", "spreadsheet_cells", "workers"],
    # reading and checking content, in the order the stage runs
    [
        "content.files",
        "content.theme",
        "content.i18n",
        "content.frontmatter",
        "content.placeholders",
        "content.units",
        "content.fields",
        "content.schema",
        "content.config",
        "content.sources",
        "content.translation",
        "content.body_links",
        "content.model",
        "content.duplicates",
        "content.investment_checks",
        "content.validate",
        "content.reference",
    ],
    # maps: tiles, then the parts our pages place, then folium (imported only to draw)
    ["map.tiles", "map.parts", "map.folium_shapes"],
    # rendering into memory
    [
        "render.urls",
        "render.qr",
        "render.markdown",
        "render.templates",
        "render.search",
        "render.chains",
        "render.investment",
        "render.finder",
        "render.locator",
        "render.feeds",
        "render.pages",
        "render.parallel",
        "render.fontcut",
        "render.printing",
        "render.brochures",
        "render.cms_config",
        "render.cms_hosted",
    ],
    # what changed, writing the output folder, and uploading it to a bucket
    ["publish.lock", "publish.output", "publish.plan", "publish.cache", "publish.store", "publish.deploy"],
    # the one pipeline
    ["build"],
    # tools around it
    [
        "editor.report",
        "editor.roundtrip",
        "editor.spreadsheet",
        "editor.sheet_import",
        "editor.skeleton",
        "editor.theme_reference",
        "editor.theme_files",
        "editor.site_docs",
        "editor.cms_refusal",
        "editor.cms_merge",
        "editor.cms_media",
        "editor.cms_store",
    ],
    ["preview.cms_backend", "preview.server"],
    ["cli", "__main__"],
]
ORDER = [module for layer in LAYERS for module in layer]
PACKAGE = Path(__file__).resolve().parent.parent / "sitegen"


def module_name(file: Path) -> str:
    return ".".join(file.relative_to(PACKAGE).with_suffix("").parts)


def sitegen_imports(module: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sitegen"):
            base = node.module.removeprefix("sitegen").lstrip(".")
            for alias in node.names:
                joined = f"{base}.{alias.name}" if base else alias.name
                names.add(joined if joined in ORDER else base or "__init__")
        elif isinstance(node, ast.Import):
            names.update(
                alias.name.removeprefix("sitegen.") for alias in node.names if alias.name.startswith("sitegen.")
            )
    return names


def python_modules() -> list[Path]:
    return [file for file in PACKAGE.rglob("*.py") if file.name != "__init__.py" or file.parent == PACKAGE]


def test_every_module_is_placed_in_a_layer():
    modules = {module_name(file) for file in python_modules()}
    assert modules == set(ORDER), (modules - set(ORDER), set(ORDER) - modules)


def test_modules_import_only_from_layers_above():
    for file in python_modules():
        position = ORDER.index(module_name(file))
        for name in sitegen_imports(file):
            assert name in ORDER, f"{module_name(file)} imports {name}, which is not a module"
            assert ORDER.index(name) < position, f"{module_name(file)} imports {name}, from a layer below it"

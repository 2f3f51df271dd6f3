"""Parks, projects or sites as a spreadsheet: which columns an entry's front matter becomes, how values
become cells and back, reading and writing .xlsx and .csv files, and `sitegen export`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.content.config import load_config
from sitegen.content.fields import (
    Amount,
    Bilingual,
    Choice,
    ClockTime,
    Date,
    FieldMapping,
    FieldType,
    Flag,
    IdOf,
    ListOf,
    Measure,
    Number,
    Text,
)
from sitegen.content.frontmatter import bare_scalar
from sitegen.content.schema import build_schemas
from sitegen.content.sources import Source, has_content_folder, load_sources
from sitegen.content.units import find_unit
from sitegen.editor.roundtrip import FieldPath
from sitegen.errors import Problems, zh_en
from sitegen.spreadsheet_cells import as_text_cell, from_text_cell, runs_as_formula

SLUG_HEADER = "slug"
SHEET_COLLECTIONS = ("parks", "projects", "sites")
"""The collections a sheet can hold, each on a worksheet of its name; a sheet of another name
(an editor's copy) is read too."""
_LIST_SEPARATORS = re.compile(r"\s*[,，、;；]\s*")
_LOCAL_DATE = re.compile(r"(\d{4})\s*[/.年-]\s*(\d{1,2})\s*[/.月-]\s*(\d{1,2})\s*日?")


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the sheet: its header, where its value goes in the front matter, its type."""

    header: str
    path: FieldPath
    type: FieldType
    description: str
    required: bool


@dataclass
class SheetOutcome:
    """What an export or import did (lines to print), or the problems that stopped it."""

    problems: Problems = field(default_factory=Problems)
    done: list[str] = field(default_factory=list)


def header_of(path: FieldPath) -> str:
    """("figures", 0, "label", "zh") -> "figures.1.label.zh": list items are numbered from 1, as people count."""
    return ".".join(str(part + 1) if isinstance(part, int) else part for part in path)


def entry_columns(record: FieldMapping, groups: dict[str, int]) -> list[Column]:
    """Every column in schema order. Bilingual fields get `.zh` and `.en`; lists of records or
    bilingual texts get numbered groups (`groups["figures"]` of them); lists of ids one cell."""
    return list(_columns(record, (), groups, True))


def _columns(record: FieldMapping, path: FieldPath, groups: dict[str, int], required: bool) -> Iterator[Column]:
    for spec in record.fields:
        meaning = (spec.zh, spec.description)
        yield from _columns_of(spec.type, path + (spec.name,), meaning, required and spec.required, groups)


def _columns_of(
    field_type: FieldType, path: FieldPath, meaning: tuple[str, str], required: bool, groups: dict[str, int]
) -> Iterator[Column]:
    """`meaning`: the field's description in Chinese and in English; a column's joins both."""
    chinese, english = meaning
    if isinstance(field_type, FieldMapping):
        yield from _columns(field_type, path, groups, required)
    elif isinstance(field_type, Bilingual):
        zh_column = zh_en(f"{chinese}（中文）", f"{english} (Chinese)")
        yield Column(header_of(path + ("zh",)), path + ("zh",), Text(), zh_column, required)
        english_required = required and field_type.require_english
        en_column = zh_en(f"{chinese}（英文）", f"{english} (English)")
        yield Column(header_of(path + ("en",)), path + ("en",), Text(), en_column, english_required)
    elif isinstance(field_type, ListOf) and isinstance(field_type.item, FieldMapping | Bilingual):
        for index in range(groups.get(header_of(path), 0)):
            numbered = (f"{chinese}，第 {index + 1} 项", f"{english}, no. {index + 1}")
            yield from _columns_of(field_type.item, path + (index,), numbered, False, groups)
    else:
        yield Column(header_of(path), path, field_type, zh_en(chinese, english), required)


def groups_of(paths: Iterator[FieldPath] | list[FieldPath]) -> dict[str, int]:
    groups: dict[str, int] = {}
    for path in paths:
        for position, part in enumerate(path):
            if isinstance(part, int):
                key = header_of(path[:position])
                groups[key] = max(groups.get(key, 0), part + 1)
    return groups


class Node(dict):
    """A branch of the nested form of a row's leaves (a plain dict may be a leaf's own bad value)."""


def entry_leaves(record: FieldMapping, meta: Any) -> dict[FieldPath, Any]:
    """The front matter as {path: value}, one entry per column; empty values are left out."""
    return {path: value for path, value in _leaves(record, meta, ()) if not blank_value(value)}


def _leaves(record: FieldMapping, value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, Any]]:
    if not isinstance(value, dict):
        return
    for spec in record.fields:
        if spec.name in value:
            yield from _leaves_of(spec.type, value[spec.name], path + (spec.name,))


def _leaves_of(field_type: FieldType, value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, Any]]:
    if isinstance(field_type, FieldMapping):
        yield from _leaves(field_type, value, path)
    elif isinstance(field_type, Bilingual):
        if isinstance(value, dict):
            for lang in ("zh", "en"):
                if lang in value:
                    yield path + (lang,), value[lang]
        else:
            yield path + ("zh",), value
    elif isinstance(field_type, ListOf) and isinstance(field_type.item, FieldMapping | Bilingual):
        for index, item in enumerate(value if isinstance(value, list) else ()):
            yield from _leaves_of(field_type.item, item, path + (index,))
    elif isinstance(field_type, ListOf):
        yield path, tuple(value) if isinstance(value, list) else (value,)
    elif isinstance(field_type, Measure):
        yield path, measure_text(value)
    else:
        yield path, value


def measure_text(value: Any) -> Any:
    """An area or price as one cell, the way an office's 载体 list writes it: "50 亩",
    "18 元/㎡·月", or "on request"; the schema reads the cell back with the same check."""
    if isinstance(value, dict) and set(value) == {"value", "unit"}:
        return f"{value['value']} {value['unit']}"
    return value


_NUMBER_THEN_UNIT = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*([^\d\s.].*?)\s*$")


def unit_in(cell: Any) -> str | None:
    """The unit of a measure cell as the site spells it ("50 mu" -> 亩), or None."""
    match = _NUMBER_THEN_UNIT.match(cell) if isinstance(cell, str) else None
    found = find_unit(match[1]) if match else None
    return found.id if found else None


def blank_value(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, tuple | list):
        return not value or all(blank_value(item) for item in value)
    return value is None


def same_value(old: Any, new: Any) -> bool:
    """Equal as the site reads them: 12 and 12.0 are the same area, `true` is not the text "true"."""
    if blank_value(old) or blank_value(new):
        return blank_value(old) and blank_value(new)
    if isinstance(old, str) and isinstance(new, str):
        return old.strip() == new.strip()
    if isinstance(old, tuple) and isinstance(new, tuple):
        return [str(item).strip() for item in old] == [str(item).strip() for item in new]
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    return (
        type(old) is type(new)
        and old == new
        or (isinstance(old, int | float) and isinstance(new, int | float) and old == new)
    )


@dataclass(frozen=True, slots=True)
class _Leaf:
    value: Any
    came_from: FieldPath


def compacted(leaves: dict[FieldPath, Any]) -> dict[FieldPath, _Leaf]:
    """Number list items 0, 1, 2… again once emptied groups are gone (figures.1 cleared, figures.2
    kept), remembering each value's path before."""
    tree = Node()
    for path, value in leaves.items():
        if blank_value(value):
            continue
        node = tree
        for part in path[:-1]:
            node = node.setdefault(part, Node())
        node[path[-1]] = _Leaf(value, path)
    return dict(_flatten(_renumbered(tree), ()))


def _renumbered(node: Node) -> Node:
    children = {key: _renumbered(value) if isinstance(value, Node) else value for key, value in node.items()}
    if children and all(isinstance(key, int) for key in children):
        return Node(enumerate(children[key] for key in sorted(children)))
    return Node(children)


def _flatten(node: Node, path: FieldPath) -> Iterator[tuple[FieldPath, Any]]:
    for key, value in node.items():
        if isinstance(value, Node):
            yield from _flatten(value, path + (key,))
        else:
            yield path + (key,), value


# Cells -------------------------------------------------------------------------------------------


def _cell(value: Any, column: Column, for_csv: bool) -> Any:
    """A front-matter value as a cell: lists of ids joined by commas, dates as dates in Excel."""
    if value is None:
        return None
    if isinstance(value, tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(column.type, Date) and isinstance(value, str) and not for_csv:
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return value
    if for_csv:
        if isinstance(value, bool):
            return "true" if value else "false"
        return as_text_cell(value) if isinstance(value, str) else str(value)
    return value if isinstance(value, str | int | float | bool) else str(value)


def value_of_cell(cell: Any, column: Column) -> Any:
    """A cell as the value a file would give, so the schema checks it by the file's rules, with
    the file's messages. A text cell of a column that takes a number, a date, a time or true/false
    means what it would mean written bare in a file (`2023/2/3` is no date there, nor here); a cell
    of a text column is its text; a cell Excel typed (a number, a date) is that number or date."""
    if isinstance(cell, str):
        cell = from_text_cell(cell.strip())
    if cell is None or cell == "":
        return None
    kind = column.type
    if isinstance(kind, ListOf):
        return tuple(part for part in _LIST_SEPARATORS.split(str(cell)) if part)
    if isinstance(cell, dt.datetime | dt.date):
        day = cell.date() if isinstance(cell, dt.datetime) else cell
        return day.isoformat()
    if isinstance(kind, Number) and isinstance(cell, float) and kind.whole and cell.is_integer():
        return int(cell)  # Excel keeps every number as a float
    if isinstance(kind, _TYPED_IN_FILES):
        return bare_scalar(cell) if isinstance(cell, str) else cell
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return str(cell)
    return cell


_TYPED_IN_FILES = (Number, Amount, Flag, Date, ClockTime)
"""Columns whose value a file gives bare (a number, a date, a time, true or false), where YAML
reads the text as it likes; a partial date ("2023-05", "2023") is written as text."""


def same_meaning(old: Any, new: Any, column: Column) -> bool:
    """Whether a cell holds the file's own value as Excel saves it in a CSV (a date 2026-11-23
    comes back as 2026/11/23): such a cell is unchanged, and the file keeps its value."""
    if not (isinstance(column.type, Date) and isinstance(old, str) and isinstance(new, str)):
        return False
    parts = _LOCAL_DATE.fullmatch(new.strip())
    if parts is None:
        return False
    year, month, day = parts.groups()
    return old.strip() == f"{year}-{int(month):02d}-{int(day):02d}"


def column_letter(index: int) -> str:
    """0 -> "A", 26 -> "AA": how Excel and WPS name the column an editor looks for."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# Reading and writing sheets ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Table:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]
    """(row number as the sheet shows it, cells), blank rows left out."""


def _kind(file: Path, display: str, problems: Problems) -> str | None:
    suffix = file.suffix.lower()
    if suffix in (".xlsx", ".csv"):
        return suffix[1:]
    problems.error(
        display,
        None,
        zh_en("只支持 .xlsx 和 .csv 文件", "only .xlsx and .csv files are supported"),
        zh_en(
            "在 Excel 或 WPS 里另存为“Excel 工作簿 (.xlsx)”或“CSV UTF-8”",
            "save it from Excel or WPS as an Excel workbook (.xlsx) or as CSV UTF-8",
        ),
    )
    return None


def read_table(file: Path, display: str, problems: Problems) -> _Table | None:
    kind = _kind(file, display, problems)
    if kind is None:
        return None
    if not file.is_file():
        problems.error(
            display,
            None,
            zh_en("找不到这个文件", "this file does not exist"),
            zh_en("检查文件名和所在文件夹", "check the file name and the folder"),
        )
        return None
    rows = _read_csv(file, display, problems) if kind == "csv" else _read_xlsx(file, display, problems)
    if rows is None:
        return None
    if not rows:
        problems.error(
            display,
            1,
            zh_en("表格是空的", "the sheet is empty"),
            zh_en("先用 sitegen export 导出一份，再在里面修改", "export one with `sitegen export` and edit that"),
        )
        return None
    headers = ["" if cell is None else str(cell).strip() for cell in rows[0]]
    body = []
    for number, cells in enumerate(rows[1:], start=2):
        cells = list(cells) + [None] * (len(headers) - len(cells))
        if any(not blank_value(cell) for cell in cells):
            body.append((number, cells))
    return _Table(headers, body)


def _read_csv(file: Path, display: str, problems: Problems) -> list[list[Any]] | None:
    data = file.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.error(
            display,
            data[: error.start].count(b"\n") + 1,
            zh_en(
                "CSV 文件不是 UTF-8 编码（Excel 默认存成 GBK）",
                "the CSV file is not UTF-8 (Excel saves GBK by default)",
            ),
            zh_en(
                "在 Excel 里选“另存为”，保存类型选“CSV UTF-8（逗号分隔）”，或直接用 .xlsx",
                "in Excel choose Save As, type “CSV UTF-8 (Comma delimited)”, or use .xlsx instead",
            ),
        )
        return None
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        problems.error(
            display,
            None,
            zh_en("CSV 文件格式不对", f"the CSV file cannot be read: {error}"),
            zh_en("用 Excel 打开后重新另存为 CSV UTF-8", "open it in Excel and save it again as CSV UTF-8"),
        )
        return None


def _read_xlsx(file: Path, display: str, problems: Problems) -> list[list[Any]] | None:
    from openpyxl import load_workbook

    errors_before = len(problems.errors)
    try:
        book = load_workbook(file, read_only=True)
        try:
            named = [book[name] for name in book.sheetnames if name in SHEET_COLLECTIONS]
            sheet = named[0] if named else book.worksheets[0]
            rows = [[_xlsx_value(cell, display, problems) for cell in row] for row in sheet.iter_rows()]
        finally:
            book.close()
    except Exception as error:  # openpyxl fails in many ways on a damaged or foreign file
        problems.error(
            display,
            None,
            zh_en("无法读取这个 Excel 文件", f"this Excel file cannot be read ({type(error).__name__})"),
            zh_en(
                "用 Excel 或 WPS 打开，另存为“Excel 工作簿 (.xlsx)”后再导入",
                "open it in Excel or WPS, save it as an Excel workbook (.xlsx), then import again",
            ),
        )
        return None
    return None if len(problems.errors) > errors_before else rows


def _xlsx_value(cell: Any, display: str, problems: Problems) -> Any:
    """A cell's value; a formula is refused, since the file keeps no trustworthy value for it
    (openpyxl and WPS save none at all) and a park's facts are typed, not computed."""
    if getattr(cell, "data_type", None) != "f":
        return getattr(cell, "value", None)
    formula = str(getattr(cell.value, "text", cell.value))
    problems.error(
        display,
        cell.row,
        zh_en(f"这个格子是公式（{formula}），不是值", f"this cell holds a formula ({formula}), not a value"),
        zh_en(
            "复制这个格子，用“选择性粘贴 → 数值”粘贴回去，或直接输入值",
            "copy the cell and paste it back with Paste Special > Values, or type the value",
        ),
        cell.column_letter,
    )
    return None


def _write_csv(file: Path, columns: list[Column], rows: list[tuple[str, dict]]) -> None:
    with file.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([SLUG_HEADER, *(column.header for column in columns)])
        for slug, leaves in rows:
            writer.writerow([slug, *(_cell(leaves.get(column.path), column, True) or "" for column in columns)])


def _write_xlsx(
    file: Path, columns: list[Column], rows: list[tuple[str, dict]], city_ids: list[str], collection: str
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet), "a new workbook has one worksheet"
    sheet.title = collection
    sheet.append([SLUG_HEADER, *(column.header for column in columns)])
    for slug, leaves in rows:
        sheet.append([slug, *(_cell(leaves.get(column.path), column, False) for column in columns)])
    text_columns = {index + 2 for index, column in enumerate(columns) if _holds_text(column)} | {1}
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and runs_as_formula(cell.value):
                cell.data_type = "s"  # text, never a formula
                cell.quotePrefix = True  # and it stays text when someone edits the cell
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if cell.column in text_columns:
                cell.number_format = TEXT_FORMAT
    for index in text_columns:
        sheet.column_dimensions[column_letter(index - 1)].number_format = TEXT_FORMAT
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    last_row = max(len(rows) + 1, 500)
    for index, column in enumerate([None, *columns]):
        letter = column_letter(index)
        sheet.column_dimensions[letter].width = 28 if index else 34
        options = _options(column.type, city_ids) if column else None
        if options and len(",".join(options)) < 250:
            check = DataValidation(type="list", formula1=f'"{",".join(options)}"', allow_blank=True)
            check.error = zh_en("请从列表中选择", "choose a value from the list")
            check.showErrorMessage = True
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}{last_row}")
    guide = book.create_sheet("fields")
    guide.append([zh_en("列", "column"), zh_en("必填", "required"), zh_en("格式", "value"), zh_en("含义", "meaning")])
    entry_file = zh_en(
        f"条目的文件名：content/{collection}/<slug>.md", f"file name of the entry: content/{collection}/<slug>.md"
    )
    guide.append([SLUG_HEADER, _REQUIRED, zh_en("a-z、0-9 和连字符", "a-z, 0-9 and hyphens"), entry_file])
    for column in columns:
        value = zh_en(column.type.describe_zh, column.type.describe)
        guide.append([column.header, _REQUIRED if column.required else "", value, column.description])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (28, 10, 40, 80), strict=True):
        guide.column_dimensions[letter].width = width
    book.save(file)


_REQUIRED = zh_en("是", "yes")

TEXT_FORMAT = "@"
"""Excel's Text format: what is typed stays as typed, so 0531… keeps its 0 and 2023-05 stays no date."""


def _holds_text(column: Column) -> bool:
    """Columns whose cells are text, however much they look like a number (a phone, a post code,
    a document number, an id): everything but numbers, dates and true/false."""
    return not isinstance(column.type, Number | Amount | Date | Flag)


def _options(field_type: FieldType, city_ids: list[str]) -> list[str] | None:
    if isinstance(field_type, Choice):
        return list(field_type.options)
    if isinstance(field_type, Flag):
        return ["true", "false"]
    if isinstance(field_type, IdOf) and field_type.vocabulary == "cities.yaml":
        return city_ids or None
    return None


# Export ------------------------------------------------------------------------------------------


def export_sheet(root: Path, file: Path, collection: str = "parks") -> SheetOutcome:
    """Write every park (or project, or site) to FILE; refuse while one of their files cannot be read, so
    none goes missing."""
    outcome = SheetOutcome()
    display = file.as_posix()
    kind = _kind(file, display, outcome.problems)
    sources = entry_sources(root, outcome.problems, collection)
    if kind is None or sources is None:
        return outcome
    config = load_config(root, Problems())
    city_ids = list(config.cities) if config else []
    record = build_schemas(lambda: (), lambda: ()).for_collection(collection)
    rows = [(source.slug, entry_leaves(record, source.zh.meta)) for source in sources]
    columns = entry_columns(record, groups_of([path for _, leaves in rows for path in leaves]))
    if kind == "csv":
        _write_csv(file, columns, rows)
    else:
        _write_xlsx(file, columns, rows, city_ids, collection)
    outcome.done.append(f"wrote {display}: {len(rows)} {collection[:-1]}(s), {len(columns) + 1} column(s)")
    return outcome


def entry_sources(root: Path, problems: Problems, collection: str = "parks") -> list[Source] | None:
    """Every entry of `collection` as read; None, with the reasons, while one of its files cannot
    be read, because a sheet without that entry would look as if it were gone."""
    if not has_content_folder(root, problems):
        return None
    found = Problems()
    sources = [source for source in load_sources(root, found) if source.collection == collection]
    broken = [problem for problem in found.errors if problem.path.startswith(f"content/{collection}/")]
    if broken:
        problems.items.extend(broken)
        return None
    return sources

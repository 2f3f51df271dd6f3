"""`sitegen import`: creating and updating park or project files from a spreadsheet once every
row, and the site as it would then be, has been checked; only the values whose cells changed are
rewritten."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.content.config import Environment, SiteConfig, load_config
from sitegen.content.fields import FieldMapping, Measure, Where, closest
from sitegen.content.frontmatter import Document, Mapping, Sequence, split_document
from sitegen.content.schema import build_schemas
from sitegen.content.sources import SLUG, Source, load_sources, suggest_slug
from sitegen.content.validate import validate_site
from sitegen.editor.roundtrip import FieldPath, RewriteError, rewrite
from sitegen.editor.spreadsheet import (
    SLUG_HEADER,
    Column,
    Node,
    SheetOutcome,
    blank_value,
    column_letter,
    compacted,
    entry_columns,
    entry_leaves,
    entry_sources,
    groups_of,
    header_of,
    read_table,
    same_meaning,
    same_value,
    unit_in,
    value_of_cell,
)
from sitegen.errors import Problems, Severity, zh_en
from sitegen.spreadsheet_cells import from_text_cell


def _code(row: int, column: int | None) -> int:
    """Schema checks report a line; a row's values carry row * 1000 + column + 1 as theirs."""
    return row * 1000 + (column + 1 if column is not None else 0)


def _cell_of(code: int) -> tuple[int, int | None]:
    return code // 1000, (code % 1000 - 1) if code % 1000 else None


@dataclass
class _Plan:
    """One row: the park it names, its fields before and after, and where each value came from."""

    row: int
    slug: str
    source: Source | None
    old: dict[FieldPath, Any]
    new: dict[FieldPath, Any]
    columns: dict[FieldPath, int]
    failed: bool
    """Its row has errors of its own; it still takes part in the site check, so that parks naming
    it are not told it does not exist, but nothing more is reported about it."""

    def changes(self, order: list[FieldPath]) -> list[tuple[FieldPath, Any]]:
        paths = sorted(set(self.old) | set(self.new), key=lambda path: _rank(path, order))
        return [(path, self.new.get(path)) for path in paths if not same_value(self.old.get(path), self.new.get(path))]


def _rank(path: FieldPath, order: list[FieldPath]) -> tuple[int, str]:
    return (order.index(path), "") if path in order else (len(order), header_of(path))


def import_sheet(root: Path, file: Path, dry_run: bool = False, collection: str = "parks") -> SheetOutcome:
    """Check every row against the same schema as `check`, then every changed park against the
    whole site; write only when nothing is wrong, and only the files whose values changed."""
    outcome = SheetOutcome()
    problems, display = outcome.problems, file.as_posix()
    sources = entry_sources(root, problems, collection)
    config = None
    if sources is not None:
        found = Problems()
        config = load_config(root, found)
        if config is None:
            problems.items.extend(found.errors)
    table = read_table(file, display, problems)
    if sources is None or config is None or table is None:
        return outcome
    record = build_schemas(lambda: config.sectors, lambda: config.cities).for_collection(collection)
    columns = _sheet_columns(table.headers, record, display, problems)
    if columns is None:
        return outcome
    entries = {source.slug: source for source in sources}
    folder = f"content/{collection}"
    slug_index = table.headers.index(SLUG_HEADER)
    planned = [
        _plan(row, cells, slug_index, columns, entries, record, root, folder, display, problems)
        for row, cells in table.rows
    ]
    plans = _without_repeated_slugs([plan for plan in planned if plan is not None], display, problems)
    order = [
        column.path
        for column in entry_columns(record, groups_of([path for plan in plans for path in (*plan.old, *plan.new)]))
    ]
    texts = _new_texts(root, plans, record, order, folder, display, problems)
    _check_site(root, config, texts, plans, folder, display, problems)
    if problems.errors:
        return outcome
    for plan in plans:
        if plan.slug in texts and not dry_run:
            _write(root / folder / f"{plan.slug}.md", texts[plan.slug][1])
    outcome.done.extend(_summary(plans, texts, order, collection, dry_run))
    return outcome


def _sheet_columns(
    headers: list[str], record: FieldMapping, display: str, problems: Problems
) -> list[Column | None] | None:
    """The column behind each header (None for slug and for empty headers), or None if any is unknown."""
    paths = [_path_of(header) for header in headers]
    known = {column.header: column for column in entry_columns(record, groups_of([p for p in paths if p]))}
    columns: list[Column | None] = []
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        if header in seen:
            first = column_letter(seen[header])
            problems.error(
                display,
                1,
                zh_en(
                    f"列名 '{header}' 出现了两次（第一次在 {first} 列）",
                    f"the column '{header}' appears twice (first in column {first})",
                ),
                zh_en("删除其中一列", "delete one of the two columns"),
                column_letter(index),
            )
        if header:
            seen.setdefault(header, index)
        if header in ("", SLUG_HEADER):
            columns.append(None)
        elif header in known:
            columns.append(known[header])
        else:
            suggestion = closest(header, [*known, SLUG_HEADER])
            guess = zh_en(f"是不是 '{suggestion}'？", f"did you mean '{suggestion}'? ") if suggestion else ""
            problems.error(
                display,
                1,
                zh_en(f"不认识的列名 '{header}'", f"unknown column '{header}'"),
                guess
                + zh_en(
                    "列名要和 sitegen export 导出的一样（见 fields 工作表）",
                    "use the column names `sitegen export` writes (listed on the fields sheet)",
                ),
                column_letter(index),
            )
            columns.append(None)
    if SLUG_HEADER not in headers:
        problems.error(
            display,
            1,
            zh_en("缺少 slug 列", "there is no slug column"),
            zh_en("第一列的列名写 slug，每行写园区的文件名", "name a column slug and give each park's file name in it"),
        )
    return None if problems.errors else columns


def _path_of(header: str) -> FieldPath | None:
    parts = header.split(".")
    if not all(parts):
        return None
    return tuple(int(part) - 1 if part.isdigit() and int(part) > 0 else part for part in parts)


def _plan(
    row: int,
    cells: list[Any],
    slug_index: int,
    columns: list[Column | None],
    entries: dict[str, Source],
    record: FieldMapping,
    root: Path,
    folder: str,
    display: str,
    problems: Problems,
) -> _Plan | None:
    errors_before = len(problems.errors)
    slug = "" if cells[slug_index] is None else str(cells[slug_index]).strip()
    sheet = {column.path: value_of_cell(cells[index], column) for index, column in enumerate(columns) if column}
    positions = {column.path: index for index, column in enumerate(columns) if column}
    for index, column in enumerate(columns):
        if column is None and index != slug_index and not blank_value(cells[index]):
            problems.error(
                display,
                row,
                zh_en("这个格子所在的列没有列名", "this cell is in a column without a name"),
                zh_en("在第 1 行写上列名，或清空这一列", "give the column a name in row 1, or clear it"),
                column_letter(index),
            )
    if not SLUG.fullmatch(slug):
        proposal = suggest_slug(slug or str(sheet.get(("name", "zh")) or ""))
        problems.error(
            display,
            row,
            zh_en(
                f"slug '{slug}' 只能用小写英文字母、数字和单个连字符",
                f"the slug '{slug}' may use only a-z, 0-9 and single hyphens",
            )
            if slug
            else zh_en("这一行没有 slug", "this row has no slug"),
            zh_en(f"写成 {proposal}（园区的文件名）", f"write {proposal} (the park's file name)"),
            column_letter(slug_index),
        )
        return None
    source = entries.get(slug)
    if source is None and (root / folder / f"{slug}.md").exists():
        problems.error(
            display,
            row,
            zh_en(f"{folder}/{slug}.md 自身有错误", f"{folder}/{slug}.md has problems of its own"),
            zh_en("先运行 sitegen check 并改正它，再导入", "run `sitegen check`, fix it, then import again"),
        )
        return None
    old = entry_leaves(record, source.zh.meta) if source else {}
    by_path = {column.path: column for column in columns if column}
    sheet = {
        path: old[path] if same_meaning(old.get(path), value, by_path[path]) else value for path, value in sheet.items()
    }
    _refuse_changed_units(old, sheet, columns, row, display, problems)
    merged = compacted({**old, **sheet})
    new = {path: leaf.value for path, leaf in merged.items()}
    # Values kept from the file have no column; their problems are reported at the row.
    cells_of = {path: positions[leaf.came_from] for path, leaf in merged.items() if leaf.came_from in sheet}
    scratch = Problems()
    written = {
        path: from_text_cell(cells[positions[path]].strip())
        for path in sheet
        if isinstance(cells[positions[path]], str)
    }
    as_read = _as_yaml(
        new,
        row,
        cells_of,
        {path: written[leaf.came_from] for path, leaf in merged.items() if leaf.came_from in written},
    )
    record.check(as_read, Where(display, _code(row, None), "", scratch))
    failed = bool(scratch.errors) or errors_before < len(problems.errors)
    for problem in scratch.items:
        where_row, where_column = _cell_of(problem.line or 0)
        report = problems.error if problem.severity is Severity.ERROR else problems.warning
        cell_letter = column_letter(where_column) if where_column is not None else None
        report(display, where_row or row, problem.message, problem.hint, cell_letter)
    return _Plan(row, slug, source, old, new, cells_of, failed)


def _refuse_changed_units(
    old: dict[FieldPath, Any],
    sheet: dict[FieldPath, Any],
    columns: list[Column | None],
    row: int,
    display: str,
    problems: Problems,
) -> None:
    """A sheet may change an area or a price, never its unit: 50 亩 typed over as 50 ㎡ is a typo
    far more often than a new measurement, and would pass every other check."""
    for index, column in enumerate(columns):
        if column is None or not isinstance(column.type, Measure):
            continue
        before, after = unit_in(old.get(column.path)), unit_in(sheet.get(column.path))
        if before is not None and after is not None and before != after:
            problems.error(
                display,
                row,
                zh_en(
                    f"{column.header} 的单位从 {before} 改成了 {after}",
                    f"{column.header} changes its unit from {before} to {after}",
                ),
                zh_en(
                    f"表格里不能改单位：保留 {before}，或在文件里同时改数字和单位",
                    f"a sheet cannot change a unit: keep {before}, or change the number and unit in the file itself",
                ),
                column_letter(index),
            )


def _as_yaml(
    leaves: dict[FieldPath, Any], row: int, columns: dict[FieldPath, int], written: dict[FieldPath, str]
) -> Mapping:
    """The merged row as the loader would have read it, each value's line being its cell's code
    and its text as written the cell's text, which messages quote."""
    tree = Node()
    for path, value in leaves.items():
        node = tree
        for part in path[:-1]:
            node = node.setdefault(part, Node())
        node[path[-1]] = value
    return _yaml_node(tree, (), row, columns, written)


def _yaml_node(
    node: Node, path: FieldPath, row: int, columns: dict[FieldPath, int], written: dict[FieldPath, str]
) -> Any:
    def line(at: FieldPath) -> int:
        indices = [index for candidate, index in columns.items() if candidate[: len(at)] == at]
        return _code(row, min(indices) if indices else None)

    def convert(value: Any, at: FieldPath) -> Any:
        if isinstance(value, Node):
            return _yaml_node(value, at, row, columns, written)
        if isinstance(value, tuple):
            items = Sequence(value)
            items.line, items.item_lines = line(at), [line(at)] * len(value)
            return items
        return value

    if node and all(isinstance(key, int) for key in node):
        sequence = Sequence(convert(node[key], path + (key,)) for key in sorted(node))
        sequence.line, sequence.item_lines = line(path), [line(path + (key,)) for key in sorted(node)]
        return sequence
    mapping = Mapping()
    mapping.line, mapping.key_lines, mapping.raw = line(path), {}, {}
    for key, value in node.items():
        mapping[key] = convert(value, path + (key,))
        mapping.key_lines[key] = line(path + (key,))
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            mapping.raw[key] = written.get(path + (key,), str(value))
    return mapping


def _without_repeated_slugs(plans: list[_Plan], display: str, problems: Problems) -> list[_Plan]:
    first: dict[str, int] = {}
    kept = []
    for plan in plans:
        if plan.slug not in first:
            kept.append(plan)
        else:
            problems.error(
                display,
                plan.row,
                zh_en(
                    f"slug '{plan.slug}' 在第 {first[plan.slug]} 行已经出现",
                    f"the slug '{plan.slug}' is already in row {first[plan.slug]}",
                ),
                zh_en("每个园区只占一行：合并这两行", "each park takes one row: merge the two rows"),
            )
        first.setdefault(plan.slug, plan.row)
    return kept


def _new_texts(
    root: Path,
    plans: list[_Plan],
    record: FieldMapping,
    order: list[FieldPath],
    folder: str,
    display: str,
    problems: Problems,
) -> dict[str, tuple[str, str]]:
    """slug -> (path, new text) for every entry whose values change; checked by reading it back."""
    texts = {}
    for plan in plans:
        changes = plan.changes(order)
        if not changes:
            continue
        relative = f"{folder}/{plan.slug}.md"
        original = (root / relative).read_bytes().decode("utf-8") if plan.source else None
        try:
            text = rewrite(original, record, changes)
        except RewriteError as error:
            if plan.failed:
                continue
            problems.error(
                display,
                plan.row,
                zh_en(f"{relative} 无法自动修改（{error}）", f"{relative} cannot be changed automatically ({error})"),
                zh_en(
                    "直接编辑这个文件，或从表格里删除这一行",
                    "edit that file by hand, or delete this row from the sheet",
                ),
            )
            continue
        document = _read_back(text, relative)
        written = entry_leaves(record, document.meta) if document and document.meta is not None else None
        if not plan.failed and (
            written is None
            or any(not same_value(written.get(path), plan.new.get(path)) for path in {*written, *plan.new})
        ):
            problems.error(
                display,
                plan.row,
                zh_en(f"无法安全地写入 {relative}", f"{relative} could not be written safely"),
                zh_en("请直接编辑这个文件，并报告这个问题", "edit that file by hand, and report this as a bug"),
            )
            continue
        texts[plan.slug] = (relative, text)
    return texts


def _check_site(
    root: Path,
    config: SiteConfig,
    texts: dict[str, tuple[str, str]],
    plans: list[_Plan],
    folder: str,
    display: str,
    problems: Problems,
) -> None:
    """Check the site as it would be after the import (parents, coordinates in the province, the
    events that name parks…) and report what is wrong in the changed parks at their rows.

    The check runs on a copy of content/ with the new files in place, so it sees exactly what
    `sitegen check` will see once they are written.
    """
    lines: dict[str, dict[int, int]] = {}
    by_slug = {plan.slug: plan for plan in plans}
    for slug, (relative, text) in texts.items():
        document = _read_back(text, relative)
        plan = by_slug[slug]
        if document is not None and document.meta is not None and not plan.failed:
            lines[relative] = _columns_by_line(document.meta, plan)
    found = Problems()
    with tempfile.TemporaryDirectory(prefix="sitegen-import-") as scratch:
        after = Path(scratch)
        _copy_content(root, after)
        for relative, text in texts.values():
            (after / relative).write_bytes(text.encode("utf-8"))
        validate_site(after, load_sources(after, found), config, Environment.read().today(found), found)
    rows = {f"{folder}/{plan.slug}.md": plan.row for plan in plans}
    for problem in found.errors:
        if problem.path in lines:
            column = lines[problem.path].get(problem.line or 0)
            where = column_letter(column) if column is not None else None
            problems.error(display, rows[problem.path], problem.message, problem.hint, where)


def _copy_content(root: Path, destination: Path) -> None:
    """content/'s text files, and every other file (images) as an empty one: the check only asks
    whether they exist."""
    for file in sorted((root / "content").rglob("*")):
        if not file.is_file():
            continue
        copy = destination / file.relative_to(root)
        copy.parent.mkdir(parents=True, exist_ok=True)
        if file.suffix.lower() in (".md", ".yaml", ".yml"):
            copy.write_bytes(file.read_bytes())
        else:
            copy.touch()


def _read_back(text: str, relative: str) -> Document | None:
    """The new text as `check` will read it."""
    return split_document(text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), relative, Problems())


def _columns_by_line(meta: Mapping, plan: _Plan) -> dict[int, int]:
    """Line of the new file -> first sheet column whose value is written on it."""
    found: dict[int, int] = {}
    for path, index in plan.columns.items():
        line = _line_in(meta, path)
        if line is not None and (line not in found or index < found[line]):
            found[line] = index
    return found


def _line_in(meta: Mapping, path: FieldPath) -> int | None:
    node: Any = meta
    line = None
    for part in path:
        inside_mapping = isinstance(node, Mapping) and part in node
        inside_list = isinstance(node, Sequence) and isinstance(part, int) and part < len(node)
        if inside_mapping or inside_list:
            line, node = node.line_of(part), node[part]
        else:
            return line
    return line


def _write(file: Path, text: str) -> None:
    """Replace the file in one step, so an interrupted import never leaves half a file."""
    temporary = file.with_name(f".{file.name}.import")
    temporary.write_bytes(text.encode("utf-8"))
    os.replace(temporary, file)


def _summary(
    plans: list[_Plan], texts: dict[str, tuple[str, str]], order: list[FieldPath], collection: str, dry_run: bool
) -> list[str]:
    """A line per file written; a dry run adds a line per field with its value before and after."""
    lines, created, updated = [], 0, 0
    for plan in plans:
        if plan.slug not in texts:
            continue
        relative = texts[plan.slug][0]
        changes = plan.changes(order)
        if plan.source is None:
            created += 1
            lines.append(f"{'would create' if dry_run else 'created'} {relative}")
        else:
            updated += 1
            changed = list(dict.fromkeys(header_of(path) for path, _ in changes))
            shown = ", ".join(changed[:8]) + (", …" if len(changed) > 8 else "")
            lines.append(f"{'would update' if dry_run else 'updated'} {relative}: {shown}")
        if dry_run:
            lines += [f"  {header_of(path)}: {_shown(plan.old.get(path))} → {_shown(new)}" for path, new in changes]
    unchanged = len(plans) - created - updated
    lines.append(
        f"{created} {collection[:-1]}(s) created, {updated} updated, {unchanged} unchanged"
        + ("; dry run, nothing was written" if dry_run else "")
    )
    return lines


def _shown(value: Any) -> str:
    """A value as a dry run lists it: text in quotes (so spaces show), lists joined, none as (empty)."""
    if blank_value(value):
        return "(empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(str(item) for item in value) + "]"
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:59] + "…"
        return '"' + text.replace("\n", "\\n") + '"'
    return str(value)

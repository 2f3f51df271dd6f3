"""The command line: the only place that prints reports and exits."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen import __version__
from sitegen.errors import Problems, SiteError, file_error_report, visible, zh_en
from sitegen.publish.output import OutputError, UnsafeOutput
from sitegen.render.search import SearchIndexError

if TYPE_CHECKING:
    from sitegen.editor.spreadsheet import SheetOutcome


def _site_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-s",
        "--site",
        default=".",
        metavar="SITE_DIR",
        help="folder holding content/ and themes/ (default: the current folder)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen",
        description="Build the bilingual park alliance site from Markdown and YAML.",
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser(
        "init",
        help="start a new site",
        description="Write a small working bilingual site (settings, sectors, cities, one park, event and page).",
    )
    init.add_argument("directory", nargs="?", default=".", metavar="DIR", help="where (default: the current folder)")

    build = commands.add_parser(
        "build",
        help="check the content and write the site",
        description="Check the content and write the whole site to OUTPUT_DIR.",
    )
    _site_argument(build)
    build.add_argument("-o", "--output", metavar="OUTPUT_DIR", help="where to write the site (default: SITE_DIR/build)")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")

    check = commands.add_parser(
        "check",
        help="check the content, write nothing",
        description="Check every file and report all problems; write nothing.",
    )
    _site_argument(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default), or one JSON document on stdout for other tools",
    )

    new = commands.add_parser(
        "new",
        help="start a new park, event, page, chain or project",
        description="Write a commented, bilingual skeleton for a new entry.",
    )
    new.add_argument(
        "kind", choices=("park", "event", "page", "chain", "project", "site", "policy"), help="what to create"
    )
    new.add_argument(
        "slug",
        help="file name without .md: lower-case letters, digits and hyphens (a Chinese name is turned into pinyin)",
    )
    _site_argument(new)

    serve = commands.add_parser(
        "serve",
        help="preview with live reload",
        description="Build, serve on 127.0.0.1 and rebuild and reload the browser when files change.",
    )
    _site_argument(serve)
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on, 1-65535 (default 8000)")

    export = commands.add_parser(
        "export",
        help="write every park to a spreadsheet",
        description="Write one row per park, with every front-matter field as a column, to FILE (.xlsx or .csv).",
    )
    export.add_argument("file", metavar="FILE", help="parks.xlsx, or parks.csv (UTF-8 with BOM, for Excel)")
    which = export.add_mutually_exclusive_group()
    which.add_argument("--projects", action="store_true", help="the projects instead of the parks")
    which.add_argument("--sites", action="store_true", help="the sites (land and buildings) instead of the parks")
    _site_argument(export)

    import_ = commands.add_parser(
        "import",
        help="create and update parks from a spreadsheet",
        description=(
            "Check every row of FILE (.xlsx or .csv, as written by `sitegen export`), then create and update "
            "the park files; nothing is written if any row has a problem. Bodies and fields without a column "
            "are left as they are."
        ),
    )
    import_.add_argument("file", metavar="FILE", help="parks.xlsx or parks.csv")
    import_.add_argument("--dry-run", action="store_true", help="check and list the changes, write nothing")
    which = import_.add_mutually_exclusive_group()
    which.add_argument("--projects", action="store_true", help="the sheet holds projects, not parks")
    which.add_argument("--sites", action="store_true", help="the sheet holds sites (land and buildings), not parks")
    _site_argument(import_)

    _reference_commands(commands)

    deploy = commands.add_parser(
        "deploy",
        help="upload build/ to the bucket in site.yaml",
        description=(
            "Upload the files of SITE_DIR/build that changed to the S3-compatible bucket set under deploy: in "
            "site.yaml (Aliyun OSS, Tencent COS), with their Content-Type and Cache-Control, pages after the "
            "files they use and the sitemap last; then delete the bucket's files that are no longer part of the "
            "site. The keys come from the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
        ),
    )
    _site_argument(deploy)
    deploy.add_argument("--dry-run", action="store_true", help="compare with the bucket and list what would change")
    deploy.add_argument("--no-delete", action="store_true", help="keep files in the bucket that are no longer outputs")
    return parser


def _reference_commands(commands: argparse._SubParsersAction) -> None:
    """`docs` and `theme copy`: the references and theme files of the installed sitegen, for a site."""
    docs = commands.add_parser(
        "docs",
        help="write the field and theme references into docs/",
        description=(
            "Write docs/fields.md (every field, as `sitegen check` accepts it) and docs/themes.md (every template, "
            "what it receives and every UI string, with the site's own overrides) into SITE_DIR, from the "
            "installed sitegen. Only files it wrote itself are written again."
        ),
    )
    _site_argument(docs)

    theme = commands.add_parser(
        "theme",
        help="copy a file of the default theme to override it",
        description=(
            "Copy a file of the default theme (a template, i18n.yaml or a static file) into the site's "
            "themes/<name>/ folder, where the copy overrides it. Never overwrites."
        ),
    )
    theme.add_argument("action", choices=("copy",), help="what to do")
    theme.add_argument(
        "file", metavar="FILE", help="path inside the theme: templates/park.html, i18n.yaml, static/css/site.css"
    )
    _site_argument(theme)


def _port(text: str) -> int:
    """A TCP port: argparse turns the ValueError into a usage error (exit 2) with this wording."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (1-65535)") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number: use 1-65535, e.g. --port 8000")
    return port


def _print_problems(problems: Problems, root: Path | None = None) -> None:
    """Problems grouped by file on stderr; on GitHub Actions also as annotations on stdout."""
    from sitegen.editor.report import format_github, format_text, on_github_actions

    report = format_text(problems)
    if report:
        print(report, file=sys.stderr)
    if root is not None and problems.items and on_github_actions():
        print(format_github(problems, root))


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a name no encoding can show is escaped, never a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    arguments = _parser().parse_args(argv)
    root = Path(getattr(arguments, "site", "."))
    try:
        return _run(arguments, root)
    except SiteError as error:
        _print_problems(error.problems, root)
        errors, warnings = len(error.problems.errors), len(error.problems.warnings)
        print(f"failed: {errors} error(s), {warnings} warning(s); nothing was written", file=sys.stderr)
        return 1
    except OutputError as error:
        print(error, file=sys.stderr)
        print(f"  hint: {error.hint}", file=sys.stderr)
        return 1
    except UnsafeOutput as error:
        print(f"refusing to write there: {visible(str(error))}", file=sys.stderr)
        print("  hint: choose an empty folder or the site's build/ folder for -o", file=sys.stderr)
        return 1
    except SearchIndexError as error:
        print(f"the search index could not be built; nothing was written: {error}", file=sys.stderr)
        print('  hint: reinstall the search tool: pip install "pagefind-bin>=1.3,<1.6"', file=sys.stderr)
        return 1
    except OSError as error:
        print(file_error_report(error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception:  # noqa: BLE001 (the last guard: whatever nobody foresaw, never a traceback)
        log = write_error_log(root, traceback.format_exc())
        print(internal_error_line(log), file=sys.stderr)
        return 1


ERROR_LOG = ".sitegen-cache/last-error.log"


def write_error_log(root: Path, details: str) -> Path | None:
    """Keep the traceback for a bug report: in the site's cache folder, else the temporary folder."""
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    text = _without_keys(f"sitegen {__version__}, {stamp}, {' '.join(sys.argv)}\n\n{details}")
    for file in (root / ERROR_LOG, Path(tempfile.gettempdir()) / "sitegen-last-error.log"):
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(text, encoding="utf-8", errors="backslashreplace")
            return file
        except OSError:
            continue
    return None


SECRET_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
"""Environment variables whose values never go into a log that may be sent to anyone."""


def _without_keys(text: str) -> str:
    for name in SECRET_VARIABLES:
        for value in {os.environ.get(name, ""), os.environ.get(name, "").strip()}:
            if len(value) >= 4:
                text = text.replace(value, f"[{name}]")
    return text


def internal_error_line(log: Path | None) -> str:
    """One short line for an error in sitegen itself, in both languages, naming the log to send."""
    if log is None:
        return "sitegen 内部错误，请报告给维护者 / internal error in sitegen, please report it (no log was written)"
    return (
        f"sitegen 内部错误，请把 {log} 发给维护者 / "
        f"internal error in sitegen, please report it with the details in {log}"
    )


def _run(arguments: argparse.Namespace, root: Path) -> int:
    if arguments.command == "build":
        from sitegen.build import build

        output = Path(arguments.output) if arguments.output else root / "build"
        result = build(root, output, strict=arguments.strict, on_wait=_say_waiting)
        _print_problems(Problems(list(result.warnings)), root)
        for notice in result.notices:
            print(notice, file=sys.stderr)
        print(result.summary())
        return 0
    if arguments.command == "check":
        return _check(root, arguments.strict, arguments.format)
    if arguments.command == "export":
        from sitegen.editor.spreadsheet import export_sheet

        return _report_sheet(export_sheet(root, Path(arguments.file), _sheet_collection(arguments)))
    if arguments.command == "import":
        from sitegen.editor.sheet_import import import_sheet

        return _report_sheet(
            import_sheet(root, Path(arguments.file), dry_run=arguments.dry_run, collection=_sheet_collection(arguments))
        )
    if arguments.command == "init":
        from sitegen.editor.skeleton import create_site

        return create_site(Path(arguments.directory))
    if arguments.command == "new":
        from sitegen.editor.skeleton import create_entry

        return create_entry(root, arguments.kind, arguments.slug)
    if arguments.command == "deploy":
        return _deploy(root, dry_run=arguments.dry_run, delete=not arguments.no_delete)
    if arguments.command == "docs":
        from sitegen.editor.site_docs import write_docs

        return write_docs(root)
    if arguments.command == "theme":
        from sitegen.editor.theme_files import copy_theme_file

        return copy_theme_file(root, arguments.file)
    from sitegen.preview.server import serve

    return serve(root, arguments.port, lambda details: internal_error_line(write_error_log(root, details)))


def _say_waiting(holder: str) -> None:
    print(f"waiting for another build of this site to finish ({holder}) ...", file=sys.stderr, flush=True)


def _deploy(root: Path, dry_run: bool, delete: bool) -> int:
    """`deploy`: the bucket from site.yaml, the keys from the environment, build/ as it is."""
    from sitegen.content.config import load_config
    from sitegen.publish.deploy import Credentials, DeployError, deploy, describe, required_settings

    problems = Problems()
    config = load_config(root, problems)
    if config is None or problems.errors:
        raise SiteError(problems)
    try:
        settings = required_settings(config.deploy)
        credentials = Credentials.from_environment()
        _refuse_outdated_build(root)
        outcome = deploy(root / "build", settings, credentials, dry_run=dry_run, delete=delete)
    except DeployError as error:
        print(f"deploy failed: {error.message}", file=sys.stderr)
        print(f"  hint: {error.hint}", file=sys.stderr)
        if error.not_uploaded:
            print(f"not uploaded ({len(error.not_uploaded)} file(s)); nothing was deleted:", file=sys.stderr)
            for path in error.not_uploaded:
                print(f"  {path}", file=sys.stderr)
        return 1
    for line in describe(outcome, settings, dry_run):
        print(line)
    return 0


def _refuse_outdated_build(root: Path) -> None:
    """A deploy sends build/ as it is: one built before the last edits would publish the old
    site without a word. What `build` finds up to date is current; without a record of how
    build/ was made (copied from another machine or job) it is sent with a warning."""
    from sitegen.build import Pipeline
    from sitegen.publish.deploy import DeployError
    from sitegen.publish.store import DiskStore

    output = root / "build"
    if not (output / "index.html").is_file():
        return  # the deploy says there is no site to send
    current = Pipeline(root, DiskStore(root, output)).is_current()
    if current is None:
        print(
            "warning: "
            + zh_en(
                "没有 build/ 的构建记录（.sitegen-cache/），无法确认它是按现在的内容构建的",
                "there is no record of how build/ was built (.sitegen-cache/), so it cannot be "
                "checked against the content",
            ),
            file=sys.stderr,
        )
    elif not current:
        raise DeployError(
            zh_en(
                "build/ 不是按现在的内容、主题和设置构建的，没有上传任何文件",
                "build/ was not built from the current content, theme and settings; nothing was sent",
            ),
            zh_en(
                "先运行 `sitegen build`，再运行 `sitegen deploy`；两者要用同样的 SITEGEN_BASE_URL、"
                "SITEGEN_TIANDITU_KEY 和 SOURCE_DATE_EPOCH，并在同一天（北京时间）运行",
                "run `sitegen build`, then `sitegen deploy`, both with the same SITEGEN_BASE_URL, "
                "SITEGEN_TIANDITU_KEY and SOURCE_DATE_EPOCH, on the same day (Beijing time)",
            ),
        )


def _check(root: Path, strict: bool, output_format: str) -> int:
    """`check`: the site's problems plus the translation report; exit 1 when they are fatal."""
    from sitegen.build import check
    from sitegen.editor.report import format_github, format_json, load_translation_report, on_github_actions

    try:
        problems = check(root, strict=strict)
    except SiteError as error:
        problems = error.problems
    translation = load_translation_report(root)
    failed = problems.is_fatal(strict)
    if output_format == "json":
        print(format_json(problems, strict, translation))
        if problems.items and on_github_actions():
            print(format_github(problems, root), file=sys.stderr)
        return 1 if failed else 0
    _print_problems(problems, root)
    if failed:
        errors, warnings = len(problems.errors), len(problems.warnings)
        print(f"failed: {errors} error(s), {warnings} warning(s); nothing was written", file=sys.stderr)
        print(translation.summary(), file=sys.stderr)
        return 1
    print(f"ok: {len(problems.warnings)} warning(s)")
    print(translation.summary())
    return 0


def _sheet_collection(arguments: argparse.Namespace) -> str:
    return "projects" if arguments.projects else "sites" if arguments.sites else "parks"


def _report_sheet(outcome: SheetOutcome) -> int:
    """Print what an export or import did, or every problem that stopped it."""
    if outcome.problems.errors:
        _print_problems(outcome.problems)
        print(f"failed: {len(outcome.problems.errors)} error(s); nothing was written", file=sys.stderr)
        return 1
    _print_problems(outcome.problems)
    for line in outcome.done:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

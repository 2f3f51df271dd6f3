"""The command line: the only place that prints reports and exits."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sitegen.errors import Problems, SiteError
from sitegen.write import UnsafeOutput


def _site_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-s", "--site", default=".", metavar="SITE_DIR",
        help="folder holding content/ and themes/ (default: the current folder)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen",
        description="Build the bilingual park alliance site from Markdown and YAML.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

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

    new = commands.add_parser(
        "new",
        help="start a new park, event or page",
        description="Write a commented, bilingual skeleton for a new entry.",
    )
    new.add_argument("kind", choices=("park", "event", "page"), help="what to create")
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
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    return parser


def _print_problems(problems: Problems) -> None:
    report = problems.report()
    if report:
        print(report, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    root = Path(arguments.site)
    try:
        return _run(arguments, root)
    except SiteError as error:
        _print_problems(error.problems)
        errors, warnings = len(error.problems.errors), len(error.problems.warnings)
        print(f"failed: {errors} error(s), {warnings} warning(s); nothing was written", file=sys.stderr)
        return 1
    except UnsafeOutput as error:
        print(f"refusing to write there: {error}", file=sys.stderr)
        print("  hint: choose an empty folder or the site's build/ folder for -o", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"could not read or write {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        print("  hint: check that the folder exists and that you may write to it", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _run(arguments: argparse.Namespace, root: Path) -> int:
    if arguments.command == "build":
        from sitegen.build import build

        output = Path(arguments.output) if arguments.output else root / "build"
        result = build(root, output, strict=arguments.strict)
        _print_problems(Problems(list(result.warnings)))
        print(result.summary())
        return 0
    if arguments.command == "check":
        from sitegen.build import check

        problems = check(root, strict=arguments.strict)
        _print_problems(problems)
        print(f"ok: {len(problems.warnings)} warning(s)")
        return 0
    if arguments.command == "new":
        from sitegen.skeleton import create_entry

        return create_entry(root, arguments.kind, arguments.slug)
    from sitegen.serve import serve

    return serve(root, arguments.port)


if __name__ == "__main__":
    sys.exit(main())

"""`sitegen serve`: a preview that rebuilds on every save, reloads the browser, and shows the
problems in the browser while the content is broken.

It builds into a private folder, never into `build/`, so a preview never touches what CI publishes.
"""

from __future__ import annotations

import html
import mimetypes
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from sitegen.build import build
from sitegen.errors import Problems, SiteError

_EDITOR_LITTER = (".swp", ".swx", ".tmp", ".bak", "~", ".crdownload")


def is_editor_litter(path: str) -> bool:
    """Swap, backup and temporary files that editors write beside the real one."""
    name = Path(path).name
    return name.startswith((".", "#", "~$")) or name.endswith(_EDITOR_LITTER) or name == "4913"


class Preview:
    """The outcome of the latest build: a folder to serve, or the problems to show instead."""

    def __init__(self, root: Path, output: Path) -> None:
        self.root = root
        self.output = output
        self.problems: Problems | None = None

    def rebuild(self) -> None:
        try:
            result = build(self.root, self.output)
        except SiteError as error:
            self.problems = error.problems
            print(error.problems.report(), flush=True)
            print(f"failed: {len(error.problems.errors)} error(s); the browser shows them", flush=True)
            return
        self.problems = None
        warnings = Problems(list(result.warnings)).report()
        if warnings:
            print(warnings, flush=True)
        print(result.summary(), flush=True)

    def app(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """A WSGI app serving the built files, or the error page while the last build failed."""
        path = environ.get("PATH_INFO", "/")
        head_only = environ.get("REQUEST_METHOD") == "HEAD"
        file = self._resolve(path)
        wants_page = file is None or file.suffix == ".html"
        if self.problems is not None and wants_page:
            page = error_page(self.problems)
            return _respond(start_response, "500 Internal Server Error", "text/html; charset=utf-8", page, head_only)
        if file is None:
            not_found = self.output / "404.html"
            body = not_found.read_bytes() if not_found.is_file() else b"<!doctype html><title>404</title><h1>404</h1>"
            return _respond(start_response, "404 Not Found", "text/html; charset=utf-8", body, head_only)
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/javascript", "image/svg+xml"):
            content_type += "; charset=utf-8"
        return _respond(start_response, "200 OK", content_type, file.read_bytes(), head_only)

    def _resolve(self, url_path: str) -> Path | None:
        relative = url_path.lstrip("/")
        candidate = (self.output / relative).resolve()
        if not candidate.is_relative_to(self.output.resolve()):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None


def _respond(
    start_response: Callable, status: str, content_type: str, body: bytes, head_only: bool = False
) -> list[bytes]:
    headers = [("Content-Type", content_type), ("Cache-Control", "no-store")]
    if not head_only:
        headers.append(("Content-Length", str(len(body))))
    start_response(status, headers)
    return [] if head_only else [body]


def error_page(problems: Problems) -> bytes:
    """The problems as a page; once they are fixed the live-reload script brings the site back."""
    items = "".join(
        "<li><p><code>{where}</code></p><p>{message}</p>{hint}</li>".format(
            where=html.escape(f"{problem.path}:{problem.line}" if problem.line else problem.path),
            message=html.escape(problem.message),
            hint=f"<p class=hint>hint: {html.escape(problem.hint)}</p>" if problem.hint else "",
        )
        for problem in problems.sorted()
    )
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>内容有错误 / The content has problems</title>
<style>body{{font:17px/1.7 -apple-system,"Segoe UI","Microsoft YaHei",sans-serif;
max-width:50rem;margin:2rem auto;padding:0 1rem;color:#1d2327}}
li{{border-left:4px solid #b3261e;padding:.25rem 1rem;margin:1rem 0;background:#fdf3f2;list-style:none}}
ul{{padding:0}}code{{font-weight:700}}.hint{{color:#0b5cab}}p{{margin:.25rem 0}}</style>
</head><body>
<h1>内容有错误，网站没有更新 / The content has problems; the site was not rebuilt</h1>
<p>改正下面的问题并保存，这个页面会自动刷新。 / Fix these and save: this page reloads by itself.</p>
<ul>{items}</ul>
</body></html>""".encode()


def serve(root: Path, port: int) -> int:
    from livereload import Server

    output = Path(tempfile.mkdtemp(prefix="sitegen-preview-")) / "site"
    preview = Preview(root, output)
    preview.rebuild()
    server = Server(app=preview.app)
    for folder in ("content", "themes"):
        server.watch(str(root / folder), preview.rebuild, ignore=is_editor_litter)
    print(f"preview: http://127.0.0.1:{port}/  (Ctrl+C to stop)", flush=True)
    try:
        server.serve(port=port, host="127.0.0.1", debug=False, restart_delay=0)
    finally:
        shutil.rmtree(output.parent, ignore_errors=True)
    return 0

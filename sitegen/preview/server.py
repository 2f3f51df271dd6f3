"""`sitegen serve`: a preview that runs the build pipeline on every save, reloads the browser,
and shows the problems in the browser while the content is broken.

It builds into a private folder, never into `build/`, so a preview never touches what CI publishes.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import html
import json
import mimetypes
import os
import posixpath
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING
from urllib.parse import unquote_to_bytes, urlsplit

import watchfiles
from livereload.handlers import LiveReloadHandler
from tornado.ioloop import IOLoop
from tornado.websocket import WebSocketClosedError

from sitegen import IMPORTED_AT
from sitegen.build import BuildResult, Pipeline
from sitegen.content.sources import is_editor_litter as is_litter_name
from sitegen.errors import SAVE_AGAIN, Problem, Problems, Severity, SiteError, file_error_report, zh_en
from sitegen.publish.cache import BuildCache
from sitegen.publish.store import MemoryStore

if TYPE_CHECKING:
    from sitegen.preview.cms_backend import EditorBackend

_EDITOR_API = "/api/v1"
"""Where the browser editor at /admin/ reads and saves (Decap CMS's proxy protocol)."""


def is_editor_litter(path: str) -> bool:
    """Whether a saved file is editor litter (`sitegen.content.sources.is_editor_litter`)."""
    return is_litter_name(Path(path).name)


class Preview:
    """The preview's pipeline and its latest outcome: a folder to serve, or problems to show."""

    def __init__(
        self,
        root: Path,
        output: Path,
        on_internal_error: Callable[[str], str] | None = None,
        stopping: threading.Event | None = None,
    ) -> None:
        """`stopping` is set when a stop signal arrives (`serve`)."""
        self._store = MemoryStore(output, BuildCache(root))
        self.pipeline = Pipeline(root, self._store)
        self.root = root
        self.output = output
        self._editor: EditorBackend | None = None
        self._lock = threading.Lock()  # one run, or one step of late work, at a time
        self._completing = threading.Lock()  # one late work at a time
        self._on_internal_error = on_internal_error
        self._stopping = stopping or threading.Event()
        self._closed = False
        self._late_problems: Problems | None = None
        self.browsers = Browsers()

    @property
    def problems(self) -> Problems | None:
        """What the browser shows instead of the site: the last run's errors, or those of the
        late work (a broken brochure template, which `sitegen build` refuses too) until late
        work is published again."""
        return self.pipeline.problems or self._late_problems

    def complete(self) -> bool:
        """The brochures, downloads and search index that the last runs owe, after the browsers
        were told to reload; whether the pages said they were coming (`MemoryStore.pending`),
        and so must reload. What is drawn from templates is drawn under the preview's lock;
        the printing and indexing are done outside it, so that a save does not wait for them.
        A save that publishes meanwhile makes them out of date, and they are made again after
        it, with what it owes."""
        with self._completing:
            with self._lock:
                if self._closed:
                    return False
                announced = self._store.pending
                try:
                    late = self._store.take_late()
                except Exception as error:  # noqa: BLE001 (reported; tried again after the next save)
                    return self._failed(error, announced)
            if late is None:
                return False
            try:
                made = self._store.make_late(late)
            # A printing process that Ctrl+C stopped passes its KeyboardInterrupt on: a failure here.
            except (Exception, KeyboardInterrupt) as error:  # noqa: BLE001 (reported; tried again after the next save)
                with self._lock:
                    self._store.give_back(late, failed=True)
                return self._failed(error, announced)
            with self._lock:
                if self._closed:
                    return False
                try:
                    notices = self._store.publish_late(late, made)
                except Exception as error:  # noqa: BLE001 (reported; the next run draws what it must)
                    return self._failed(error, announced)
                if notices is None:
                    return False
                everything = late.owed.everything or self._late_problems is not None
                self._late_problems = None
                del late, made  # reference cycles: collect them rather than freeze them
                if everything:
                    self._store.settle()
        for notice in notices:
            print(notice, flush=True)
        # The cycles of the last save's run, collected while the editor reads the page rather
        # than in the middle of the next save's run (Pipeline.run seldom collects).
        gc.collect()
        return everything

    def _failed(self, error: BaseException, announced: bool) -> bool:
        """Report a failure of the late work: the site's problems, which the browser then shows
        too, or a bug in sitegen with its details. Whether the browsers must reload: to show
        the problems, or to drop the pages' promise that the work was coming. Nothing is said
        while the preview stops: the Ctrl+C that stops it stops Pagefind and the printing too."""
        if self._stopping.wait(_STOP_ARRIVES_S if isinstance(error, KeyboardInterrupt) else 0):
            return False
        if isinstance(error, SiteError):
            print(error.problems.report(), flush=True)
            self._late_problems = error.problems
            return True
        if isinstance(error, OSError):  # a full disk, a folder made read-only: not a bug to report
            print(file_error_report(error, SAVE_AGAIN), flush=True)
            return announced
        details = "".join(traceback.format_exception(error))
        print(self._on_internal_error(details) if self._on_internal_error else details, flush=True)
        return announced

    def rebuild(
        self,
        changed: Iterable[Path] | None = None,
        shown: frozenset[str] = frozenset(),
        on_shown_written: Callable[[frozenset[str]], None] = lambda pages: None,
    ) -> BuildResult | None:
        """Run the pipeline for `changed` (everything when None) and say in the terminal what went
        wrong; the result, or None when the build failed or the preview is closing. Of the pages
        it draws, those among `shown` (files the browsers show) are written first, and then
        `on_shown_written` is told which they were."""
        with self._lock:
            if self._closed:
                return None
            self._store.show_first(shown, on_shown_written)
            try:
                return self.pipeline.run(None if changed is None else set(changed))
            except SiteError as error:
                print(error.problems.report(), flush=True)
                print(f"failed: {len(error.problems.errors)} error(s); the browser shows them", flush=True)
            except OSError as error:  # a full disk, a folder made read-only: not a bug to report
                print(file_error_report(error, SAVE_AGAIN), flush=True)
                print(zh_en("预览可能只显示了这次保存的一部分", "the preview may show this save in part"), flush=True)
            except Exception:  # noqa: BLE001 (a bug in sitegen must not stop the preview)
                # The pipeline's problems are left as they were, so the last good site stays served.
                details = traceback.format_exc()
                line = self._on_internal_error(details) if self._on_internal_error else details
                print(f"{line}\nthe preview keeps showing the last good site", flush=True)
            return None

    def watching(self) -> None:
        """The watcher of saves starts: those made since the last run were seen by nobody, so
        the next run looks at every file. Not under the lock, which the first build's late work
        may hold for seconds while it draws the brochures, and saves would go unwatched."""
        self.pipeline.store.note_saves(None)

    def rebuild_saved(self, changed: set[Path] | None) -> None:
        """Rebuild after a save (None: saves that may have been anywhere), reload the browsers,
        and say how long that took."""
        started = time.perf_counter()
        browsers = self.browsers
        browsers.next_save()
        result = self.rebuild(changed, browsers.pages(), browsers.reload_showing)
        browsers.reload_others(everyone=result is None)
        if result is not None:
            milliseconds = (time.perf_counter() - started) * 1000
            print(f"rebuilt: {result.written} changed files of {result.files}, {milliseconds:.0f} ms", flush=True)

    def close(self) -> None:
        """Let a build or late work under way end, and start no other: the preview's folder is
        about to go. What it read and drew is left in the site's cache folder for the next start."""
        deadline = time.monotonic() + _LONGEST_WAIT_ON_CLOSE_S
        completing = self._completing.acquire(timeout=_LONGEST_WAIT_ON_CLOSE_S)
        acquired = self._lock.acquire(timeout=max(0.0, deadline - time.monotonic()))
        self._closed = True
        try:
            if acquired and completing:  # late work still under way may be changing the caches
                self._store.leave_caches()
        finally:
            if acquired:
                self._lock.release()
            if completing:
                self._completing.release()

    def app(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """A WSGI app serving the built files, or the error page while the last build failed."""
        head_only = environ.get("REQUEST_METHOD") == "HEAD"
        path = request_path(environ.get("PATH_INFO", "/"))
        if path is None:
            body = b"400: this address cannot name a file of the site"
            return _respond(start_response, "400 Bad Request", "text/plain; charset=utf-8", body, head_only)
        if path == _EDITOR_API or path == "/admin" or path.startswith("/admin/"):
            return self._editor_answer(environ, start_response)
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
        try:
            body = file.read_bytes()
        except OSError:  # removed by a rebuild between finding and reading it
            return _respond(start_response, "404 Not Found", "text/plain; charset=utf-8", b"404", head_only)
        if file.suffix == ".html":
            if not head_only:
                self.browsers.sent(served_file(path))
            if self.pipeline.store.pending:
                body = body.replace(b"</body>", _PREPARING + b"</body>", 1)
        return _respond_file(environ, start_response, content_type, body, head_only)

    def _editor_answer(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """The browser editor (sitegen.preview.cms_backend), loaded on its first request so that
        the preview starts as fast without it."""
        if self._editor is None:
            from sitegen.preview.cms_backend import EditorBackend

            self._editor = EditorBackend(self.root, self._on_internal_error)
        answer = self._editor.answer(environ, start_response)
        return answer if answer is not None else []

    def _resolve(self, url_path: str) -> Path | None:
        relative = url_path.lstrip("/")
        try:
            candidate = (self.output / relative).resolve()
            if not candidate.is_relative_to(self.output.resolve()):
                return None
            if candidate.is_dir():
                candidate = candidate / "index.html"
            return candidate if candidate.is_file() else None
        except OSError:  # a name too long, or one the file system cannot hold: no such file
            return None


_PREPARING = (
    '<p role="status" style="position:fixed;left:0;right:0;bottom:0;margin:0;padding:.5rem 1rem;'
    'background:#fff8e1;border-top:2px solid #f0b400;font:15px/1.5 sans-serif;color:#1d2327;z-index:10000">'
    "预览：PDF 简介、搜索和下载文件正在生成，完成后页面会自动刷新。 / Preview: brochures, search and downloads"
    " are being prepared; this page reloads when they are ready.</p>"
).encode()
"""Shown at the foot of preview pages until the last run's brochures, search index and
downloads are written; only served, never written into the preview's folder."""


_LONGEST_PATH = 1024
"""Bytes of a request path; the site's own longest is far shorter, and file systems stop at 4096."""
_UNFIT_IN_PATH = re.compile(r"[\x00-\x1f\x7f\\]")


def request_path(path_info: str) -> str | None:
    """The path a browser asked for, as text; None when it cannot name a file of the site.

    WSGI hands the path over as bytes in Latin-1 clothing; what the site holds is UTF-8. Control
    characters (a NUL stops the file system), backslashes (a Windows separator), `..` segments and
    overlong paths never name one of our files, so they are refused before the disk is asked.
    """
    try:
        path = path_info.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return None
    if len(path_info) > _LONGEST_PATH or _UNFIT_IN_PATH.search(path) or ".." in path.split("/"):
        return None
    return path


def _respond(
    start_response: Callable,
    status: str,
    content_type: str,
    body: bytes,
    head_only: bool = False,
    cache_headers: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    headers = [("Content-Type", content_type), *(cache_headers or [("Cache-Control", "no-store")])]
    if not head_only:
        headers.append(("Content-Length", str(len(body))))
    start_response(status, headers)
    return [] if head_only else [body]


_KEPT_UNTIL_CHANGED = "max-age=31536000, immutable"
"""A theme file asked for with the `?v=` its content hashes to: a changed file gets a new link."""
_ASK_EACH_TIME = "no-cache"
"""Anything else: the browser keeps it, but asks each time whether it is still the same."""
_VERSION_QUERY = re.compile(r"v=([0-9a-f]{6,64})")
_QUOTED = re.compile(r'"[^"]*"')


def _respond_file(
    environ: dict, start_response: Callable, content_type: str, body: bytes, head_only: bool
) -> list[bytes]:
    """A file of the site that the browser may keep. A reload after a save then fetches the page
    and, for each stylesheet, script and image, at most a "not modified" answer, instead of all
    of them again: most of a save's wait was the browser's."""
    digest = hashlib.sha256(body).hexdigest()
    tag = f'"{digest[:32]}"'
    version = _VERSION_QUERY.fullmatch(environ.get("QUERY_STRING", ""))
    kept = version is not None and digest.startswith(version[1])
    cache_headers = [("Cache-Control", _KEPT_UNTIL_CHANGED if kept else _ASK_EACH_TIME), ("ETag", tag)]
    if tag in _QUOTED.findall(environ.get("HTTP_IF_NONE_MATCH", "")):
        start_response("304 Not Modified", cache_headers)
        return []
    return _respond(start_response, "200 OK", content_type, body, head_only, cache_headers)


def error_page(problems: Problems) -> bytes:
    """The problems as a page; once they are fixed the live-reload script brings the site back.

    Errors stop the preview and come first, in red; warnings never stop it, so they stand apart
    in amber, and the page says the site was not updated only when there is an error.
    """
    errors = [problem for problem in problems.sorted() if problem.severity is Severity.ERROR]
    warnings = [problem for problem in problems.sorted() if problem.severity is Severity.WARNING]
    parts = []
    if errors:
        parts.append(
            "<h1>内容有错误，网站没有更新 / The content has errors; the site was not updated</h1>\n"
            "<p>改正下面的错误并保存，这个页面会自动刷新。 / "
            "Fix these errors and save: this page reloads by itself.</p>\n"
            f"<ul class=errors>{_problem_items(errors)}</ul>"
        )
    if warnings:
        parts.append(
            "<h2>提醒：不影响预览，发布前请处理 / "
            "Warnings: they do not stop the preview; see to them before publishing</h2>\n"
            f"<ul class=warnings>{_problem_items(warnings)}</ul>"
        )
    title = "内容有错误 / The content has errors" if errors else "提醒 / Warnings"
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font:17px/1.7 -apple-system,"Segoe UI","Microsoft YaHei",sans-serif;
max-width:50rem;margin:2rem auto;padding:0 1rem;color:#1d2327;overflow-wrap:anywhere}}
h1{{font-size:1.6rem;color:#8c1d18}}h2{{font-size:1.25rem;color:#6d4c00;margin-top:2.5rem}}
li{{border-left:4px solid;padding:.25rem 1rem;margin:1rem 0;list-style:none}}
.errors li{{border-color:#b3261e;background:#fdf3f2}}.warnings li{{border-color:#c77c02;background:#fff8e6}}
ul{{padding:0}}.where{{font-weight:700}}.hint{{color:#0b5cab}}p{{margin:.25rem 0}}
code{{font-family:ui-monospace,Consolas,monospace;font-size:.9em;background:#0000000d;
padding:0 .2em;border-radius:3px}}</style>
</head><body>
{"".join(parts)}
</body></html>""".encode()


def _problem_items(problems: list[Problem]) -> str:
    return "".join(
        "<li><p class=where><code>{where}</code></p><p>{message}</p>{hint}</li>".format(
            where=html.escape(problem.where()),
            message=_with_code(problem.message),
            hint=f"<p class=hint>hint: {_with_code(problem.hint)}</p>" if problem.hint else "",
        )
        for problem in problems
    )


_QUOTED_CODE = re.compile(r"`([^`\n]+)`")


def _with_code(text: str) -> str:
    """`text` escaped for HTML, with what messages quote in backticks (`sitegen build`) as code."""
    return _QUOTED_CODE.sub(r"<code>\1</code>", html.escape(text))


_AFTER_RELOAD_S = 0.5


_LONGEST_WAIT_FOR_A_BROWSER_S = 5.0
_BROWSER_CHECK_S = 0.05


class _Connection(LiveReloadHandler):
    """livereload's connection to a browser, which also keeps the page the browser shows: its
    livereload.js names the page's address when it connects."""

    browsers: Browsers | None = None
    """The preview's, told of each browser that names its page."""
    page: str | None = None
    """The file of the preview's folder that the browser shows (parks/x/index.html)."""
    told: int = 0
    """The save whose early reload reloaded this browser."""
    fresh: int = 0
    """The save whose early reload came before this browser fetched its page."""

    def on_message(self, message: str | bytes) -> None:
        super().on_message(message)
        with suppress(ValueError, AttributeError):
            said = json.loads(message)
            if said.get("command") == "info" and isinstance(said.get("url"), str):
                self.page = page_file(urlsplit(said["url"]).path)
                if self.browsers is not None:
                    self.browsers.connected(self)


class Browsers:
    """Reloads the browsers after a save: a browser whose page the run has just written reloads
    at once, while the run draws the other pages that the save changes (lists, the map, the
    sectors' and city's pages), and every other browser when the run ends; none twice. What
    the connections and the pages sent are is known in the server's event loop, where the
    watcher's thread asks for the reloads to be done.

    A browser that connects after the early reload, on a page written then, needs no reload at
    the run's end only if it fetched that page after it was written: each page sent since the
    early reload excuses one such connection."""

    def __init__(self) -> None:
        self._loop: IOLoop | None = None
        self._save = 0
        self._early_save = 0
        self._early: frozenset[str] = frozenset()
        self._sent_since_early: dict[str, int] = {}

    def start(self, loop: IOLoop) -> None:
        """Once the server runs: the event loop that holds the connections."""
        self._loop = loop

    def pages(self) -> frozenset[str]:
        """The pages the browsers show now (read from the watcher's thread)."""
        return frozenset(page for connection in tuple(LiveReloadHandler.waiters) if (page := connection.page))

    def next_save(self) -> None:
        self._save += 1

    def sent(self, page: str) -> None:
        """In the event loop: a page went to a browser."""
        if page in self._early:
            self._sent_since_early[page] = self._sent_since_early.get(page, 0) + 1

    def connected(self, connection: _Connection) -> None:
        """In the event loop: a browser named its page."""
        if self._sent_since_early.get(connection.page or "", 0) > 0:
            self._sent_since_early[connection.page or ""] -= 1
            connection.fresh = self._early_save

    def reload_showing(self, pages: frozenset[str]) -> None:
        """From any thread: reload the browsers that show one of `pages`, just written."""
        if self._loop is not None:
            self._loop.add_callback(self._reload_showing, self._save, pages)

    def reload_others(self, everyone: bool = False) -> None:
        """From any thread, once the run ends: reload every browser that has not reloaded since
        this save's pages were written (`everyone`: all, as when the run failed). A page
        between a reload and its new connection hears nothing and would go on showing what it
        fetched before the run (a save during the first build's downloads was lost so): while
        no browser is connected, the message waits up to 5 s for the first to connect."""
        if self._loop is not None:
            deadline = time.monotonic() + _LONGEST_WAIT_FOR_A_BROWSER_S
            self._loop.add_callback(self._reload_others, self._save, everyone, deadline)

    def _reload_showing(self, save: int, pages: frozenset[str]) -> None:
        self._early_save, self._early, self._sent_since_early = save, pages, {}
        for connection in tuple(LiveReloadHandler.waiters):
            if connection.page in pages:
                connection.told = save
                _send_reload(connection)

    def _reload_others(self, save: int, everyone: bool, deadline: float) -> None:
        if not LiveReloadHandler.waiters and time.monotonic() < deadline and self._loop is not None:
            self._loop.call_later(_BROWSER_CHECK_S, self._reload_others, save, everyone, deadline)
            return
        for connection in tuple(LiveReloadHandler.waiters):
            if everyone or save not in (connection.told, connection.fresh):
                _send_reload(connection)


def _send_reload(connection: LiveReloadHandler) -> None:
    """livereload's message to reload the whole page, to one browser."""
    message = {"command": "reload", "path": "*", "liveCSS": _Connection.live_css, "liveImg": True}
    try:
        connection.write_message(message)
    except WebSocketClosedError:
        LiveReloadHandler.waiters.discard(connection)


def page_file(url_path: str) -> str | None:
    """The file of the site that a page's address (percent-encoded) serves."""
    path = request_path(unquote_to_bytes(url_path).decode("latin-1"))  # as WSGI hands it over
    return None if path is None else served_file(path)


def served_file(path: str) -> str:
    """The file of the site that a request's path serves, as `Preview.app` finds it."""
    relative = path.lstrip("/")
    if relative == "" or relative.endswith("/"):
        return relative + "index.html"
    return relative if posixpath.splitext(relative)[1] else relative + "/index.html"


_MANY_CHANGES = 1000
"""Changes in one batch from which the run looks at every file rather than at those named: a
checkout or an unpacked archive names thousands of files, and may overflow the kernel's queue
of events, whose lost events name nothing. A guard for the largest bursts, not a guarantee."""


class _ChangeWatcher:
    """livereload's watcher, driven by file-system events (watchfiles) instead of polling.

    livereload polls every 0.8 s and ignores a second save within 3 s; here a save starts the
    rebuild at once (after 50 ms of quiet, so an editor's burst of writes is one change), and
    the browsers reload as their pages are written (`Browsers`). Half a second later the late
    work follows (`Preview.complete`), and the browsers reload again only if their pages said
    it was coming.
    """

    def __init__(
        self,
        root: Path,
        browsers: Browsers,
        on_change: Callable[[set[Path] | None], None],
        after_reload: Callable[[], bool],
        on_listening: Callable[[], None],
        on_watching: Callable[[], None],
    ) -> None:
        # Not the whole site folder: it may hold build/ and a virtual environment, thousands of
        # folders to watch. A themes/ folder made during the session needs a restart of serve.
        self._folders = [str(folder) for folder in (root / "content", root / "themes") if folder.is_dir()]
        self._browsers = browsers
        self._after_reload = after_reload  # True: the pages said the late work was coming
        self._on_listening = on_listening
        self._on_watching = on_watching
        self._on_change = on_change
        self._stop = threading.Event()
        self._tasks = {"content and themes": True}  # livereload watches the whole folder when this is empty
        self._changes: list = []
        self.filepath = None

    def watch(self, *_: object, **__: object) -> None:
        """livereload's API; the folders are fixed."""

    def examine(self) -> tuple[None, None]:
        return None, None

    def start(self, callback: Callable[[], None]) -> bool:
        """Run in livereload's event loop, once the server listens: say so, complete the first
        build in the background, then watch. Returns True so livereload does not poll."""
        self._on_listening()
        self._browsers.start(IOLoop.current())
        threading.Thread(target=self._complete, daemon=True).start()
        threading.Thread(target=self._run, daemon=True).start()
        return True

    def _complete(self) -> None:
        """The runs' brochures, downloads and search index; the pages that said they were
        coming are reloaded."""
        if self._after_reload():
            self._browsers.reload_others(everyone=True)

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        self._on_watching()
        for changes in watchfiles.watch(*self._folders, debounce=50, step=10, stop_event=self._stop):
            changed = {Path(path) for _, path in changes if not is_editor_litter(path)}
            if changed:
                self._on_change(changed if len(changes) < _MANY_CHANGES else None)
                # Give the browsers a moment to fetch the page before competing with them.
                threading.Timer(_AFTER_RELOAD_S, self._complete).start()


def serve(root: Path, port: int, on_internal_error: Callable[[str], str] | None = None) -> int:
    """Preview until Ctrl+C, SIGTERM or SIGHUP; `on_internal_error(traceback)` logs a bug in a
    rebuild and returns the line to print, while the preview keeps serving the last good site."""
    try:
        with socket.socket() as probe:  # before the first build, so a busy port is said at once
            probe.bind(("127.0.0.1", port))
    except OSError as error:
        return _unusable_port(port, error)
    stopping = threading.Event()
    handlers = _stop_on_signals(stopping)
    folder: Path | None = None
    try:
        with _stop_signals_held():  # else a stop between making the folder and naming it left it behind
            folder = Path(tempfile.mkdtemp(prefix="sitegen-preview-"))
        code = _preview(root, port, folder, on_internal_error, stopping)
    except KeyboardInterrupt:
        code = 0  # stopped before the server ran
    finally:
        _ignore_stop_signals()  # a second Ctrl+C or signal must not cut the cleaning short
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        for number, handler in handlers.items():
            signal.signal(number, handler)
    if code == 0:
        print("preview stopped", flush=True)
    return code


def _preview(
    root: Path, port: int, folder: Path, on_internal_error: Callable[[str], str] | None, stopping: threading.Event
) -> int:
    """Build into `folder`, then serve and rebuild on every save until a stop signal."""
    import livereload.server
    from livereload import Server

    def say_where() -> None:
        # Only once the port listens: an address printed before would refuse a quick click.
        print(f"preview: http://127.0.0.1:{port}/  (Ctrl+C to stop)", flush=True)
        print(f"editor:  http://127.0.0.1:{port}/admin/", flush=True)

    preview = Preview(root, folder / "site", on_internal_error, stopping)
    watcher = _ChangeWatcher(
        root, preview.browsers, preview.rebuild_saved, preview.complete, say_where, preview.watching
    )
    try:
        result = preview.rebuild()  # the pages; the rest follows once the server answers
        if result is not None:
            print(
                f"pages ready {seconds_since_start():.1f} s after sitegen started ({result.files} files);"
                " brochures, search and downloads follow",
                flush=True,
            )
        # livereload's connections, which also keep the page each browser shows; livereload's
        # /forcereload goes on using its own class, which is given the watcher too.
        livereload.server.LiveReloadHandler = _Connection
        _Connection.browsers = preview.browsers
        LiveReloadHandler.watcher = watcher
        # livereload ends the server quietly on KeyboardInterrupt, as the stop signals raise.
        Server(app=preview.app, watcher=watcher).serve(port=port, host="127.0.0.1", debug=False, restart_delay=0)
    except OSError as error:
        if error.errno not in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
            raise
        return _unusable_port(port, error)
    finally:
        _ignore_stop_signals()
        watcher.stop()
        preview.close()  # a build under way ends before its folder goes
    return 0


_LONGEST_WAIT_ON_CLOSE_S = 60.0
_STOP_ARRIVES_S = 1.0
"""How long a late work stopped by Ctrl+C waits for the preview's own handler of it, which
runs in the main thread, maybe after the printing process's KeyboardInterrupt came back."""
_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
"""Ctrl+C; `kill`, an IDE's stop button or a service manager; the terminal window closed."""


def _stop_on_signals(stopping: threading.Event) -> dict[int, signal.Handlers | Callable | int | None]:
    """Every stop signal ends the preview as Ctrl+C does, through the cleaning in `serve`, and
    sets `stopping`; returns the handlers there were, to put back after."""

    def stop(number: int, frame: FrameType | None) -> None:
        stopping.set()
        _ignore_stop_signals()
        raise KeyboardInterrupt

    return {number: signal.signal(number, stop) for number in _STOP_SIGNALS}


@contextmanager
def _stop_signals_held() -> Iterator[None]:
    """Stop signals wait until the block ends (where the system can hold them), then arrive."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _ignore_stop_signals() -> None:
    """A handler that does nothing rather than SIG_IGN: Python raises OSError for a signal that
    arrived while its handler was still ours and is only run once it has been set to SIG_IGN."""
    for number in _STOP_SIGNALS:
        signal.signal(number, _pass)


def _pass(number: int, frame: FrameType | None) -> None:
    """Another stop signal while stopping: the preview is stopping already."""


def seconds_since_start() -> float:
    """How long ago this process started, all of which its user waited: from the kernel's record
    where there is one (Linux), else from when sitegen was first imported."""
    try:
        with open("/proc/self/stat", encoding="ascii") as status:
            fields = status.read().rsplit(")", 1)[1].split()
        return time.clock_gettime(time.CLOCK_BOOTTIME) - int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):  # not Linux
        return time.monotonic() - IMPORTED_AT


def _unusable_port(port: int, error: OSError) -> int:
    other = port + 1 if port < 65535 else 8000
    print(
        f"端口 {port} 无法使用（已被占用或没有权限） / port {port} cannot be used ({error.strerror})\n"
        f"  hint: 关闭占用它的程序，或换一个端口，例如 --port {other}"
        f" / stop the program using it, or choose another port, e.g. --port {other}",
        file=sys.stderr,
    )
    return 1

"""The browser editor inside `sitegen serve`: the editor's page at /admin/, and the answers to Decap
CMS's proxy protocol at /api/v1 (the JSON actions decap-server answers), so that sitegen itself
reads, checks and writes every file.

Nothing here is prepared before the first request to /admin/: the preview starts as fast as ever.
"""

from __future__ import annotations

import json
import mimetypes
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sitegen.build import load_site
from sitegen.content.config import load_config
from sitegen.content.sources import COLLECTIONS, SLUG, slugs_on_disk, suggest_slug
from sitegen.editor.cms_media import MAX_UPLOAD_BYTES
from sitegen.editor.cms_refusal import Refusal
from sitegen.editor.cms_store import ContentStore
from sitegen.errors import Problems, SiteError, zh_en
from sitegen.render.cms_config import PROXY_URL, Choices, cms_config
from sitegen.render.cms_hosted import DECAP_DIST, EDITOR_FILES

MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES * 4 // 3 + 1024 * 1024
"""An upload arrives base64-encoded inside JSON: a third larger, plus the entry itself."""


class EditorBackend:
    """Answers /admin/ and /api/v1; every other path is the preview's."""

    def __init__(self, root: Path, on_internal_error: Callable[[str], str] | None = None) -> None:
        self.store = ContentStore(root)
        self.root = root
        self._on_internal_error = on_internal_error
        self._translated: set[str] = set()

    def answer(self, environ: dict, start_response: Callable) -> Iterable[bytes] | None:
        """The response to an editor request, or None when the path is not the editor's."""
        path = environ.get("PATH_INFO", "/")
        if path == PROXY_URL:
            return self._api(environ, start_response)
        if path in ("/admin", "/admin/"):
            if path == "/admin":
                start_response("301 Moved Permanently", [("Location", "/admin/")])
                return []
            return _send(
                start_response, "200 OK", "text/html; charset=utf-8", (EDITOR_FILES / "index.html").read_bytes()
            )
        if path == "/admin/config.json":
            return _send(start_response, "200 OK", "application/json", json.dumps(self.config()).encode())
        if path.startswith("/admin/"):
            return self._file(path.removeprefix("/admin/"), start_response)
        return None

    def config(self) -> dict[str, Any]:
        """Generated on every load of the editor page, so new parks and sectors are in its lists."""
        settings = load_config(self.root, Problems())
        languages = settings.languages if settings is not None else ("zh", "en")
        config = cms_config(languages, site_choices(self.root))
        self._translated = {collection["folder"] for collection in config["collections"] if collection.get("i18n")}
        return config

    def _file(self, name: str, start_response: Callable) -> Iterable[bytes]:
        file = EDITOR_FILES / name if name == "editor.js" else DECAP_DIST / name
        if "/" in name or name.startswith(".") or not file.is_file():
            return _send(start_response, "404 Not Found", "text/plain; charset=utf-8", b"404")
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        body = file.read_bytes()
        if kind.endswith("javascript"):
            kind += "; charset=utf-8"
            # livereload adds its script before every `</head>` of any response, scripts
            # included; inside a script's strings `<\/head>` is the same text and is left alone.
            body = body.replace(b"</head>", b"<\\/head>")
        return _send(start_response, "200 OK", kind, body)

    def _api(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return _json(start_response, 405, {"error": "POST only"})
        if not _from_this_preview(environ):
            return _json(start_response, 403, {"error": "only the editor at /admin/ of this preview may save"})
        tab = parse_qs(environ.get("QUERY_STRING", "")).get("tab", ["-"])[0]
        try:
            request = _read_request(environ)
            result = self._act(tab, request.get("action"), request.get("params") or {})
        except Refusal as refusal:
            return _json(start_response, refusal.status, {"error": refusal.shown()})
        except Exception:  # noqa: BLE001 (a bug in sitegen must not stop the preview or lose the form)
            details = traceback.format_exc()
            line = self._on_internal_error(details) if self._on_internal_error else details
            print(line, flush=True)
            message = zh_en("sitegen 内部错误，没有写入任何文件", "internal error in sitegen; nothing was written")
            return _json(start_response, 500, {"error": f"{message}\n{line}"})
        return _json(start_response, 200, result)

    def _act(self, tab: str, action: Any, params: dict[str, Any]) -> Any:
        store = self.store
        if action == "info":
            return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}
        if action in ("entriesByFolder", "entriesByFiles") and not self._translated:
            self.config()
        if action == "entriesByFolder":
            folder = str(params["folder"])
            return store.entries(tab, folder, str(params.get("extension", "md")), folder in self._translated)
        if action == "entriesByFiles":
            return [store.entry(tab, str(file["path"])) | {"label": file.get("label")} for file in params["files"]]
        if action == "getEntry":
            return store.entry(tab, str(params["path"]))
        if action == "persistEntry":
            data_files = params.get("dataFiles") or [params["entry"]]
            store.save_entry(tab, data_files, params.get("assets") or [])
            return {"message": "entry persisted"}
        if action == "getMedia":
            return store.all_media()
        if action == "getMediaFile":
            return store.media(str(params["path"]))
        if action == "persistMedia":
            return store.save_media(tab, params["asset"])
        if action in ("deleteFile", "deleteFiles"):
            for path in params.get("paths") or [params["path"]]:
                store.delete_media(tab, str(path))
            return {"message": "deleted"}
        if action == "getDeployPreview":
            return None
        if action == "proposeName":
            return {"name": self._proposed_name(str(params.get("collection", "")), str(params.get("name", "")))}
        raise Refusal(f"Unknown action {action}", status=422)

    def _proposed_name(self, collection: str, name: str) -> str:
        """The pinyin file name for a new entry's Chinese name; refused when that file exists."""
        slug = suggest_slug(name) if name.strip() else ""
        if not SLUG.fullmatch(slug):
            raise Refusal(
                zh_en("先填写中文名称，或在“文件名”里写一个", "fill in the Chinese name first, or write a file name"),
                zh_en("文件名只能用小写英文字母、数字和连字符", "a file name uses only a-z, 0-9 and hyphens"),
            )
        if slug in slugs_on_disk(self.root, collection):
            raise Refusal(
                zh_en(
                    f"content/{collection}/ 里已经有 {slug}.md（名称相同的条目）",
                    f"content/{collection}/ already has {slug}.md (an entry of the same name)",
                ),
                zh_en(
                    "如果是同一个条目，请打开已有的那个修改；否则在“文件名”里写另一个名字",
                    "if it is the same entry, edit the one that exists; otherwise write another name in 'File name'",
                ),
            )
        return slug


def site_choices(root: Path) -> Choices:
    """The ids of the site as it is; when it does not load, the ids its files name, so an
    editor can still open the form to mend what is broken."""
    try:
        return Choices.of_site(load_site(root, strict=False)[0])
    except SiteError:
        return _choices_from_files(root)


def _choices_from_files(root: Path) -> Choices:
    config = load_config(root, Problems())
    sectors = tuple((key, sector.name.zh) for key, sector in config.sectors.items()) if config else ()
    cities = tuple((key, city.name.zh) for key, city in config.cities.items()) if config else ()
    slugs = {name: tuple((slug, slug) for slug in sorted(slugs_on_disk(root, name))) for name in COLLECTIONS}
    return Choices(sectors, cities, slugs)


def _from_this_preview(environ: dict) -> bool:
    """Whether a request comes from the editor page this server sent. A web page from elsewhere,
    open in the same browser, can post to 127.0.0.1 too: its JSON is refused by the browser
    unless the server allows it (it never does), and its Origin or Host names another site."""
    host = environ.get("HTTP_HOST", "")
    origin = environ.get("HTTP_ORIGIN")
    json_body = environ.get("CONTENT_TYPE", "").split(";")[0].strip() == "application/json"
    local = urlsplit(f"//{host}").hostname in ("127.0.0.1", "localhost")
    return json_body and local and (origin is None or urlsplit(origin).netloc == host)


def _read_request(environ: dict) -> dict[str, Any]:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_REQUEST_BYTES:
        raise Refusal(
            zh_en(
                f"上传的文件太大，最大 {MAX_UPLOAD_BYTES // 1024 // 1024} MB",
                f"the upload is too large; the limit is {MAX_UPLOAD_BYTES // 1024 // 1024} MB",
            ),
            zh_en("把图片另存为较小的 JPEG 再上传", "save the picture as a smaller JPEG, then upload that"),
            status=413,
        )
    try:
        request = json.loads(environ["wsgi.input"].read(length) or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise Refusal("the request is not JSON", status=400) from None
    if not isinstance(request, dict):
        raise Refusal("the request is not a JSON object", status=400)
    return request


def _json(start_response: Callable, status: int, value: Any) -> list[bytes]:
    reasons = {200: "OK", 400: "Bad Request", 403: "Forbidden", 405: "Method Not Allowed", 409: "Conflict"}
    reasons |= {413: "Content Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Content"}
    reason = reasons.get(status, "Internal Server Error")
    body = json.dumps(value, ensure_ascii=False).encode("utf-8")
    return _send(start_response, f"{status} {reason}", "application/json; charset=utf-8", body)


def _send(start_response: Callable, status: str, content_type: str, body: bytes) -> list[bytes]:
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body))), ("Cache-Control", "no-store")]
    start_response(status, headers)
    return [body]

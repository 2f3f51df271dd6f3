"""Uploading the built site to an S3-compatible bucket (Aliyun OSS, Tencent COS, any S3 server).

Only files whose bytes or headers changed are sent. What was sent is recorded in a manifest
object (`.sitegen-deploy.json` beside the site: path -> sha256, ETag and headers), because an
ETag is the MD5 of the bytes only for single-part uploads; where the manifest does not know a
file (a bucket filled by another tool), the ETag is compared with the MD5 and the headers are
asked for.

Order matters to a reader who opens a page mid-upload: assets go first, then the search index's
entry files, then the pages that use them, the sitemap last; files that are no longer outputs
are deleted only after everything else arrived. A failure stops the upload before the next step,
names every file not uploaded, and deletes nothing.

boto3 speaks the protocol (signature v4, retries with backoff); this module decides what to send.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import posixpath
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ConnectionError, HTTPClientError

from sitegen.content.config import DeploySettings
from sitegen.content.schema import LOCAL_HOSTS
from sitegen.errors import zh_en

MANIFEST = ".sitegen-deploy.json"
KEY_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
SESSION_VARIABLE = "AWS_SESSION_TOKEN"
"""Set only with temporary (STS) keys."""
UPLOADS_AT_ONCE = 8

SHORT = "public, max-age=300"
"""Pages, feeds, calendars, downloads, the sitemap and the search index's entry files: their URLs
never change, so a reader sees an edit within five minutes (or at once after a CDN refresh)."""
DAY = "public, max-age=86400"
"""Theme files, media and Pagefind's runtime: fixed URLs, rarely changed."""
FOREVER = "public, max-age=31536000, immutable"
"""Files whose URL changes with their content: theme files every page links with `?v=hash`,
and Pagefind's index parts, whose names carry a hash."""

TEXT_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".geojson": "application/geo+json",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".ics": "text/calendar",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
}
BINARY_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".pdf": "application/pdf",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".wasm": "application/wasm",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".zip": "application/zip",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
"""Our own table rather than the `mimetypes` module, whose answers depend on the machine;
anything else (Pagefind's compressed index files) is `application/octet-stream`."""

SEARCH_ENTRY_FILE = re.compile(r"^pagefind/(.+/)?(pagefind-entry|sitegen-shards)\.json$")
"""Pagefind's files with fixed names that point at the hashed index parts (in every shard)."""
HASHED_SEARCH_FILE = re.compile(r"^pagefind/.*\.pf_(fragment|index|meta)$")
THEME_LINK = re.compile(r'(?:href|src)="([^"#?:]*static/[^"#?]*)(\?v=[0-9a-f]+")?')
"""A relative link to a theme file, and its `?v=hash` if it has one."""


class DeployError(Exception):
    """Something outside the content stops a deploy: said in Chinese and English, with a hint."""

    def __init__(self, message: str, hint: str, not_uploaded: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.not_uploaded = not_uploaded


@dataclass(frozen=True, slots=True)
class Credentials:
    access_key_id: str = field(repr=False)
    secret_access_key: str = field(repr=False)
    session_token: str | None = field(repr=False)

    @classmethod
    def from_environment(cls) -> Credentials:
        """The keys S3 clients read, from the environment only: never from a file in the repository.

        A key pasted with a line break, a quote or a letter too few is refused here, by the name
        of its variable: sent to the server it would fail as a refused key or, inside the HTTP
        headers, as a broken connection, and the error would quote the key."""
        missing = [name for name in KEY_VARIABLES if not os.environ.get(name, "").strip()]
        if missing:
            raise DeployError(
                zh_en(f"没有设置 {' 和 '.join(missing)}", f"{' and '.join(missing)} is not set"),
                _KEY_HINT,
            )
        values = {name: os.environ.get(name, "").strip() for name in (*KEY_VARIABLES, SESSION_VARIABLE)}
        for name, rule in _KEY_RULES.items():
            if values[name]:
                _check_key(name, values[name], rule)
        return cls(values[KEY_VARIABLES[0]], values[KEY_VARIABLES[1]], values[SESSION_VARIABLE] or None)

    def redact(self, text: str) -> str:
        """`text` with every key in it replaced, for messages that quote what a server said."""
        for secret in (self.access_key_id, self.secret_access_key, self.session_token):
            if secret:
                text = text.replace(secret, "[key]")
        return text


_KEY_HINT = zh_en(
    "在 OSS/COS 控制台为只能写这个存储桶的子账号创建 AccessKey，把它设为环境变量 "
    "AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY（在 GitHub 里设为仓库机密），不要写进任何文件",
    "create an access key for a user that may only write this bucket, and set it as the "
    "environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (GitHub: repository "
    "secrets); never write it into a file",
)


@dataclass(frozen=True, slots=True)
class _KeyRule:
    shortest: int
    longest: int
    characters: re.Pattern[str]
    described: tuple[str, str]


_KEY_RULES = {
    # AWS 20 characters, Aliyun 24 (older 16; STS keys start `STS.`), Tencent 36.
    "AWS_ACCESS_KEY_ID": _KeyRule(16, 128, re.compile(r"[A-Za-z0-9._-]"), ("字母和数字", "letters and digits")),
    # Aliyun 30 characters, Tencent 32, AWS 40 (with / and +).
    "AWS_SECRET_ACCESS_KEY": _KeyRule(
        20, 128, re.compile(r"[A-Za-z0-9/+=._-]"), ("字母、数字和 / + =", "letters, digits and / + =")
    ),
    "AWS_SESSION_TOKEN": _KeyRule(
        16, 8192, re.compile(r"[A-Za-z0-9/+=._-]"), ("字母、数字和 / + =", "letters, digits and / + =")
    ),
}


def _check_key(name: str, value: str, rule: _KeyRule) -> None:
    """Says what is wrong with the key in `name` without quoting any of it."""
    wrong = next(((place, char) for place, char in enumerate(value, 1) if not rule.characters.fullmatch(char)), None)
    if wrong is not None:
        place, char = wrong
        chinese, english = _character_kind(char)
        problem = (f"第 {place} 个字符是{chinese}", f"character {place} is {english}")
    elif not rule.shortest <= len(value) <= rule.longest:
        problem = (
            f"有 {len(value)} 个字符，应为 {rule.shortest} 到 {rule.longest} 个",
            f"it has {len(value)} characters, not {rule.shortest} to {rule.longest}",
        )
    else:
        return
    raise DeployError(
        zh_en(f"{name} 的格式不对，不像是密钥：{problem[0]}", f"{name} is malformed, not a key: {problem[1]}"),
        zh_en(
            f"从云服务商的控制台重新复制 {name}，只复制密钥本身（只含{rule.described[0]}），不带引号、空格或换行",
            f"copy {name} again from the provider's console: the key alone ({rule.described[1]} only), "
            "without quotes, spaces or line breaks",
        ),
    )


def _character_kind(char: str) -> tuple[str, str]:
    if char.isspace():
        return "空格或换行", "a space or line break"
    if char in "\"'`‘’“”":
        return "引号", "a quote"
    if not char.isascii():
        return "非 ASCII 字符（例如全角字符）", "a character that is not ASCII (a full-width one, say)"
    return f"字符 {char!r}", f"the character {char!r}"


def required_settings(settings: DeploySettings | None) -> DeploySettings:
    """site.yaml's `deploy:` settings, or what to write there."""
    if settings is None:
        raise DeployError(
            zh_en("content/site.yaml 里没有 deploy 设置", "content/site.yaml has no deploy settings"),
            zh_en(
                "加上 deploy: {endpoint: https://s3.oss-cn-qingdao.aliyuncs.com, bucket: 存储桶名称, "
                "region: cn-qingdao}（见 docs/publishing.md）",
                "add deploy: {endpoint: https://s3.oss-cn-qingdao.aliyuncs.com, bucket: NAME, region: cn-qingdao} "
                "(see docs/publishing.md)",
            ),
        )
    return settings


@dataclass(frozen=True, slots=True)
class LocalFile:
    """One file of `build/`, with the headers it is served with."""

    path: str
    source: Path
    sha256: str
    md5: str
    size: int
    content_type: str
    cache_control: str

    @property
    def step(self) -> int:
        """Upload order: assets, search entry files, pages, then the sitemap."""
        if self.path == "sitemap.xml":
            return 3
        if self.path.endswith(".html"):
            return 2
        if SEARCH_ENTRY_FILE.match(self.path):
            return 1
        return 0

    def manifest_entry(self, etag: str) -> dict[str, str]:
        return {
            "sha256": self.sha256,
            "etag": etag,
            "content_type": self.content_type,
            "cache_control": self.cache_control,
        }


@dataclass(frozen=True, slots=True)
class Upload:
    file: LocalFile
    reason: str  # "new", "changed", or "headers"


@dataclass(frozen=True, slots=True)
class Plan:
    uploads: tuple[Upload, ...]
    deletions: tuple[str, ...]
    unchanged: tuple[LocalFile, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    plan: Plan
    uploaded: int = 0
    uploaded_bytes: int = 0
    deleted: int = 0
    seconds: float = 0.0


def content_type(path: str) -> str:
    extension = posixpath.splitext(path)[1].lower()
    if extension in TEXT_TYPES:
        return f"{TEXT_TYPES[extension]}; charset=utf-8"
    return BINARY_TYPES.get(extension, "application/octet-stream")


def cache_control(path: str, versioned: set[str]) -> str:
    if SEARCH_ENTRY_FILE.match(path):
        return SHORT
    if path in versioned or HASHED_SEARCH_FILE.match(path):
        return FOREVER
    if path.startswith(("static/", "media/", "pagefind/")):
        return DAY
    return SHORT


def versioned_assets(pages: Iterable[tuple[str, str]]) -> set[str]:
    """Theme files that every page links with `?v=hash`: only these may be cached for ever,
    since a single link without the hash would keep an old copy alive after a change."""
    versioned: set[str] = set()
    plain: set[str] = set()
    for path, html in pages:
        folder = posixpath.dirname(path)
        for link, version in THEME_LINK.findall(html):
            if not link.startswith("/"):
                (versioned if version else plain).add(posixpath.normpath(posixpath.join(folder, link)))
    return versioned - plain


def read_build(build: Path) -> list[LocalFile]:
    """Every file of `build/`, hashed one at a time (a large site does not fit in memory twice).
    Symbolic links are refused, so nothing from outside the build is published."""
    if not (build / "index.html").is_file():
        raise DeployError(
            zh_en(f"{build} 里没有建好的网站", f"{build} holds no built site"),
            zh_en("先运行 sitegen build --strict", "run sitegen build --strict first"),
        )
    found: list[tuple[str, Path, str, str, int]] = []
    for folder, folders, names in os.walk(build):
        folders.sort()
        for name in [*folders, *sorted(names)]:
            source = Path(folder, name)
            if source.is_symlink() or not (source.is_file() or source.is_dir()):
                relative = source.relative_to(build).as_posix()
                raise DeployError(
                    zh_en(f"build/{relative} 不是普通文件", f"build/{relative} is not a regular file"),
                    zh_en("删除 build/ 后重新运行 sitegen build", "delete build/ and run sitegen build again"),
                )
            if source.is_file():
                data = source.read_bytes()
                found.append(
                    (
                        source.relative_to(build).as_posix(),
                        source,
                        hashlib.sha256(data).hexdigest(),
                        hashlib.md5(data, usedforsecurity=False).hexdigest(),
                        len(data),
                    )
                )
    pages = (
        (path, source.read_text(encoding="utf-8", errors="replace"))
        for path, source, *_ in found
        if path.endswith(".html")
    )
    versioned = versioned_assets(pages)
    return [
        LocalFile(path, source, sha256, md5, size, content_type(path), cache_control(path, versioned))
        for path, source, sha256, md5, size in found
    ]


def plan_deploy(
    files: list[LocalFile], remote: dict[str, str], manifest: dict[str, dict], headers: Callable[[str], dict[str, str]]
) -> Plan:
    """What to upload and delete, given the remote ETags by path and the manifest of the last deploy.

    `headers(path)` asks the server for a file's Content-Type and Cache-Control; it is called only
    for files the manifest does not vouch for whose ETag matches their MD5.
    """
    uploads: list[Upload] = []
    unchanged: list[LocalFile] = []
    for file in files:
        etag = remote.get(file.path)
        recorded = manifest.get(file.path)
        if etag is None:
            uploads.append(Upload(file, "new"))
        elif recorded is not None and recorded.get("etag") == etag:
            if recorded.get("sha256") != file.sha256:
                uploads.append(Upload(file, "changed"))
            elif _served_as(recorded) != (file.content_type, file.cache_control):
                uploads.append(Upload(file, "headers"))
            else:
                unchanged.append(file)
        elif etag != file.md5:
            uploads.append(Upload(file, "changed"))
        elif _served_as(_header_names(headers(file.path))) != (file.content_type, file.cache_control):
            uploads.append(Upload(file, "headers"))
        else:
            unchanged.append(file)
    outputs = {file.path for file in files}
    deletions = tuple(sorted(path for path in remote if path not in outputs and path != MANIFEST))
    uploads.sort(key=lambda upload: (upload.file.step, upload.file.path))
    return Plan(tuple(uploads), deletions, tuple(unchanged))


def _served_as(headers: dict[str, str]) -> tuple[str | None, str | None]:
    return headers.get("content_type"), headers.get("cache_control")


def _header_names(answer: dict[str, Any]) -> dict[str, str]:
    """boto3's HeadObject answer in the manifest's words."""
    return {"content_type": answer.get("ContentType", ""), "cache_control": answer.get("CacheControl", "")}


@dataclass(frozen=True)
class Bucket:
    """The bucket seen through boto3, with every key under `prefix`."""

    settings: DeploySettings
    client: Any = field(repr=False)

    @classmethod
    def connect(cls, settings: DeploySettings, credentials: Credentials) -> Bucket:
        local = urlsplit(settings.endpoint).hostname in LOCAL_HOSTS
        config = Config(
            signature_version="s3v4",
            # OSS and COS accept only virtual-hosted addressing; a test server on this machine has no DNS for it.
            s3={"addressing_style": "path" if local else "virtual"},
            # The standard mode retries throttling, 5xx and dropped connections with backoff;
            # AWS_MAX_ATTEMPTS may change how often (3 by default).
            retries={"mode": "standard"},
            connect_timeout=10,
            read_timeout=60,
            max_pool_connections=UPLOADS_AT_ONCE,
            # OSS and COS do not accept the CRC checksums boto3 adds by default since 1.36.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        session = boto3.session.Session(
            aws_access_key_id=credentials.access_key_id,
            aws_secret_access_key=credentials.secret_access_key,
            aws_session_token=credentials.session_token,
            region_name=settings.region,
        )
        return cls(settings, session.client("s3", endpoint_url=settings.endpoint, config=config))

    def key(self, path: str) -> str:
        return f"{self.settings.prefix}/{path}" if self.settings.prefix else path

    def etags(self) -> dict[str, str]:
        """Path (relative to the prefix) -> ETag without quotes, of every object under the prefix."""
        start = f"{self.settings.prefix}/" if self.settings.prefix else ""
        found: dict[str, str] = {}
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.settings.bucket, Prefix=start)
        for page in pages:
            for item in page.get("Contents", ()):
                found[item["Key"][len(start) :]] = item["ETag"].strip('"')
        return found

    def manifest(self) -> tuple[dict[str, dict[str, str]], bool]:
        """The last deploy's record, and whether it was damaged: a record that cannot be read, or
        entries of the wrong shape, are left out (the files are then compared by ETag), never a
        reason to stop this deploy or the next."""
        try:
            body = self.client.get_object(Bucket=self.settings.bucket, Key=self.key(MANIFEST))["Body"].read()
        except ClientError as error:
            if _code(error) in ("NoSuchKey", "404"):
                return {}, False
            raise
        return read_manifest(body)

    def headers(self, path: str) -> dict[str, str]:
        return self.client.head_object(Bucket=self.settings.bucket, Key=self.key(path))

    def put(self, file: LocalFile) -> str:
        """Upload one file; returns its new ETag. Content-MD5 lets the server refuse damaged bytes."""
        data = file.source.read_bytes()
        answer = self.client.put_object(
            Bucket=self.settings.bucket,
            Key=self.key(file.path),
            Body=data,
            ContentType=file.content_type,
            CacheControl=file.cache_control,
            ContentMD5=base64.b64encode(bytes.fromhex(file.md5)).decode(),
        )
        return answer["ETag"].strip('"')

    def put_manifest(self, files: dict[str, dict[str, str]]) -> bool:
        """Upload the record of what was sent, readable by the bucket's owner only; returns False
        when the server refuses per-file ACLs (S3 with ACLs disabled), which leaves it readable
        wherever the bucket is (see docs/publishing.md)."""
        document = json.dumps({"version": 1, "files": files}, ensure_ascii=False, indent=0, sort_keys=True)
        upload = {
            "Bucket": self.settings.bucket,
            "Key": self.key(MANIFEST),
            "Body": document.encode("utf-8"),
            "ContentType": "application/json; charset=utf-8",
            "CacheControl": "no-cache",
        }
        try:
            self.client.put_object(**upload, ACL="private")
        except ClientError as error:
            if _code(error) not in _NO_ACLS:
                raise
            self.client.put_object(**upload)
            return False
        return True

    def delete(self, paths: list[str]) -> None:
        for start in range(0, len(paths), 1000):
            batch = [{"Key": self.key(path)} for path in paths[start : start + 1000]]
            answer = self.client.delete_objects(Bucket=self.settings.bucket, Delete={"Objects": batch, "Quiet": True})
            if answer.get("Errors"):
                failed = answer["Errors"][0]
                error = {"Code": failed.get("Code"), "Message": f"{failed.get('Key')}: {failed.get('Message')}"}
                raise ClientError({"Error": error}, "DeleteObjects")


class Progress:
    """How far an upload has come. On a terminal one line, rewritten in place; in a log (CI, a
    file) a line every tenth of the files or every few seconds, since a rewritten line shows
    there as its first state only. The final count always ends it."""

    def __init__(self, total: int, stream: TextIO, every_seconds: float) -> None:
        self.total = total
        self.stream = stream
        self.in_place = stream.isatty()
        self.every_seconds = every_seconds
        self.every_files = max(1, total // 10)
        self.done = 0
        self.sent_bytes = 0
        self.last = time.monotonic()
        self.last_done = 0

    def advance(self, file: LocalFile) -> None:
        self.done += 1
        self.sent_bytes += file.size
        now = time.monotonic()
        if self.in_place:
            due = now - self.last >= min(self.every_seconds, 0.25)
        else:
            due = now - self.last >= self.every_seconds or self.done - self.last_done >= self.every_files
        if due or self.done == self.total:
            self.last, self.last_done = now, self.done
            self._show()

    def end(self) -> None:
        """After a failure: the line in place is finished, so the error starts on its own."""
        if self.in_place and 0 < self.done < self.total:
            self.stream.write("\n")
            self.stream.flush()

    def _show(self) -> None:
        line = f"上传中 / uploading: {self.done}/{self.total} files, {_size(self.sent_bytes)}"
        if self.in_place:
            self.stream.write(f"\r{line}\033[K" + ("\n" if self.done == self.total else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def deploy(
    build: Path,
    settings: DeploySettings,
    credentials: Credentials,
    *,
    dry_run: bool = False,
    delete: bool = True,
    progress_seconds: float = 5.0,
    stream: TextIO | None = None,
) -> Outcome:
    """Make the bucket hold `build/`; raises DeployError with the files not uploaded on failure.
    Progress and warnings go to `stream` (standard error by default)."""
    stream = stream or sys.stderr
    started = time.monotonic()
    files = read_build(build)
    with _explained(settings, credentials):
        bucket = Bucket.connect(settings, credentials)
        remote = bucket.etags()
        manifest, damaged = bucket.manifest()
        plan = plan_deploy(files, remote, manifest, bucket.headers)
    if damaged:
        print(_DAMAGED_RECORD, file=stream, flush=True)
    if not delete:
        plan = Plan(plan.uploads, (), plan.unchanged)
    if dry_run:
        return Outcome(plan)
    record = {path: entry for path, entry in manifest.items() if path in remote}
    record.update({file.path: file.manifest_entry(remote[file.path]) for file in plan.unchanged})
    progress = Progress(len(plan.uploads), stream, progress_seconds)
    try:
        for step in sorted({upload.file.step for upload in plan.uploads}):
            batch = [upload.file for upload in plan.uploads if upload.file.step == step]
            later = [upload.file.path for upload in plan.uploads if upload.file.step > step]
            _upload_all(bucket, batch, record, progress, later, credentials)
    finally:
        progress.end()
    outputs = {file.path for file in files}
    kept = {path: entry for path, entry in record.items() if path in outputs}
    with _explained(settings, credentials):
        kept_private = bucket.put_manifest(kept) if damaged or kept != manifest else True
        if not kept_private:
            print(_PUBLIC_RECORD, file=stream, flush=True)
        if plan.deletions:
            bucket.delete(list(plan.deletions))
    return Outcome(plan, progress.done, progress.sent_bytes, len(plan.deletions), time.monotonic() - started)


_DAMAGED_RECORD = "warning: " + zh_en(
    f"存储桶里的 {MANIFEST} 已损坏，这次按 ETag 比较每个文件，并写入新的记录",
    f"{MANIFEST} in the bucket is damaged: this deploy compares each file by its ETag and writes a new one",
)
_PUBLIC_RECORD = "warning: " + zh_en(
    f"存储桶不接受单个文件的权限设置，{MANIFEST} 和网站一样可以公开读取（见 docs/publishing.md）",
    f"the bucket takes no per-file ACLs, so {MANIFEST} is as readable as the site (see docs/publishing.md)",
)


def _upload_all(
    bucket: Bucket,
    files: list[LocalFile],
    record: dict[str, dict],
    progress: Progress,
    later: list[str],
    credentials: Credentials,
) -> None:
    """Upload one step's files side by side; at the first failure start no more, let the ones
    under way finish, and name every file of this step and the later ones that did not arrive."""
    uploaded: set[str] = set()
    failure: BaseException | None = None
    with ThreadPoolExecutor(max_workers=UPLOADS_AT_ONCE) as pool:
        futures = {pool.submit(bucket.put, file): file for file in files}
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in finished:
                if future.cancelled():
                    continue
                if future.exception() is not None:
                    failure = failure or future.exception()
                    continue
                file = futures[future]
                record[file.path] = file.manifest_entry(future.result())
                uploaded.add(file.path)
                progress.advance(file)
            if failure is not None:
                for future in pending:
                    future.cancel()
    if failure is not None:
        explained = _explain(failure, bucket.settings, credentials)
        not_uploaded = [file.path for file in files if file.path not in uploaded]
        raise DeployError(explained.message, explained.hint, (*not_uploaded, *later)) from None


@contextmanager
def _explained(settings: DeploySettings, credentials: Credentials) -> Iterator[None]:
    """Turns what boto3 raises into a DeployError an office can act on."""
    try:
        yield
    except (ClientError, BotoCoreError) as error:
        raise _explain(error, settings, credentials) from None


_NO_ACLS = ("AccessControlListNotSupported", "NotImplemented", "InvalidArgument")
"""What a server answers to a per-file ACL it does not take."""
_MANIFEST_FIELDS = ("sha256", "etag", "content_type", "cache_control")


def read_manifest(body: bytes) -> tuple[dict[str, dict[str, str]], bool]:
    """The entries of a deploy's record that have the right shape, and whether any had not."""
    try:
        document = json.loads(body)
    except ValueError:  # truncated, or not UTF-8 at all
        return {}, True
    files = document.get("files") if isinstance(document, dict) else None
    if not isinstance(files, dict):
        return {}, True
    kept = {path: entry for path, entry in files.items() if _is_manifest_entry(entry)}
    return kept, len(kept) != len(files)


def _is_manifest_entry(entry: object) -> bool:
    return isinstance(entry, dict) and all(isinstance(entry.get(name), str) for name in _MANIFEST_FIELDS)


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _explain(error: BaseException, settings: DeploySettings, credentials: Credentials) -> DeployError:
    """The failure in words, with no key in them: servers and HTTP libraries may quote one."""
    explained = _explain_failure(error, settings)
    return DeployError(credentials.redact(explained.message), credentials.redact(explained.hint))


def _explain_failure(error: BaseException, settings: DeploySettings) -> DeployError:
    where = f"{settings.endpoint} / {settings.bucket}"
    if isinstance(error, ClientError):
        code = _code(error)
        if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "InvalidClientTokenId"):
            return DeployError(
                zh_en(f"{where} 不接受这个密钥（{code}）", f"{where} refused the access key ({code})"),
                zh_en(
                    "检查 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY 是否抄全、是否属于这个云账号，"
                    "以及 deploy.region 是否正确",
                    "check that AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are complete and belong to this "
                    "cloud account, and that deploy.region is right",
                ),
            )
        if code in ("AccessDenied", "403", "Forbidden"):
            return DeployError(
                zh_en(f"这个密钥无权写入 {where}（{code}）", f"the access key may not write to {where} ({code})"),
                zh_en(
                    "给这个子账号授权：列出、读取、上传和删除这个存储桶里的文件（见 docs/publishing.md）",
                    "allow the key's user to list, read, upload and delete objects in this bucket "
                    "(see docs/publishing.md)",
                ),
            )
        if code in ("NoSuchBucket", "404", "NotFound"):
            return DeployError(
                zh_en(
                    f"{settings.endpoint} 上没有存储桶 '{settings.bucket}'",
                    f"there is no bucket '{settings.bucket}' at {settings.endpoint}",
                ),
                zh_en(
                    "检查 site.yaml 里的 deploy.bucket 和 deploy.endpoint（存储桶所在地域的地址），"
                    "或先在控制台创建存储桶",
                    "check deploy.bucket and deploy.endpoint (the address of the bucket's region) in site.yaml, "
                    "or create the bucket in the console first",
                ),
            )
        message = error.response.get("Error", {}).get("Message", "")
        return DeployError(
            zh_en(f"{where} 拒绝了请求：{code} {message}", f"{where} refused the request: {code} {message}"),
            zh_en(
                "稍后重试；如果一再出现，把这条信息发给云服务商",
                "try again later; if it persists, send this message to the provider",
            ),
        )
    if isinstance(error, ConnectionError | HTTPClientError):
        return DeployError(
            zh_en(f"连不上 {settings.endpoint}：{error}", f"could not reach {settings.endpoint}: {error}"),
            zh_en(
                "检查网络连接和 deploy.endpoint；重试过几次仍然失败",
                "check the network connection and deploy.endpoint; it failed after several retries",
            ),
        )
    return DeployError(
        zh_en(f"上传到 {where} 失败：{error}", f"uploading to {where} failed: {error}"),
        zh_en("稍后重试", "try again later"),
    )


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / 1024 / 1024:.1f} MB"
    return f"{count / 1024:.0f} KB" if count >= 1024 else f"{count} B"


def describe(outcome: Outcome, settings: DeploySettings, dry_run: bool) -> list[str]:
    """What a deploy did, or would do: one line per file in a dry run, then a summary."""
    place = f"{settings.bucket}/{settings.prefix}" if settings.prefix else settings.bucket
    plan = outcome.plan
    lines: list[str] = []
    if dry_run:
        lines += [f"upload  {upload.file.path} ({upload.reason})" for upload in plan.uploads]
        lines += [f"delete  {path}" for path in plan.deletions]
        size = sum(upload.file.size for upload in plan.uploads)
        lines.append(
            f"dry run, nothing sent to {place}: would upload {len(plan.uploads)} file(s) ({_size(size)}), "
            f"delete {len(plan.deletions)}, keep {len(plan.unchanged)} unchanged"
        )
        return lines
    lines.append(
        f"deployed to {place}: uploaded {outcome.uploaded} file(s) ({_size(outcome.uploaded_bytes)}), "
        f"deleted {outcome.deleted}, {len(plan.unchanged)} unchanged, {outcome.seconds:.1f} s"
    )
    return lines

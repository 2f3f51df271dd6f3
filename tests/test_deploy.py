"""`sitegen deploy` against a real S3 server on 127.0.0.1 (moto's server mode, with signatures and
keys checked), reached through a small relay that records every request and can fail uploads."""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import http.server
import io
import json
import logging
import shutil
import socket
import stat
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from conftest import MINIMAL_SITE, write_site

from sitegen.cli import main
from sitegen.content.config import DeploySettings
from sitegen.publish.deploy import (
    DAY,
    FOREVER,
    SHORT,
    Credentials,
    cache_control,
    deploy,
    read_manifest,
    versioned_assets,
)

REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    key_id: str
    secret: str


@pytest.fixture(scope="module")
def s3_server() -> Iterator[S3Server]:
    """moto's S3 server with authentication on: only the key of the IAM user made here is accepted."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    iam = boto3.client(
        "iam", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="setup", aws_secret_access_key="setup"
    )
    iam.create_user(UserName="deployer")
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    iam.put_user_policy(UserName="deployer", PolicyName="site-bucket", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="deployer")["AccessKey"]
    _set_moto_auth(endpoint, "0")
    try:
        yield S3Server(endpoint, key["AccessKeyId"], key["SecretAccessKey"])
    finally:
        _set_moto_auth(endpoint, "inf")
        server.stop()


def _set_moto_auth(endpoint: str, unauthenticated_requests: str) -> None:
    """How many requests moto lets through before it checks keys and signatures."""
    request = urllib.request.Request(
        f"{endpoint}/moto-api/reset-auth",
        data=unauthenticated_requests.encode(),
        headers={"Content-Type": "text/plain"},  # a form would be parsed away, leaving no body
        method="POST",
    )
    urllib.request.urlopen(request, timeout=10).close()


@dataclass
class Relay:
    """Passes requests to the S3 server; records them, and fails object uploads when told to."""

    upstream_port: int
    requests: list[tuple[str, str]] = field(default_factory=list)
    uploads_before_outage: int | None = None
    """After this many object uploads, every further upload gets 500 (a server failing midway)."""
    transient_failures: int = 0
    """This many uploads get 503 once each, then succeed when retried."""
    refuse_acls: bool = False
    """Answer a per-file ACL as S3 does for a bucket with ACLs disabled."""
    acls: dict[str, str | None] = field(default_factory=dict)
    """The `x-amz-acl` header of each object upload, by object path."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def failure(self, method: str, path: str) -> int | None:
        with self.lock:
            self.requests.append((method, path))
            if method != "PUT" or path.count("/") < 2:
                return None
            if self.transient_failures:
                self.transient_failures -= 1
                return 503
            if self.uploads_before_outage is not None:
                if self.uploads_before_outage == 0:
                    return 500
                self.uploads_before_outage -= 1
            return None

    def uploaded(self) -> list[str]:
        """Object paths PUT through the relay, in order (retries included)."""
        return [
            path.split("?")[0].split("/", 2)[2]
            for method, path in self.requests
            if method == "PUT" and path.count("/") >= 2
        ]


class _RelayHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _relay(self) -> None:
        relay: Relay = self.server.relay  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        acl = self.headers.get("x-amz-acl")
        if self.command == "PUT":
            relay.acls[self.path.split("?")[0].split("/", 2)[-1]] = acl
        status = relay.failure(self.command, self.path)
        code = "SlowDown" if status == 503 else "InternalError"
        if acl and relay.refuse_acls:
            status, code = 400, "AccessControlListNotSupported"
        if status is not None:
            error = f"<Error><Code>{code}</Code><Message>relay</Message></Error>"
            self.send_response(status)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(error)))
            self.end_headers()
            self.wfile.write(error.encode())
            return
        upstream = http.client.HTTPConnection("127.0.0.1", relay.upstream_port, timeout=30)
        upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for name, value in self.headers.items():
            if name.lower() not in ("expect", "connection"):
                upstream.putheader(name, value)
        upstream.endheaders(body or None)
        response = upstream.getresponse()
        data = response.read()
        self.send_response_only(response.status)
        for name, value in response.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value)
        length = response.getheader("Content-Length", "0") if self.command == "HEAD" else str(len(data))
        self.send_header("Content-Length", length)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        upstream.close()

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _relay


@pytest.fixture(scope="module")
def relay_server(s3_server: S3Server) -> Iterator[tuple[http.server.ThreadingHTTPServer, str]]:
    """The relay's server and its endpoint, one for the module: the endpoint is part of the
    settings the shared build was made from. Each test gives it a Relay of its own."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RelayHandler)
    server.relay = Relay(int(s3_server.endpoint.rsplit(":", 1)[1]))  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def relay(relay_server, s3_server: S3Server) -> tuple[Relay, str]:
    """(relay, its endpoint) in front of the S3 server, with nothing recorded or failing yet."""
    server, endpoint = relay_server
    state = Relay(int(s3_server.endpoint.rsplit(":", 1)[1]))
    server.relay = state
    return state, endpoint


@dataclass
class Deployment:
    """A scratch site whose site.yaml deploys to an empty bucket through the relay."""

    site: Path
    bucket: str
    relay: Relay
    client: object

    def stored_keys(self) -> set[str]:
        """The key of every object in the bucket."""
        return {
            item["Key"]
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
            for item in page.get("Contents", ())
        }

    def object(self, key: str) -> dict[str, str | None]:
        """An object as a visitor gets it: its bytes' sha256, Content-Type and Cache-Control."""
        answer = self.client.get_object(Bucket=self.bucket, Key=key)
        return {
            "sha256": hashlib.sha256(answer["Body"].read()).hexdigest(),
            "type": answer["ContentType"],
            "cache": answer.get("CacheControl"),
        }

    def objects(self) -> dict[str, dict[str, str | None]]:
        """Every object in the bucket, by key (a request for each: `stored_keys` where they are enough)."""
        return {key: self.object(key) for key in self.stored_keys()}


def built_files(build: Path) -> dict[str, str]:
    return {
        file.relative_to(build).as_posix(): hashlib.sha256(file.read_bytes()).hexdigest()
        for file in build.rglob("*")
        if file.is_file()
    }


BUCKET = "park-site"


def deploy_settings(endpoint: str) -> str:
    """The minimal site's site.yaml, deploying to BUCKET at `endpoint`."""
    settings = MINIMAL_SITE["content/site.yaml"]
    return settings + f"deploy: {{endpoint: '{endpoint}', bucket: {BUCKET}, region: {REGION}}}\n"


@dataclass(frozen=True)
class BuiltSite:
    """A scratch site built once for the module. A build records the folder it was made in
    (a deploy then knows build/ is current), so tests get it back in that very folder."""

    site: Path
    built: Path
    """A copy of the site as built, its record included, never changed."""

    def restore(self) -> Path:
        """The site as built, copied back if the last test changed anything in it."""
        if _listing(self.site) != _listing(self.built, self.site):
            shutil.rmtree(self.site, ignore_errors=True)
            shutil.copytree(self.built, self.site, symlinks=True)
        return self.site


def _listing(folder: Path, shown_as: Path | None = None) -> dict[str, tuple[int, int, int]]:
    """Every path under `folder` (as if it were `shown_as`) with its kind, size and modification time."""
    found = {}
    for path in [folder, *folder.rglob("*")]:
        status = path.lstat()
        found[str((shown_as or folder) / path.relative_to(folder))] = (
            stat.S_IFMT(status.st_mode),
            status.st_size,
            status.st_mtime_ns,
        )
    return found


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory, relay_server) -> BuiltSite:
    """The minimal site, deploying to BUCKET through the relay, built as `sitegen build` does."""
    folder = tmp_path_factory.mktemp("deploy")
    site = write_site(folder / "site", {**MINIMAL_SITE, "content/site.yaml": deploy_settings(relay_server[1])})
    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        assert main(["build", "-s", str(site)]) == 0, said.getvalue()
    shutil.copytree(site, folder / "built", symlinks=True)
    return BuiltSite(site, folder / "built")


@pytest.fixture(scope="module")
def s3_client(s3_server: S3Server):
    """A client of the S3 server itself (not through the relay), to set up and look at the bucket."""
    return boto3.client(
        "s3",
        endpoint_url=s3_server.endpoint,
        region_name=REGION,
        aws_access_key_id=s3_server.key_id,
        aws_secret_access_key=s3_server.secret,
        config=Config(s3={"addressing_style": "path"}),
    )


def empty_bucket(client) -> None:
    """BUCKET, empty: what the last test sent is deleted, or the bucket made again if it was deleted."""
    try:
        keys = [
            {"Key": item["Key"]}
            for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
            for item in page.get("Contents", ())
        ]
    except client.exceptions.NoSuchBucket:
        client.create_bucket(Bucket=BUCKET)
        return
    for start in range(0, len(keys), 1000):
        client.delete_objects(Bucket=BUCKET, Delete={"Objects": keys[start : start + 1000]})


@pytest.fixture
def deployment(built_site: BuiltSite, s3_server: S3Server, s3_client, relay, monkeypatch) -> Deployment:
    """The built site, an empty bucket, and the deployer's keys in the environment."""
    empty_bucket(s3_client)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", s3_server.key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", s3_server.secret)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    return Deployment(built_site.restore(), BUCKET, relay[0], s3_client)


def test_first_deploy_uploads_every_file_with_its_type_and_cache_lifetime(deployment, run):
    site = deployment.site
    files = built_files(site / "build")

    code, out, err = run("deploy", "-s", str(site))

    assert code == 0, err
    assert f"uploaded {len(files)} file(s)" in out
    objects = deployment.objects()
    assert {key: item["sha256"] for key, item in objects.items() if key != ".sitegen-deploy.json"} == files
    assert objects["index.html"]["type"] == "text/html; charset=utf-8"
    assert objects["index.html"]["cache"] == SHORT
    assert objects["sitemap.xml"]["cache"] == SHORT
    assert objects["data/parks.csv"]["type"] == "text/csv; charset=utf-8"
    assert objects["data/parks.geojson"]["type"] == "application/geo+json; charset=utf-8"
    assert objects["events.ics"]["type"] == "text/calendar; charset=utf-8"
    assert objects["static/css/site.css"]["type"] == "text/css; charset=utf-8"
    # every page links site.css and the map's files with ?v=hash, so they may stay cached;
    # Pagefind's runtime is loaded by a fixed name
    assert objects["static/css/site.css"]["cache"] == FOREVER
    assert objects["static/css/map.css"]["cache"] == FOREVER
    assert objects["static/vendor/leaflet/dist/leaflet.js"]["cache"] == FOREVER
    assert objects["pagefind/pagefind.js"]["cache"] == DAY
    assert objects["pagefind/pagefind-entry.json"]["cache"] == SHORT
    fragments = [key for key in objects if key.endswith(".pf_fragment")]
    assert fragments and all(objects[key]["cache"] == FOREVER for key in fragments)
    assert objects["static/img/share.png"]["type"] == "image/png"


def test_assets_go_before_the_pages_and_the_sitemap_last(deployment, run):
    site = deployment.site

    assert run("deploy", "-s", str(site))[0] == 0

    order = deployment.relay.uploaded()
    pages = [index for index, path in enumerate(order) if path.endswith(".html")]
    assets = [index for index, path in enumerate(order) if path.startswith(("static/", "pagefind/", "data/"))]
    assert max(assets) < min(pages)
    assert order[-2:] == ["sitemap.xml", ".sitegen-deploy.json"]


def test_after_a_one_park_edit_only_the_files_that_changed_are_uploaded(deployment, run):
    site = deployment.site
    run("deploy", "-s", str(site))
    before = built_files(site / "build")
    park = site / "content/parks/yantai-biotech-park.md"
    park.write_text(
        park.read_text(encoding="utf-8").replace("园区位于烟台。", "园区位于烟台，以生物医药为主。"), encoding="utf-8"
    )
    run("build", "-s", str(site))
    after = built_files(site / "build")
    changed = sorted(path for path in after if before.get(path) != after[path])
    assert "parks/yantai-biotech-park/index.html" in changed
    deployment.relay.requests.clear()

    code, out, err = run("deploy", "-s", str(site))

    assert code == 0, err
    uploaded = deployment.relay.uploaded()
    assert sorted(uploaded) == sorted([*changed, ".sitegen-deploy.json"])
    assert f"uploaded {len(changed)} file(s)" in out and f"{len(after) - len(changed)} unchanged" in out
    assert len(changed) < len(after) / 4

    deployment.relay.requests.clear()
    code, out, _ = run("deploy", "-s", str(site))
    assert code == 0 and "uploaded 0 file(s)" in out and deployment.relay.uploaded() == []


def test_files_no_longer_built_are_deleted_after_the_upload_unless_no_delete(deployment, run):
    site = deployment.site
    run("deploy", "-s", str(site))
    (site / "content/parks/yantai-biotech-park.md").unlink()
    run("build", "-s", str(site))

    code, out, _ = run("deploy", "-s", str(site), "--no-delete")
    assert code == 0 and "deleted 0" in out
    assert "parks/yantai-biotech-park/index.html" in deployment.stored_keys()

    deployment.relay.requests.clear()
    code, out, err = run("deploy", "-s", str(site))

    assert code == 0, err
    keys = deployment.stored_keys()
    assert "parks/yantai-biotech-park/index.html" not in keys
    assert "en/parks/yantai-biotech-park/index.html" not in keys
    assert keys - {".sitegen-deploy.json"} == set(built_files(site / "build"))
    methods = [method for method, _ in deployment.relay.requests]
    assert "POST" in methods and "PUT" not in methods[methods.index("POST") :]


def test_dry_run_lists_what_would_change_and_sends_nothing(deployment, run):
    site = deployment.site
    run("deploy", "-s", str(site))
    stored = deployment.objects()
    (site / "content/pages/about.en.md").write_text("About the alliance, revised.\n", encoding="utf-8")
    (site / "content/parks/yantai-biotech-park.md").unlink()
    run("build", "-s", str(site))
    deployment.relay.requests.clear()

    code, out, err = run("deploy", "-s", str(site), "--dry-run")

    assert code == 0, err
    assert "upload  en/about/index.html (changed)" in out
    assert "delete  parks/yantai-biotech-park/index.html" in out
    assert "dry run, nothing sent" in out
    assert {method for method, _ in deployment.relay.requests} <= {"GET", "HEAD"}
    assert deployment.objects() == stored


def test_a_bucket_filled_by_another_tool_is_compared_by_etag(deployment, run):
    """Without the manifest, equal bytes (ETag = MD5) with the right headers are left alone."""
    site = deployment.site
    run("deploy", "-s", str(site))
    deployment.client.delete_object(Bucket=deployment.bucket, Key=".sitegen-deploy.json")
    deployment.client.put_object(
        Bucket=deployment.bucket,
        Key="robots.txt",
        Body=(site / "build/robots.txt").read_bytes(),
        ContentType="text/plain",
    )
    deployment.relay.requests.clear()

    code, out, err = run("deploy", "-s", str(site), "--dry-run")

    assert code == 0, err
    assert [line for line in out.splitlines() if line.startswith("upload")] == ["upload  robots.txt (headers)"]


def test_a_server_failing_midway_names_the_files_not_uploaded_and_deletes_nothing(deployment, run):
    site = deployment.site
    run("deploy", "-s", str(site))
    (site / "content/parks/yantai-biotech-park.md").unlink()
    about = site / "content/pages/about.md"
    about.write_text(
        about.read_text(encoding="utf-8").replace("关于联盟的介绍。", "关于联盟的新介绍。"), encoding="utf-8"
    )
    assert run("build", "-s", str(site))[0] == 0
    before = deployment.stored_keys()
    deployment.relay.uploads_before_outage = 3

    code, out, err = run("deploy", "-s", str(site))

    assert code == 1
    assert "Traceback" not in err
    assert "deploy failed" in err and "InternalError" in err
    listed = err.split("nothing was deleted:\n", 1)[1].split()
    assert "sitemap.xml" in listed
    after = deployment.objects()
    assert before <= set(after), "a file was deleted although the upload failed"
    built = built_files(site / "build")
    missing = sorted(path for path, digest in built.items() if after.get(path, {}).get("sha256") != digest)
    assert sorted(listed) == missing

    deployment.relay.uploads_before_outage = None
    code, out, err = run("deploy", "-s", str(site))
    assert code == 0, err
    assert f"uploaded {len(missing)} file(s)" in out
    assert deployment.stored_keys() - {".sitegen-deploy.json"} == set(built)


def test_a_transient_server_error_is_retried(deployment, run):
    site = deployment.site
    deployment.relay.transient_failures = 2

    code, out, err = run("deploy", "-s", str(site))

    assert code == 0, err
    assert deployment.stored_keys() - {".sitegen-deploy.json"} == set(built_files(site / "build"))


def test_wrong_credentials_are_explained(deployment, run, monkeypatch):
    site = deployment.site
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")  # well-formed, wrong

    code, out, err = run("deploy", "-s", str(site))

    assert code == 1
    assert "refused the access key (SignatureDoesNotMatch)" in err
    assert "hint: " in err and "AWS_SECRET_ACCESS_KEY" in err
    assert "Traceback" not in err


def test_an_unknown_key_id_is_explained(deployment, run, monkeypatch):
    site = deployment.site
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")

    code, _, err = run("deploy", "-s", str(site))

    assert code == 1 and "refused the access key" in err and "Traceback" not in err


def test_a_missing_bucket_is_explained(deployment, run):
    site = deployment.site
    deployment.client.delete_bucket(Bucket=deployment.bucket)

    code, _, err = run("deploy", "-s", str(site))

    assert code == 1
    assert f"there is no bucket '{deployment.bucket}'" in err
    assert "hint: " in err and "deploy.bucket" in err


def test_without_keys_in_the_environment_nothing_is_tried(deployment, run, monkeypatch):
    site = deployment.site
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")

    code, _, err = run("deploy", "-s", str(site))

    assert code == 1
    assert "AWS_SECRET_ACCESS_KEY is not set" in err and "hint: " in err
    assert deployment.relay.requests == []


def test_without_a_build_the_hint_says_to_build(deployment, run, tmp_path):
    never_built = tmp_path / "site"
    shutil.copytree(deployment.site / "content", never_built / "content")

    code, _, err = run("deploy", "-s", str(never_built))

    assert code == 1 and "holds no built site" in err and "sitegen build" in err


def test_a_link_out_of_the_build_is_refused_and_nothing_is_sent(deployment, run, tmp_path):
    site = deployment.site
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "notes.txt").write_text("not for the public", encoding="utf-8")
    (site / "build" / "media").mkdir(exist_ok=True)
    (site / "build" / "media" / "notes").symlink_to(secret, target_is_directory=True)

    code, _, err = run("deploy", "-s", str(site))

    assert code == 1
    assert "build/media/notes is not a regular file" in err and "hint: " in err
    assert deployment.relay.requests == []


def test_an_unreachable_server_is_explained(deployment, run, monkeypatch):
    site = deployment.site
    settings = site / "content/site.yaml"
    text = settings.read_text(encoding="utf-8")
    endpoint = text.split("endpoint: '", 1)[1].split("'", 1)[0]
    settings.write_text(text.replace(endpoint, f"http://127.0.0.1:{free_port()}"), encoding="utf-8")
    run("build", "-s", str(site))
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")

    code, _, err = run("deploy", "-s", str(site))

    assert code == 1 and "could not reach http://127.0.0.1:" in err and "Traceback" not in err


def test_without_deploy_settings_the_hint_shows_them(make_site, run, monkeypatch):
    site = make_site()
    run("build", "-s", str(site))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "id")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")

    code, _, err = run("deploy", "-s", str(site))

    assert code == 1
    assert "content/site.yaml has no deploy settings" in err and "deploy: {endpoint: https://" in err


@pytest.mark.parametrize(
    ("deploy_settings", "expected"),
    [
        ("{endpoint: 'http://oss.example.cn', bucket: parks, region: cn-qingdao}", "is not encrypted"),
        (
            "{endpoint: 'https://s3.oss-cn-qingdao.aliyuncs.com/parks', bucket: parks, region: cn-qingdao}",
            "should not have a path",
        ),
        (
            "{endpoint: 'https://s3.oss-cn-qingdao.aliyuncs.com', bucket: Parks_Site, region: cn-qingdao}",
            "is not a valid bucket name",
        ),
        (
            "{endpoint: 'https://s3.oss-cn-qingdao.aliyuncs.com', bucket: parks, region: cn-qingdao, prefix: '../up'}",
            "is not a usable folder path",
        ),
        (
            "{endpoint: 'https://s3.oss-cn-qingdao.aliyuncs.com', bucket: parks}",
            "the required field 'deploy.region' is missing",
        ),
        (
            "{endpoint: 'https://s3.oss-cn-qingdao.aliyuncs.com', bucket: parks, region: cn-qingdao, secret: x}",
            "unknown field 'secret'",
        ),
    ],
)
def test_wrong_deploy_settings_name_the_line(make_site, run, deploy_settings, expected):
    settings = MINIMAL_SITE["content/site.yaml"] + f"deploy: {deploy_settings}\n"
    site = make_site({"content/site.yaml": settings})
    line = settings.count("\n")

    code, _, err = run("check", "-s", str(site))

    assert code == 1
    assert f"content/site.yaml:{line}: " in err and expected in err and "hint: " in err


def test_a_prefix_publishes_into_a_folder_of_the_bucket(deployment, run):
    site = deployment.site
    settings = site / "content/site.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("region: us-east-1}", "region: us-east-1, prefix: /parks/}"),
        encoding="utf-8",
    )
    deployment.client.put_object(Bucket=deployment.bucket, Key="other/keep.txt", Body=b"not ours")
    run("build", "-s", str(site))

    code, _, err = run("deploy", "-s", str(site))

    assert code == 0, err
    keys = deployment.stored_keys()
    assert "parks/index.html" in keys and "parks/.sitegen-deploy.json" in keys
    assert "other/keep.txt" in keys and "index.html" not in keys


def test_in_a_log_progress_is_a_line_every_tenth_of_the_files_and_the_final_count(deployment, run):
    site = deployment.site
    total = len(built_files(site / "build"))

    code, _, err = run("deploy", "-s", str(site))

    assert code == 0, err
    progress = [line for line in err.splitlines() if line.startswith("上传中 / uploading: ")]
    assert len(progress) >= 10 and "\r" not in err
    counts = [int(line.split(": ")[1].split("/")[0]) for line in progress]
    assert counts == sorted(counts) and counts[-1] == total
    assert progress[-1].startswith(f"上传中 / uploading: {total}/{total} files")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_progress_is_one_line_rewritten_in_place(deployment, run, s3_server):
    site = deployment.site
    total = len(built_files(site / "build"))
    terminal = Terminal()

    deploy(
        site / "build",
        DeploySettings(f"http://127.0.0.1:{deployment.relay.upstream_port}", deployment.bucket, REGION),
        Credentials(s3_server.key_id, s3_server.secret, None),
        progress_seconds=0,
        stream=terminal,
    )

    shown = terminal.getvalue()
    assert shown.count("\n") == 1 and shown.endswith("\n")
    assert shown.count("\r") > 1
    assert shown.rsplit("\r", 1)[1].startswith(f"上传中 / uploading: {total}/{total} files")


def test_only_files_every_page_links_with_a_version_are_cached_for_ever():
    pages = [
        ("index.html", '<link href="static/css/site.css?v=0a1b2c3d4e"><script src="static/js/map.js"></script>'),
        (
            "parks/a/index.html",
            '<link href="../../static/css/site.css?v=0a1b2c3d4e"><img src="../../static/img/x.png?v=99">',
        ),
        ("map/index.html", '<img src="../static/img/x.png"><a href="https://example.cn/static/y.css?v=1">'),
    ]

    versioned = versioned_assets(pages)

    assert versioned == {"static/css/site.css"}
    assert cache_control("static/css/site.css", versioned) == FOREVER
    assert cache_control("static/img/x.png", versioned) == DAY
    assert cache_control("pagefind/fragment/zh-cn_1a2b3c4.pf_fragment", versioned) == FOREVER
    assert cache_control("pagefind/pagefind-entry.json", versioned) == SHORT
    assert cache_control("pagefind/shard-2/pagefind-entry.json", versioned) == SHORT
    assert cache_control("pagefind/shard-2/pagefind.js", versioned) == DAY
    assert cache_control("en/events/feed.xml", versioned) == SHORT


# An outdated build ------------------------------------------------------------------------------


def test_a_build_older_than_the_content_is_refused_and_nothing_is_sent(deployment, run):
    site = deployment.site
    park = site / "content/parks/qilu-software-park.md"
    park.write_text(park.read_text(encoding="utf-8").replace("齐鲁软件园位于", "齐鲁软件园坐落于"), encoding="utf-8")

    for extra in ([], ["--dry-run"]):
        code, _, err = run("deploy", "-s", str(site), *extra)

        assert code == 1
        assert "build/ was not built from the current content" in err and "run `sitegen build`" in err
        assert deployment.relay.requests == []

    run("build", "-s", str(site))
    assert run("deploy", "-s", str(site))[0] == 0


@pytest.mark.parametrize(
    "change",
    [
        lambda site: (site / "content/pages/about.en.md").unlink(),
        lambda site: (site / "content/site.yaml").write_text(
            (site / "content/site.yaml").read_text(encoding="utf-8").replace("测试园区联盟", "测试园区联盟二"),
            encoding="utf-8",
        ),
        lambda site: write_site(site, {"themes/default/i18n.yaml": "nav_map: {zh: 招商地图, en: Investment map}\n"}),
    ],
    ids=["a deleted page", "the settings", "the theme"],
)
def test_any_change_to_content_theme_or_settings_makes_the_build_outdated(deployment, run, change):
    site = deployment.site
    change(site)

    code, _, err = run("deploy", "-s", str(site), "--dry-run")

    assert code == 1 and "was not built from the current content" in err


def test_a_build_without_a_record_is_sent_with_a_warning(deployment, run):
    site = deployment.site
    shutil.rmtree(site / ".sitegen-cache")

    code, _, err = run("deploy", "-s", str(site))

    assert code == 0, err
    assert "warning: " in err and "no record of how build/ was built" in err


# The record of what was sent --------------------------------------------------------------------


def test_the_record_of_what_was_sent_is_private_and_the_pages_are_not(deployment, run):
    site = deployment.site

    assert run("deploy", "-s", str(site))[0] == 0

    assert deployment.relay.acls[".sitegen-deploy.json"] == "private"
    assert deployment.relay.acls["index.html"] is None  # the bucket's own setting: public read
    grants = deployment.client.get_object_acl(Bucket=deployment.bucket, Key=".sitegen-deploy.json")["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)


def test_a_bucket_without_per_file_acls_still_gets_the_record_and_a_warning(deployment, run):
    site = deployment.site
    deployment.relay.refuse_acls = True

    code, _, err = run("deploy", "-s", str(site))

    assert code == 0, err
    assert "takes no per-file ACLs" in err and "docs/publishing.md" in err
    assert ".sitegen-deploy.json" in deployment.stored_keys()


DAMAGED_RECORDS = {
    "truncated": b'{"version": 1, "files": {"index.html": {"sha256": "0a1b',
    "entry not a table": b'{"version": 1, "files": {"index.html": "0a1b2c"}}',
    "values of the wrong kind": b'{"version": 1, "files": {"index.html": {"sha256": 5, "etag": null}}}',
    "files not a table": b'{"version": 1, "files": [["index.html", "0a1b"]]}',
    "a list": b"[1, 2, 3]",
    "binary": b"\xff\xfe\x00\x01binary\x00",
    "empty": b"",
}


@pytest.mark.parametrize("damage", DAMAGED_RECORDS.values(), ids=DAMAGED_RECORDS.keys())
def test_a_damaged_record_is_read_as_damaged_keeping_its_good_entries(damage):
    good = {"sha256": "0a1b", "etag": "9f8e", "content_type": "text/html", "cache_control": "no-cache"}
    assert read_manifest(damage) == ({}, True)
    mixed = json.loads(DAMAGED_RECORDS["values of the wrong kind"])
    mixed["files"]["about/index.html"] = good
    assert read_manifest(json.dumps(mixed).encode()) == ({"about/index.html": good}, True)


@pytest.mark.parametrize("damage", ["truncated", "binary"])
def test_a_damaged_record_is_set_aside_with_a_warning_and_replaced(deployment, run, damage):
    site = deployment.site
    run("deploy", "-s", str(site))
    deployment.client.put_object(Bucket=deployment.bucket, Key=".sitegen-deploy.json", Body=DAMAGED_RECORDS[damage])
    about = site / "content/pages/about.en.md"
    about.write_text("About the alliance, revised.\n", encoding="utf-8")
    run("build", "-s", str(site))

    code, _, err = run("deploy", "-s", str(site))

    assert code == 0, err
    assert "warning: " in err and ".sitegen-deploy.json in the bucket is damaged" in err
    about_page = deployment.object("en/about/index.html")
    assert about_page["sha256"] == built_files(site / "build")["en/about/index.html"]
    record = deployment.client.get_object(Bucket=deployment.bucket, Key=".sitegen-deploy.json")["Body"].read()
    assert set(json.loads(record)["files"]) == set(built_files(site / "build"))
    code, _, err = run("deploy", "-s", str(site))
    assert code == 0 and "damaged" not in err


# Keys -------------------------------------------------------------------------------------------

FAKE_KEY_ID = "AKIAFAKEKEYFAKEKEY42"
FAKE_SECRET = "FakeSecretFakeSecret/FakeSecret+FakeSecr"
"""Recognisable keys of the right form: no part of them may appear in anything printed or logged."""


@pytest.mark.parametrize(
    ("key_id", "secret", "expected"),
    [
        ("AKIAFAKEKEY FAKEKEY42", FAKE_SECRET, "AWS_ACCESS_KEY_ID is malformed, not a key: character 12 is a space"),
        ("AKIAFAKEKEY\nFAKEKEY42", FAKE_SECRET, "character 12 is a space or line break"),
        (FAKE_KEY_ID, "FakeSecretFakeSecret\r\n/FakeSecret+FakeSecr", "AWS_SECRET_ACCESS_KEY is malformed"),
        (FAKE_KEY_ID, "FakeSecretFakeSecret/FakeSecret+Fake Secr", "character 37 is a space"),
        ("AKIAFAKEKEYＦAKEKEY42", FAKE_SECRET, "character 12 is a character that is not ASCII"),
        (FAKE_KEY_ID, "FakeSecretFakeSecret/FakeSecret+FakeSecr密", "is a character that is not ASCII"),
        ('"AKIAFAKEKEYFAKEKEY42"', FAKE_SECRET, "character 1 is a quote"),
        ("AKIAFAKEKEY", FAKE_SECRET, "it has 11 characters, not 16 to 128"),
        (FAKE_KEY_ID, "FakeSecret", "AWS_SECRET_ACCESS_KEY is malformed, not a key: it has 10 characters"),
        (FAKE_KEY_ID, FAKE_SECRET * 4, "it has 160 characters"),
        (FAKE_KEY_ID, "", "AWS_SECRET_ACCESS_KEY is not set"),
        (FAKE_KEY_ID, None, "AWS_SECRET_ACCESS_KEY is not set"),
    ],
)
def test_malformed_keys_are_named_as_such_and_never_shown(deployment, run, monkeypatch, key_id, secret, expected):
    site = deployment.site
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key_id)
    if secret is None:
        monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    else:
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)

    code, out, err = run("deploy", "-s", str(site))

    assert code == 1 and expected in err and "hint: " in err
    assert "could not reach" not in err and "Traceback" not in err
    assert deployment.relay.requests == []
    for piece in ("FAKEKEY", "FakeSecret"):
        assert piece not in out + err


def test_no_key_reaches_the_screen_or_the_log_when_a_library_fails_unforeseen(deployment, run, monkeypatch):
    """A library error that quotes the request's headers (as http.client does for a bad one)."""
    site = deployment.site
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", FAKE_KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", FAKE_SECRET)

    def quotes_the_headers(self, request):
        raise ValueError(f"Invalid header value {request.headers['Authorization']!r} ({FAKE_SECRET})")

    monkeypatch.setattr("botocore.endpoint.Endpoint._send", quotes_the_headers)

    code, out, err = run("deploy", "-s", str(site))

    assert code == 1 and "internal error" in err
    log = (site / ".sitegen-cache/last-error.log").read_text(encoding="utf-8")
    assert "Invalid header value" in log
    for piece in (FAKE_KEY_ID, FAKE_SECRET):
        assert piece not in out + err + log


def test_a_key_quoted_by_the_server_is_not_shown(deployment, run, monkeypatch):
    site = deployment.site
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", FAKE_KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", FAKE_SECRET)

    def refuses_quoting_the_key(self, request):
        from botocore.exceptions import ClientError

        error = {"Code": "AccountProblem", "Message": f"the account of {FAKE_KEY_ID} is suspended"}
        raise ClientError({"Error": error}, "ListObjectsV2")

    monkeypatch.setattr("botocore.endpoint.Endpoint._send", refuses_quoting_the_key)

    code, out, err = run("deploy", "-s", str(site))

    assert code == 1 and "AccountProblem" in err and "the account of [key] is suspended" in err
    assert FAKE_KEY_ID not in out + err

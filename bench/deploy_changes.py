"""How many files `sitegen deploy` uploads, and how long it takes, against a local S3 server.

Run: python bench/deploy_changes.py [--parks 1000 ...]   (needs the test extra: moto[server])

For the starter content (content/) and a generated site of each size in --parks (bench/corpus.py),
in a temporary folder: build, deploy to an empty bucket of moto's S3 server on 127.0.0.1, deploy
again with nothing changed, then append a sentence to one park's Chinese body, build, and deploy
again. Prints one Markdown table: files in build/, files uploaded by each deploy, the files whose
bytes the one-park edit changed (what a perfect deploy uploads), and each deploy's seconds (whole
`python -m sitegen deploy` processes). A local server measures our own work plus moto's, which
is slow at listing (about 7 s for 4,700 objects, where our own reading and hashing of build/ takes
2.5 s); a bucket in China reached from abroad adds the network's round trips, which the parallel
uploads hide in part.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import generate_site

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def digests(build: Path) -> dict[str, str]:
    return {
        file.relative_to(build).as_posix(): hashlib.sha256(file.read_bytes()).hexdigest()
        for file in build.rglob("*")
        if file.is_file()
    }


def sitegen(*arguments: str, environment: dict[str, str] | None = None) -> tuple[str, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "sitegen", *arguments], cwd=REPO, env=environment, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"sitegen {' '.join(arguments)} failed:\n{done.stderr}")
    return done.stdout, time.perf_counter() - started


def uploaded(summary: str) -> int:
    return int(re.search(r"uploaded (\d+) file", summary)[1])


def measure(label: str, site: Path, endpoint: str, bucket: str) -> str:
    import boto3

    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=bucket)
    settings = site / "content" / "site.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + f"deploy: {{endpoint: '{endpoint}', bucket: {bucket}, region: us-east-1}}\n",
        encoding="utf-8",
    )
    environment = {**os.environ, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}
    sitegen("build", "-s", str(site))
    before = digests(site / "build")
    first, first_seconds = sitegen("deploy", "-s", str(site), environment=environment)
    again, again_seconds = sitegen("deploy", "-s", str(site), environment=environment)
    parks = sorted(path for path in (site / "content" / "parks").glob("*.md") if not path.name.endswith(".en.md"))
    with parks[len(parks) // 2].open("a", encoding="utf-8") as file:
        file.write("\n园区补充说明：新增标准厂房两栋，已交付使用。\n")
    sitegen("build", "-s", str(site))
    after = digests(site / "build")
    changed = sum(1 for path, digest in after.items() if before.get(path) != digest)
    gone = len(set(before) - set(after))
    edit, edit_seconds = sitegen("deploy", "-s", str(site), environment=environment)
    print(f"{label}: one-park edit: {edit.strip()}", file=sys.stderr)
    return (
        f"| {label} | {len(before):,} | {uploaded(first):,} ({first_seconds:.1f} s) | "
        f"{uploaded(again)} ({again_seconds:.1f} s) | {changed} changed, {gone} gone | "
        f"{uploaded(edit)} ({edit_seconds:.1f} s) |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parks", type=int, nargs="*", default=[1000], help="sizes of generated sites")
    arguments = parser.parse_args()
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench")
    rows = []
    try:
        with tempfile.TemporaryDirectory() as scratch:
            starter = Path(scratch, "starter")
            shutil.copytree(REPO / "content", starter / "content")
            rows.append(measure("starter (content/)", starter, endpoint, "starter"))
            for parks in arguments.parks:
                generated = Path(scratch, f"parks-{parks}")
                generate_site(generated, parks)
                rows.append(measure(f"generated {parks:,}", generated, endpoint, f"parks-{parks}"))
    finally:
        server.stop()
    print(
        "| site | files in build/ | first deploy: uploaded | nothing changed | one-park edit: build/ | "
        "one-park edit: uploaded |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()

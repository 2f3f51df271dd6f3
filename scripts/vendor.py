"""Re-create the vendored npm files: sitegen/theme/static/vendor/ as sitegen/theme/vendor.json lists
(the map libraries every site publishes), and sitegen/editor/cms/vendor/ as
sitegen/editor/cms/vendor.json lists (the browser editor, served only by `sitegen serve` and by
sites that ask for hosted editing).

Run by hand when adding or upgrading a vendored library, never at build or test time (builds
are offline). For each package it runs `npm pack NAME@VERSION` into a temporary directory,
checks the tarball against the recorded npm integrity, and copies the listed files keeping the
package's own layout (CSS files refer to images by relative path, so flattening breaks them).

    python scripts/vendor.py            # fetch, verify integrity and file hashes, copy
    python scripts/vendor.py --record   # after editing a version: record the new integrity
                                        # and file hashes instead of checking them

A test compares the copied files with the hashes in vendor.json, so a hand edit of a vendored
file, or a version bump without a re-run, fails the tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THEME = ROOT / "sitegen" / "theme"
EDITOR_CMS = ROOT / "sitegen" / "editor" / "cms"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pack(name: str, version: str, workdir: Path) -> tuple[Path, str]:
    """Download one package tarball with the ordinary npm client; return it and its integrity."""
    completed = subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--json", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
    )
    (report,) = json.loads(completed.stdout)
    if report["version"] != version:
        raise SystemExit(f"{name}: npm returned version {report['version']}, expected {version}")
    return workdir / report["filename"], report["integrity"]


def unpack(tarball: Path, workdir: Path) -> Path:
    destination = workdir / tarball.stem
    with tarfile.open(tarball) as archive:
        archive.extractall(destination, filter="data")
    return destination / "package"


def folder_of(package: dict) -> str:
    """The folder under vendor/: the package name, or `folder` for a scoped name (@tabler/icons)."""
    return package.get("folder", package["name"])


def vendor_package(package: dict, vendor_dir: Path, workdir: Path, record: bool) -> list[str]:
    """Copy one package's listed files; return the problems found (empty when all is well)."""
    name, version = package["name"], package["version"]
    tarball, integrity = pack(name, version, workdir)
    problems = []
    if record:
        package["integrity"] = integrity
    elif integrity != package["integrity"]:
        problems.append(f"{name}@{version}: npm integrity {integrity} != recorded")
    source = unpack(tarball, workdir)
    target = vendor_dir / folder_of(package)
    shutil.rmtree(target, ignore_errors=True)
    for relative in sorted(package["files"]):
        copied = target / relative
        copied.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / relative, copied)
        digest = sha256_of(copied)
        if record:
            package["files"][relative] = digest
        elif digest != package["files"][relative]:
            problems.append(f"{name}@{version}: {relative} sha256 {digest} != recorded")
    return problems


def vendor_manifest(manifest_path: Path, vendor_dir: Path, record: bool) -> list[str]:
    """Vendor every package one manifest lists; return the problems found."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    problems: list[str] = []
    vendor_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sitegen-vendor-") as temporary:
        for package in manifest["packages"]:
            problems += vendor_package(package, vendor_dir, Path(temporary), record)
    listed = {folder_of(package) for package in manifest["packages"]}
    for stale in sorted(path for path in vendor_dir.iterdir() if path.name not in listed):
        problems.append(f"{stale} is not listed in {manifest_path.name}; remove it or list it")
    if record:
        manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="write the new integrity and hashes to vendor.json")
    parser.add_argument("--theme", type=Path, default=THEME, help="theme directory")
    parser.add_argument("--editor", type=Path, default=EDITOR_CMS, help="the browser editor's directory")
    arguments = parser.parse_args()

    problems = vendor_manifest(arguments.theme / "vendor.json", arguments.theme / "static" / "vendor", arguments.record)
    problems += vendor_manifest(arguments.editor / "vendor.json", arguments.editor / "vendor", arguments.record)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

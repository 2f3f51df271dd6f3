"""The output folder changes in one step: killed at any moment, out of disk space, refused a
write, or racing another build, `build/` holds the complete old site or the complete new one."""

from __future__ import annotations

import hashlib
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from conftest import MINIMAL_SITE, write_site

from sitegen.cli import main

FIXED_DAY = "1767225600"
SECOND_PARK = "content/parks/yantai-biotech-park.md"


def digest_tree(folder: Path) -> dict[str, str]:
    return {
        file.relative_to(folder).as_posix(): hashlib.sha256(file.read_bytes()).hexdigest()
        for file in sorted(folder.rglob("*"))
        if file.is_file()
    }


def build_command(site: Path) -> list[str]:
    return [sys.executable, "-m", "sitegen", "build", "-s", str(site)]


def build(site: Path, *options: str) -> subprocess.CompletedProcess:
    """`sitegen build` run in this process, as the command line runs it: a second Python and its
    imports per build would cost more than the build. Builds to be killed run as processes."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, redirect_stdout(out), redirect_stderr(err):
        patch.setenv("SOURCE_DATE_EPOCH", FIXED_DAY)
        try:
            code = main(["build", "-s", str(site), *options])
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return subprocess.CompletedProcess([*build_command(site), *options], code, out.getvalue(), err.getvalue())


def version(site: Path, number: int) -> None:
    """Two versions of the content whose sites differ in many files, not just one page."""
    name = "园区" if number == 0 else "产业园区"
    write_site(
        site,
        {
            SECOND_PARK: MINIMAL_SITE[SECOND_PARK].replace("山东国际生物科技园", f"山东国际生物科技{name}"),
        },
    )


def leftovers(site: Path) -> list[str]:
    return sorted(path.name for path in site.iterdir() if path.name.startswith(".build"))


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory):
    """The site in version 0 and 1, and the digests of a fresh build of each."""
    sites = {}
    for number in (0, 1):
        site = write_site(tmp_path_factory.mktemp(f"fresh-{number}"), MINIMAL_SITE)
        version(site, number)
        assert build(site).returncode == 0
        sites[number] = digest_tree(site / "build")
    assert sites[0] != sites[1]
    return sites


def test_a_build_killed_at_a_random_moment_leaves_the_old_or_the_new_site(tmp_path, two_versions):
    """One kill; bench/kill_builds.py kills hundreds and counts what each left."""
    site = write_site(tmp_path / "site", MINIMAL_SITE)
    version(site, 0)
    started = time.perf_counter()
    assert build(site).returncode == 0
    whole = time.perf_counter() - started
    version(site, 1)
    process = subprocess.Popen(
        build_command(site),
        env={**os.environ, "SOURCE_DATE_EPOCH": FIXED_DAY},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(random.Random(20261129).uniform(0.0, whole * 1.2))
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert digest_tree(site / "build") in (two_versions[0], two_versions[1]), "a mixed or broken build/"
    version(site, 0)  # the build after a kill must not trust what the killed one left
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert digest_tree(site / "build") == two_versions[0]
    assert leftovers(site) == []


def test_another_build_waits_for_the_first_and_both_succeed(make_site):
    site = make_site()
    environment = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_DAY}
    first = subprocess.Popen(build_command(site), env=environment, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(build_command(site), env=environment, stderr=subprocess.PIPE, text=True)
    errors = [process.communicate()[1] for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], errors
    lock = site / ".sitegen-cache" / "build.lock"
    assert lock.is_file() and lock.read_text(encoding="utf-8") == ""  # no holder once both are done
    assert leftovers(site) == []
    assert (site / "build" / "index.html").is_file()


def test_the_waiting_build_names_the_holder(make_site, run):
    from sitegen.publish.lock import BuildLock

    site = make_site()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys; from pathlib import Path; from sitegen.publish.lock import BuildLock\n"
                f"with BuildLock(Path({str(site / '.sitegen-cache')!r})):\n"
                "    print('held', flush=True); sys.stdin.read()"
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    said = []

    def waiting(holder_named: str) -> None:
        said.append(holder_named)
        holder.stdin.close()  # the holder lets go once this build waits for it, not after a fixed time

    with BuildLock(site / ".sitegen-cache", on_wait=waiting):
        pass
    holder.wait()
    assert len(said) == 1 and f"process {holder.pid}" in said[0]


@contextmanager
def small_disk(folder: Path, size: str):
    """A tmpfs of `size` at `folder`: a disk that fills up. Only root may mount one."""
    folder.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_leaves_the_last_site_and_names_the_file(tmp_path):
    with small_disk(tmp_path / "disk", "6m") as disk:
        site = write_site(disk / "site", MINIMAL_SITE)
        first = build(site)
        assert first.returncode == 0, first.stderr
        before = digest_tree(site / "build")
        media = site / "content" / "media"
        media.mkdir(parents=True, exist_ok=True)
        status = os.statvfs(disk)
        free = status.f_bavail * status.f_frsize
        # An image that fits in content/ once, but not a second time in the new build:
        (media / "big.png").write_bytes(os.urandom(int(free * 0.6)))
        result = build(site)
        assert result.returncode == 1
        assert "No space left on device" in result.stderr and "Traceback" not in result.stderr
        assert "could not write " + str(site) in result.stderr  # names the file, not an empty path
        assert "hint: free some disk space" in result.stderr
        assert digest_tree(site / "build") == before
        assert leftovers(site) == []


def test_a_read_only_folder_leaves_the_last_site(tmp_path):
    with small_disk(tmp_path / "disk", "8m") as disk:
        site = write_site(disk / "site", MINIMAL_SITE)
        assert build(site).returncode == 0
        before = digest_tree(site / "build")
        version(site, 1)
        remount = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True, check=False)
        assert remount.returncode == 0, remount.stderr
        result = build(site)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "Read-only file system" in result.stderr and "hint:" in result.stderr
        assert digest_tree(site / "build") == before


def test_leftovers_of_an_interrupted_swap_are_recovered(make_site, run):
    site = make_site()
    assert run("build", "-s", str(site))[0] == 0
    before = digest_tree(site / "build")
    # As if killed between the two renames of a system without an atomic exchange:
    os.rename(site / "build", site / ".build.old")
    (site / ".build.new").mkdir()
    (site / ".build.new" / "index.html").write_text("half", encoding="utf-8")
    write_site(site, {SECOND_PARK: MINIMAL_SITE[SECOND_PARK]})  # same content: no change
    assert run("build", "-s", str(site))[0] == 0
    assert digest_tree(site / "build") == before
    assert leftovers(site) == []


def test_a_killed_builds_forked_workers_neither_hold_the_lock_nor_outlive_it(tmp_path):
    """A build's pool workers are forked after it took the lock: killing the build must end them
    and free the lock, or the next build would wait for ever."""
    script = (
        "import os, sys, time\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "import multiprocessing\n"
        "from pathlib import Path\n"
        "from sitegen.publish.lock import BuildLock\n"
        "from sitegen.workers import start_worker\n"
        f"lock = BuildLock(Path({str(tmp_path)!r})).__enter__()\n"
        "pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context('fork'),\n"
        "                           initializer=start_worker, initargs=(os.getpid(),))\n"
        "print(pool.submit(os.getpid).result(), flush=True)\n"
        "time.sleep(60)\n"
    )
    build = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    worker = int(build.stdout.readline())
    build.send_signal(signal.SIGKILL)
    build.wait()
    for _ in range(50):
        if not Path(f"/proc/{worker}").exists() or "Z" in Path(f"/proc/{worker}/stat").read_text().split()[2]:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the worker outlived the build")
    from sitegen.publish.lock import BuildLock

    said = []
    with BuildLock(tmp_path, on_wait=said.append):
        pass
    assert said == []


SPARE = Path(".sitegen-cache/previous-output")


def test_the_last_site_is_kept_to_assemble_the_next_one_in(make_site):
    """After a build, the cache holds the site before it, sharing every unchanged file."""
    site = make_site()
    version(site, 0)
    assert build(site).returncode == 0
    version(site, 1)
    assert build(site).returncode == 0
    spare = site / SPARE
    assert digest_tree(spare) != digest_tree(site / "build")
    same = [path for path in digest_tree(site / "build") if (spare / path).is_file()]
    shared = [path for path in same if os.path.samefile(spare / path, site / "build" / path)]
    assert shared and len(shared) < len(same)  # unchanged files are one file; changed ones are not
    assert leftovers(site) == []


def damage(spare: Path) -> None:
    """What a killed build or a curious hand may leave in the spare site."""
    pages = sorted(path for path in spare.rglob("index.html") if len(path.relative_to(spare).parts) == 3)
    pages[0].unlink()
    pages[1].unlink()
    pages[1].write_text("stale", encoding="utf-8")
    shutil.rmtree(pages[2].parent)
    pages[3].unlink()
    pages[3].mkdir()
    (pages[3] / "stray.html").write_text("stray", encoding="utf-8")
    (spare / "sitemap.xml").unlink()
    (spare / "sitemap.xml").mkdir()
    (spare / "junk").mkdir()
    (spare / "junk" / "file.txt").write_text("junk", encoding="utf-8")
    (spare / "index.html.sitegen-tmp").write_text("half", encoding="utf-8")


@pytest.mark.parametrize("content_changes", [True, False])
def test_a_damaged_spare_site_does_not_reach_the_output(tmp_path, two_versions, content_changes):
    site = write_site(tmp_path / "site", MINIMAL_SITE)
    for number in (0, 1):
        version(site, number)
        assert build(site).returncode == 0
    damage(site / SPARE)
    if content_changes:
        version(site, 0)
    else:  # no content change: the build is not skipped only because it is asked to check everything
        shutil.rmtree(site / ".sitegen-cache" / "search")
        (site / ".sitegen-cache" / "written.json").unlink()
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert digest_tree(site / "build") == two_versions[0 if content_changes else 1]
    version(site, 1)
    assert build(site).returncode == 0
    assert digest_tree(site / "build") == two_versions[1]


def test_a_page_edited_by_hand_in_the_output_is_drawn_again(tmp_path, two_versions):
    """Editing a page in place edits the spare's copy too (they are one file): both are redone."""
    site = write_site(tmp_path / "site", MINIMAL_SITE)
    for number in (0, 1, 0):
        version(site, number)
        assert build(site).returncode == 0
    with open(site / "build" / "index.html", "a", encoding="utf-8") as page:
        page.write("<!-- edited by hand -->")
    version(site, 1)
    assert build(site).returncode == 0
    assert digest_tree(site / "build") == two_versions[1]
    version(site, 0)
    assert build(site).returncode == 0
    assert digest_tree(site / "build") == two_versions[0]


def test_an_output_on_another_disk_is_assembled_beside_it(tmp_path, two_versions):
    """The spare site cannot be swapped across disks: the new site is assembled beside the
    output instead, and nothing is left there."""
    site = write_site(tmp_path / "site", MINIMAL_SITE)
    with small_disk(tmp_path / "disk", "16m") as disk:
        output = disk / "public"
        for number in (0, 1, 0):
            version(site, number)
            result = build(site, "-o", str(output))
            assert result.returncode == 0, result.stderr
            assert digest_tree(output) == two_versions[number]
        assert sorted(path.name for path in disk.iterdir()) == ["public"]


def test_sites_published_in_turn_through_one_spare_are_each_exactly_what_was_asked(tmp_path):
    """Random sites, where a file in one is a folder in the next, with the record of the last
    one known or lost and the spare damaged now and then: the output is always exactly the site."""
    from sitegen.publish.output import publish
    from sitegen.render.pages import Output

    chance = random.Random(1129)
    names = ["a", "a/b", "a/c", "a/c/d", "e", "e/f", "g", "g/h/i", "g/h", "j.html", "k/index.html"]
    destination, spare = tmp_path / "site" / "build", tmp_path / "site" / ".cache" / "spare"
    record = None
    for turn in range(60):
        wanted: dict[str, bytes] = {}
        for name in chance.sample(names, chance.randint(1, len(names))):
            if not any(name.startswith(f"{other}/") or other.startswith(f"{name}/") for other in wanted):
                wanted[name] = chance.choice([b"one", b"two", b"three", b""])
        published = publish(
            [Output(path, content) for path, content in wanted.items()], destination, record, spare=spare
        )
        assert {path: (destination / path).read_bytes() for path in digest_tree(destination)} == wanted, turn
        record = published.record if chance.random() < 0.8 else None
        if spare.is_dir() and chance.random() < 0.3:
            files = sorted(path for path in spare.rglob("*") if path.is_file())
            if files:
                victim = chance.choice(files)
                victim.unlink()
                if chance.random() < 0.5:
                    victim.write_bytes(chance.choice([b"damaged", b"two", b"six"]))  # "two": maybe the right bytes
        if chance.random() < 0.2:
            shutil.rmtree(destination, ignore_errors=True)  # build/ deleted since the last build
        assert not (tmp_path / "site" / ".build.new").exists() and not (tmp_path / "site" / ".build.old").exists()


@pytest.mark.parametrize("kind", ["link", "file"])
def test_a_link_or_a_file_in_place_of_the_spare_site_is_removed_and_what_it_points_to_left_alone(
    tmp_path, two_versions, kind
):
    site = write_site(tmp_path / "site", MINIMAL_SITE)
    for number in (1, 0):
        version(site, number)
        assert build(site).returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("keep me", encoding="utf-8")
    shutil.rmtree(site / SPARE)
    if kind == "link":
        (site / SPARE).symlink_to(elsewhere, target_is_directory=True)
    else:
        (site / SPARE).write_text("not a folder", encoding="utf-8")
    version(site, 1)
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert digest_tree(site / "build") == two_versions[1]
    assert (elsewhere / "precious.txt").read_text(encoding="utf-8") == "keep me"
    assert (site / SPARE).is_dir() and not (site / SPARE).is_symlink()


def test_a_file_written_in_place_while_a_run_removes_its_folder_is_written(tmp_path, monkeypatch):
    """The preview's late work writes a park's QR code while a run removes the folder that the
    deleted park's page left empty, between the late work making that folder and writing the
    file into it: the folder is made again and the file written."""
    from sitegen.publish import output
    from sitegen.render.pages import Output

    site = tmp_path / "preview"
    (site / "parks" / "x").mkdir(parents=True)
    (site / "parks" / "x" / "index.html").write_text("page")
    write_bytes = Path.write_bytes
    removed: list[bool] = []

    def removed_meanwhile(path: Path, data: bytes) -> int:
        if path.name.endswith(".sitegen-tmp") and not removed:
            removed.append(True)
            output._remove(site, "parks/x/index.html")  # the run, between the folder and the write
        return write_bytes(path, data)

    monkeypatch.setattr(Path, "write_bytes", removed_meanwhile)
    output.write_in_place([Output("parks/x/qr.svg", b"<svg/>")], site, {}, {})
    assert removed and (site / "parks" / "x" / "qr.svg").read_bytes() == b"<svg/>"


def test_a_file_written_in_place_whose_temporary_file_a_run_removes_is_written(tmp_path, monkeypatch):
    """A run that knows no record of the preview's folder (after a write that failed) removes
    every file it did not write, the late work's temporary file among them, between its
    writing and its move into place: it is written again, and no error is left to report."""
    from sitegen.publish import output
    from sitegen.render.pages import Output

    site = tmp_path / "preview"
    (site / "pagefind").mkdir(parents=True)
    write_bytes = Path.write_bytes
    removed: list[bool] = []

    def removed_once_written(path: Path, data: bytes) -> int:
        written = write_bytes(path, data)
        if path.name.endswith(".sitegen-tmp") and not removed:
            removed.append(True)
            path.unlink()  # the run, between the write and the move
        return written

    monkeypatch.setattr(Path, "write_bytes", removed_once_written)
    record: dict = {}
    assert output.write_in_place([Output("pagefind/index.pf", b"index")], site, {}, record) == 1
    assert removed and (site / "pagefind" / "index.pf").read_bytes() == b"index"
    assert list(record) == ["pagefind/index.pf"] and not list(site.rglob("*.sitegen-tmp"))


def test_a_folder_that_gains_a_file_while_it_is_removed_is_kept(tmp_path, monkeypatch):
    """A run removes the folders a deleted park's page leaves empty while the preview's late
    work may write into them: one that gained a file after it looked empty is kept."""
    from sitegen.publish import output

    site = tmp_path / "preview"
    (site / "parks" / "x").mkdir(parents=True)
    (site / "parks" / "x" / "index.html").write_text("page")
    iterdir = Path.iterdir

    def empty_then_written(folder: Path):  # the late work writes just after the look
        found = list(iterdir(folder))
        if folder.name == "x":
            (folder / "qr.svg").write_text("<svg/>")
        return iter(found)

    monkeypatch.setattr(Path, "iterdir", empty_then_written)
    output._remove(site, "parks/x/index.html")
    assert (site / "parks" / "x" / "qr.svg").read_text() == "<svg/>"

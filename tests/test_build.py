"""Building as CI does: deterministic bytes, a failed build writes nothing, no broken links, golden pages."""

from __future__ import annotations

import errno
import hashlib
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import StarterSite
from links import broken_links

from sitegen.build import build
from sitegen.render import markdown
from sitegen.render.markdown import BodiesAhead

GOLDEN = Path(__file__).parent / "golden" / "minimal"
GOLDEN_PAGES = (
    "parks/qilu-software-park/index.html",
    "en/parks/yantai-biotech-park/index.html",
    "en/events/index.html",
)
FIXED_DAY = "1704067200"  # 2024-01-01, so upcoming and past events stay put


def digest_tree(folder: Path) -> dict[str, str]:
    return {
        file.relative_to(folder).as_posix(): hashlib.sha256(file.read_bytes()).hexdigest()
        for file in sorted(folder.rglob("*"))
        if file.is_file()
    }


def build_in_subprocess(site: Path, output: Path, **environment: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_DAY, **environment}
    return subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "-s", str(site), "-o", str(output)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_two_builds_in_different_time_zones_and_locales_give_identical_bytes(make_site, tmp_path):
    site = make_site()
    first = build_in_subprocess(site, tmp_path / "one", TZ="UTC", LC_ALL="C")
    second = build_in_subprocess(site, tmp_path / "two", TZ="America/New_York", LC_ALL="C.UTF-8")
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert digest_tree(tmp_path / "one") == digest_tree(tmp_path / "two")


def test_a_failing_build_leaves_the_previous_build_untouched(make_site, run):
    site = make_site()
    assert run("build", "-s", str(site))[0] == 0
    before = digest_tree(site / "build")
    (site / "content/parks/qilu-software-park.md").write_text("---\nname: [broken\n---\n", encoding="utf-8")
    code, _, err = run("build", "-s", str(site))
    assert code == 1 and "nothing was written" in err
    assert digest_tree(site / "build") == before
    assert sorted(path.name for path in site.iterdir()) == [".sitegen-cache", "build", "content"]


def test_a_deleted_park_disappears_from_the_next_build(make_site, run):
    site = make_site()
    assert run("build", "-s", str(site))[0] == 0
    assert (site / "build/parks/yantai-biotech-park/index.html").is_file()
    (site / "content/parks/yantai-biotech-park.md").unlink()
    assert run("build", "-s", str(site))[0] == 0
    assert not (site / "build/parks/yantai-biotech-park").exists()


@pytest.mark.parametrize("output", ["content", ".", "content/parks/out", "themes/default"])
def test_refuses_to_write_over_the_sites_own_files(make_site, run, output):
    site = make_site()
    before = digest_tree(site / "content")
    code, _, err = run("build", "-s", str(site), "-o", str(site / output))
    assert code == 1 and "refusing to write there" in err
    assert digest_tree(site / "content") == before


def test_refuses_a_folder_that_is_not_a_built_site(make_site, run, tmp_path):
    keep = tmp_path / "documents"
    keep.mkdir()
    (keep / "report.docx").write_bytes(b"important")
    code, _, err = run("build", "-s", str(make_site()), "-o", str(keep))
    assert code == 1 and (keep / "report.docx").read_bytes() == b"important"


def test_minimal_site_matches_the_golden_pages(make_site, run, request, monkeypatch):
    """Regenerate with: pytest tests/test_build.py --update-golden (then review the diff)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_DAY)
    site = make_site()
    assert run("build", "-s", str(site))[0] == 0
    for page in GOLDEN_PAGES:
        built = (site / "build" / page).read_text(encoding="utf-8")
        golden = GOLDEN / page
        if request.config.getoption("--update-golden"):
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(built, encoding="utf-8")
        assert built == golden.read_text(encoding="utf-8"), f"{page} differs from tests/golden"


def test_minimal_site_has_no_broken_links(make_site, run):
    site = make_site()
    assert run("build", "-s", str(site))[0] == 0
    assert broken_links(site / "build") == []


def test_a_count_of_one_park_reads_in_the_singular(make_site, run):
    """Jinan and Yantai have one park each in the minimal site: "1 park", never "1 parks"."""
    site = make_site()
    assert run("build", "-s", str(site))[0] == 0
    english = (site / "build" / "en" / "cities" / "index.html").read_text(encoding="utf-8")
    chinese = (site / "build" / "cities" / "index.html").read_text(encoding="utf-8")
    assert english.count('<span class="count">1 park</span>') == 2 and "1 parks" not in english
    assert chinese.count('<span class="count">1 个园区</span>') == 2


@pytest.fixture(scope="module")
def starter_build(built_starter: StarterSite) -> Path:
    """The repository's own starter content, built as an editor would."""
    return built_starter.output


def test_starter_site_builds_with_every_internal_link_resolving(starter_build):
    assert broken_links(starter_build) == []


def test_starter_site_language_switchers_land_on_the_counterpart(starter_build):
    for page in starter_build.rglob("index.html"):
        relative = page.relative_to(starter_build).as_posix()
        counterpart = relative.removeprefix("en/") if relative.startswith("en/") else "en/" + relative
        assert (starter_build / counterpart).is_file(), relative
        html = page.read_text(encoding="utf-8")
        depth = relative.count("/")
        assert f'class="language-switch" href="{"../" * depth}{counterpart.removesuffix("index.html")}' in html


def test_starter_site_has_37_parks_in_both_languages(starter_build):
    assert len(list((starter_build / "parks").glob("*/index.html"))) == 37
    assert len(list((starter_build / "en/parks").glob("*/index.html"))) == 37


def test_a_second_build_with_nothing_changed_is_skipped_and_an_edit_is_not(make_site, run):
    site = make_site()
    assert run("build", "-s", str(site))[0] == 0
    code, out, err = run("build", "-s", str(site))
    assert code == 0 and out.startswith("up to date:")
    assert "there is no English text yet" in err  # the warnings of the last build are shown again
    park = site / "content/parks/qilu-software-park.md"
    park.write_text(
        park.read_text(encoding="utf-8").replace("是软件产业基地", "是国家级软件产业基地"), encoding="utf-8"
    )
    code, out, _ = run("build", "-s", str(site))
    assert code == 0 and out.startswith("built ")
    assert "国家级软件产业基地" in (site / "build/parks/qilu-software-park/index.html").read_text(encoding="utf-8")


def test_a_skipped_build_still_fails_strict_on_warnings(make_site, run):
    site = make_site()
    assert run("build", "-s", str(site))[0] == 0
    code, _, err = run("build", "-s", str(site), "--strict")
    assert code == 1 and "there is no English text yet" in err


def test_a_deleted_output_is_rebuilt_even_if_nothing_changed(make_site, run):
    site = make_site()
    assert run("build", "-s", str(site))[0] == 0
    shutil.rmtree(site / "build")
    code, out, _ = run("build", "-s", str(site))
    assert code == 0 and out.startswith("built ") and (site / "build/index.html").is_file()


def test_bodies_converted_while_the_content_is_read_give_the_same_pages(make_site, monkeypatch, tmp_path):
    """A first build of a large site has workers convert the bodies while it reads the content
    (sitegen.render.markdown.BodiesAhead): every body it converts was converted ahead, and
    the pages are those of a build that converts them afterwards."""
    monkeypatch.setattr(markdown, "_PARALLEL_FROM", 1)  # as at a thousand parks
    site = make_site(
        {
            "content/pages/guide.md": "---\r\ntitle: {zh: 办事指南, en: Guide}\r\n---\r\n## 办理\r\n\r\n一站式\r\n服务\r\n",
            "content/pages/guide.en.md": "Write the English text here (Markdown).\n",
        }
    )
    texts, ahead_of_them = [], []
    convert_all, converted = markdown.Converter.convert_all, BodiesAhead.converted

    def recording_texts(self, given, *arguments, **keywords):
        texts.extend(self.key(text) for text in given)
        return convert_all(self, given, *arguments, **keywords)

    def recording_ahead(self):
        ahead_of_them.append(converted(self))
        return ahead_of_them[-1]

    monkeypatch.setattr(markdown.Converter, "convert_all", recording_texts)
    monkeypatch.setattr(BodiesAhead, "converted", recording_ahead)
    build(site, tmp_path / "ahead")
    assert len(ahead_of_them) == 1 and len(texts) >= 7
    assert set(texts) <= set(ahead_of_them[0])

    shutil.rmtree(site / ".sitegen-cache")
    monkeypatch.setattr(BodiesAhead, "start", classmethod(lambda cls, folders, allow_raw_html: None))
    build(site, tmp_path / "after")
    assert len(ahead_of_them) == 1
    assert digest_tree(tmp_path / "ahead") == digest_tree(tmp_path / "after")


def test_a_first_build_that_fails_leaves_no_worker_behind(make_site, run, monkeypatch):
    monkeypatch.setattr(markdown, "_PARALLEL_FROM", 1)
    site = make_site({"content/parks/qilu-software-park.md": "---\nname: [broken\n---\n正文\n"})
    started = []
    start = BodiesAhead.start.__func__
    monkeypatch.setattr(
        BodiesAhead, "start", classmethod(lambda cls, *a: started.append(start(cls, *a)) or started[-1])
    )
    code, _, err = run("build", "-s", str(site))
    assert code == 1 and "qilu-software-park.md" in err
    assert started and started[0] is not None
    assert multiprocessing.active_children() == []


INTERRUPTED_WHILE_READING = """
import sys, threading, time
from sitegen import cli
from sitegen.content import sources
from sitegen.render import markdown
markdown._PARALLEL_FROM = 1  # workers convert ahead, as at a thousand parks
load_sources = sources.load_sources
def slow_load(*arguments):
    print("reading", flush=True)
    time.sleep(30)  # the workers have converted every body and wait for the build
    return load_sources(*arguments)
import sitegen.build
sitegen.build.load_sources = slow_load
sys.exit(cli.main(["build", "-s", sys.argv[1]]))
"""


def test_ctrl_c_while_the_bodies_are_converted_ahead_ends_the_build_quietly(make_site):
    """Ctrl+C reaches the build and its workers alike: the build ends with 130 and no
    traceback, and leaves no worker behind."""
    site = make_site()
    build = build_in_a_session(site, INTERRUPTED_WHILE_READING)
    assert build.stdout is not None and build.stdout.readline() == "reading\n"
    time.sleep(1)  # the workers are done with the site's few bodies
    os.killpg(build.pid, signal.SIGINT)
    assert_ended_quietly(build)
    assert processes_of_session(build.pid) == []


def build_in_a_session(site: Path, script: str) -> subprocess.Popen:
    """`script` run with the site's folder, in a session of its own: Ctrl+C sent to the session
    reaches the build and its workers, as a terminal's does."""
    return subprocess.Popen(
        [sys.executable, "-c", script, str(site)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def assert_ended_quietly(build: subprocess.Popen) -> None:
    """The build ends within a minute of Ctrl+C, as interrupted (130), without a traceback."""
    try:
        _, err = build.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(build.pid, signal.SIGKILL)
        build.communicate()
        pytest.fail("the build still ran a minute after Ctrl+C")
    assert build.returncode == 130
    assert "Traceback" not in err, err


def processes_of_session(session: int) -> list[int]:
    """The processes still running in a session (Linux), by their /proc/<pid>/stat."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split() if entry.name.isdigit() else []
        except OSError:  # ended meanwhile
            continue
        if fields and int(fields[3]) == session:
            found.append(int(entry.name))
    return found


INTERRUPTED_WHILE_CONVERTING = """
import sys, time
from pathlib import Path
from sitegen import build, cli
from sitegen.render import markdown
markdown._PARALLEL_FROM = 1  # the edited bodies are converted by workers, as after a large import
assert cli.main(["build", "-s", sys.argv[1]]) == 0
park = Path(sys.argv[1], "content/parks/qilu-software-park.md")
park.write_text(park.read_text(encoding="utf-8").replace("软件", "软件产业"), encoding="utf-8")
compile_templates = build.compile_templates
def compile_slowly(*arguments):
    time.sleep(1)  # the workers are done with the edited body
    print("compiling", flush=True)
    time.sleep(30)  # a large theme is compiled while the workers convert
    return compile_templates(*arguments)
build.compile_templates = compile_slowly
sys.exit(cli.main(["build", "-s", sys.argv[1]]))
"""


def test_ctrl_c_while_the_workers_convert_the_edited_bodies_ends_the_build_quietly(make_site):
    """Not only the workers that convert ahead: Ctrl+C reaches every pool's workers, and a
    build that converts its edited bodies on every core ends with 130 and no traceback."""
    site = make_site()
    build = build_in_a_session(site, INTERRUPTED_WHILE_CONVERTING)
    assert build.stdout is not None
    assert "compiling\n" in iter(build.stdout.readline, "")
    os.killpg(build.pid, signal.SIGINT)
    assert_ended_quietly(build)
    assert processes_of_session(build.pid) == []


INTERRUPTED_WHILE_FORKING = """
import os, signal, sys
from sitegen import cli
from sitegen.render import markdown
markdown._PARALLEL_FROM = 1  # workers convert ahead, as at a thousand parks
fork, forked = os.fork, []
def fork_then_ctrl_c():
    child = fork()
    if child:
        forked.append(child)
        if len(forked) == 2:  # the first worker waits for its work, the pool is not running yet
            os.kill(os.getpid(), signal.SIGINT)
    return child
os.fork = fork_then_ctrl_c
sys.exit(cli.main(["build", "-s", sys.argv[1]]))
"""


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="workers are forked on two cores or more")
def test_ctrl_c_while_the_workers_are_forked_ends_the_build(make_site):
    """Ctrl+C can reach the build between the forks of its pool's workers, before the pool
    hands out work: the workers forked so far ignore it and wait for work, and the build must
    not wait for them as it exits."""
    site = make_site()
    build = build_in_a_session(site, INTERRUPTED_WHILE_FORKING)
    assert_ended_quietly(build)
    for _ in range(50):  # a worker forked as Ctrl+C came ends with its parent, a moment later
        if not processes_of_session(build.pid):
            break
        time.sleep(0.1)
    assert processes_of_session(build.pid) == []


def test_a_build_that_cannot_start_its_workers_says_the_machine_is_out_of_processes(make_site, run, monkeypatch):
    """Forking fails on a machine out of processes or memory: the build says so, not that a
    file could not be written."""
    monkeypatch.setattr(markdown, "_PARALLEL_FROM", 1)  # workers, as at a thousand parks

    def no_fork() -> int:
        raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    code, _, err = run("build", "-s", str(make_site()))
    assert code == 1
    assert "out of processes or memory: Resource temporarily unavailable" in err
    assert "close some programs, then run the command again" in err
    assert "could not read or write" not in err and "Traceback" not in err

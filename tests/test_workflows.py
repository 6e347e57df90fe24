"""GitHub Actions workflows: valid YAML, real jobs, and the README's own commands."""

from __future__ import annotations

import re
import shlex

import pytest
from conftest import REPO
from ruamel.yaml import YAML

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
# What a run step may call: the README's commands, the site's deploy (mike for each
# language tree), gh and git's identity.
ALLOWED = [r"make", r"make test", r"\.venv/bin/grantpress check( .*)?", r"\.venv/bin/grantpress deploy --push .*",
           r"gh release create .*", r"git config user\.(name|email) .*"]
ACTIONS = {"actions/checkout", "actions/setup-python", "actions/upload-artifact"}


def load(path):
    return YAML(typ="safe", pure=True).load(path.read_text("utf-8"))


def runs(workflow) -> list[str]:
    """Every command line of every run step."""
    lines = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            for line in step.get("run", "").splitlines():
                if line.strip():
                    lines.append(line.strip())
    return lines


def test_three_workflows():
    assert [p.name for p in WORKFLOWS] == ["main.yml", "pull-request.yml", "release.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_valid(path):
    workflow = load(path)
    assert isinstance(workflow["name"], str) and workflow["on"]
    jobs = workflow["jobs"]
    assert jobs
    for job_id, job in jobs.items():
        assert re.fullmatch(r"[A-Za-z_][\w-]*", job_id)
        assert job["runs-on"] == "ubuntu-latest" and job["steps"]
        for need in ([job["needs"]] if isinstance(job.get("needs"), str) else job.get("needs", [])):
            assert need in jobs, f"{job_id} needs an unknown job {need}"
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step
            if "uses" in step:
                action, _, version = step["uses"].partition("@")
                assert action in ACTIONS and re.fullmatch(r"v\d+", version), step["uses"]
    for line in runs(workflow):
        assert any(re.fullmatch(p, line) for p in ALLOWED), f"{path.name}: not a README command: {line}"
        shlex.split(line)  # quoting is balanced


def test_pull_request_checks_tests_builds_and_uploads():
    workflow = load(REPO / ".github/workflows/pull-request.yml")
    assert "pull_request" in workflow["on"]
    lines = runs(workflow)
    assert "make" in lines and "make test" in lines
    check = next(line for line in lines if line.startswith(".venv/bin/grantpress check"))
    assert "--format github" in check and "--changed-from" in check
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    for artifact in ("build/monograph.pdf", "build/monograph.epub", "build/site/"):
        assert artifact in upload["with"]["path"]
    # the check runs even when the build stops on bad input, to annotate it
    assert next(s for s in steps if "grantpress check" in s.get("run", ""))["if"] == "${{ !cancelled() }}"


def test_main_deploys_the_development_version():
    workflow = load(REPO / ".github/workflows/main.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    lines = runs(workflow)
    assert lines.index("make") < lines.index(".venv/bin/grantpress deploy --push dev")
    assert workflow["permissions"]["contents"] == "write"


def test_release_attaches_pdf_and_epub_and_deploys_latest():
    workflow = load(REPO / ".github/workflows/release.yml")
    assert workflow["on"]["push"]["tags"] == ["v*"]
    lines = runs(workflow)
    release = next(line for line in lines if line.startswith("gh release create"))
    assert "build/monograph.pdf" in release and "build/monograph.epub" in release
    assert ('.venv/bin/grantpress deploy --push --set-default latest "${GITHUB_REF_NAME#v}" latest'
            in lines)
    assert lines.index("make") < lines.index("make test") < lines.index(release)


def test_commands_are_the_readme_s_and_exist():
    readme = (REPO / "README.md").read_text("utf-8")
    for command in ("make ", "make test", "grantpress check"):
        assert command in readme
    makefile = (REPO / "Makefile").read_text("utf-8")
    assert re.search(r"^test:", makefile, re.M) and re.search(r"^all:", makefile, re.M)
    from click.testing import CliRunner

    from grantpress.cli import cli
    help_text = CliRunner().invoke(cli, ["check", "--help"]).output
    for option in ("--format", "--changed-from", "--strict", "--spelling"):
        assert option in help_text
    assert "mike" in (REPO / "pyproject.toml").read_text("utf-8")
    deploy = CliRunner().invoke(cli, ["deploy", "--help"]).output
    assert "mike" in deploy and "--push" in deploy and "--set-default" in deploy

"""The set-up installs once: with everything installed, `make` runs no package manager.

The real `make` and the real `tools/setup-system.sh` run; apt-get, apt, dpkg
and sudo are replaced on PATH by scripts that only note that they were called
(and fail), so a probe that wrongly finds something missing shows up here.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE_MANAGERS = ("apt-get", "apt", "dpkg", "sudo")


def _watched_path(tmp_path: Path) -> tuple[dict, Path]:
    shims, log = tmp_path / "bin", tmp_path / "called.log"
    shims.mkdir()
    for name in PACKAGE_MANAGERS:
        shim = shims / name
        shim.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\nexit 1\n')
        shim.chmod(0o755)
    return {**os.environ, "PATH": f"{shims}:{os.environ['PATH']}"}, log


def test_a_second_make_runs_no_package_manager(tmp_path):
    env, log = _watched_path(tmp_path)
    runs = [subprocess.run(["make", "--no-print-directory", "-C", str(REPO), "setup-test"],
                           env=env, capture_output=True, text=True, timeout=600) for _ in range(2)]
    for run in runs:
        assert run.returncode == 0, run.stdout + run.stderr
    assert not log.exists(), log.read_text()
    assert "pip" not in runs[1].stdout, runs[1].stdout
    assert "nothing to install" in runs[1].stdout, runs[1].stdout


def test_the_probe_does_not_fail_at_random(tmp_path):
    """The old font probe (`fc-list | grep -q` under pipefail) failed in about half of the runs."""
    env, log = _watched_path(tmp_path)
    for _ in range(15):
        run = subprocess.run([str(REPO / "tools/setup-system.sh"), "test"], env=env,
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
    assert not log.exists(), log.read_text()


def test_without_root_a_missing_package_is_named_with_the_command_to_install_it(tmp_path):
    """A font reported missing (fc-list finds nothing), a user who is not root and
    no password-less sudo: the script says what to install and how, exits 1, and
    never runs apt-get."""
    env, log = _watched_path(tmp_path)
    shims = Path(env["PATH"].split(":")[0])
    for name, script in {"fc-list": "exit 0", "id": 'echo 1000'}.items():
        (shims / name).write_text(f"#!/bin/sh\n{script}\n")
        (shims / name).chmod(0o755)
    run = subprocess.run([str(REPO / "tools/setup-system.sh"), "build"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert "apt-get install --no-install-recommends fonts-liberation fonts-paratype fonts-dejavu-core" \
        in run.stderr, run.stderr
    assert "needs root" in run.stderr
    assert "apt-get" not in (log.read_text() if log.exists() else "")

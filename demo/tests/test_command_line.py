"""`bash scripts/demo.sh` as a user runs it: `--help` and bad arguments answer before anything is installed,
and a missing prerequisite exits 4 with what to install, as every command of the project does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from demo import REPO

DEMO = str(REPO / "scripts" / "demo.sh")
PYTHON311 = subprocess.run(
    ["python3.11", "-c", "import sys; print(sys.executable)"], capture_output=True, text=True, check=True
).stdout.strip()


def tools(folder: Path, links: dict[str, str] | None = None) -> str:
    """A PATH folder holding only `dirname`, Python 3.11 and the given tools (name -> real program)."""
    folder.mkdir()
    every = {"dirname": shutil.which("dirname") or "", "python3.11": PYTHON311, **(links or {})}
    for name, target in every.items():
        (folder / name).symlink_to(target)
    return str(folder)


def demo(path: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"} | {"PATH": path}
    return subprocess.run(["/bin/bash", DEMO, *args], capture_output=True, text=True, env=env, check=False)


def recording_npm(tmp_path: Path) -> str:
    """An `npm` that records that it ran (nothing may be installed before the arguments are checked)."""
    npm = tmp_path / "npm"
    npm.write_text(f"#!/bin/sh\necho npm >> {tmp_path}/installed\nexit 1\n", encoding="utf-8")
    npm.chmod(0o755)
    return str(npm)


def test_help_prints_the_usage_and_exit_codes_at_once(tmp_path: Path) -> None:
    path = tools(tmp_path / "bin")
    done = demo(path, "prod", "--help")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("usage: bash scripts/demo.sh [-h] [--scale SCALE]")
    assert done.stdout.rstrip().endswith(
        "exit codes: 0 done, 1 a step failed (named on screen and in the report), 2 usage error,\n"
        "4 a prerequisite is missing (Python 3.11, Node.js and npm, Java; Maven for the first run)"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale", "0"], "argument --scale: [--scale] must be a number above 0 and at most 400; got '0'"),
        (["--no-such-option"], "unrecognized arguments: --no-such-option"),
        (["staging"], "[stack] there is no Pulumi.staging.yaml; stacks: dev, prod"),
    ],
)
def test_a_usage_error_exits_2_before_anything_is_installed(
    tmp_path: Path, args: list[str], message: str
) -> None:
    path = tools(tmp_path / "bin", {"npm": recording_npm(tmp_path), "node": shutil.which("node") or ""})
    done = demo(path, *args, "--dir", str(tmp_path / "run"))
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == f"bash scripts/demo.sh: error: {message}"
    assert not (tmp_path / "installed").exists()


def test_without_python_3_11_it_exits_4_saying_so(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "dirname").symlink_to(shutil.which("dirname") or "")
    done = demo(str(tmp_path / "bin"))
    assert (done.returncode, done.stdout) == (4, "")
    assert done.stderr == (
        "demo: Python 3.11 is required (Glue 5.0 runs 3.11): install python3.11 and re-run\n"
    )


def test_without_node_or_java_it_exits_4_before_installing(tmp_path: Path) -> None:
    bin_ = tmp_path / "bin"
    path = tools(bin_)
    no_node = demo(path, "--dir", str(tmp_path / "run"))
    assert (no_node.returncode, no_node.stderr) == (
        4,
        "demo: Node.js 22 and npm are required (the offline plan, the table specs): install them and re-run\n",
    )
    (bin_ / "node").symlink_to(shutil.which("node") or "")
    (bin_ / "npm").symlink_to(recording_npm(tmp_path))
    no_java = demo(path, "--dir", str(tmp_path / "run"))
    assert (no_java.returncode, no_java.stderr) == (
        4,
        "demo: Java 17 is required (local Spark): install it (or set JAVA_HOME) and re-run\n",
    )
    assert not (tmp_path / "installed").exists()


def test_the_demo_module_answers_help_without_importing_spark() -> None:
    # The project's .venv has PySpark: `python -m demo --help` must not load it (nor the jobs).
    script = (
        "import runpy, sys\n"
        "sys.argv = ['demo', '--help']\n"
        "try:\n    runpy.run_module('demo', run_name='__main__')\n"
        "except SystemExit as done:\n    print(done.code, 'pyspark' in sys.modules, 'demo.run' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert done.stdout.splitlines()[0].startswith("usage: bash scripts/demo.sh [-h]")
    assert done.stdout.splitlines()[-1] == "0 False False"

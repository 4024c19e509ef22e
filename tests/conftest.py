"""Shared fixtures: a copy of the example agency that a test may change freely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).parent
EXAMPLE = HERE / "data" / "example"
GOLDEN = HERE / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite the golden files from the current output instead of comparing.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of tests/data/example (agency.yml and the client 'acme')."""
    target = tmp_path / "data"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture
def acme(data_dir: Path) -> Path:
    return data_dir / "acme"


def compare_golden(name: str, actual: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"golden file {path} is missing: run pytest --update-golden"
    assert actual == path.read_text(encoding="utf-8")

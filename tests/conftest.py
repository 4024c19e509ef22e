"""Shared fixtures: a copy of the example agency that a test may change freely."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
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


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The tests keep the Vega bundle in a folder of their own, not the user's cache."""
    from generator.site import CACHE_ENV

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("cache")))
        # The same output in a GitHub Actions job (the project's own tests run in one), where
        # `smrm validate` adds annotations: the tests of them set it themselves.
        patch.delenv("GITHUB_ACTIONS", raising=False)
        yield


#: The day every test's build takes place on, unless a test sets its own: after every month
#: of the fixtures, so that none is a month in progress whatever day the tests run on.
TEST_DAY = "2027-06-15T12:00:00+00:00"


@pytest.fixture(scope="session", autouse=True)
def _fixed_day() -> Iterator[None]:
    """The tests' builds take place on ``TEST_DAY`` (``SOURCE_DATE_EPOCH``, which the
    processes they start inherit)."""
    import datetime as dt

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime.fromisoformat(TEST_DAY).timestamp())))
        yield


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


CONTENT = HERE / "data" / "example-content"


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example agency plus an English copy of its client, built once for the session."""
    root = tmp_path_factory.mktemp("portal")
    data = root / "data"
    shutil.copytree(EXAMPLE, data)
    english = data / "acme-en"
    shutil.copytree(data / "acme", english)
    config = (english / "client.yml").read_text(encoding="utf-8")
    config = config.replace("locale: ru", "locale: en").replace(
        "name: Acme Furniture", "name: Acme UK"
    )
    (english / "client.yml").write_text(config, encoding="utf-8")
    # The agency's name in each report language: each footer shows the one in its own.
    agency = (data / "agency.yml").read_text(encoding="utf-8")
    agency = agency.replace(
        "name: Example Agency\n", "name:\n  ru: Агентство «Пример»\n  en: Example Agency\n"
    )
    assert "Агентство" in agency
    (data / "agency.yml").write_text(agency, encoding="utf-8")
    return build_all(data, CONTENT, root / "site")


HOSTILE = HERE / "data" / "hostile"


@pytest.fixture(scope="session")
def hostile_portal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two clients built together: the example 'acme' and 'evil', whose every text attacks."""
    root = tmp_path_factory.mktemp("hostile")
    data, content = root / "data", root / "content"
    shutil.copytree(HOSTILE, data)
    shutil.copytree(EXAMPLE / "acme", data / "acme")
    shutil.copytree(HERE / "data" / "hostile-content", content)
    shutil.copytree(CONTENT / "acme", content / "acme")
    return build_all(data, content, root / "site")


def build_all(data: Path, content: Path, out: Path) -> Path:
    """Every month of every client of ``data`` built into ``out``; no error and no build
    warning is allowed."""
    from generator.pipeline import check
    from generator.site import BuildOptions, build_clients

    result = check(data)
    assert [p.format() for p in result.all_problems if p.is_error] == []
    options = BuildOptions(out, content, HERE.parent / "mkdocs.yml", jobs=2)
    built = build_clients(result.clients, result.agency, options)
    assert [(b.slug, b.period, b.error, b.warnings) for b in built if b.error or b.warnings] == []
    return out

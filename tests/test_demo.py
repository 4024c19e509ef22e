"""The demo agency: seeded, realistic, and the same as the committed data/."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from generator.demo import generate, spike_index
from generator.pipeline import check, compute_metrics
from tests.conftest import HERE

REPO = HERE.parent


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    generate(out, n_clients=2, months=13, mentions=12000, end="2026-10", seed=7)
    return out


def test_committed_demo_data_is_what_the_generator_makes(demo: Path) -> None:
    """data/ must be regenerated (make demo-data) whenever the generator changes."""
    comparison = filecmp.dircmp(demo, REPO / "data")
    files = [f for d in ("", "dubrava", "northside-coffee") for f in sorted((demo / d).glob("*.*"))]
    assert files
    for path in files:
        relative = path.relative_to(demo)
        assert path.read_bytes() == (REPO / "data" / relative).read_bytes(), relative
    assert not comparison.left_only and not comparison.right_only


def test_demo_is_valid_and_realistic(demo: Path) -> None:
    result = check(demo)
    assert [p.format() for p in result.all_problems if p.is_error] == []
    ru, en = result.clients
    assert (ru.locale, en.locale) == ("ru", "en")
    assert ru.client is not None and ru.client.industry == "furniture"
    assert len(ru.client.strategy.swot.strengths) >= 2 and len(ru.client.team) >= 4
    for data in (ru, en):
        assert all(f.present for f in data.files.values())
        months = compute_metrics(data)
        assert len(months) >= 12
        spike = list(months)[spike_index(len(months))]
        worst = min(months, key=lambda m: months[m]["net_sentiment"])
        assert worst == spike
        latest = months[list(months)[-1]]
        shares = list(latest["sov"].values())
        assert shares[1] > shares[2] > shares[3]  # competitors of different sizes
        media = {
            t: sum(m["media"][t]["negative"] + m["media"][t]["positive"] for m in months.values())
            for t in ("radio", "tv")
        }
        assert media["radio"] > 0 and media["tv"] > 0
        assert len(latest["mentions_by_platform"]) >= 4
        totals = [m["mentions_total"] for m in months.values()]
        assert max(totals) > 1.4 * min(totals)  # seasonality
    # Revenue is written as a spreadsheet formats money, in the client's currency.
    assert compute_metrics(ru)["2026-10"]["outcome_units"] == {"выручка": "RUB"}
    assert compute_metrics(en)["2026-10"]["outcome_units"] == {"revenue": "GBP"}


def test_same_seed_same_data(demo: Path, tmp_path: Path) -> None:
    generate(tmp_path, n_clients=2, months=13, mentions=12000, end="2026-10", seed=7)
    assert (tmp_path / "dubrava" / "mentions.csv").read_bytes() == (
        demo / "dubrava" / "mentions.csv"
    ).read_bytes()
    generate(tmp_path, n_clients=2, months=13, mentions=12000, end="2026-10", seed=8)
    assert (tmp_path / "dubrava" / "mentions.csv").read_bytes() != (
        demo / "dubrava" / "mentions.csv"
    ).read_bytes()


def test_more_clients_for_benchmarks(tmp_path: Path) -> None:
    generate(tmp_path, n_clients=4, months=3, mentions=300, end="2026-10", seed=1)
    result = check(tmp_path)
    assert [c.slug for c in result.clients] == [
        "client-003",
        "client-004",
        "dubrava",
        "northside-coffee",
    ]
    assert not [p for p in result.all_problems if p.is_error]

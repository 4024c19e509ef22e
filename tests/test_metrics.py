"""Metrics hand-computed on the example client and on tiny frames."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from generator.metrics import (
    engagement,
    mention_cells,
    mention_counts,
    net_sentiment,
    reach_sums,
    share,
    sov_by_reach,
)
from tests.helpers import metrics_of


@pytest.fixture
def months(data_dir: Path) -> dict[str, dict]:
    return metrics_of(data_dir)


def test_periods_run_from_first_to_last_month_with_gaps(months: dict) -> None:
    assert list(months) == ["2026-09", "2026-10", "2026-11", "2026-12"]


def test_mentions_and_share_of_voice(months: dict) -> None:
    september = months["2026-09"]
    # 30 Sep 21:10 UTC is 1 Oct in Moscow: that radio mention belongs to October.
    assert september["mentions"] == {"Acme": 4, "Globex": 1, "Ёлка": 1}
    assert september["sov"] == {"Acme": 66.6667, "Globex": 16.6667, "Ёлка": 16.6667}
    # reach: Acme 1000 + 300 + 2000 + 20000, Globex 5000, Ёлка none → 0.
    assert september["sov_reach"] == pytest.approx(
        {"Acme": 82.3322, "Globex": 17.6678, "Ёлка": 0.0}
    )
    # October: the duplicate Globex row counts once.
    assert months["2026-10"]["mentions"] == {"Acme": 1, "Globex": 1, "Ёлка": 1}
    assert months["2026-10"]["sov_reach"]["Acme"] == round(50000 / 50900 * 100, 4)


def test_an_empty_month_has_zero_sov_and_no_reach_sov(months: dict) -> None:
    november = months["2026-11"]
    assert november["mentions"] == {"Acme": 0, "Globex": 0, "Ёлка": 0}
    assert november["sov"] == {"Acme": 0.0, "Globex": 0.0, "Ёлка": 0.0}
    assert november["sov_reach"] is None
    assert november["net_sentiment"] is None
    assert november["engagement"] is None


def test_feedback_counts_only_the_clients_reviews_and_comments(months: dict) -> None:
    # Acme's review (positive) and comment (negative); its post and media mention are not feedback.
    assert months["2026-09"]["feedback"] == {"positive": 1, "neutral": 0, "negative": 1}
    assert months["2026-09"]["net_sentiment"] == 0.0
    # Ёлка's positive comment in October is a competitor's, not feedback.
    assert months["2026-10"]["feedback"] == {"positive": 0, "neutral": 0, "negative": 0}
    assert months["2026-12"]["net_sentiment"] == 100.0


def test_media_mentions_by_type_and_tonality(months: dict) -> None:
    assert months["2026-09"]["media"]["online"] == {"positive": 1, "neutral": 0, "negative": 0}
    assert months["2026-10"]["media"]["radio"] == {"positive": 0, "neutral": 0, "negative": 1}
    assert set(months["2026-10"]["media"]) == {"online", "radio", "tv", "print"}


def test_engagement_sums_platforms(months: dict) -> None:
    assert months["2026-09"]["engagement"] == {
        "likes": 400,
        "comments": 50,
        "reposts": 15,
        "interactions": 465,
        "followers": 2000,
        "posts": 18,
        "reach": 8000,
        "rate_followers": 23.25,
        "rate_reach": 5.8125,
    }
    assert months["2026-10"]["engagement"]["rate_reach"] == round(322 / 5200 * 100, 4)


def test_breakdowns_by_brand_and_platform(months: dict) -> None:
    september, october = months["2026-09"], months["2026-10"]
    # Acme: the VK review (+) and comment (−, "vk" is VK), the Telegram post (0), the RBC
    # article (+); the radio mention is October's in Moscow.
    assert september["sentiment_by_brand"] == {
        "Acme": {"positive": 2, "neutral": 1, "negative": 1},
        "Globex": {"positive": 1, "neutral": 0, "negative": 0},
        "Ёлка": {"positive": 0, "neutral": 0, "negative": 1},
    }
    assert september["mentions_by_platform"] == {
        "Telegram": {"Acme": 1, "Globex": 1, "Ёлка": 0},
        "VK": {"Acme": 2, "Globex": 0, "Ёлка": 1},
        "РБК": {"Acme": 1, "Globex": 0, "Ёлка": 0},
    }
    # A platform seen once stays listed in every later month, with zeros.
    assert october["mentions_by_platform"]["Telegram"] == {"Acme": 0, "Globex": 0, "Ёлка": 0}
    assert october["mentions_by_platform"]["Радио"] == {"Acme": 1, "Globex": 0, "Ёлка": 0}
    # Only the client's reviews and comments: both on VK in September, none in October.
    assert september["feedback_by_platform"] == {"VK": {"positive": 1, "neutral": 0, "negative": 1}}
    assert october["feedback_by_platform"] == {}
    assert september["engagement_by_platform"]["Telegram"] == {
        "likes": 100,
        "comments": 10,
        "reposts": 5,
        "interactions": 115,
        "followers": 800,
        "posts": 8,
        "reach": 3000,
        "rate_followers": 14.375,
        "rate_reach": 3.8333,
    }
    # Platforms in the order of their names, as pages list them.
    assert list(september["engagement_by_platform"]) == ["Telegram", "VK"]
    assert list(october["mentions_by_platform"]) == ["Telegram", "VK", "РБК", "Радио"]
    assert list(october["engagement_by_platform"]) == ["VK"]
    assert months["2026-11"]["engagement_by_platform"] is None


def test_outcomes_and_goals(months: dict) -> None:
    # tab-separated, decimal comma, space as thousands separator
    assert months["2026-09"]["outcomes"] == {"leads": 25, "revenue": 150000.5}
    assert months["2026-10"]["outcomes"] == {"leads": 30, "revenue": None}
    goals = [(g["metric"], g["actual"], g["met"]) for g in months["2026-10"]["goals"]]
    assert goals == [("sov", 33.3333, False), ("net_sentiment", None, None), ("leads", 30, True)]


def test_an_outcomes_unit_is_kept_beside_its_metric(data_dir: Path, months: dict) -> None:
    assert months["2026-09"]["outcome_units"] == {}  # written without one
    outcomes = data_dir / "acme" / "outcomes.csv"
    text = outcomes.read_text(encoding="utf-8").replace("150 000,50", "150 000,50 руб.")
    outcomes.write_text(text, encoding="utf-8")
    after = metrics_of(data_dir)
    assert after["2026-09"]["outcomes"] == months["2026-09"]["outcomes"]
    assert after["2026-09"]["outcome_units"] == {"revenue": "RUB"}
    assert after["2026-10"]["outcome_units"] == {"revenue": "RUB"}  # no figure, still its unit
    # A unit first written in a later month leaves the months before it as they were.
    text = outcomes.read_text(encoding="utf-8").replace("\t30\n", "\t30 шт.\n")
    outcomes.write_text(text, encoding="utf-8")
    later = metrics_of(data_dir)
    assert later["2026-09"] == after["2026-09"]
    assert later["2026-10"]["outcome_units"] == {"leads": "pieces", "revenue": "RUB"}


def test_data_quality_counts_rows_up_to_the_month(months: dict) -> None:
    assert months["2026-09"]["data_quality"]["mentions.csv"] == {
        "read": 6,
        "used": 6,
        "duplicates": 0,
        "rejected": 0,
    }
    assert months["2026-12"]["data_quality"]["mentions.csv"] == {
        "read": 11,
        "used": 10,
        "duplicates": 1,
        "rejected": 0,
    }


def test_next_months_data_never_changes_an_earlier_month(data_dir: Path, months: dict) -> None:
    path = data_dir / "acme" / "mentions.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("2027-01-05,Globex,negative,VK,review,,https://vk.com/new,,,1,1,1,10\n")
        handle.write("2027-01-06,Acme,positive,Forum,post,,,,,,,,\n")
    with (data_dir / "acme" / "outcomes.csv").open("a", encoding="utf-8") as handle:
        handle.write("2027-01\tcalls\t7\n")
    after = metrics_of(data_dir)
    assert list(after) == [*months, "2027-01"]
    for period, content in months.items():
        assert after[period] == content
    assert after["2027-01"]["outcomes"] == {"leads": None, "revenue": None, "calls": 7}


def test_share_and_net_sentiment_on_tiny_frames() -> None:
    frame = pd.DataFrame(
        {
            "period": ["m"] * 3 + ["n"],
            "brand": ["a", "a", "b", "b"],
            "platform": ["VK", "", "VK", "VK"],
            "sentiment": [1, 1, 0, -1],
            "reach": [10.0, float("nan"), float("nan"), 5.0],
        }
    )
    cells = mention_cells(frame)
    counts = mention_counts(cells, ["m", "n", "o"], ["a", "b", "c"])
    assert counts.to_dict("index") == {
        "m": {"a": 2, "b": 1, "c": 0},
        "n": {"a": 0, "b": 1, "c": 0},
        "o": {"a": 0, "b": 0, "c": 0},
    }
    # A brand none of whose rows has a reach has no reach (NaN), not a reach of 0.
    reach = reach_sums(cells, ["m", "n"], ["a", "b", "c"])
    assert reach.loc["m"].tolist()[0] == 10.0
    assert reach.loc["m"].isna().tolist() == [False, True, True]
    assert reach.loc["n"].tolist()[1] == 5.0
    shares = share(counts)
    assert shares.loc["m"].tolist() == pytest.approx([200 / 3, 100 / 3, 0])
    assert shares.loc["o"].tolist() == [0, 0, 0]
    assert net_sentiment(3, 1, 1) == 40.0
    assert net_sentiment(0, 0, 0) is None
    reach = pd.DataFrame({"a": [10.0, None], "b": [30.0, None]}, index=["m", "n"])
    assert sov_by_reach(reach).loc["m"].tolist() == [25.0, 75.0]
    assert sov_by_reach(reach).loc["n"].isna().all()


def test_engagement_rates_without_followers_are_null() -> None:
    accounts = pd.DataFrame(
        {
            "period": ["m"],
            "platform": ["VK"],
            "likes": [5.0],
            "comments": [None],
            "reposts": [1.0],
            "followers": [0.0],
            "posts": [1.0],
            "reach": [None],
        }
    )
    row = engagement(accounts, ["period"]).loc["m"]
    assert row["interactions"] == 6
    assert pd.isna(row["rate_followers"]) and pd.isna(row["rate_reach"])


def _moment(when: str) -> str:
    """``SOURCE_DATE_EPOCH`` for an ISO moment with its offset."""
    return str(int(dt.datetime.fromisoformat(when).timestamp()))


def _up_to_october(data_dir: Path, last_day: bool = False) -> None:
    """The example without December's review and lead, so that October is its newest month;
    with two Globex posts either side of 15 September's end, and with ``last_day`` a post on
    31 October."""
    acme = data_dir / "acme"
    for name in ("mentions.csv", "outcomes.csv"):
        path = acme / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(x for x in lines if not x.startswith("2026-12")), encoding="utf-8")
    with (acme / "mentions.csv").open("a", encoding="utf-8") as handle:
        handle.write("2026-09-15 23:30,Globex,neutral,VK,post,,https://vk.com/b1,,x,,,,\n")
        handle.write("2026-09-16 00:05,Globex,neutral,VK,post,,https://vk.com/b2,,y,,,,\n")
        if last_day:
            handle.write("2026-10-31 10:00,Ёлка,neutral,VK,post,,https://vk.com/b3,,z,,,,\n")


@pytest.mark.parametrize(
    ("now", "in_progress"),
    [
        ("2026-10-16T12:00:00+03:00", "2026-10"),
        # 23:30 on 31 October in Moscow, the client's time zone: October is not over there...
        ("2026-10-31T20:30:00+00:00", "2026-10"),
        # ...and at 00:30 on 1 November it is, though it is still October in UTC.
        ("2026-10-31T21:30:00+00:00", None),
        ("2027-03-01T12:00:00+03:00", None),
        # Rows dated ahead of the build (a month within the year the checks allow) are not a
        # month in progress either.
        ("2026-09-20T12:00:00+03:00", None),
    ],
)
def test_only_the_newest_month_can_be_in_progress_where_the_client_is(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, now: str, in_progress: str | None
) -> None:
    _up_to_october(data_dir)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _moment(now))
    months = metrics_of(data_dir)
    assert [p for p, entry in months.items() if "in_progress" in entry] == (
        [in_progress] if in_progress else []
    )


def test_a_month_in_progress_is_set_beside_the_same_days_of_the_month_before(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """October's mentions go up to the 15th (Ёлка's comment), so its mention figures are set
    beside September's up to the end of the 15th: Acme's review and comment and Globex's two
    posts, not the 16th's post nor anything after."""
    _up_to_october(data_dir)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _moment("2026-10-16T12:00:00+03:00"))
    months = metrics_of(data_dir)
    assert months["2026-10"]["in_progress"] == {
        "through": "2026-10-15",
        "through_time": None,  # a date without a time: the whole of the 15th
        "compared_with": {
            "from": "2026-09-01",
            "to": "2026-09-15",
            "until": None,
            "mentions": {"Acme": 2, "Globex": 2, "Ёлка": 0},
            "mentions_total": 4,
            "sov": {"Acme": 50.0, "Globex": 50.0, "Ёлка": 0.0},
            "feedback": {"positive": 1, "neutral": 0, "negative": 1},
            "net_sentiment": 0.0,
        },
    }
    # The month's own figures are its rows so far, as for any month.
    assert months["2026-10"]["mentions"] == {"Acme": 1, "Globex": 1, "Ёлка": 1}
    assert "in_progress" not in months["2026-09"]


def test_the_same_days_stop_at_the_end_of_a_shorter_month_before(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """October's 31st is set beside all of September, whose figures it then repeats."""
    _up_to_october(data_dir, last_day=True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _moment("2026-10-31T12:00:00+03:00"))
    months = metrics_of(data_dir)
    so_far = months["2026-10"]["in_progress"]
    assert so_far["through"] == "2026-10-31"
    compared, september = so_far["compared_with"], months["2026-09"]
    assert (compared["from"], compared["to"], compared["until"]) == (
        "2026-09-01",
        "2026-09-30",
        None,
    )
    for key in ("mentions", "mentions_total", "sov", "feedback", "net_sentiment"):
        assert compared[key] == september[key], key


def test_a_month_in_progress_without_mentions_says_so(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """November has no mention: nothing to say how far it goes, nor to set beside."""
    _up_to_october(data_dir)
    with (data_dir / "acme" / "outcomes.csv").open("a", encoding="utf-8") as handle:
        handle.write("2026-11\tleads\t5\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _moment("2026-11-10T12:00:00+03:00"))
    assert metrics_of(data_dir)["2026-11"]["in_progress"] == {
        "through": None,
        "through_time": None,
        "compared_with": None,
    }


def _at_dawn(data_dir: Path) -> None:
    """``_up_to_october`` with a Globex post at 06:25 on 16 October, and Ёлка's posts either
    side of 06:25 on 16 September."""
    _up_to_october(data_dir)
    with (data_dir / "acme" / "mentions.csv").open("a", encoding="utf-8") as handle:
        handle.write("2026-09-16 06:25:40,Ёлка,neutral,VK,post,,https://vk.com/b4,,a,,,,\n")
        handle.write("2026-09-16 06:26,Ёлка,neutral,VK,post,,https://vk.com/b5,,b,,,,\n")
        handle.write("2026-10-16 06:25,Globex,neutral,VK,post,,https://vk.com/b6,,c,,,,\n")


def test_a_last_mention_with_its_time_is_set_beside_the_month_before_up_to_that_minute(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export taken at 06:30 on the 16th: its last mention, at 06:25, is set beside
    September up to 06:25 on the 16th, that minute included; the rest of that day, which
    October has not had yet, is left out."""
    _at_dawn(data_dir)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _moment("2026-10-16T06:30:00+03:00"))
    so_far = metrics_of(data_dir)["2026-10"]["in_progress"]
    assert (so_far["through"], so_far["through_time"]) == ("2026-10-16", "06:25")
    compared = so_far["compared_with"]
    assert (compared["from"], compared["to"], compared["until"]) == (
        "2026-09-01",
        "2026-09-16",
        "06:25",
    )
    # Globex's posts of the 5th, the 15th and 00:05 on the 16th; Ёлка's of 06:25:40.
    assert compared["mentions"] == {"Acme": 2, "Globex": 3, "Ёлка": 1}


@pytest.mark.parametrize(("since", "month"), [("2026-09-15", "2026-09"), ("2026-09-01", None)])
def test_the_month_monitoring_began_in_is_marked_unless_it_began_on_the_1st(
    data_dir: Path, since: str, month: str | None
) -> None:
    client = data_dir / "acme" / "client.yml"
    client.write_text(client.read_text(encoding="utf-8") + f"monitoring_since: {since}\n")
    months = metrics_of(data_dir)
    assert {p: e["monitoring_since"] for p, e in months.items() if "monitoring_since" in e} == (
        {month: since} if month else {}
    )

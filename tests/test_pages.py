"""Generated Markdown and chart specs of the example client, against golden files."""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
import vl_convert
from markupsafe import escape

from generator import charts, validate
from generator.assess import KEEPING, PARTIAL, SMM, assess
from generator.config import load_agency
from generator.i18n import (
    TEXTS,
    as_label,
    month_short,
    month_title,
    month_until,
    number,
    percent,
    signed,
    signed_percent,
    with_unit,
)
from generator.load import LoadError
from generator.pages import (
    MonthInput,
    excerpt,
    json_script,
    render_month,
    safe_url,
    source_rows,
)
from generator.pipeline import check
from generator.schema import Client
from generator.site import month_inputs
from tests.conftest import CONTENT, EXAMPLE, compare_golden


@pytest.fixture(scope="module")
def october():
    result = check(EXAMPLE)
    (acme,) = result.clients
    agency, _ = load_agency(EXAMPLE)
    inputs = {m.period: m for m in month_inputs(acme, agency, CONTENT)}
    return render_month(inputs["2026-10"])


def test_pages_match_golden_files(october, update_golden: bool) -> None:
    assert [name for _, name in october.nav] == [
        "index.md",
        "sov.md",
        "tonality.md",
        "engagement.md",
        "smm.md",
        "strategy.md",
        "reputation.md",
        "method.md",
    ]
    for name, text in october.pages.items():
        compare_golden(f"pages/acme-2026-10/{name}", text, update_golden)


def test_a_commentary_the_checks_refuse_is_not_put_on_a_page(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages made without the checks (``check`` not given the content folder) still show no
    other client's commentary, and name a commentary that is not text."""
    monkeypatch.chdir(data_dir.parent)
    content = data_dir.parent / "content"
    (content / "globex").mkdir(parents=True)
    (content / "globex" / "2026-10.md").write_text("Globex only.\n", encoding="utf-8")
    (content / "acme").mkdir()
    (content / "acme" / "2026-10.md").symlink_to(Path("..", "globex", "2026-10.md"))
    (acme,) = check(data_dir).clients
    agency, _ = load_agency(data_dir)
    with pytest.raises(LoadError) as info:
        month_inputs(acme, agency, content)
    assert info.value.message == "content/acme/2026-10.md: a symbolic link that leads out of acme/"
    (content / "acme" / "2026-10.md").unlink()
    (content / "acme" / "2026-10.md").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    with pytest.raises(LoadError) as info:
        month_inputs(acme, agency, content)
    assert info.value.message == "content/acme/2026-10.md: this is a binary file, not text"


def test_an_outcome_is_labelled_as_the_figures_beside_it_are() -> None:
    named = ["leads", "выручка", "iPhone sales", "ROI", "Лиды", "3 months", "lead time"]
    assert [as_label(name) for name in named] == [
        *("Leads", "Выручка", "iPhone sales", "ROI", "Лиды", "3 months", "Lead time")
    ]


def test_an_outcome_named_as_a_figure_of_the_accounts_is_a_line_of_its_own(
    data_dir: Path,
) -> None:
    """Beside `Likes` and `Followers`, the outcomes `leads` and `likes` are `Leads` and, not to
    be taken for the accounts' likes, `likes` as written."""
    outcomes = data_dir / "acme" / "outcomes.csv"
    text = outcomes.read_text(encoding="utf-8")
    outcomes.write_text(text + "2026-09\tlikes\t7\n2026-10\tlikes\t14\n", encoding="utf-8")
    (acme,) = check(data_dir).clients
    acme.locale = "en"
    agency, _ = load_agency(data_dir)
    inputs = {m.period: m for m in month_inputs(acme, agency, CONTENT)}
    spec = render_month(inputs["2026-10"]).charts["vanity_vs_business"].spec
    assert spec["encoding"]["color"]["scale"]["domain"] == [
        *("Likes", "Followers", "Leads", "Revenue", "likes")
    ]


def test_an_outcomes_card_names_its_unit(data_dir: Path) -> None:
    outcomes = data_dir / "acme" / "outcomes.csv"
    text = outcomes.read_text(encoding="utf-8").replace("150 000,50", "150 000,50 ₽")
    outcomes.write_text(text + "2026-09\tconversion\t12,5 %\n", encoding="utf-8")
    (acme,) = check(data_dir).clients
    agency, _ = load_agency(data_dir)
    inputs = {m.period: m for m in month_inputs(acme, agency, CONTENT)}
    page = render_month(inputs["2026-09"]).pages["index.md"]
    assert "revenue, ₽" in page
    assert "leads," not in page  # a metric written without a unit is named alone
    # A percent is shown as one, not rounded to a whole number, and its card is not "…, %".
    assert f">{percent(12.5, acme.client.locale)}<" in page
    assert "conversion<" in page and "conversion, %" not in page


def test_a_card_in_pounds_names_them_and_keeps_the_pence(data_dir: Path) -> None:
    outcomes = data_dir / "acme" / "outcomes.csv"
    text = outcomes.read_text(encoding="utf-8").replace("150 000,50", "£150 000,50")
    outcomes.write_text(text, encoding="utf-8")
    (acme,) = check(data_dir).clients
    acme.locale = "en"
    agency, _ = load_agency(data_dir)
    inputs = {m.period: m for m in month_inputs(acme, agency, CONTENT)}
    page = render_month(inputs["2026-09"]).pages["index.md"]
    assert "revenue, £" in page and ">150,000.50<" in page


@pytest.mark.parametrize("unit", sorted(set(validate._UNITS.values())))
def test_every_unit_read_off_a_figure_has_a_name_on_the_cards(unit: str) -> None:
    for locale in ("ru", "en"):
        named = with_unit("revenue", unit, locale)
        assert named.startswith("revenue, ") and len(named) > len("revenue, ")


def test_an_outcome_is_shown_as_written_not_rounded(data_dir: Path) -> None:
    """Money to its kopecks, other figures to the decimals they have (up to two), on the
    overview's cards, their changes, the goals and the SMM page."""
    outcomes = data_dir / "acme" / "outcomes.csv"
    text = outcomes.read_text(encoding="utf-8").replace("150 000,50", "150 000,50 ₽")
    extra = "2026-10\trevenue\t150 100,75 ₽\n2026-09\tcheck\t2,5\n2026-10\tcheck\t2,75\n"
    outcomes.write_text(text + extra, encoding="utf-8")
    client = data_dir / "acme" / "client.yml"
    goals = "goals:\n  - metric: Check\n    target: 3.25\n"
    client.write_text(client.read_text(encoding="utf-8").replace("goals:\n", goals), "utf-8")
    (acme,) = check(data_dir).clients
    agency, _ = load_agency(data_dir)
    inputs = {m.period: m for m in month_inputs(acme, agency, CONTENT)}
    pages = render_month(inputs["2026-10"]).pages
    nbsp = "\u00a0"
    overview = pages["index.md"]
    assert f">150{nbsp}100,75<" in overview
    assert f"+100,25 (+0,1{nbsp}%)" in overview  # the change, in kopecks too
    assert ">2,75<" in overview and "+0,25 (+10,0" in overview
    assert "Цель: 3,25 ·" in pages["strategy.md"]  # the goal names its outcome in another case
    assert f"(150{nbsp}000,50)" in pages["smm.md"]  # September's revenue beside its index
    assert "(2,5)" in pages["smm.md"]


def test_chart_specs_match_golden_files(october, update_golden: bool) -> None:
    assert sorted(october.charts) == [
        "engagement_platform",
        "engagement_trend",
        "er_trend",
        "feedback_trend",
        "media_types",
        "net_sentiment_trend",
        "sov_month",
        "sov_month_reach",
        "sov_platform",
        "sov_reach_trend",
        "sov_trend",
        "tonality_brands",
        "vanity_vs_business",
    ]
    for chart_id, chart in october.charts.items():
        text = json.dumps(chart.spec, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        compare_golden(f"pages/acme-2026-10/charts/{chart_id}.json", text, update_golden)


def test_chart_specs_are_valid_vega_lite(october) -> None:
    """Specs are built without Altair's validation (it is slow); the schema is checked here."""
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema.core import load_schema

    schema = load_schema()
    for chart in october.charts.values():
        validate_jsonschema(chart.spec, schema)
    with pytest.raises(Exception, match="no-such-mark"):
        validate_jsonschema({**chart.spec, "mark": "no-such-mark"}, schema)


def test_charts_carry_only_aggregates(october) -> None:
    """No mention text, author or URL ever reaches a chart."""
    specs = json.dumps([c.spec for c in october.charts.values()], ensure_ascii=False)
    for secret in ("Скидки", "Анна", "https://", "Ёлка лучше всех"):
        assert secret not in specs


def test_overview_shows_the_months_figures(october) -> None:
    page = october.pages["index.md"]
    assert "# Отчёт за октябрь 2026" in page
    assert "33,3\u00a0%" in page  # SoV of Acme in October
    assert "−33,3\u00a0п.\u00a0п." in page  # from 66,7 % in September
    assert "Acme&#39;s share of voice" in page or "Acme's share of voice" in page  # commentary


def test_reputation_lists_negative_feedback_with_the_template(october) -> None:
    page = october.pages["reputation.md"]
    # The radio mention of 1 October (30 Sep 21:10 UTC) is negative media: it needs a reply.
    assert "Эфир об Acme" in page
    assert "We are sorry. Please send us your order number." in page
    assert 'href="https://radio.example/1" rel="nofollow noopener ugc"' in page


def test_every_text_exists_in_both_languages() -> None:
    assert [k for k, v in TEXTS.items() if set(v) != {"ru", "en"} or not all(v.values())] == []


def test_russian_and_english_formats() -> None:
    assert percent(41.23, "ru") == "41,2\u00a0%"
    assert percent(41.23, "en") == "41.2%"
    assert number(1234567, "ru") == "1\u00a0234\u00a0567"
    assert month_title("2026-10", "ru") == "Октябрь 2026"
    assert month_title("2026-10", "en") == "October 2026"
    assert month_until("2026-12", "ru") == "декабря 2026"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://vk.com/x", "https://vk.com/x"),
        ("http://a.b/c?d=1", "http://a.b/c?d=1"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//evil.example/x", None),
        ("vk.com/x", None),
        ("", None),
    ],
)
def test_only_http_urls_become_links(url: str, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_a_strangers_direction_controls_cannot_reverse_what_a_page_shows(
    tmp_path: Path,
) -> None:
    # U+202E (right-to-left override) before "moc.knabrebs" shows it as "sberbank.com".
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    with (data / "acme" / "mentions.csv").open("a", encoding="utf-8") as handle:
        handle.write(
            "2026-10-20,Acme,negative,\u2067Telegram\u2069,comment,,https://t.me/x/1,"
            "\u202emoc.knabrebs,\u202bГде\x1b[2J заказ?\u202c,,,,999999\n"
        )
    (acme,) = check(data).clients
    agency, _ = load_agency(data)
    inputs = {m.period: m for m in month_inputs(acme, agency, CONTENT)}
    page = render_month(inputs["2026-10"]).pages["reputation.md"]
    assert "<td>Telegram</td><td>moc.knabrebs</td>" in page
    assert '<td class="smrm-mentions__text">Где[2J заказ?</td>' in page
    assert not re.search("[\x00-\x08\x0b-\x1f\u202a-\u202e\u2066-\u2069]", page)


def test_a_long_mention_is_shown_as_an_excerpt_its_link_leads_to_the_rest(
    tmp_path: Path,
) -> None:
    """A review can run to pages, a hostile export to megabytes a cell: a table shows the first
    300 characters of a text (80 of an author), cut at a space, and the link to the whole."""
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    words = " ".join(f"слово{i:04d}" for i in range(100_000))  # 1 MB
    with (data / "acme" / "mentions.csv").open("a", encoding="utf-8") as handle:
        handle.write(
            f"2026-10-20,Acme,negative,VK,comment,,https://vk.com/long,{'Имя' * 100},{words},,,,"
            "999999\n"
        )
    (acme,) = check(data).clients
    agency, _ = load_agency(data)
    inputs = {m.period: m for m in month_inputs(acme, agency, CONTENT)}
    page = render_month(inputs["2026-10"]).pages["reputation.md"]
    shown = " ".join(f"слово{i:04d}" for i in range(29)) + "…"  # 29 words of 10 and spaces
    assert f'<td class="smrm-mentions__text">{shown}</td>' in page
    assert f"<td>{'Имя' * 26}И…</td>" in page
    assert "слово0029" not in page and len(page) < 100_000
    assert excerpt("short  text") == "short text"
    assert excerpt("x" * 400) == "x" * 299 + "…"


def test_json_in_a_script_element_cannot_close_it() -> None:
    text = str(json_script({"a": "</script><script>alert(1)</script>", "b": "<!--"}))
    assert "<" not in text and ">" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script>", "b": "<!--"}


def test_smm_criteria_for_a_full_and_an_empty_strategy() -> None:
    result = check(EXAMPLE)
    client = result.clients[0].client
    assert client is not None
    sides = {c.key: c.side for c in assess(client, ["leads", "revenue"], "ru")}
    assert sides == {"goal": SMM, "basis": SMM, "team": PARTIAL, "judged": SMM}
    bare = Client.model_validate(
        {
            "name": "X",
            "brand": {"name": "X"},
            "competitors": [{"name": "Y"}],
            "team": [{"role": "smm"}],
        }
    )
    criteria = assess(bare, [], "en")
    assert {c.key: c.side for c in criteria} == {
        "goal": KEEPING,
        "basis": KEEPING,
        "team": KEEPING,
        "judged": KEEPING,
    }
    assert all(c.advice for c in criteria)
    assert criteria[2].reason == "One person runs the account (smm)."


def test_many_competitors_all_get_a_colour() -> None:
    from generator.charts import brand_colors

    names = [f"b{i}" for i in range(12)]
    scale = brand_colors(names, "#123456").to_dict()
    assert len(scale["range"]) == 12 and scale["range"][0] == "#123456"


def test_relative_changes_follow_the_locales_percent_format() -> None:
    assert signed_percent(15.44, "en") == "+15.4%"
    assert signed_percent(-15.44, "ru") == "−15,4\u00a0%"
    assert signed_percent(0, "ru") == "±0,0\u00a0%"


def test_a_page_carries_its_chart_configuration_once(october) -> None:
    configs = {json.dumps(c.spec["config"], sort_keys=True) for c in october.charts.values()}
    assert len(configs) == 1  # so one copy per page stands for every chart's
    for name, page in october.pages.items():
        shared = re.findall(r'<script type="application/json" class="smrm-chart-config">', page)
        specs = re.findall(r'class="smrm-spec">(.*?)</script>', page)
        assert len(shared) == (1 if specs else 0), name
        assert all('"config"' not in spec for spec in specs), name


def test_pages_write_chart_data_by_column_and_lose_nothing(october) -> None:
    embedded = {
        chart_id: json.loads(spec)
        for page in october.pages.values()
        for chart_id, spec in re.findall(
            r'id="chart-([\w-]+)">.*?class="smrm-spec">(.*?)</script>', page, re.S
        )
    }
    assert embedded.keys() == october.charts.keys()
    for chart_id, live in embedded.items():
        chart = october.charts[chart_id]
        datasets = live.pop("datasets")
        assert all(isinstance(columns, dict) for columns in datasets.values())
        rows = {
            name: [
                dict(zip(columns, values, strict=True))
                for values in zip(*columns.values(), strict=True)
            ]
            for name, columns in datasets.items()
        }
        assert {**live, "datasets": rows} == {
            k: v for k, v in chart.spec.items() if k != "config"
        }, chart.id


def test_a_month_lists_the_rejected_rows_up_to_it_and_the_undated(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    with (data / "acme" / "mentions.csv").open("a", encoding="utf-8") as handle:
        handle.write("2026-09-20,Acme,great,VK,post,,,a,September,,,,\n")
        handle.write("2026-12-20,Acme,great,VK,post,,,a,December,,,,\n")
        handle.write("someday,Acme,positive,VK,post,,,a,Undated,,,,\n")
    (acme,) = check(data).clients
    agency, _ = load_agency(data)
    inputs = {m.period: m for m in month_inputs(acme, agency, CONTENT)}

    marks = {"September", "December", "Undated"}

    def texts(period: str) -> list[str]:
        return sorted(r["text"] for r in inputs[period].rejected if r["text"] in marks)

    assert texts("2026-09") == ["September", "Undated"]
    assert texts("2026-11") == ["September", "Undated"]
    assert texts("2026-12") == ["December", "September", "Undated"]


def test_a_month_lists_at_most_so_many_rejected_rows_and_says_how_many_there_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken export of 500,000 rows made each month's method page 74 MB."""
    monkeypatch.setattr(validate, "REJECTED_SHOWN", 2)
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    with (data / "acme" / "mentions.csv").open("a", encoding="utf-8") as handle:
        for day in range(1, 4):
            handle.write(f"2026-10-0{day},Acme,great,VK,post,,,a,Bad {day},,,,\n")
    (acme,) = check(data).clients
    agency, _ = load_agency(data)
    october = {m.period: m for m in month_inputs(acme, agency, CONTENT)}["2026-10"]
    assert [r["text"] for r in october.rejected] == ["Bad 1", "Bad 2"]
    assert october.rejected_total == 3
    page = render_month(october).pages["method.md"]
    assert page.count("<tr><td><code>") == 2
    assert "Показаны первые 2 из 3 отклонённых строк" in page


def test_the_largest_count_accepted_is_written_exactly(tmp_path: Path) -> None:
    """A hostile export's absurd reach is written digit for digit (up to it, counts are exact;
    beyond it they are rejected: see test_validate)."""
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    with (data / "acme" / "mentions.csv").open("a", encoding="utf-8") as handle:
        handle.write(
            "2026-10-20,Acme,negative,VK,review,,https://vk.com/absurd,a,Absurd,1,0,0,"
            f"{2**53 - 1}\n"
        )
    (acme,) = check(data).clients
    assert acme.ok(lenient=False)
    agency, _ = load_agency(data)
    inputs = {m.period: m for m in month_inputs(acme, agency, CONTENT)}
    october = render_month(inputs["2026-10"])
    assert "9\u00a0007\u00a0199\u00a0254\u00a0740\u00a0991" in october.pages["reputation.md"]


def test_trends_show_the_last_twelve_months_and_series_csv_all(tmp_path: Path) -> None:
    from generator.demo import generate
    from generator.i18n import month_short
    from generator.pages import TREND_MONTHS

    data = tmp_path / "data"
    generate(data, n_clients=1, months=16, mentions=60, end="2026-10", seed=5)
    (client,) = check(data).clients
    agency, _ = load_agency(data)
    inputs = month_inputs(client, agency, CONTENT)
    assert len(inputs) == 16 and TREND_MONTHS == 12
    months = [month_short(m.period, client.locale) for m in inputs]
    newest = render_month(inputs[-1])
    trends = [c for c in newest.charts.values() if c.id.endswith("_trend")]
    assert len(trends) >= 5
    for chart in [*trends, newest.charts["vanity_vs_business"]]:
        # A month with no value for a chart (no feedback, no accounts) may have no row.
        assert {row[0] for row in chart.rows} <= set(months[-12:]), chart.id
        values = next(iter(chart.spec["datasets"].values()))
        assert {row["month"] for row in values} <= set(months[-12:]), chart.id
    assert [row[0] for row in newest.charts["sov_trend"].rows] == months[-12:]
    assert f"{months[-12]} – {months[-1]}" in newest.pages["sov.md"]
    # The download keeps every month; the pages no longer grow with the history.
    assert len(newest.downloads["series.csv"].splitlines()) == 1 + 16
    twelfth = render_month(inputs[11])
    assert len(twelfth.downloads["series.csv"].splitlines()) == 1 + 12
    for name in ("sov", "engagement"):
        chart = f"{name}_trend"
        assert len(json.dumps(newest.charts[chart].spec)) < 1.05 * len(
            json.dumps(twelfth.charts[chart].spec)
        )


def _counts(read: int, duplicates: int = 0, rejected: int = 0) -> dict[str, int]:
    used = read - duplicates - rejected
    return {"read": read, "used": used, "duplicates": duplicates, "rejected": rejected}


def test_a_folder_of_files_is_one_row_with_those_that_lost_rows_below_it() -> None:
    quality = {
        "mentions.csv": _counts(10, duplicates=1),
        "mentions/2026-10-01.csv": _counts(5),
        "mentions/2026-10-02.csv": _counts(4, rejected=2),
        "mentions/2026-10-03.csv": _counts(6),
        "accounts.csv": _counts(3),
    }
    assert [(r.name, dict(r.counts), r.files, r.part) for r in source_rows(quality)] == [
        ("mentions.csv", _counts(10, duplicates=1), 0, False),
        ("mentions/", _counts(15, rejected=2), 3, False),
        ("mentions/2026-10-02.csv", _counts(4, rejected=2), 0, True),
        ("accounts.csv", _counts(3), 0, False),
    ]
    # A folder of one file is just that file; a line break in a name is shown as an escape.
    alone = {"mentions/2026\n10.csv": _counts(5), "accounts.csv": _counts(3)}
    assert [(r.name, r.files) for r in source_rows(alone)] == [
        ("mentions/2026\\n10.csv", 0),
        ("accounts.csv", 0),
    ]


def test_the_method_page_counts_a_folder_of_daily_files_together(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    acme = data / "acme"
    header = (acme / "mentions.csv").read_text(encoding="utf-8").splitlines()[0]
    (acme / "mentions").mkdir()
    for day in range(1, 4):
        row = f"2026-10-{day:02},Acme,positive,VK,post,,https://vk.com/d{day},a,b,1,0,0,10"
        if day == 2:  # and a row that is rejected
            row += "\n" + row.replace("positive", "so-so").replace("/d2", "/e2")
        (acme / "mentions" / f"2026-10-{day:02}.csv").write_text(f"{header}\n{row}\n")
    result = check(data)
    agency, _ = load_agency(data)
    october = {m.period: m for m in month_inputs(result.clients[0], agency, CONTENT)}["2026-10"]
    page = render_month(october).pages["method.md"]
    read = '<td class="smrm-num" data-label="Прочитано строк">4</td>'
    assert f"<code>mentions/</code> (файлов: 3)</th>{read}" in page
    assert "mentions/2026-10-01.csv" not in page
    assert '<tr class="smrm-part"><th scope="row"><code>mentions/2026-10-02.csv</code>' in page
    assert TEXTS["folder_note"]["ru"] in page


def _example(tmp_path: Path, locale: str = "ru") -> Path:
    """A copy of the example agency, its client's reports in ``locale``."""
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    client = data / "acme" / "client.yml"
    client.write_text(client.read_text(encoding="utf-8").replace("locale: ru", f"locale: {locale}"))
    return data


def _months(data: Path) -> dict[str, MonthInput]:
    """The example client's months as the build gives them, by period."""
    (acme,) = check(data).clients
    agency, _ = load_agency(data)
    return {m.period: m for m in month_inputs(acme, agency, CONTENT)}


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_months_without_feedback_say_why_instead_of_an_empty_chart(
    tmp_path: Path, locale: str
) -> None:
    """An export of posts only (a monitoring tool's, without reviews or comments) has no
    tonality of feedback: the page says so and points to the tonality of all mentions, the
    overview's card says why it has no net sentiment, and the reputation page how many
    negative posts it does not list."""
    data = _example(tmp_path, locale)
    mentions = data / "acme" / "mentions.csv"
    lines = mentions.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.append("2026-10-20,Acme,negative,VK,post,,https://vk.com/neg,a,Плохо,,,,\n")
    mentions.write_text(
        "".join(re.sub(r",(review|comment|media),", ",post,", line) for line in lines),
        encoding="utf-8",
    )
    report = render_month(_months(data)["2026-10"])
    tonality, overview = report.pages["tonality.md"], report.pages["index.md"]
    why = TEXTS["no_feedback_months"][locale].format(brand="Acme")
    assert f'<p class="smrm-empty">{why} {TEXTS["all_tones_below"][locale]}</p>' in tonality
    assert "feedback_trend" not in report.charts and "tonality_brands" in report.charts
    assert _kpi(overview, TEXTS["net_sentiment"][locale])[1] == TEXTS["no_feedback"][locale]
    # The radio mention of 30 September 21:10 UTC (October in Moscow), now a post, and this one.
    unlisted = TEXTS["negative_posts"][locale].format(brand="Acme", count="2")
    assert f"{TEXTS['no_negative'][locale]} {unlisted}</p>" in report.pages["reputation.md"]


def test_a_month_without_feedback_after_months_with_it_keeps_the_chart(october) -> None:
    """Earlier months' feedback is still worth its chart; this month's caption says why it
    has none."""
    assert "feedback_trend" in october.charts
    assert october.charts["feedback_trend"].caption == "октябрь 2026: нет отзывов и комментариев"
    assert 'class="smrm-empty"' not in october.pages["tonality.md"]


def _august_without_mentions(tmp_path: Path, locale: str = "ru") -> dict[str, MonthInput]:
    """The example's months with a July review added: August, between it and September, is a
    month without mentions of any brand."""
    data = _example(tmp_path, locale)
    with (data / "acme" / "mentions.csv").open("a", encoding="utf-8") as handle:
        handle.write("2026-07-15,Acme,positive,VK,review,,https://vk.com/july,a,Июль,,,,\n")
    return _months(data)


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_a_negative_figure_is_written_with_the_minus_sign_of_its_change(
    tmp_path: Path, locale: str
) -> None:
    """`−33,3` on the card, as its change and the charts' axes write it, not Babel's hyphen."""
    data = _example(tmp_path, locale)
    with (data / "acme" / "mentions.csv").open("a", encoding="utf-8") as handle:
        for day in (2, 3):  # beside December's one positive review
            handle.write(f"2026-12-0{day},Acme,negative,VK,comment,,,a,Плохо,,,,\n")
    december = render_month(_months(data)["2026-12"])
    value, _ = _kpi(december.pages["index.md"], TEXTS["net_sentiment"][locale])
    assert value == ("\u221233,3" if locale == "ru" else "\u221233.3")
    assert "-" not in value


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_reputation_says_how_many_mentions_there_are_and_how_many_it_lists(
    tmp_path: Path, locale: str
) -> None:
    """Counts as the other pages write them (`1 234`), and the advocates' table, like the
    one of negative mentions, says when it lists only the first of them."""
    data = _example(tmp_path, locale)
    with (data / "acme" / "mentions.csv").open("a", encoding="utf-8") as handle:
        for index in range(1234):
            handle.write(f"2026-12-02,Acme,negative,VK,comment,,,a{index},Плохо {index},,,,\n")
        for index in range(12):  # beside December's one positive review
            handle.write(f"2026-12-03,Acme,positive,VK,post,,,b{index},Хорошо {index},,,,\n")
    page = render_month(_months(data)["2026-12"]).pages["reputation.md"]
    negative = TEXTS["needs_reply_count"][locale].format(count=number(1234, locale))
    advocates = TEXTS["advocates_count"][locale].format(count="13")
    showing = TEXTS["showing"][locale]
    assert f"<p>{negative} {showing.format(count='25')}</p>" in page
    assert f"<p>{advocates} {showing.format(count='10')}</p>" in page
    assert number(1234, locale) in ("1\u00a0234", "1,234")
    # September's one negative comment and two positive mentions are all listed.
    page = render_month(_months(data)["2026-09"]).pages["reputation.md"]
    assert showing.split("{")[0] not in page


def _kpi(page: str, label: str) -> tuple[str, str]:
    """The value and the change a card of the overview shows."""
    card = page.split(f'<div class="smrm-kpi__label">{label}</div>', 1)[1]
    value = card.split('<div class="smrm-kpi__value">', 1)[1].split("</div>", 1)[0]
    return value, card.split('<div class="smrm-kpi__delta">', 1)[1].split("</div>", 1)[0]


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_a_month_without_mentions_shows_no_share_of_voice_and_no_change_from_it(
    tmp_path: Path, locale: str
) -> None:
    """metrics.json writes every brand's share of a month without mentions as 0; the pages
    say there were none: no share on the card and no bars of 0, the lines broken there
    rather than falling to 0, and the month after with no change from a share of 0."""
    months = _august_without_mentions(tmp_path, locale)
    august, september = render_month(months["2026-08"]), render_month(months["2026-09"])
    sov = TEXTS["sov"][locale]
    mentions_of = TEXTS["mentions_of"][locale]
    assert _kpi(august.pages["index.md"], sov) == (
        TEXTS["no_data"][locale],
        TEXTS["no_mentions"][locale],
    )
    assert "sov_month" not in august.charts
    assert august.charts["sov_trend"].caption == f"Acme — {TEXTS['no_mentions'][locale]}"
    value, delta = _kpi(september.pages["index.md"], sov)
    assert value == percent(66.6667, locale) and delta == TEXTS["no_mentions_before"][locale]
    assert september.charts["sov_trend"].caption.endswith(
        f"({TEXTS['no_mentions_before'][locale]})"
    )
    # Nor is September's count of mentions compared with August's 0; August's is with July's.
    assert _kpi(september.pages["index.md"], mentions_of) == (
        "4",
        TEXTS["no_mentions_before"][locale],
    )
    assert _kpi(august.pages["index.md"], mentions_of) == (
        "0",
        f"▼ {signed(-1, locale)} ({signed_percent(-100, locale)}) {TEXTS['vs_previous'][locale]}",
    )
    # August had no feedback and no figures of the accounts either.
    for card, why in (
        ("net_sentiment", "no_feedback_before"),
        ("engagement_rate", "no_account_figures_before"),
    ):
        assert _kpi(september.pages["index.md"], TEXTS[card][locale])[1] == TEXTS[why][locale]
    (rows,) = september.charts["sov_trend"].spec["datasets"].values()
    by_month: dict[str, set] = {}
    for row in rows:
        by_month.setdefault(row["month"], set()).add(row["value"])
    assert by_month[month_short("2026-07", locale)] == {100.0, 0.0}
    assert by_month[month_short("2026-08", locale)] == {None}
    # The feedback of July is one positive review; August has none.
    (rows,) = september.charts["net_sentiment_trend"].spec["datasets"].values()
    assert [row["value"] for row in rows] == [100.0, None, 0.0]
    # accounts.csv begins in September: the lines of ER begin there, on the same months' axis.
    (rows,) = september.charts["er_trend"].spec["datasets"].values()
    assert [row["value"] for row in rows][:4] == [None, None, None, None]
    assert rows[4]["value"] == pytest.approx(23.25)


@pytest.mark.parametrize(
    ("october", "why"),
    [
        ("2026-10;VK;;12;280;30;12;5200", "no_followers"),
        ("2026-10;VK;0;12;280;30;12;5200", "no_followers"),
        ("2026-10;VK;1 250;12;;;;5200", "no_interactions"),
        ("", "no_account_figures"),
    ],
)
def test_a_month_without_an_er_says_which_figure_of_the_accounts_it_lacks(
    tmp_path: Path, october: str, why: str
) -> None:
    """accounts.csv may have a month's rows without the followers or the interactions an ER
    needs (both columns are optional): the card says which, there and the month after."""
    data = _example(tmp_path, "en")
    accounts = data / "acme" / "accounts.csv"
    *earlier, _ = accounts.read_text(encoding="utf-8").splitlines()
    later = "2026-11;VK;1 300;12;300;30;12;5400"
    accounts.write_text("\n".join([*earlier, october, later]) + "\n", encoding="utf-8")
    months = _months(data)
    report, after = render_month(months["2026-10"]), render_month(months["2026-11"])
    er = TEXTS["engagement_rate"]["en"]
    assert _kpi(report.pages["index.md"], er) == (TEXTS["no_data"]["en"], TEXTS[why]["en"])
    assert report.charts["er_trend"].caption == f"{er} — October 2026: {TEXTS[why]['en']}"
    assert _kpi(after.pages["index.md"], er)[1] == TEXTS[f"{why}_before"]["en"]


def test_a_breakdown_without_negative_says_so_rather_than_naming_a_brand_with_0(
    tmp_path: Path,
) -> None:
    data = _example(tmp_path)
    mentions = data / "acme" / "mentions.csv"
    mentions.write_text(mentions.read_text(encoding="utf-8").replace(",negative,", ",neutral,"))
    october = render_month(_months(data)["2026-10"])
    assert october.charts["tonality_brands"].caption == TEXTS["no_negative_at_all"]["ru"]


def test_the_tonality_of_all_brands_keeps_a_brand_without_mentions(tmp_path: Path) -> None:
    """A brand not mentioned in the month (here Ёлка, in October) keeps its row, of 0, and
    its place on the chart: not mentioned is news to the client, the own brand above all."""
    data = _example(tmp_path)
    mentions = data / "acme" / "mentions.csv"
    lines = mentions.read_text(encoding="utf-8").splitlines(keepends=True)
    mentions.write_text("".join(line for line in lines if ",елка," not in line), encoding="utf-8")
    chart = render_month(_months(data)["2026-10"]).charts["tonality_brands"]
    assert [row[0] for row in chart.rows] == ["Acme", "Globex", "Ёлка"]
    assert chart.rows[2][1:] == ["0", "0", "0"]
    (rows,) = chart.spec["datasets"].values()
    assert [row["category"] for row in rows if row["value"]] == ["Acme", "Globex"]
    assert {row["category"] for row in rows} == {"Acme", "Globex", "Ёлка"}


def test_a_month_without_mentions_of_any_brand_has_no_tonality_of_brands(tmp_path: Path) -> None:
    august = render_month(_august_without_mentions(tmp_path)["2026-08"])
    assert "tonality_brands" not in august.charts


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_why_rows_were_rejected_is_said_in_the_clients_language(
    tmp_path: Path, locale: str
) -> None:
    """The method page's reasons are in the client's language; rejected.csv, the agency's,
    keeps them in English as the command line gives them."""
    data = _example(tmp_path, locale)
    with (data / "acme" / "mentions.csv").open("a", encoding="utf-8") as handle:
        # The short row first: records not read as rows are put back in the order of lines.
        handle.write("2026-10-06,Acme,positive\n")
        handle.write("2026-10-03,Skylink,positive,VK,post,,,a,Brand,,,,\n")
        handle.write("2026-10-04,Acme,great,VK,post,,,a,Tone,,,,\n")
        handle.write("2026-10-05,Acme,positive,VK,post,,,a,Likes,many,,,\n")
    english = [
        "row: has 3 fields, the header has 13",
        "brand: unknown brand 'Skylink'",
        "sentiment: expected positive/neutral/negative, got 'great'",
        "likes: expected a whole number ≥ 0, got 'many'",
    ]
    said = {
        "ru": [
            "строка: полей в строке: 3, в заголовке: 13",
            "brand: неизвестный бренд 'Skylink'",
            "sentiment: ожидалось позитив/нейтрал/негатив, а не 'great'",
            "likes: ожидалось целое число ≥ 0, а не 'many'",
        ],
        "en": english,
    }[locale]
    (acme,) = check(data).clients
    agency, _ = load_agency(data)
    october = {m.period: m for m in month_inputs(acme, agency, CONTENT)}["2026-10"]
    assert [r["problems"] for r in october.rejected] == said
    page = render_month(october).pages["method.md"]
    assert all(f"<td>{escape(reason)}</td>" in page for reason in said)
    assert [r["problems"] for r in acme.files["mentions.csv"].rejected] == english


def test_rejected_rows_name_their_file_as_the_clients_folder_has_it(tmp_path: Path) -> None:
    """Not by the path the build was given, which is one of the agency's machine."""
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    with (data / "acme" / "mentions.csv").open("a", encoding="utf-8") as handle:
        handle.write("2026-10-20,Acme,great,VK,post,,,a,October,,,,\n")
    daily = data / "acme" / "mentions" / "2026"
    daily.mkdir(parents=True)
    (daily / "10.csv").write_text("date,brand,sentiment\n2026-10-21,Acme,awful\n")
    (acme,) = check(data).clients
    agency, _ = load_agency(data)
    month = {m.period: m for m in month_inputs(acme, agency, CONTENT)}["2026-10"]
    assert sorted(r["file"] for r in month.rejected) == ["mentions.csv", "mentions/2026/10.csv"]
    method = render_month(month).pages["method.md"]
    assert "<td><code>mentions/2026/10.csv</code></td>" in method
    assert str(tmp_path) not in method


def _october_without(tmp_path: Path, *columns: str, added: Sequence[Sequence[str]] = ()):
    """The example's October, its mentions' ``columns`` emptied in every row, then the rows
    ``added``."""
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    mentions = data / "acme" / "mentions.csv"
    with mentions.open(encoding="utf-8", newline="") as handle:
        header, *rows = csv.reader(handle)
    emptied = [header.index(name) for name in columns]
    with mentions.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [header, *([("" if i in emptied else c) for i, c in enumerate(r)] for r in rows)]
        )
        csv.writer(handle).writerows(added)
    (acme,) = check(data).clients
    assert not [p for p in acme.problems if p.is_error]
    agency, _ = load_agency(data)
    return render_month({m.period: m for m in month_inputs(acme, agency, CONTENT)}["2026-10"])


def test_no_chart_by_platform_when_no_mention_names_its_platform(tmp_path: Path) -> None:
    """An export without platforms (public tweet sets have none) would get one bar of "not
    specified" in each chart by platform: the charts are left out instead."""
    report = _october_without(tmp_path, "platform")
    assert "sov_platform" not in report.charts and "feedback_platform" not in report.charts
    assert "sov_month" in report.charts and "tonality_brands" in report.charts


def test_a_mentions_text_shows_the_characters_its_export_wrote_as_references(
    tmp_path: Path,
) -> None:
    """Twitter's API writes `&` as `&amp;`: the page shows `&`, escaped once, and a reference
    to `<script>` is shown as text, never made markup."""
    text = "Fees &amp; delays &lt;3 &#128512; Tom&notes &lt;script&gt;alert(1)&lt;/script&gt;"
    row = ["2026-10-20", "Acme", "negative", "VK", "review", "", "https://vk.com/amp"]
    report = _october_without(tmp_path, added=[[*row, "Tom&amp;Jerry", text, "", "", "", "9999"]])
    page = report.pages["reputation.md"]
    shown = "Fees &amp; delays &lt;3 😀 Tom&amp;notes &lt;script&gt;alert(1)&lt;/script&gt;"
    assert f'<td class="smrm-mentions__text">{shown}</td>' in page
    assert "<td>Tom&amp;Jerry</td>" in page
    assert "&amp;amp;" not in page and "<script>" not in page


def test_a_table_of_mentions_leaves_out_the_columns_none_of_its_rows_has(tmp_path: Path) -> None:
    """Date and text are always shown; a platform, an author, a reach or a link only when a
    row listed has one."""
    report = _october_without(tmp_path, "platform", "author", "reach", "url")
    heads = re.findall(r"<thead>(.*?)</thead>", report.pages["reputation.md"])
    assert heads and all(re.findall(r">([^<]+)</th>", head) == ["Дата", "Текст"] for head in heads)
    rows = re.findall(r"<tr><td>.*?</tr>", report.pages["reputation.md"])
    assert rows and all(row.count("<td") == 2 for row in rows)


def test_a_table_of_mentions_shows_the_columns_of_the_rows_it_lists(tmp_path: Path) -> None:
    """The brand advocates are the ten with the largest reach: the one with an author, last in
    the file, is listed first, and its column is shown."""
    quiet = [f"2026-10-{day},Acme,positive,VK,post,,,,Хорошо,,,,5" for day in range(10, 20)]
    loud = "2026-10-20,Acme,positive,VK,post,,,Иван,Отлично,,,,900000"
    added = [row.split(",") for row in (*quiet, loud)]
    report = _october_without(tmp_path, "author", added=added)
    advocates = report.pages["reputation.md"].split("<thead>")[-1]
    assert '<th scope="col">Автор</th>' in advocates and "<td>Иван</td>" in advocates


def _tick_labels(spec: dict) -> list[str]:
    """The texts of a chart drawn as the static SVG is: the ticks' labels among them."""
    return re.findall(r"<text[^>]*>([^<]*)</text>", vl_convert.vegalite_to_svg(spec))


def _shown_labels(spec: dict, names: Sequence[str]) -> list[str]:
    """Which of ``names`` a chart drawn as the static SVG is shows as labels (not hidden)."""
    texts = re.findall(r"<text([^>]*)>([^<]*)</text>", vl_convert.vegalite_to_svg(spec))
    return [text for attributes, text in texts if text in names and 'opacity="0"' not in attributes]


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_the_month_reported_keeps_its_label_however_narrow_the_chart(locale: str) -> None:
    """Where a year of months does not fit, every second or third label is left out, counted
    back from the last: Vega's own thinning counted from the first, and left the month
    reported unlabelled at the width of a page's column."""
    periods = [(2025, 11), (2025, 12), *((2026, month) for month in range(1, 11))]
    months = [month_short(f"{year}-{month:02d}", locale) for year, month in periods]
    frame = pd.DataFrame({"month": months, "brand": "A", "value": range(12), "label": ""})
    scale = alt.Scale(domain=["A"], range=["#111"])
    lines = charts.lines_by_month(
        frame, months, "brand", "value", "label", scale, locale, "t", percent=False
    )
    bars = charts.stacked_bars(
        frame, "month", months, "brand", ["A"], "value", "label", scale, locale, "t"
    )
    for spec in (lines, bars):
        shown = {
            width: _shown_labels(dict(spec, width=width), months) for width in (250, 480, 1000)
        }
        for labels in shown.values():
            assert labels[-1] == months[-1]
            step = months.index(labels[-1]) - months.index(labels[-2])
            assert labels == months[::-step][::-1]
        assert len(shown[250]) < len(shown[480]) < len(shown[1000]) == 12
    # A first month alone keeps its label, however little room it has.
    alone = charts.lines_by_month(
        frame.tail(1), months[-1:], "brand", "value", "label", scale, locale, "t", percent=False
    )
    assert _shown_labels(dict(alone, width=40), months) == months[-1:]


def test_small_counts_and_percents_label_each_tick_once() -> None:
    """A month of two reviews, and an ER of a few percent: whole-number labels at every tenth
    or half would read `0`, `0`, `0`, `1`, `1`... and `1 %`, `1 %`, `2 %`."""
    rows = [
        {"brand": brand, "tone": tone, "value": value, "label": str(value)}
        for brand, values in (("A", (0, 2, 0)), ("B", (0, 1, 0)))
        for tone, value in zip("pnx", values, strict=True)
    ]
    tones = alt.Scale(domain=list("pnx"), range=["#2e7d32", "#9e9e9e", "#c62828"])
    counts = charts.stacked_bars(
        pd.DataFrame(rows), "brand", ["A", "B"], "tone", list("pnx"), "value", "label", tones,
        "ru", "t", horizontal=True,
    )  # fmt: skip
    assert [label for label in _tick_labels(counts) if label.isdigit()] == ["0", "1", "2"]
    er = pd.DataFrame(
        [
            {"month": m, "series": "ER", "value": v, "label": ""}
            for m, v in zip("abc", (0.4, 1.1, 2.3), strict=True)
        ]
    )
    lines = charts.lines_by_month(
        er, list("abc"), "series", "value", "label", alt.Scale(domain=["ER"], range=["#111"]),
        "ru", "ER", percent=True,
    )  # fmt: skip
    percents = [label for label in _tick_labels(lines) if label.endswith("%")]
    assert percents == ["0\u00a0%", "0,5\u00a0%", "1\u00a0%", "1,5\u00a0%", "2\u00a0%"]


def _in_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, now: str, locale: str) -> Path:
    """The example agency as ``_example`` gives it, built at ``now`` (see test_metrics)."""
    from tests.test_metrics import _moment

    data = _example(tmp_path, locale)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _moment(now))
    return data


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        (
            "ru",
            {
                "notice": "Октябрь 2026 ещё не закончился: в отчёте упоминания по 15 октября. "
                "Упоминания, доля голоса и индекс тональности сравниваются с теми же днями "
                "прошлого месяца, 1–15 сентября.",
                "mentions": ("1", "▼ −1 (−50,0\u00a0%) к 1–15 сентября"),
                "sov": ("33,3\u00a0%", "▼ −16,7\u00a0п.\u00a0п. к 1–15 сентября"),
                "net_sentiment": ("нет данных", "нет отзывов и комментариев"),
                "er": "к прошлому месяцу",
            },
        ),
        (
            "en",
            {
                "notice": "October 2026 is not over yet: this report has its mentions up to "
                "15 October. Mentions, share of voice and net sentiment are compared with the "
                "same days of the month before, 1–15 September.",
                "mentions": ("1", "▼ −1 (−50.0%) vs 1–15 September"),
                "sov": ("33.3%", "▼ −16.7\u00a0pp vs 1–15 September"),
                "net_sentiment": ("no data", "no reviews or comments"),
                "er": "vs previous month",
            },
        ),
    ],
)
def test_a_month_not_over_yet_says_so_and_compares_its_mentions_with_the_same_days(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locale: str, said: dict
) -> None:
    """Built on 16 October, October's mentions (up to the 15th) are not set beside all of
    September, as if they would not grow; the figures of the accounts, a month's own, are."""
    from tests.test_metrics import _up_to_october

    data = _in_progress(tmp_path, monkeypatch, "2026-10-16T12:00:00+03:00", locale)
    _up_to_october(data)
    months = _months(data)
    october = render_month(months["2026-10"])
    assert october.notice == said["notice"]
    overview = october.pages["index.md"]
    assert _kpi(overview, TEXTS["mentions_of"][locale]) == said["mentions"]
    assert _kpi(overview, TEXTS["sov"][locale]) == said["sov"]
    assert _kpi(overview, TEXTS["net_sentiment"][locale]) == said["net_sentiment"]
    assert _kpi(overview, TEXTS["engagement_rate"][locale])[1].endswith(said["er"])
    assert f"{said['sov'][0]} ({said['sov'][1].removeprefix('▼ ')})" in october.pages["sov.md"]
    # On the charts, October is the month so far: its label says which days.
    so_far = f"{month_short('2026-10', locale)} (1–15)"
    assert october.charts["sov_trend"].title.endswith(f" – {so_far}")
    for chart in ("sov_trend", "net_sentiment_trend", "er_trend"):
        assert [row[0] for row in october.charts[chart].rows][-2:] == [
            month_short("2026-09", locale),
            so_far,
        ], chart
    # ... and it is drawn as so far: the step to it dashed, its points hollow, its bars pale.
    before = month_short("2026-09", locale)
    for chart in ("sov_trend", "net_sentiment_trend", "er_trend"):
        assert _partial_drawing(october.charts[chart].spec) == {
            "dashed": [before, so_far],
            "hollow": [so_far],
        }, chart
    for chart in ("feedback_trend", "engagement_trend"):
        assert _partial_drawing(october.charts[chart].spec) == {"pale": so_far}, chart
    september = render_month(months["2026-09"])
    assert september.notice is None
    assert september.charts["sov_trend"].rows[-1][0] == month_short("2026-09", locale)
    for chart in ("sov_trend", "net_sentiment_trend", "feedback_trend"):
        assert _partial_drawing(september.charts[chart].spec) == {}, chart


def _partial_drawing(spec: dict) -> dict:
    """How a chart over time sets a month apart: the months of its dashed line, of its
    hollow points, the month of its pale bars; nothing for a chart that draws all alike."""
    drawn: dict = {}
    for part in spec.get("layer", [spec]):
        mark = part["mark"]
        months = [f["filter"]["oneOf"] for f in part.get("transform", []) if "filter" in f]
        if mark.get("strokeDash"):
            drawn["dashed"] = months[0]
        if mark["type"] == "point" and mark.get("filled") is False:
            drawn["hollow"] = months[0]
        opacity = part.get("encoding", {}).get("opacity", {})
        if opacity.get("condition", {}).get("value", 1) < 1:
            drawn["pale"] = opacity["condition"]["test"]["equal"]
    return drawn


def test_a_month_not_over_yet_says_when_the_same_days_before_had_no_mentions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """December's one review, on the 1st, follows a November without mentions."""
    data = _in_progress(tmp_path, monkeypatch, "2026-12-05T12:00:00+03:00", "ru")
    december = render_month(_months(data)["2026-12"])
    assert december.notice == (
        "Декабрь 2026 ещё не закончился: в отчёте упоминания по 1 декабря. Упоминания, доля "
        "голоса и индекс тональности сравниваются с теми же днями прошлого месяца, 1 ноября."
    )
    overview = december.pages["index.md"]
    assert _kpi(overview, "Упоминания бренда") == ("1", "1 ноября упоминаний не было")
    assert _kpi(overview, "Индекс тональности") == (
        "100,0",
        "1 ноября отзывов и комментариев не было",
    )


def test_a_month_not_over_yet_whose_days_cover_the_month_before_is_set_beside_all_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mentions up to 31 October cover every day of September: compared as any month is."""
    from tests.test_metrics import _up_to_october

    data = _in_progress(tmp_path, monkeypatch, "2026-10-31T12:00:00+03:00", "ru")
    _up_to_october(data, last_day=True)
    october = render_month(_months(data)["2026-10"])
    assert october.notice == (
        "Октябрь 2026 ещё не закончился: в отчёте упоминания по 31 октября, 10:00."
    )
    assert _kpi(october.pages["index.md"], "Упоминания бренда") == (
        "1",
        "▼ −3 (−75,0\u00a0%) к прошлому месяцу",
    )


@pytest.mark.parametrize(
    ("locale", "notice", "mentions"),
    [
        (
            "ru",
            "Октябрь 2026 ещё не закончился: в отчёте упоминания по 16 октября, 06:25. "
            "Упоминания, доля голоса и индекс тональности сравниваются с теми же днями "
            "прошлого месяца, 1–16 сентября до 06:25.",
            "▼ −1 (−50,0\u00a0%) к 1–16 сентября до 06:25",
        ),
        (
            "en",
            "October 2026 is not over yet: this report has its mentions up to 16 October, "
            "06:25. Mentions, share of voice and net sentiment are compared with the same days "
            "of the month before, 1–16 September up to 06:25.",
            "▼ −1 (−50.0%) vs 1–16 September up to 06:25",
        ),
    ],
)
def test_a_month_not_over_yet_names_the_time_its_mentions_go_up_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locale: str, notice: str, mentions: str
) -> None:
    from tests.test_metrics import _at_dawn

    data = _in_progress(tmp_path, monkeypatch, "2026-10-16T06:30:00+03:00", locale)
    _at_dawn(data)
    october = render_month(_months(data)["2026-10"])
    assert october.notice == notice
    assert _kpi(october.pages["index.md"], TEXTS["mentions_of"][locale])[1] == mentions


@pytest.mark.parametrize(
    ("locale", "notice", "why"),
    [
        (
            "ru",
            "Мониторинг упоминаний начат 15 сентября: сентябрь 2026 в отчёте — не весь месяц.",
            "в прошлом месяце мониторинг начат 15 сентября",
        ),
        (
            "en",
            "Mentions are monitored from 15 September: this report has only part of "
            "September 2026.",
            "monitored from 15 September in the previous month",
        ),
    ],
)
def test_a_month_monitoring_began_in_says_so_and_is_no_baseline_for_the_next(
    tmp_path: Path, locale: str, notice: str, why: str
) -> None:
    """Mentions monitored from 15 September: September's counts are of half a month, and
    October's mention figures are not set beside them (its ER, from accounts.csv, is)."""
    data = _example(tmp_path, locale)
    client = data / "acme" / "client.yml"
    client.write_text(client.read_text(encoding="utf-8") + "monitoring_since: 2026-09-15\n")
    months = _months(data)
    september, october = render_month(months["2026-09"]), render_month(months["2026-10"])
    assert september.notice == notice
    assert october.notice is None
    overview = october.pages["index.md"]
    assert _kpi(overview, TEXTS["mentions_of"][locale]) == ("1", why)
    assert _kpi(overview, TEXTS["sov"][locale])[1] == why
    # October has no feedback of its own: that is said first.
    assert _kpi(overview, TEXTS["net_sentiment"][locale])[1] == TEXTS["no_feedback"][locale]
    assert _kpi(overview, TEXTS["engagement_rate"][locale])[1].endswith(
        TEXTS["vs_previous"][locale]
    )
    assert f"({why})" in october.pages["sov.md"]


def test_a_month_not_over_yet_after_the_month_monitoring_began_in_is_set_beside_neither(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mentions monitored from 15 September, and October built on the 16th: October's days so
    far are not set beside September's, which has only its second half, nor is its notice
    saying that they are."""
    from tests.test_metrics import _up_to_october

    data = _in_progress(tmp_path, monkeypatch, "2026-10-16T12:00:00+03:00", "ru")
    _up_to_october(data)
    client = data / "acme" / "client.yml"
    client.write_text(client.read_text(encoding="utf-8") + "monitoring_since: 2026-09-15\n")
    months = _months(data)
    october = render_month(months["2026-10"])
    assert october.notice == "Октябрь 2026 ещё не закончился: в отчёте упоминания по 15 октября."
    why = "в прошлом месяце мониторинг начат 15 сентября"
    overview = october.pages["index.md"]
    assert _kpi(overview, "Упоминания бренда") == ("1", why)
    assert _kpi(overview, "Доля голоса")[1] == why
    assert render_month(months["2026-09"]).notice == (
        "Мониторинг упоминаний начат 15 сентября: сентябрь 2026 в отчёте — не весь месяц."
    )

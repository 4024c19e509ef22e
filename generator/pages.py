"""The Markdown pages, charts and downloads of one client's report for one month.

Everything that comes from data is escaped by Jinja's autoescaping and placed in raw HTML blocks,
which Markdown leaves alone: a mention's text is shown as text, whatever it contains.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import jinja2
import pandas as pd
from altair.utils.schemapi import debug_mode
from markupsafe import Markup

from . import charts
from .assess import assess
from .csvout import write_rows
from .i18n import (
    TEXTS,
    as_label,
    date_text,
    day_span,
    day_text,
    figure,
    figure_digits,
    month_name,
    month_short,
    month_title,
    month_until,
    number,
    percent,
    signed,
    signed_percent,
    t,
    with_unit,
)
from .metrics import TONES, UNSPECIFIED
from .problems import printable
from .schema import BUILTIN_GOAL_METRICS, Agency, Client
from .validate import MEDIA_TYPES, safe_url

#: Pages in navigation order: file name and title key.
PAGES = (
    ("index.md", "overview"),
    ("sov.md", "sov"),
    ("tonality.md", "tonality"),
    ("engagement.md", "engagement"),
    ("smm.md", "smm"),
    ("strategy.md", "strategy"),
    ("reputation.md", "reputation"),
    ("method.md", "method"),
)
#: Why a figure of the overview has no value (for an ER, ``_why_none`` says what it lacks);
#: the same text key with `_before` says the month before had none. A month without mentions of
#: any brand is one the monitoring did not cover (a gap in the exports, or before they begin):
#: the count of mentions after it is not compared with its 0.
_WHY_NONE = {
    "mentions": "no_mentions",
    "sov": "no_mentions",
    "net_sentiment": "no_feedback",
    "engagement_rate": "no_account_figures",
}
REPUTATION_LIMIT = 25
ADVOCATES_LIMIT = 10
#: Trend charts show at most this many months, ending with the month reported: a year. A
#: month's pages then stay the same size however long the client's history grows (every month
#: is kept on GitHub Pages, within 1 GB for the portal); the months before are in their own
#: versions, and series.csv keeps them all.
TREND_MONTHS = 12


@dataclass
class Chart:
    """A chart as the page shows it: live spec, caption with the key figure, and its data."""

    id: str
    title: str
    spec: dict[str, Any]
    caption: str
    columns: list[str]
    rows: list[list[str]]

    @property
    def live(self) -> dict[str, Any]:
        """The spec the page embeds: its configuration is the page's, written once, and each
        dataset is written column by column (charts.js makes the rows again): as rows, every
        value repeats its key, which cost about 4% of a month's bytes on GitHub Pages."""
        live = {k: v for k, v in self.spec.items() if k != "config"}
        if "datasets" in live:
            live["datasets"] = {name: columns(rows) for name, rows in live["datasets"].items()}
        return live


def columns(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """Records as one list per key (None where a record lacks the key)."""
    keys = dict.fromkeys(key for row in rows for key in row)
    return {key: [row.get(key) for row in rows] for key in keys}


@dataclass
class MonthReport:
    """What one month's site is made of, before MkDocs turns it into HTML."""

    slug: str
    period: str
    locale: str
    title: str
    pages: dict[str, str]
    charts: dict[str, Chart]
    downloads: dict[str, str]
    nav: list[tuple[str, str]] = field(default_factory=list)
    #: Said atop every page of a month covered only in part (``_Context.notice``).
    notice: str | None = None


@dataclass
class MonthInput:
    """Everything the pages of one month are made from."""

    slug: str
    client: Client
    agency: Agency
    locale: str
    period: str
    #: metrics.json content of every month up to and including ``period``, oldest first.
    series: list[dict[str, Any]]
    #: This month's mentions (validated rows) for the Reputation page.
    mentions: pd.DataFrame
    commentary: str | None = None
    #: Rejected records (with --lenient) of this month, earlier months, or no known month:
    #: the first ``REJECTED_SHOWN`` of them, and how many there are.
    rejected: list[dict[str, str]] = field(default_factory=list)
    rejected_total: int = 0


@functools.cache
def environment() -> jinja2.Environment:
    """The page templates' environment, made (and its templates compiled) once per process."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["json_script"] = json_script
    env.filters["oneline"] = one_line
    env.filters["excerpt"] = excerpt
    return env


def _chart_config(charts: Sequence[Chart]) -> str:
    """The configuration every chart of a page shares (fonts, colours, the client's number
    format), written once after the page; charts.js gives it to each chart."""
    if not charts:
        return ""
    config = json_script(charts[0].spec["config"])
    return f'<script type="application/json" class="smrm-chart-config">{config}</script>\n'


def json_script(value: Any) -> Markup:
    """JSON that can sit inside a <script> element: no '<', '>' or '&' survives."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


#: What the agency's commentary may contain once rendered: text formatting, lists, tables, links.
COMMENTARY_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "del",
}


def commentary_html(text: str) -> Markup:
    """The account manager's Markdown as HTML, with raw HTML in it cut to an allow-list."""
    import markdown
    import nh3

    rendered = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    clean = nh3.clean(
        rendered,
        tags=COMMENTARY_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
    return Markup(clean)


#: Characters that change how the text around them is shown, not what it says: the controls
#: of text direction (embeddings, overrides, isolates) and the other control characters.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def one_line(value: object) -> str:
    """A stranger's text as one line of plain text, for a table cell.

    Line breaks and runs of spaces become one space. The direction controls are dropped: a
    right-to-left override (U+202E) before an author's name ``moc.knabrebs`` would
    show it as ``sberbank.com``: a name reversed into another's."""
    return _INVISIBLE.sub("", " ".join(str(value).split()))


#: Characters of a stranger's text a table shows: a post or a review can run to pages (and a
#: hostile export to megabytes a cell), and its link leads to the whole of it.
EXCERPT_CHARS = 300


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """``one_line`` of ``value``, cut to ``limit`` characters at a space where one is near the
    end, with `…` for the rest."""
    text = one_line(value)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip() + "…"


#: A character reference an export left in a stranger's text: Twitter's API writes `&`, `<`
#: and `>` as `&amp;`, `&lt;` and `&gt;`, and some tools write an emoji as `&#128512;`.
_REFERENCE = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def as_written(text: str) -> str:
    """``text`` with the character references an export left in it as the characters they
    stand for: a page escapes them again, once. Only these forms: a bare `&copy` or
    `Tom&notes` stays as it is."""
    return _REFERENCE.sub(_character, text) if "&" in text else text


def _character(found: re.Match[str]) -> str:
    if found[1]:
        return _NAMED[found[1]]
    code = int(found[2]) if found[2] else int(found[3], 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or not chr(code).isprintable():
        return found[0]  # no character a page can show: as written
    return chr(code)


#: What a mention without a platform has in its place, as read and as counted.
NO_PLATFORM = ("", UNSPECIFIED)


def _listed(frame: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The ``limit`` mentions of ``frame`` a table lists: the largest reach first, then the
    most likes, then the earliest."""
    ordered = frame.assign(_reach=frame["reach"].fillna(-1), _likes=frame["likes"].fillna(-1))
    return ordered.sort_values(
        ["_reach", "_likes", "date"], ascending=[False, False, True], kind="stable"
    ).head(limit)


def filled_columns(frame: pd.DataFrame) -> set[str]:
    """Of the columns a table of mentions may lack, those that ``frame``'s rows have: a column
    with nothing in it (an export without platforms, authors, reach or links) is left out."""
    return {
        name
        for name, filled in (
            ("platform", ~frame["platform"].isin(NO_PLATFORM)),
            ("author", frame["author"].ne("")),
            ("reach", frame["reach"].notna()),
            ("url", frame["url"].map(safe_url).notna()),
        )
        if bool(filled.any())
    }


def _named_platforms(
    by_platform: Mapping[str, Mapping[str, int]],
) -> Mapping[str, Mapping[str, int]]:
    """Counts by platform, or none when no mention names its platform (an export without the
    column): one bar of "not specified" would say nothing."""
    named = [
        p for p, counts in by_platform.items() if p not in NO_PLATFORM and any(counts.values())
    ]
    return by_platform if named else {}


@dataclass(frozen=True)
class SourceRow:
    """A row of a month's data table: a file, or a folder of files counted together."""

    name: str
    counts: Mapping[str, int]
    #: How many files a folder's row counts; 0 for a file.
    files: int = 0
    #: A file shown below its folder's row (and counted in it).
    part: bool = False


def source_rows(quality: Mapping[str, Mapping[str, int]]) -> list[SourceRow]:
    """Each file's ``read = used + duplicates + rejected`` (names ``printable``); the files of a
    folder (a year of daily exports is hundreds) as one row of their totals where the first of
    them was, followed by those of them that have duplicates or rejected rows, which a reader
    may want to find."""
    rows: list[SourceRow] = []
    folders: dict[str, list[str]] = {}
    for name in quality:
        folder, _, rest = name.partition("/")
        if rest:
            folders.setdefault(folder, []).append(name)
    for name, counts in quality.items():
        folder = name.partition("/")[0]
        members = folders.get(folder, [])
        if len(members) < 2:
            rows.append(SourceRow(printable(name), counts))
            continue
        if name != members[0]:
            continue
        totals = {key: sum(quality[m][key] for m in members) for key in counts}
        rows.append(SourceRow(f"{folder}/", totals, files=len(members)))
        rows.extend(
            SourceRow(printable(m), quality[m], part=True)
            for m in members
            if quality[m]["duplicates"] or quality[m]["rejected"]
        )
    return rows


def render_month(
    month: MonthInput, on_chart: Callable[[Chart], object] | None = None
) -> MonthReport:
    """Pages, charts and downloads of one month's report; ``on_chart`` is given each chart as
    soon as it is made (a builder starts drawing it while the other pages are rendered)."""
    env = environment()
    ctx = _Context(month)
    report = MonthReport(
        slug=month.slug,
        period=month.period,
        locale=month.locale,
        title=month_title(month.period, month.locale),
        pages={},
        charts={},
        downloads={},
        notice=ctx.notice(),
    )
    for name, key in PAGES:
        # Each page's figures come from the context method named like its title key. Altair
        # checks every object it makes against the schema as it goes, a third of a month's
        # rendering; the tests check each finished chart instead.
        with debug_mode(False):
            values = getattr(ctx, key)()
        page_charts = [c for c in values.pop("charts", []) if c is not None]
        for chart in page_charts:
            report.charts[chart.id] = chart
            if on_chart is not None:
                on_chart(chart)
        template = env.get_template(name.replace(".md", ".md.j2"))
        # Every page but the overview is served from its own folder (name/index.html).
        base = "" if name == "index.md" else "../"
        page = template.render(
            t=ctx.t, page_title=ctx.t(key), charts=page_charts, m=ctx, base=base, **values
        )
        report.pages[name] = page + _chart_config(page_charts)
        report.nav.append((ctx.t(key), name))
    report.downloads["metrics.json"] = json.dumps(ctx.current, ensure_ascii=False, indent=2) + "\n"
    report.downloads["series.csv"] = ctx.series_csv()
    return report


@dataclass(frozen=True)
class _Baseline:
    """What a month's figure is set beside: ``month``'s figures (None for a first month),
    named by ``vs``; ``days``, when those are only some days of the month before."""

    month: Mapping[str, Any] | None
    vs: str
    days: str | None = None
    #: Said instead of a change, when the month before covers too little to be set beside.
    why: str | None = None


class _Context:
    """Figures of one month, formatted for the client's language."""

    def __init__(self, month: MonthInput) -> None:
        self.month = month
        self.locale = month.locale
        self.client = month.client
        self.own = month.client.brand.name
        self.brands = [b.name for b in month.client.brands]
        self.current = month.series[-1]
        self.previous = month.series[-2] if len(month.series) > 1 else None
        self.whole_month = _Baseline(self.previous, self.t("vs_previous"))
        self.same_days = self._same_days()
        self.trend = month.series[-TREND_MONTHS:]
        self.labels = [month_short(m["period"], self.locale) for m in self.trend]
        through = (self.current.get("in_progress") or {}).get("through")
        #: The label of the month so far on the charts over time (None when it is over),
        #: which draw it paler or dashed: its short bar or dip says why by its label too.
        self.partial: str | None = None
        if through is not None:
            day = dt.date.fromisoformat(through).day
            self.labels[-1] += f" ({'1' if day == 1 else f'1–{day}'})"
            self.partial = self.labels[-1]
        self.month_name = month_name(month.period, self.locale)
        self.brand_scale = charts.brand_colors(self.brands, month.client.branding.primary_color)
        self.tone_scale = alt.Scale(
            domain=[self.t(x) for x in TONES], range=list(charts.TONE_COLORS.values())
        )

    # formatting --------------------------------------------------------------------------

    def t(self, key: str, **values: str) -> str:
        return t(key, self.locale, **values)

    def num(self, value: float | None, digits: int = 0) -> str:
        return number(value, self.locale, digits)

    def pct(self, value: float | None, digits: int = 1) -> str:
        return percent(value, self.locale, digits)

    def role(self, name: str) -> str:
        key = f"role_{name.casefold()}"
        return self.t(key) if key in TEXTS else name

    def platform(self, name: str) -> str:
        return self.t("unspecified") if name in NO_PLATFORM else one_line(name)

    # overview ----------------------------------------------------------------------------

    def overview(self) -> dict[str, Any]:
        cur, prev = self.current, self.previous
        eng, prev_eng = cur["engagement"] or {}, (prev or {}).get("engagement") or {}
        days = self.same_days
        said = days.month
        kpis = [
            self._kpi(
                "mentions_of",
                cur["mentions"][self.own],
                said["mentions"][self.own] if said and said["mentions_total"] else None,
                "count",
                "mentions",
                baseline=days,
            ),
            self._kpi("sov", self.own_sov(cur), self.own_sov(said), "pct", "sov", baseline=days),
            self._kpi(
                "net_sentiment",
                cur["net_sentiment"],
                said["net_sentiment"] if said else None,
                "index",
                "net_sentiment",
                baseline=days,
            ),
            self._kpi(
                "engagement_rate",
                eng.get("rate_followers"),
                prev_eng.get("rate_followers"),
                "pct",
                "engagement_rate",
            ),
        ]
        for name, value in cur["outcomes"].items():
            before = (prev or {}).get("outcomes", {}).get(name)
            unit = self.unit_of(name)
            # A percent is shown as one (12,5 %, its change in points); other units name
            # the card.
            kind, label = (
                ("pct", name) if unit == "%" else ("figure", with_unit(name, unit, self.locale))
            )
            kpis.append(self._kpi(None, value, before, kind, name, label=label, unit=unit))
        commentary = self.month.commentary
        return {
            "kpis": kpis,
            "goals": self.goals,
            "commentary": commentary_html(commentary) if commentary else None,
        }

    def _kpi(
        self,
        key: str | None,
        value: float | None,
        before: float | None,
        kind: str,
        metric: str,
        label: str = "",
        unit: str | None = None,
        baseline: _Baseline | None = None,
    ) -> dict[str, Any]:
        shown = {
            "count": lambda v: self.num(v),
            "figure": lambda v: figure(v, self.locale, unit),
            "pct": lambda v: self.pct(v),
            "index": lambda v: self.num(v, 1),
        }[kind]
        delta, direction = self._change(value, before, kind, metric, unit, baseline)
        goals = [g for g in self.goals if g["metric"].casefold() == metric.casefold()]
        return {
            "label": label or self.t(key or metric),
            "value": shown(value) if value is not None else self.t("no_data"),
            "delta": delta,
            "direction": direction,
            "goals": goals,
        }

    def _change(
        self,
        value: float | None,
        before: float | None,
        kind: str,
        metric: str,
        unit: str | None,
        baseline: _Baseline | None = None,
    ) -> tuple[str, str]:
        """The change from the month before (or from the same days of it, ``baseline``) as the
        overview writes it (`+2 (+15,4 %) к прошлому месяцу`, `−33,3 п. п. к 1–22 октября`),
        and its direction; or why there is none to show."""
        base = baseline or self.whole_month
        if value is None and metric in _WHY_NONE:
            return self.t(_why_none(metric, self.current)), "flat"
        if base.why is not None:
            return base.why, "flat"
        if value is None or before is None:
            if base.month is None:
                return self.t("no_previous"), "flat"
            if value is None or metric not in _WHY_NONE:
                return "", "flat"
            if base.days:
                return self.t(f"{_WHY_NONE[metric]}_days", days=base.days), "flat"
            return self.t(_why_none(metric, base.month, before=True)), "flat"
        change = value - before
        direction = "up" if change > 0 else ("down" if change < 0 else "flat")
        if kind in ("count", "figure"):
            digits = figure_digits(change, unit) if kind == "figure" else 0
            delta = signed(change, self.locale, digits)
            if before:
                delta += f" ({signed_percent(change / abs(before) * 100, self.locale)})"
        else:
            delta = signed(change, self.locale, 1, self.t("pp") if kind == "pct" else "")
        return f"{delta} {base.vs}", direction

    def _same_days(self) -> _Baseline:
        """What the mention figures are set beside: nothing after the month monitoring began
        in, which has only part of its mentions (``why`` says so); in a month not over yet, the
        same days of the month before (``metrics._so_far``); the whole month before otherwise,
        or when those days are all of it."""
        since = (self.previous or {}).get("monitoring_since")
        if since is not None:
            day = day_text(dt.date.fromisoformat(since), self.locale)
            return _Baseline(None, "", why=self.t("monitoring_began_before", day=day))
        compared = (self.current.get("in_progress") or {}).get("compared_with")
        if compared is None or self.previous is None:
            return self.whole_month
        start, end = dt.date.fromisoformat(compared["from"]), dt.date.fromisoformat(compared["to"])
        if compared["until"] is None and end.month != (end + dt.timedelta(days=1)).month:
            return self.whole_month  # every day of it: the figures are the month's own
        days = day_span(start, end, self.locale)
        if compared["until"] is not None:
            days += " " + self.t("up_to_time", time=compared["until"])
        return _Baseline(compared, self.t("vs_days", days=days), days)

    def notice(self) -> str | None:
        """What a page of a month covered only in part says first: since when its mentions are
        monitored, or how far they go in a month not over yet, and what its mention figures are
        set beside; None for a whole month."""
        month = month_title(self.month.period, self.locale)
        said = []
        since = self.current.get("monitoring_since")
        if since is not None:
            day = day_text(dt.date.fromisoformat(since), self.locale)
            # Mid-sentence: `июнь 2015`, not `Июнь 2015`.
            named = month_name(self.month.period, self.locale)
            said.append(self.t("monitoring_began", day=day, month=named))
        so_far = self.current.get("in_progress")
        if so_far is not None and so_far["through"] is None:
            said.append(self.t("in_progress_no_mentions", month=month))
        elif so_far is not None:
            through = day_text(dt.date.fromisoformat(so_far["through"]), self.locale)
            if so_far["through_time"] is not None:
                through += f", {so_far['through_time']}"
            said.append(self.t("in_progress", month=month, through=through))
            if self.same_days.days:
                said.append(self.t("in_progress_compared", days=self.same_days.days))
        return " ".join(said) or None

    def _or_why(
        self, value: float | None, metric: str, shown: Callable[[float, int], str], digits: int
    ) -> str:
        """``value`` as ``shown``, or why the month has none (no reviews or comments...)."""
        return (
            shown(value, digits) if value is not None else self.t(_why_none(metric, self.current))
        )

    @functools.cached_property
    def _units(self) -> dict[str, str]:
        """This month's outcome units (``outcome_units``), by the metric's folded name."""
        units = self.current.get("outcome_units") or {}
        return {name.casefold(): unit for name, unit in units.items()}

    def unit_of(self, metric: str) -> str | None:
        """The unit of an outcome, named in any case (as a goal may name it, and as
        ``goal_actual`` finds it); None for a metric written without one."""
        return self._units.get(metric.casefold())

    @functools.cached_property
    def goals(self) -> list[dict[str, Any]]:
        """This month's goals, formatted, with progress towards each."""
        rows = []
        for goal in self.current["goals"]:
            metric = goal["metric"]
            unit = self.unit_of(metric)
            fmt: Callable[[float | None], str]
            if metric in ("sov", "engagement_rate") or unit == "%":
                fmt = self.pct
            elif metric in BUILTIN_GOAL_METRICS:
                fmt = lambda v: self.num(v, 1) if v is not None and v % 1 else self.num(v)  # noqa: E731
            else:
                fmt = functools.partial(figure, locale=self.locale, unit=unit)
            actual, target = goal["actual"], goal["target"]
            progress = 0.0
            if actual is not None and target:
                progress = max(0.0, min(1.0, actual / target))
            rows.append(
                {
                    "metric": metric,
                    "title": goal["title"] or self._metric_name(metric),
                    "target": fmt(target),
                    "actual": fmt(actual) if actual is not None else self.t("no_data"),
                    "by": month_until(goal["by"], self.locale) if goal["by"] else "",
                    "met": goal["met"],
                    "progress": round(progress * 100),
                }
            )
        return rows

    def _metric_name(self, metric: str) -> str:
        if metric not in BUILTIN_GOAL_METRICS:
            return metric
        return self.t("mentions_of" if metric == "mentions" else metric)

    # share of voice ----------------------------------------------------------------------

    def own_sov(self, month: Mapping[str, Any] | None) -> float | None:
        """The client's SoV in ``month``, or None (see ``_shares``)."""
        shares = _shares(month, "sov") if month else None
        return shares[self.own] if shares is not None else None

    def sov(self) -> dict[str, Any]:
        reach_months = [m for m in self.trend if m["sov_reach"] is not None]
        own_sov = self.own_sov(self.current)
        if own_sov is None:
            shown = self.t("no_mentions")
        elif self.previous is None:
            shown = self.pct(own_sov)
        else:
            said = self.same_days
            change, _ = self._change(
                own_sov, self.own_sov(said.month), "pct", "sov", None, baseline=said
            )
            shown = f"{self.pct(own_sov)} ({change})"
        leader = max(self.brands, key=lambda b: self.current["mentions"][b])
        items: list[Chart | None] = [
            self._sov_trend(
                "sov_trend",
                "sov",
                f"{self.t('sov')}: {self.labels[0]} – {self.labels[-1]}",
                f"{self.own} — {shown}",
            ),
            # A month without mentions has no shares to compare: bars of 0 would say otherwise.
            self._month_bars(
                "sov_month",
                "sov",
                self.t("sov") + f" — {self.month_name}",
                f"{leader}: {self.pct(self.current['sov'][leader])}",
            )
            if own_sov is not None
            else None,
        ]
        if self.current["sov_reach"] is not None:
            items.append(
                self._month_bars(
                    "sov_month_reach",
                    "sov_reach",
                    f"{self.t('sov')} ({self.t('reach').lower()}) — {self.month_name}",
                    f"{self.own}: {self.pct(self.current['sov_reach'][self.own])}",
                )
            )
        if len(reach_months) > 1:
            items.append(
                self._sov_trend(
                    "sov_reach_trend",
                    "sov_reach",
                    f"{self.t('sov')} ({self.t('reach').lower()})",
                    f"{self.own}: {self.pct((self.current['sov_reach'] or {}).get(self.own))}",
                )
            )
        items.append(self._platform_sov())
        return {"charts": items}

    def _sov_trend(self, chart_id: str, key: str, title: str, caption: str) -> Chart:
        """SoV of every brand over the report's months, count-based or reach-weighted."""
        trend = self._brand_series(key)
        spec = charts.lines_by_month(
            trend,
            self.labels,
            "brand",
            "value",
            "label",
            self.brand_scale,
            self.locale,
            self.t("sov"),
            percent=True,
            series_order=self.brands,
            partial=self.partial,
        )
        return self._chart(chart_id, title, spec, caption, trend, "brand")

    def _brand_series(self, key: str) -> pd.DataFrame:
        """Every brand's ``key`` in every month of the trend. A month without the figure (no
        mentions, no reach) has none, so that the lines break there instead of falling to 0
        or joining the months around it."""
        rows = []
        for label, month in zip(self.labels, self.trend, strict=True):
            values = _shares(month, key)
            for brand in self.brands:
                value = values[brand] if values is not None else None
                rows.append(
                    {"month": label, "brand": brand, "value": value, "label": self.pct(value)}
                )
        return pd.DataFrame(rows, columns=["month", "brand", "value", "label"])

    def _month_bars(self, chart_id: str, key: str, title: str, caption: str) -> Chart:
        values = self.current[key]
        frame = pd.DataFrame(
            [{"brand": b, "value": values[b], "label": self.pct(values[b])} for b in self.brands]
        )
        spec = charts.bars(
            frame,
            "brand",
            self.brands,
            "value",
            "label",
            self.brand_scale,
            self.locale,
            title,
            percent=True,
        )
        rows = [
            [b, self.pct(values[b]), self.num(self.current["mentions"][b])] for b in self.brands
        ]
        return Chart(
            chart_id,
            title,
            spec,
            caption,
            [self.t("brand"), self.t("share"), self.t("mentions")],
            rows,
        )

    def _platform_sov(self) -> Chart | None:
        by_platform = _named_platforms(self.current["mentions_by_platform"])
        platforms = [p for p, counts in by_platform.items() if sum(counts.values())]
        if not platforms:
            return None
        platforms.sort(key=lambda p: -sum(by_platform[p].values()))
        rows = [
            {
                "platform": self.platform(p),
                "brand": b,
                "value": by_platform[p][b],
                "label": f"{self.num(by_platform[p][b])} ({self.pct(_share(by_platform[p], b))})",
            }
            for p in platforms
            for b in self.brands
        ]
        frame = pd.DataFrame(rows)
        names = [self.platform(p) for p in platforms]
        title = f"{self.t('sov')} / {self.t('platform').lower()} — {self.month_name}"
        spec = charts.stacked_bars(
            frame,
            "platform",
            names,
            "brand",
            self.brands,
            "value",
            "label",
            self.brand_scale,
            self.locale,
            title,
            horizontal=True,
            normalize=True,
        )
        best = max(platforms, key=lambda p: _share(by_platform[p], self.own))
        caption = (
            f"{self.own}: {self.pct(_share(by_platform[best], self.own))} — {self.platform(best)}"
        )
        table = [
            [self.platform(p), *[self.num(by_platform[p][b]) for b in self.brands]]
            for p in platforms
        ]
        return Chart(
            "sov_platform", title, spec, caption, [self.t("platform"), *self.brands], table
        )

    # tonality ----------------------------------------------------------------------------

    def tonality(self) -> dict[str, Any]:
        fb = self.current["feedback"]
        tones = [self.t(x) for x in TONES]
        trend = pd.DataFrame(
            [
                {
                    "month": label,
                    "tone": self.t(x),
                    "value": m["feedback"][x],
                    "label": self.num(m["feedback"][x]),
                }
                for label, m in zip(self.labels, self.trend, strict=True)
                for x in TONES
            ]
        )
        total = sum(fb.values())
        caption = (
            f"{self.month_name}: "
            + ", ".join(f"{self.t(x).lower()} {self.num(fb[x])}" for x in TONES)
            if total
            else f"{self.month_name}: {self.t('no_feedback')}"
        )
        # Months without a single review or comment (an export of posts only) would draw an
        # empty chart; the page says why instead.
        has_feedback = any(sum(m["feedback"].values()) for m in self.trend)
        items: list[Chart | None] = [
            None
            if not has_feedback
            else Chart(
                "feedback_trend",
                self.t("tonality"),
                charts.stacked_bars(
                    trend,
                    "month",
                    self.labels,
                    "tone",
                    tones,
                    "value",
                    "label",
                    self.tone_scale,
                    self.locale,
                    self.t("tonality"),
                    partial=self.partial,
                ),
                caption,
                [self.t("month"), *tones],
                [
                    [label, *[self.num(m["feedback"][x]) for x in TONES]]
                    for label, m in zip(self.labels, self.trend, strict=True)
                ],
            ),
        ]
        ns = pd.DataFrame(
            [
                {
                    "month": label,
                    "series": self.t("net_sentiment"),
                    "value": m["net_sentiment"],
                    "label": self.num(m["net_sentiment"], 1),
                }
                for label, m in zip(self.labels, self.trend, strict=True)
            ],
            columns=["month", "series", "value", "label"],
        )
        if ns["value"].notna().any():
            scale = alt.Scale(
                domain=[self.t("net_sentiment")],
                range=[self.client.branding.primary_color or "#c62828"],
            )
            items.append(
                self._chart(
                    "net_sentiment_trend",
                    self.t("net_sentiment"),
                    charts.lines_by_month(
                        ns,
                        self.labels,
                        "series",
                        "value",
                        "label",
                        scale,
                        self.locale,
                        self.t("net_sentiment"),
                        percent=False,
                        partial=self.partial,
                    ),
                    f"{self.t('net_sentiment')} — {self.month_name}: "
                    + self._or_why(self.current["net_sentiment"], "net_sentiment", self.num, 1),
                    ns,
                    "series",
                )
            )
        items.append(
            self._tone_breakdown(
                "feedback_platform",
                _named_platforms(self.current["feedback_by_platform"]),
                self.platform,
                f"{self.t('tonality')} / {self.t('platform').lower()} — {self.month_name}",
            )
        )
        media = {k: v for k, v in self.current["media"].items() if sum(v.values())}
        items.append(
            self._tone_breakdown(
                "media_types",
                media,
                self.t,
                f"{self.t('media_title')} — {self.month_name}",
                order=[k for k in MEDIA_TYPES if k in media],
            )
        )
        brands = self._tone_breakdown(
            "tonality_brands",
            self.current["sentiment_by_brand"],
            str,
            f"{self.t('tonality')}: {self.t('all_brands')} — {self.month_name}",
            order=self.brands,
            every=True,
        )
        items.append(brands)
        empty = ""
        if not has_feedback:
            empty = self.t("no_feedback_months", brand=self.own)
            if brands is not None:
                empty += " " + self.t("all_tones_below")
        return {"charts": items, "empty": empty}

    def _tone_breakdown(
        self,
        chart_id: str,
        counts: Mapping[str, Mapping[str, int]],
        name: Any,
        title: str,
        order: Sequence[str] | None = None,
        every: bool = False,
    ) -> Chart | None:
        """Counts by tone of each key; with ``every``, a key of ``order`` without any is kept
        (a brand not mentioned this month, which is news to the client, not a gap to close);
        None when no key has any."""
        keys = [k for k in (order or counts) if k in counts and (every or any(counts[k].values()))]
        if not any(any(counts[k].values()) for k in keys):
            return None
        tones = [self.t(x) for x in TONES]
        frame = pd.DataFrame(
            [
                {
                    "category": name(k),
                    "tone": self.t(x),
                    "value": counts[k][x],
                    "label": f"{self.num(counts[k][x])} ({self.pct(_share(counts[k], x))})",
                }
                for k in keys
                for x in TONES
            ]
        )
        spec = charts.stacked_bars(
            frame,
            "category",
            [name(k) for k in keys],
            "tone",
            tones,
            "value",
            "label",
            self.tone_scale,
            self.locale,
            title,
            horizontal=True,
        )
        worst = max(keys, key=lambda k: counts[k]["negative"])
        caption = (
            f"{self.t('negative')}: {self.num(counts[worst]['negative'])} — {name(worst)}"
            if counts[worst]["negative"]
            else self.t("no_negative_at_all")
        )
        rows = [[name(k), *[self.num(counts[k][x]) for x in TONES]] for k in keys]
        return Chart(chart_id, title, spec, caption, ["", *tones], rows)

    # engagement --------------------------------------------------------------------------

    def engagement(self) -> dict[str, Any]:
        months = [
            (label, m["engagement"])
            for label, m in zip(self.labels, self.trend, strict=True)
            if m["engagement"] is not None
        ]
        if not months:
            return {"charts": [], "has_data": False}
        parts = ["likes", "comments", "reposts"]
        names = [self.t(p) for p in parts]
        scale = alt.Scale(domain=names, range=["#5c6bc0", "#26a69a", "#ffa726"])
        trend = pd.DataFrame(
            [
                {"month": label, "kind": self.t(p), "value": e[p] or 0, "label": self.num(e[p])}
                for label, e in months
                for p in parts
            ]
        )
        eng = self.current["engagement"]
        items: list[Chart | None] = [
            Chart(
                "engagement_trend",
                self.t("interactions"),
                charts.stacked_bars(
                    trend,
                    "month",
                    self.labels,
                    "kind",
                    names,
                    "value",
                    "label",
                    scale,
                    self.locale,
                    self.t("interactions"),
                    partial=self.partial,
                ),
                f"{self.t('interactions')} — {self.month_name}: "
                f"{self.num((eng or {}).get('interactions'))}",
                [self.t("month"), *names, self.t("followers"), self.t("reach")],
                [
                    [
                        label,
                        *[self.num(e[p]) for p in parts],
                        self.num(e["followers"]),
                        self.num(e["reach"]),
                    ]
                    for label, e in months
                ],
            )
        ]
        # Every month of the trend, so that a line breaks where a month has no rate.
        rated = [
            (label, m["engagement"] or {}) for label, m in zip(self.labels, self.trend, strict=True)
        ]
        rates = pd.DataFrame(
            [
                {
                    "month": label,
                    "series": self.t(key),
                    "value": e.get(field_),
                    "label": self.pct(e.get(field_), 2),
                }
                for label, e in rated
                for key, field_ in (
                    ("engagement_rate", "rate_followers"),
                    ("er_reach", "rate_reach"),
                )
            ],
            columns=["month", "series", "value", "label"],
        )
        if rates["value"].notna().any():
            er_names = [self.t("engagement_rate"), self.t("er_reach")]
            er_scale = alt.Scale(
                domain=er_names, range=[self.client.branding.primary_color or "#c62828", "#5c6bc0"]
            )
            items.append(
                Chart(
                    "er_trend",
                    "ER",
                    charts.lines_by_month(
                        rates,
                        self.labels,
                        "series",
                        "value",
                        "label",
                        er_scale,
                        self.locale,
                        "ER",
                        percent=True,
                        series_order=er_names,
                        partial=self.partial,
                    ),
                    f"{self.t('engagement_rate')} — {self.month_name}: "
                    + self._or_why(
                        (eng or {}).get("rate_followers"), "engagement_rate", self.pct, 2
                    ),
                    [self.t("month"), *er_names],
                    [
                        [label, self.pct(e["rate_followers"], 2), self.pct(e["rate_reach"], 2)]
                        for label, e in months
                    ],
                )
            )
        by_platform = self.current["engagement_by_platform"] or {}
        if by_platform:
            platforms = sorted(by_platform, key=lambda p: -(by_platform[p]["interactions"] or 0))
            frame = pd.DataFrame(
                [
                    {
                        "platform": p,
                        "kind": self.t(k),
                        "value": by_platform[p][k] or 0,
                        "label": self.num(by_platform[p][k]),
                    }
                    for p in platforms
                    for k in parts
                ]
            )
            title = f"{self.t('interactions')} / {self.t('platform').lower()} — {self.month_name}"
            items.append(
                Chart(
                    "engagement_platform",
                    title,
                    charts.stacked_bars(
                        frame,
                        "platform",
                        platforms,
                        "kind",
                        names,
                        "value",
                        "label",
                        scale,
                        self.locale,
                        title,
                        horizontal=True,
                    ),
                    f"{platforms[0]}: {self.num(by_platform[platforms[0]]['interactions'])}",
                    [self.t("platform"), *names, self.t("followers"), self.t("engagement_rate")],
                    [
                        [
                            p,
                            *[self.num(by_platform[p][k]) for k in parts],
                            self.num(by_platform[p]["followers"]),
                            self.pct(by_platform[p]["rate_followers"], 2),
                        ]
                        for p in platforms
                    ],
                )
            )
        return {"charts": items, "has_data": True}

    # SMM vs account-keeping ---------------------------------------------------------------

    def smm(self) -> dict[str, Any]:
        outcome_names = list(self.current["outcomes"])
        criteria = assess(self.client, outcome_names, self.locale)
        series: dict[str, list[float | None]] = {
            self.t("likes"): [(m["engagement"] or {}).get("likes") for m in self.trend],
            self.t("followers"): [(m["engagement"] or {}).get("followers") for m in self.trend],
        }
        units: dict[str, str | None] = {}
        for name in outcome_names:
            # An outcome named as a figure of the accounts (`likes`) is a series of its own.
            label = next(
                (
                    candidate
                    for candidate in (as_label(name), name, f"{name} (outcomes.csv)")
                    if candidate not in series
                ),
                f"{name} ({len(series) + 1})",
            )
            series[label] = [m["outcomes"].get(name) for m in self.trend]
            units[label] = self.unit_of(name)
        rows = []
        for name, values in series.items():
            unit = units.get(name)
            base = next((v for v in values if v), None)
            for label, value in zip(self.labels, values, strict=True):
                if base and value is not None:
                    index = value / base * 100
                    rows.append(
                        {
                            "month": label,
                            "series": name,
                            "value": index,
                            "label": f"{self.num(index)} ({figure(value, self.locale, unit)})",
                        }
                    )
        chart = None
        frame = pd.DataFrame(rows, columns=["month", "series", "value", "label"])
        names = list(dict.fromkeys(frame["series"]))
        if len(frame) and len(names) > 1:
            vanity = [self.t("likes"), self.t("followers")]
            palette = [
                "#9e9e9e",
                "#bdbdbd",
                self.client.branding.primary_color or "#c62828",
                "#5c6bc0",
                "#26a69a",
                "#ffa726",
                "#8d6e63",
            ]
            ordered = [n for n in vanity if n in names] + [n for n in names if n not in vanity]
            scale = alt.Scale(domain=ordered, range=palette[: len(ordered)])
            title = self.t("vanity_title")
            last = frame[frame["month"] == self.labels[-1]]
            caption = "; ".join(f"{r.series}: {self.num(r.value)}" for r in last.itertuples())
            chart = self._chart(
                "vanity_vs_business",
                title,
                charts.lines_by_month(
                    frame,
                    self.labels,
                    "series",
                    "value",
                    "label",
                    scale,
                    self.locale,
                    title,
                    percent=False,
                    series_order=ordered,
                    partial=self.partial,
                ),
                f"{self.t('index_note')} {caption}",
                frame,
                "series",
                months=self.labels,
            )
        return {"charts": [chart], "criteria": criteria}

    # strategy ----------------------------------------------------------------------------

    def strategy(self) -> dict[str, Any]:
        channels = [
            {"platform": c.platform, "url": safe_url(c.url), "text": c.url or ""}
            for c in self.client.strategy.channels
        ]
        return {
            "s": self.client.strategy,
            "goals": self.goals,
            "team": self.client.team,
            "channels": channels,
            "industry": self._industry(),
        }

    def _industry(self) -> str:
        from .schema import SECTORS

        industry = self.client.industry or ""
        if industry in SECTORS:
            return SECTORS[industry][0 if self.locale == "ru" else 1]
        return industry

    # reputation --------------------------------------------------------------------------

    def reputation(self) -> dict[str, Any]:
        rows = self.month.mentions
        own = rows[rows["brand"] == self.own]
        negative = own["sentiment"] == -1
        replied = own["kind"].isin(["review", "comment", "media"])
        needs_reply = own[negative & replied]
        advocates = own[own["sentiment"] == 1]
        # An export of posts only lists nothing here: the page says how many it left out.
        unlisted = int((negative & ~replied).sum()) if needs_reply.empty else 0
        listed_negative = _listed(needs_reply, REPUTATION_LIMIT)
        listed_advocates = _listed(advocates, ADVOCATES_LIMIT)
        return {
            "negative": self._mention_rows(listed_negative),
            "negative_columns": filled_columns(listed_negative),
            "negative_count": self._listed_of("needs_reply_count", listed_negative, needs_reply),
            "negative_unlisted": (
                self.t("negative_posts", brand=self.own, count=self.num(unlisted))
                if unlisted
                else ""
            ),
            "advocates": self._mention_rows(listed_advocates),
            "advocates_columns": filled_columns(listed_advocates),
            "advocates_count": self._listed_of("advocates_count", listed_advocates, advocates),
            "templates": self.client.response_templates,
        }

    def _listed_of(self, key: str, listed: pd.DataFrame, rows: pd.DataFrame) -> str:
        """How many mentions there are, and how many of them a table lists when not all:
        `Позитивных упоминаний: 1 234. Показаны первые 10.`"""
        text = self.t(key, count=self.num(len(rows)))
        if len(listed) < len(rows):
            text += " " + self.t("showing", count=self.num(len(listed)))
        return text

    def _mention_rows(self, listed: pd.DataFrame) -> list[dict[str, Any]]:
        out = []
        for row in listed.itertuples():
            out.append(
                {
                    "date": date_text(row.date, self.locale),
                    "platform": self.platform(row.platform),
                    "kind": row.kind,
                    "author": as_written(row.author),
                    "text": as_written(row.text),
                    "url": safe_url(row.url),
                    "reach": self.num(None if pd.isna(row.reach) else row.reach),
                }
            )
        return out

    # method ------------------------------------------------------------------------------

    def method(self) -> dict[str, Any]:
        quality = source_rows(self.current["data_quality"])
        return {
            "quality": quality,
            "folded": any(row.files for row in quality),
            "rejected": self.month.rejected,
            "rejected_more": (
                self.t(
                    "rejected_shown",
                    shown=self.num(len(self.month.rejected)),
                    total=self.num(self.month.rejected_total),
                )
                if self.month.rejected_total > len(self.month.rejected)
                else ""
            ),
            "timezone": self.client.timezone,
        }

    def series_csv(self) -> str:
        header = [self.t("month")]
        header += [f"{self.t('mentions')}: {b}" for b in self.brands]
        header += [f"{self.t('sov')}, %: {b}" for b in self.brands]
        header += [self.t(x) for x in TONES] + [self.t("net_sentiment")]
        eng_keys = [
            "likes",
            "comments",
            "reposts",
            "interactions",
            "followers",
            "posts",
            "reach",
            "rate_followers",
            "rate_reach",
        ]
        header += eng_keys
        outcomes = list(self.current["outcomes"])
        header += outcomes
        rows = []
        for m in self.month.series:
            eng = m["engagement"] or {}
            rows.append(
                [
                    m["period"],
                    *[m["mentions"][b] for b in self.brands],
                    *[m["sov"][b] for b in self.brands],
                    *[m["feedback"][x] for x in TONES],
                    m["net_sentiment"],
                    *[eng.get(k) for k in eng_keys],
                    *[m["outcomes"].get(o) for o in outcomes],
                ]
            )
        buffer = io.StringIO(newline="")
        write_rows(buffer, header, rows)
        return buffer.getvalue()

    # helpers -----------------------------------------------------------------------------

    def _chart(
        self,
        chart_id: str,
        title: str,
        spec: dict[str, Any],
        caption: str,
        frame: pd.DataFrame,
        series: str,
        months: Sequence[str] | None = None,
    ) -> Chart:
        """A chart whose data table has a row per month and a column per series.

        ``months`` lists the table's rows (default: the months in ``frame``); a month without a
        value for a series shows a dash.
        """
        names = list(dict.fromkeys(frame[series])) if len(frame) else []
        labels = frame.set_index(["month", series])["label"].to_dict()
        rows = [
            [month, *[labels.get((month, name), "—") for name in names]]
            for month in (months if months is not None else dict.fromkeys(frame["month"]))
        ]
        return Chart(chart_id, title, spec, caption, [self.t("month"), *names], rows)


def _why_none(metric: str, month: Mapping[str, Any], before: bool = False) -> str:
    """The text key of why ``month`` has no ``metric`` (``_WHY_NONE``); ``before``, said of
    the month before the one reported. accounts.csv may have a month's rows without what an
    ER needs: its followers and interactions columns are optional, and followers may be 0."""
    why = _WHY_NONE[metric]
    figures = month["engagement"] if metric == "engagement_rate" else None
    if figures is not None:
        why = "no_followers" if not figures["followers"] else "no_interactions"
    return why + "_before" if before else why


def _shares(month: Mapping[str, Any], key: str) -> Mapping[str, float] | None:
    """A month's shares by brand, ``sov`` or ``sov_reach``; None where none is known: in a
    month without mentions of any brand (where metrics.json writes every share as 0), or
    without reach."""
    return None if key == "sov" and not month["mentions_total"] else month[key]


def _share(counts: Mapping[str, int], key: str) -> float:
    total = sum(counts.values())
    return counts[key] / total * 100 if total else 0.0

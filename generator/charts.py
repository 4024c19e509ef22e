"""Altair charts of aggregated figures, returned as Vega-Lite spec dicts.

Charts never see mention rows: only monthly or per-platform aggregates. Numbers shown in
tooltips are formatted here in the client's language, so charts read like the page around them.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from .i18n import vega_locale

TONE_COLORS = {"positive": "#2e7d32", "neutral": "#9e9e9e", "negative": "#c62828"}
#: Competitors in calm, distinguishable colours; the client's brand gets its own colour.
OTHER_COLORS = ["#5c6bc0", "#26a69a", "#ffa726", "#8d6e63", "#78909c", "#ab47bc", "#9ccc65"]
WIDTH = "container"
HEIGHT = 260
#: A month not over yet, on a chart over time: its bars this pale, the line to it dashed and
#: its points hollow, so that its lower figures read as "so far" before the label is read.
PARTIAL_OPACITY = 0.45
PARTIAL_DASH = [5, 4]


def records(frame: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """The frame's rows as Altair's own conversion writes them into a spec, at a fraction of its
    cost (it copies and converts the frame column by column: a fifth of a month's charts).

    Charts are given aggregates only: text, numbers, categories and flags (no dates). Pandas
    gives each value as a Python object, None where a nullable column has none; not-a-number
    and infinity become null too, as Altair writes them. A test checks this against Altair.
    """
    rows = frame.to_dict(orient="records")
    for row in rows:
        for key, value in row.items():
            if isinstance(value, float) and not math.isfinite(value):
                row[key] = None
    return {"values": rows}


alt.data_transformers.register("smrm", records)


#: About how wide a character of an axis label is, in pixels (12 px Roboto).
_LABEL_CHAR_PX = 6.6
#: The widest a legend's label is drawn: a longer one is cut with an ellipsis.
_LABEL_LIMIT_PX = 260


def _finish(chart: alt.TopLevelMixin, locale: str, title: str) -> dict[str, Any]:
    """Spec dict with the client's number format, a description for screen readers, no actions."""
    # Checked against the Vega-Lite schema in the tests; at build time that costs 40% of a
    # month's page rendering.
    with alt.data_transformers.enable("smrm"):
        spec: dict[str, Any] = chart.to_dict(validate=False)
    spec.pop("$schema", None)
    spec.update(width=WIDTH, height=HEIGHT, description=title, config=_config(locale))
    for color in _colour_legends({key: value for key, value in spec.items() if key != "datasets"}):
        labels = [str(value) for value in color["scale"]["domain"]]
        color["legend"] = {**color.get("legend", {}), "columns": _legend_columns(labels)}
    return spec


#: How wide a legend's entry is beside its label: the symbol and the gap after the entry.
_LEGEND_ENTRY_PX = 30


def _legend_columns(labels: Sequence[str]) -> dict[str, str]:
    """As many entries a row as the chart's width holds: one row on a page's column, two or
    more on a phone's screen, where one row of four brands ran off the chart's right edge
    (Vega sets a legend's entries in one row unless told how many columns)."""
    longest = min(
        max((len(label) for label in labels), default=0) * _LABEL_CHAR_PX, _LABEL_LIMIT_PX
    )
    return {"expr": f"max(1, floor(width / {longest + _LEGEND_ENTRY_PX:.0f}))"}


def _colour_legends(node: object) -> list[dict[str, Any]]:
    """The colour encodings of a spec that draw a legend of a scale's domain."""
    if isinstance(node, list):
        return [color for item in node for color in _colour_legends(item)]
    if not isinstance(node, dict):
        return []
    color = node.get("color")
    own = (
        [color]
        if isinstance(color, dict)
        and color.get("legend", {}) is not None
        and isinstance(color.get("scale"), dict)
        and isinstance(color["scale"].get("domain"), list)
        else []
    )
    return own + [found for value in node.values() for found in _colour_legends(value)]


@functools.cache
def _config_json(locale: str) -> str:
    """The configuration every chart carries (the theme's defaults and ours), made by Altair
    once per language rather than once per chart: a sixth of the time of a month's pages."""
    configured = (
        alt.Chart()
        .mark_point()
        .configure(
            locale=alt.Locale(number=vega_locale(locale)),
            font="Roboto, Helvetica, Arial, sans-serif",
            view=alt.ViewConfig(stroke=None),
            axis=alt.AxisConfig(labelFontSize=12, titleFontSize=12, grid=True, gridColor="#eeeeee"),
            legend=alt.LegendConfig(
                orient="bottom", labelFontSize=12, title=None, labelLimit=_LABEL_LIMIT_PX
            ),
        )
    )
    return json.dumps(configured.to_dict(validate=False)["config"])


def _config(locale: str) -> dict[str, Any]:
    """A chart's own copy of ``_config_json``."""
    return json.loads(_config_json(locale))


def _month_axis(months: Sequence[str]) -> alt.Axis:
    """Month labels upright while they fit, slanted for a long series; where the chart is too
    narrow for every one, every second (third...) one counted back from the last, so that the
    month reported always keeps its label. Vega's own thinning counts from the first, and left
    the last of twelve months unlabelled at the width of a page's column."""
    upright = len(months) <= 6
    text = max((len(month) for month in months), default=0) * _LABEL_CHAR_PX
    # The room a label needs along the axis: its width, or the width of its slanted box.
    room = text + 10 if upright else text * math.cos(math.radians(40)) + 16
    last = max(len(months) - 1, 0)
    # ``datum.index`` is the label's place from 0 to 1, ``width`` the chart's at the time.
    step = f"max(1, ceil({len(months)} * {room:.0f} / width))"
    return alt.Axis(
        labelAngle=0 if upright else -40,
        labelExpr=f"({last} - round(datum.index * {last})) % {step} ? '' : datum.label",
        # Vega's own thinning would count the blank labels and hide every second one left.
        labelOverlap=False,
    )


def _percent_axis(locale: str, title: str | None = None) -> alt.Axis:
    """Percents with the decimals a small range needs (ER of `0,5 %`, `1 %`, `1,5 %`): whole
    numbers alone would label those ticks `1 %`, `1 %`, `2 %`."""
    suffix = "\u00a0%" if locale == "ru" else "%"
    return alt.Axis(format=",.2~f", labelExpr=f"datum.label + '{suffix}'", title=title)


def _count_axis() -> alt.Axis:
    """Counts: ticks at whole numbers only, which a month of two reviews would otherwise label
    `0`, `0`, `0`, `1`, `1`, ... at every tenth."""
    return alt.Axis(format=",.0f", title=None, tickMinStep=1)


def brand_colors(brands: Sequence[str], primary: str | None) -> alt.Scale:
    """The client's colour first; competitors take the palette in turn (it repeats if need be)."""
    others = [OTHER_COLORS[i % len(OTHER_COLORS)] for i in range(max(0, len(brands) - 1))]
    return alt.Scale(domain=list(brands), range=[primary or "#c62828", *others][: len(brands)])


def lines_by_month(
    frame: pd.DataFrame,
    months: Sequence[str],
    series: str,
    value: str,
    label: str,
    scale: alt.Scale,
    locale: str,
    title: str,
    percent: bool,
    series_order: Sequence[str] | None = None,
    partial: str | None = None,
) -> dict[str, Any]:
    """One line per series over the report months; the step to ``partial`` (the label of a
    month not over yet) dashed, to a hollow point.

    ``frame`` columns: ``month`` (axis label), the series column, the value column and
    ``label`` (the value as text, for the tooltip).
    """
    y_axis = _percent_axis(locale) if percent else _count_axis()
    base = alt.Chart(frame).encode(
        x=alt.X("month:N", sort=list(months), title=None, axis=_month_axis(months)),
        y=alt.Y(f"{value}:Q", axis=y_axis),
        color=alt.Color(
            f"{series}:N", scale=scale, sort=list(series_order) if series_order else None
        ),
        tooltip=[
            alt.Tooltip("month:N", title=" "),
            alt.Tooltip(f"{series}:N", title=" "),
            alt.Tooltip(f"{label}:N", title=" "),
        ],
    )
    whole = [month for month in months if month != partial]
    if partial is None or partial not in months or not whole:
        return _finish(base.mark_line(point=True, strokeWidth=2.5), locale, title)

    # A line cannot change its dash along the way: the step to the month so far is a line of
    # its own, and that month's points are marks of their own (hollow).
    def only(shown: list[str]) -> alt.FieldOneOfPredicate:
        return alt.FieldOneOfPredicate(field="month", oneOf=shown)

    chart = alt.layer(
        base.mark_line(strokeWidth=2.5, strokeDash=PARTIAL_DASH).transform_filter(
            only([whole[-1], partial])
        ),
        base.mark_line(point=True, strokeWidth=2.5).transform_filter(only(whole)),
        base.mark_point(filled=False, fill="white", opacity=1).transform_filter(only([partial])),
    )
    return _finish(chart, locale, title)


def stacked_bars(
    frame: pd.DataFrame,
    category: str,
    categories: Sequence[str],
    stack: str,
    stack_order: Sequence[str],
    value: str,
    label: str,
    scale: alt.Scale,
    locale: str,
    title: str,
    horizontal: bool = False,
    normalize: bool = False,
    partial: str | None = None,
) -> dict[str, Any]:
    """Bars per category, stacked by ``stack`` (in ``stack_order``), optionally as 100 %; the
    bar of ``partial`` (the label of a month not over yet) paler."""
    axis = _percent_axis(locale) if normalize else _count_axis()
    measure = alt.X if horizontal else alt.Y
    across = alt.Y if horizontal else alt.X
    encoding: dict[str, Any] = {
        ("x" if not horizontal else "y"): across(
            f"{category}:N",
            sort=list(categories),
            title=None,
            axis=alt.Axis(labelLimit=200) if horizontal else _month_axis(categories),
        ),
        ("y" if not horizontal else "x"): measure(
            f"{value}:Q", stack="normalize" if normalize else "zero", axis=axis
        ),
        "color": alt.Color(f"{stack}:N", scale=scale, sort=list(stack_order)),
        "order": alt.Order("stack_index:Q"),
        "tooltip": [
            alt.Tooltip(f"{category}:N", title=" "),
            alt.Tooltip(f"{stack}:N", title=" "),
            alt.Tooltip(f"{label}:N", title=" "),
        ],
    }
    if normalize:
        # 100 % bars show shares: the axis reads 0-100 with the locale's percent sign.
        encoding["y" if not horizontal else "x"] = measure(
            f"{value}:Q",
            stack="normalize",
            axis=alt.Axis(format=".0%", title=None, labelExpr=_share_label(locale)),
        )
    if partial is not None:
        encoding["opacity"] = alt.condition(
            alt.FieldEqualPredicate(field=category, equal=partial),
            alt.value(PARTIAL_OPACITY),
            alt.value(1),
        )
    order = {name: index for index, name in enumerate(stack_order)}
    data = frame.assign(stack_index=frame[stack].map(order))
    chart = alt.Chart(data).mark_bar().encode(**encoding)
    return _finish(chart, locale, title)


def _share_label(locale: str) -> str:
    suffix = "\u00a0%" if locale == "ru" else "%"
    return f"format(datum.value * 100, ',.0f') + '{suffix}'"


def bars(
    frame: pd.DataFrame,
    category: str,
    categories: Sequence[str],
    value: str,
    label: str,
    scale: alt.Scale,
    locale: str,
    title: str,
    percent: bool,
) -> dict[str, Any]:
    """Horizontal bars with their value written beside them."""
    axis = _percent_axis(locale) if percent else _count_axis()
    base = alt.Chart().encode(
        y=alt.Y(f"{category}:N", sort=list(categories), title=None, axis=alt.Axis(labelLimit=220)),
        x=alt.X(f"{value}:Q", axis=axis),
    )
    # The data on the layer, not on each part, and the text as a channel object: the same
    # spec in half the time (for a bare `text=` string Altair looks the channel class up
    # through its schema).
    chart = alt.layer(
        base.mark_bar().encode(
            color=alt.Color(f"{category}:N", scale=scale, legend=None),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=" "),
                alt.Tooltip(f"{label}:N", title=" "),
            ],
        ),
        base.mark_text(align="left", dx=4, fontSize=12).encode(text=alt.Text(f"{label}:N")),
        data=frame,
    )
    return _finish(chart, locale, title)

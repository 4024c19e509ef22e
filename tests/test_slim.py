"""Slimmer charts, pages and search indexes that show exactly what the originals showed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import vl_convert

from generator.slim import rounded, slim_html, slim_search_index, slim_svg

HOSTILE = '<script>alert("x")</script> & «Дубрава»'


def chart(mark: dict[str, object], *, legend: bool) -> dict[str, object]:
    values = [
        {"month": m, "brand": b, "value": v}
        for m, row in zip(
            ["<b>янв.</b> & 2026", "февр. 2026", "март 2026"], [[3, 5], [4, 2], [6, 1]], strict=True
        )
        for b, v in zip([HOSTILE, "Кедр"], row, strict=True)
    ]
    color = {"field": "brand", "type": "nominal"} if legend else {"value": "#5b3a29"}
    return {
        "data": {"values": values},
        "mark": mark,
        "width": 400,
        "height": 200,
        "config": {"font": "Roboto", "view": {"stroke": None}},
        "encoding": {
            "x": {"field": "month", "type": "nominal", "sort": None, "axis": {"labelAngle": -40}},
            "y": {"field": "value", "type": "quantitative", "stack": True},
            "color": color,
        },
    }


def gridded(spec: dict[str, object]) -> dict[str, object]:
    """Grid lines on both axes, as the report's charts have them."""
    config = {**spec["config"], "axis": {"grid": True, "gridColor": "#eeeeee"}}  # type: ignore[dict-item]
    return {**spec, "config": config}


CROWDED = {
    "data": {"values": [{"month": f"месяц {m:02d} 2026", "value": m} for m in range(1, 13)]},
    "mark": "bar",
    "width": 160,
    "height": 100,
    "encoding": {
        "x": {"field": "month", "type": "nominal", "axis": {"labelAngle": 0, "labelOverlap": True}},
        "y": {"field": "value", "type": "quantitative"},
    },
}

SPECS = [
    CROWDED,
    chart({"type": "line", "point": True, "strokeWidth": 2.5}, legend=True),
    chart({"type": "bar"}, legend=True),
    chart({"type": "area", "opacity": 0.5}, legend=False),
    gridded(chart({"type": "line", "point": True}, legend=True)),
]


@pytest.mark.parametrize("spec", SPECS, ids=["crowded", "lines", "stacked bars", "area", "grid"])
def test_a_slim_chart_draws_the_same_pixels_in_a_third_less(spec: dict[str, object]) -> None:
    raw = vl_convert.vegalite_to_svg(spec)
    slim = slim_svg(raw)
    assert vl_convert.svg_to_png(slim) == vl_convert.svg_to_png(rounded(raw))
    assert len(slim) < 0.75 * len(rounded(raw))
    if "grid" in json.dumps(spec):  # grid lines and ticks, drawn as one path per group
        assert slim.count("<line") < raw.count("<line") / 4
    if spec is CROWDED:  # the labels the axis hides where they would overlap are left out
        assert 'opacity="0"' in raw and 'opacity="0"' not in slim
        return
    # Labels are text, escaped as they were.
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", raw)
    assert any("&lt;b&gt;янв.&lt;/b&gt; &amp; 2026" in label for label in labels)
    assert re.findall(r"<text[^>]*>([^<]*)</text>", slim) == labels
    assert "<script" not in slim


def test_slim_chart_rules() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="9">'
        '<g class="mark" role="graphics-object" aria-label="a: 1.25"><g>'
        '<path d="" display="none"/><path transform="translate(27.6923,104.8196)" d="M2.739,0"'
        ' fill="red"/><text x="1.2345" fill="red" font-family="Roboto">1.2345 %</text></g></g>'
        '<g fill="none"><path d="M0,0h9v9h-9Z"/><line x1="0" x2="0" y2="5" stroke="#888"/>'
        '<text font-family="Roboto" opacity="1" fill="none">b</text></g></svg>'
    )
    assert slim_svg(svg) == (
        '<svg xmlns="http://www.w3.org/2000/svg" font-family="Roboto" width="9">'
        '<g fill="red"><path transform="translate(27.6,104.8)" d="M2.7,0"/>'
        '<text x="1.2">1.2345 %</text></g>'
        '<g fill="none"><line y2="5" stroke="#888"/><text>b</text></g></svg>'
    )


def test_lines_that_differ_only_in_place_become_one_path() -> None:
    lines = (
        '<line transform="translate(30,-260)" y2="260"/><line transform="translate(90.25,-260)"'
        ' y2="260"/><line x1="1" y1="2" x2="3" y2="4"/><line transform="translate(0,29)"'
        ' x2="720"/>'
    )
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><g stroke="#eee">{lines}</g></svg>'
    assert slim_svg(svg) == (
        '<svg xmlns="http://www.w3.org/2000/svg"><g stroke="#eee">'
        '<path d="M30,-260V0M90.2,-260V0M1,2L3,4M0,29H720"/></g></svg>'
    )
    # Under a dash pattern or a stroke opacity, or with anything but their place, lines stay.
    for group in ('<g stroke="#eee" stroke-dasharray="2">', '<g stroke-opacity="0.5">'):
        dashed = f'<svg xmlns="http://www.w3.org/2000/svg">{group}{lines}</g></svg>'
        assert slim_svg(dashed).count("<line") == 4, group
    for other in ('<line y2="5" stroke="red"/>', '<line y2="5%"/>', '<line x1="1.2.3"/>'):
        odd = f'<svg xmlns="http://www.w3.org/2000/svg"><g stroke="#eee">{lines}{other}</g></svg>'
        assert slim_svg(odd).count("<line") == 5, other
    skewed = '<line transform="rotate(45)" y2="5"/><line y2="5"/>'
    odd = f'<svg xmlns="http://www.w3.org/2000/svg"><g stroke="#eee">{skewed}</g></svg>'
    assert slim_svg(odd).count("<line") == 2


def test_slim_html_keeps_preformatted_text_and_non_breaking_spaces() -> None:
    page = (
        "<body>\n    <p>41,2\u00a0%\n\n      of <b>all</b> <i>mentions</i></p>\n"
        "  <pre><code>a\n    b\n</code></pre>\n  <TEXTAREA>x\n  y</TEXTAREA>\n</body>"
    )
    assert slim_html(page) == (
        "<body>\n<p>41,2\u00a0%\nof <b>all</b> <i>mentions</i></p>\n"
        "<pre><code>a\n    b\n</code></pre>\n<TEXTAREA>x\n  y</TEXTAREA>\n</body>"
    )


def test_search_index_keeps_its_content_in_utf8() -> None:
    text = json.dumps({"docs": [{"title": "Тональность", "text": 'a "b" \\ </script>'}]})
    slim = slim_search_index(text)
    assert json.loads(slim) == json.loads(text)
    assert "Тональность" in slim and len(slim.encode()) < len(text.encode())


def test_slim_chart_is_the_same_bytes_in_every_process(tmp_path: Path) -> None:
    # Unchanged months must stay byte-identical between builds, whatever the string hash seed.
    raw = tmp_path / "chart.svg"
    raw.write_text(vl_convert.vegalite_to_svg(SPECS[0]), encoding="utf-8")
    code = (
        "import sys; from generator.slim import slim_svg; "
        "sys.stdout.write(slim_svg(open(sys.argv[1], encoding='utf-8').read()))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code, str(raw)],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            check=True,
        ).stdout
        for seed in range(6)
    }
    assert len(outputs) == 1


def test_slim_chart_keeps_what_it_cannot_prove_invisible_and_names_it_cannot_write() -> None:
    styled = (
        '<svg><g fill="none"><path d="M0,0h9" style="stroke: red"/><path d="M1,1h9"/></g></svg>'
    )
    assert (
        slim_svg(styled) == '<svg><g fill="none"><path d="M0,0h9" style="stroke: red"/></g></svg>'
    )
    spaced = '<svg><text xml:space="preserve" x="0">a  b</text></svg>'
    assert slim_svg(spaced) == '<svg><text xml:space="preserve">a  b</text></svg>'
    foreign = '<svg xmlns:v="urn:x"><g><text v:note="1">a</text></g></svg>'
    assert slim_svg(foreign) == rounded(foreign)

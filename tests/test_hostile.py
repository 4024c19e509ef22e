"""Hostile data: every string stays text, no script runs, nothing leaks between clients."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.conftest import EXAMPLE
from tests.test_browser import CHROMIUM, Visit, browser, server  # noqa: F401 - fixtures

PAGES = ["", "sov/", "tonality/", "engagement/", "smm/", "strategy/", "reputation/", "method/"]
ATTACKS = ["<script>alert(1)</script>", "<img src=x onerror=alert(3)>", "{{ 7*7 }}"]


@pytest.fixture(scope="module")
def portal(hostile_portal: Path) -> Path:
    """The browser fixtures of test_browser serve this portal here."""
    return hostile_portal


def test_every_page_is_safe_in_a_browser(browser, server: str) -> None:  # noqa: F811
    visit = Visit(browser)
    dialogs: list[str] = []
    visit.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    visit.page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    try:
        for month in ("2026-09", "2026-10"):
            for page_path in PAGES:
                page = visit.open(f"{server}/evil/{month}/{page_path}")
                visit.charts_rendered()
                for box in page.locator("figure.smrm-chart .smrm-chart__live").all()[:3]:
                    box.hover()  # tooltips show chart labels
                csp = page.locator('meta[http-equiv="Content-Security-Policy"]')
                policy = csp.get_attribute("content") or ""
                assert "script-src 'self'" in policy and "unsafe-eval" not in policy
                assert page.evaluate("window.__csp") == [], (month, page_path)
        page = visit.open(f"{server}/evil/2026-10/reputation/")
        text = page.locator("body").inner_text()
        for attack in ATTACKS:
            assert attack in text
        assert (
            page.locator("a[href^='javascript'], a[href^='data:'], a[href^='JAVASCRIPT']").count()
            == 0
        )
        rels = page.locator(".smrm-mentions a").evaluate_all("links => links.map(a => a.rel)")
        assert rels and set(rels) == {"nofollow noopener ugc"}
        assert "ZloCorp <script>alert(1)</script>" in page.locator("title").inner_text()
    finally:
        visit.close()
    assert dialogs == []
    assert visit.errors == []
    assert visit.outside == []


def test_commentary_markdown_is_rendered_and_its_html_cut_to_an_allow_list(portal: Path) -> None:
    page = (portal / "evil" / "2026-10" / "index.html").read_text(encoding="utf-8")
    commentary = page.split('<div class="smrm-commentary">')[1].split("</div>")[0]
    assert "<strong>ok</strong>" in commentary
    assert "<script" not in commentary and "<iframe" not in commentary and "<img" not in commentary
    assert "javascript:" not in commentary and "onerror" not in commentary


def test_no_raw_attack_markup_in_any_page(portal: Path) -> None:
    for html in (portal / "evil").rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "<script>alert(" not in text, html
        assert "onerror=alert" not in text.replace("onerror=alert(3)&gt;", ""), html
        assert not re.search(r"<a [^>]*href=\"(?!https?:|\.|#|/)[a-z]+:", text, re.I), html


def test_a_file_name_is_shown_as_text(portal: Path) -> None:
    # A file of mentions/ is named on the method page (its counts); names come from the
    # agency's repository, but a quote or a brace in one must not change the page either.
    page = (portal / "evil" / "2026-10" / "method" / "index.html").read_text(encoding="utf-8")
    assert "<code>mentions/x&#39; onmouseover=&#39;alert(5)&amp;{{7*7}}.csv</code>" in page
    assert "onmouseover='alert(5)" not in page and "&{{7*7}}" not in page


def test_csv_downloads_are_safe_in_spreadsheets(portal: Path) -> None:
    path = portal / "evil" / "2026-10" / "series.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    formulas = [cell for cell in header if cell.lstrip("'").startswith(("=", "+", "-", "@"))]
    assert formulas and all(cell.startswith("'") for cell in formulas)


def test_versions_json_holds_only_month_titles(portal: Path) -> None:
    text = (portal / "evil" / "versions.json").read_text(encoding="utf-8")
    assert "<" not in text and "ZloCorp" not in text


def _unique_strings(client: str) -> list[bytes]:
    words = {
        "evil": ["ZloCorp", "Zlo<b>Brand", "Rival", "evil.example", "HYPERLINK", "alert(2)"],
        "acme": ["Acme Furniture", "Globex", "Ёлка", "Глобекс", "t.me/acme/20", "Иван"],
    }[client]
    variants = set()
    for word in words:
        for form in (
            word,
            word.replace("<", "&lt;").replace(">", "&gt;"),
            word.encode("unicode_escape").decode("ascii"),
        ):
            variants.add(form.encode("utf-8"))
    return sorted(variants)


@pytest.mark.parametrize(("client", "other"), [("acme", "evil"), ("evil", "acme")])
def test_a_clients_output_holds_nothing_of_another_client(
    portal: Path, client: str, other: str
) -> None:
    files = [p for p in (portal / client).rglob("*") if p.is_file()]
    assert len(files) > 50
    # What all clients share (theme and chart scripts) holds no client's data either.
    shared = [p for p in (portal / "_assets").rglob("*") if p.is_file()]
    assert len(shared) > 10
    for path in files + shared:
        content = path.read_bytes()
        for secret in _unique_strings(other):
            assert secret not in content, (path, secret)
    assert sorted(p.name for p in portal.iterdir()) == ["_assets", "acme", "evil"]


def test_a_file_name_cannot_start_a_line_of_its_own_in_the_output(tmp_path: Path) -> None:
    """A name with a line break could fake a line of `smrm validate` output, or close the code
    block the publish workflow puts that output in; an escape sequence could recolour the
    terminal. Such characters are written as escapes wherever a file is named."""
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    (data / "acme" / "mentions").mkdir()
    name = "x\n```\n[ok](#top)\x1b[2J\u202e.csv"
    (data / "acme" / "mentions" / name).write_text(
        "date,brand,sentiment\n2026-10-01,Acme,positive\n2026-10-02,Acme,bad\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["validate", "--verbose", "--data", str(data)])
    shown = "x\\n```\\n[ok](#top)\\x1b[2J\\u202e.csv"
    assert f"{shown}:3: sentiment: expected positive/neutral/negative" in result.output
    assert f"acme/mentions/{shown}: 2 read = 1 used" in result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert not any(line.startswith(("```", "[ok]")) for line in result.output.splitlines())


def test_a_column_name_from_a_header_is_written_as_text_in_the_output(tmp_path: Path) -> None:
    """A header's names are the file's, not ours: an unknown one is named in a warning with its
    unseen characters written as escapes, as a file's name is."""
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    path = data / "acme" / "accounts.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    # (A direction control is left out of a name, as any character that shows nothing is.)
    lines[0] = lines[0].replace("followers", "follow\x1b[31mers\x07", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--data", str(data)])
    assert "follow\\x1b[31mers\\x07: warning: unknown column" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output

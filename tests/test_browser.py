"""What a client sees, in headless Chromium with the network off."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import CONTENT, EXAMPLE, build_all

CHROMIUM = os.environ.get("SMRM_CHROMIUM", "/usr/bin/chromium")
PAGES = ["index", "sov", "tonality", "engagement", "smm", "strategy", "reputation", "method"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def _serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def server(portal: Path) -> Iterator[str]:
    with _serve(portal) as address:
        yield address


@pytest.fixture(scope="module")
def addressed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example agency built with a portal_url of another host and path than it is served
    from, as a portal published to Pages is when it is previewed."""
    root = tmp_path_factory.mktemp("addressed")
    shutil.copytree(EXAMPLE, root / "data")
    with (root / "data" / "agency.yml").open("a", encoding="utf-8") as handle:
        handle.write("portal_url: https://agency.example/reports/\n")
    with _serve(build_all(root / "data", CONTENT, root / "site")) as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: make test installs it (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class Visit:
    """A page opened with every request outside localhost refused and every error kept."""

    def __init__(self, browser: Browser) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)

    def _route(self, route) -> None:  # type: ignore[no-untyped-def]
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def open(self, url: str) -> Page:
        response = self.page.goto(url)
        assert response is not None and response.ok, url
        self.page.wait_for_load_state("networkidle")
        return self.page

    def charts_rendered(self) -> None:
        figures = self.page.locator("figure.smrm-chart")
        count = figures.count()
        if count:
            self.page.wait_for_function(
                "n => document.querySelectorAll('figure.smrm-chart.is-live').length === n",
                arg=count,
                timeout=15000,
            )
        for index in range(count):
            marks = figures.nth(index).locator(".smrm-chart__live svg .role-mark > *")
            assert marks.count() > 0, figures.nth(index).get_attribute("id")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Browser) -> Iterator[Visit]:
    v = Visit(browser)
    yield v
    v.close()


@pytest.mark.parametrize("client", ["acme", "acme-en"])
def test_every_page_of_every_month_works(
    visit: Visit, server: str, portal: Path, client: str
) -> None:
    months = [v["version"] for v in json.loads((portal / client / "versions.json").read_text())]
    for month in [*months, "latest"]:
        for page in PAGES:
            visit.open(f"{server}/{client}/{month}/{'' if page == 'index' else page + '/'}")
            visit.charts_rendered()
    assert visit.errors == []
    assert visit.outside == []


def test_the_client_address_redirects_to_the_latest_month(visit: Visit, server: str) -> None:
    page = visit.open(f"{server}/acme/")
    page.wait_for_url("**/acme/latest/")
    assert page.locator("h1").inner_text() == "Отчёт за декабрь 2026"


def test_version_selector_lists_months_and_keeps_the_page(visit: Visit, server: str) -> None:
    page = visit.open(f"{server}/acme/2026-10/sov/")
    links = page.locator(".md-version .md-version__link")
    links.first.wait_for(state="attached")
    assert page.locator(".md-version__current").inner_text() == "Октябрь 2026"
    texts = [text.strip() for text in links.all_text_contents()]
    assert texts == ["Декабрь 2026", "Ноябрь 2026", "Октябрь 2026", "Сентябрь 2026"]
    # The list opens on hover and covers the button; click the month as a pointer would.
    page.locator(".md-version").hover()
    links.filter(has_text="Сентябрь 2026").click(force=True)
    page.wait_for_url("**/acme/2026-09/sov/")
    assert page.locator("h1").inner_text() == "Доля голоса"
    assert visit.errors == []


def test_russian_client_reads_russian(visit: Visit, server: str) -> None:
    page = visit.open(f"{server}/acme/2026-09/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "Доля голоса" in page.locator(".md-sidebar--primary").inner_text()
    kpi = page.locator(".smrm-kpi__value").nth(1).inner_text()
    assert kpi == "66,7\u00a0%"
    page = visit.open(f"{server}/acme/2026-09/sov/")
    visit.charts_rendered()
    axis = page.locator("#chart-sov_month .smrm-chart__live svg").text_content() or ""
    assert "%" in axis
    # The page's one chart configuration reached the chart (Vega's own font is sans-serif).
    label = page.locator("#chart-sov_month .smrm-chart__live svg text").first
    assert "Roboto" in (label.get_attribute("font-family") or "")


def test_charts_draw_every_row_of_their_data(visit: Visit, server: str) -> None:
    page = visit.open(f"{server}/acme/2026-10/sov/")
    visit.charts_rendered()
    # The data, written column by column in the page, became one bar per brand and one point
    # per brand and month (Acme and its two competitors, in September and October).
    bars = page.locator("#chart-sov_month .smrm-chart__live svg .mark-rect.role-mark > *")
    assert bars.count() == 3
    points = page.locator("#chart-sov_trend .smrm-chart__live svg .mark-symbol.role-mark > *")
    assert points.count() == 3 * 2


def test_a_portal_with_its_address_keeps_the_page_and_its_charts(
    visit: Visit, addressed_server: str
) -> None:
    # The theme reads each month's pages from its sitemap, which names the published address.
    page = visit.open(f"{addressed_server}/acme/2026-10/sov/")
    canonical = page.locator('link[rel="canonical"]').get_attribute("href")
    assert canonical == "https://agency.example/reports/acme/2026-10/sov/"
    page.locator(".md-version").hover()
    page.locator(".md-version .md-version__link", has_text="Сентябрь 2026").click(force=True)
    page.wait_for_url("**/acme/2026-09/sov/")
    visit.charts_rendered()
    page.locator("nav a", has_text="Тональность").first.click()
    page.wait_for_url("**/acme/2026-09/tonality/")
    visit.charts_rendered()
    assert visit.errors == []
    assert visit.outside == []


def test_charts_render_again_after_instant_navigation(visit: Visit, server: str) -> None:
    page = visit.open(f"{server}/acme/2026-10/")
    page.locator("nav a", has_text="Тональность").first.click()
    page.wait_for_url("**/tonality/")
    visit.charts_rendered()
    assert visit.errors == []


def test_no_serious_accessibility_violations(visit: Visit, server: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for page_name in PAGES:
        path = "" if page_name == "index" else f"{page_name}/"
        page = visit.open(f"{server}/acme/2026-10/{path}")
        visit.charts_rendered()
        results = axe.run(page)
        serious = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], (page_name, serious)


def test_printed_pages_show_static_charts_without_navigation(visit: Visit, server: str) -> None:
    page = visit.open(f"{server}/acme/2026-10/tonality/")
    visit.charts_rendered()
    page.emulate_media(media="print")
    assert page.locator(".smrm-chart__static").first.is_visible()
    assert not page.locator(".smrm-chart__live").first.is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert page.locator(".smrm-print-head").inner_text() == "Acme Furniture · Октябрь 2026"
    page.emulate_media(media="screen")
    assert not page.locator(".smrm-chart__static").first.is_visible()


def test_search_finds_russian_words(visit: Visit, server: str) -> None:
    page = visit.open(f"{server}/acme/2026-10/")
    search = page.locator("input.md-search__input")
    search.click()
    # Cyrillic is inserted as text; the theme searches on key release, as a keyboard sends.
    search.fill("тональность")
    search.press("End")
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=10000)
    assert any("tonality/" in (link.get_attribute("href") or "") for link in results.all())
    assert visit.errors == []


def _tables_overflow(page: Page) -> list[int]:
    """How far each table of the page reaches past its box, behind a sideways scroll."""
    overflow: list[int] = page.evaluate(
        "() => [...document.querySelectorAll('.smrm-table-wrap')]"
        ".map(e => e.scrollWidth - e.clientWidth)"
    )
    return overflow


@pytest.mark.parametrize("name", ["smm", "method"])
def test_the_tables_of_the_smm_and_method_pages_fit_a_phones_width(
    visit: Visit, server: str, name: str
) -> None:
    """A criterion of the SMM page, and a file of the Method page's accounting, are blocks
    of their own, their cells named: where the client's work stands was a column a few
    letters wide, and the counts were behind a sideways scroll."""
    visit.page.set_viewport_size({"width": 360, "height": 800})
    page = visit.open(f"{server}/acme/2026-10/{name}/")
    overflow = _tables_overflow(page)
    assert overflow and max(overflow) <= 0, overflow
    cells = page.evaluate(
        """() => [...document.querySelectorAll('.smrm-table-wrap tbody td')].map(e => ({
            right: e.getBoundingClientRect().right,
            label: getComputedStyle(e, '::before').content,
        }))"""
    )
    assert cells and all(c["right"] <= 360 for c in cells), cells
    expected = {
        "smm": {'"SMM: "', '"Ведение аккаунта: "', "none"},
        "method": {
            *('"Прочитано строк: "', '" · Использовано: "'),
            *('" · Повторы: "', '" · Отклонено: "'),
        },
    }[name]
    assert {c["label"] for c in cells} == expected
    assert not visit.errors


@pytest.fixture(scope="module")
def crowded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example agency with three more competitors of long names, each mentioned in
    October (a legend of six brands), and a threat of long words."""
    root = tmp_path_factory.mktemp("crowded")
    shutil.copytree(EXAMPLE, root / "data")
    names = ["Северо-Западная мебель", "Уютный дом плюс", "МебельГрад Онлайн"]
    client = root / "data" / "acme" / "client.yml"
    text = client.read_text(encoding="utf-8")
    more = "".join(f"  - name: {name}\n" for name in names)
    text = text.replace("  - name: Ёлка\n", "  - name: Ёлка\n" + more)
    text = text.replace("[Discount chains]", "[Крупные сети с агрессивными скидками]")
    client.write_text(text, "utf-8")
    rows = [
        f"2026-10-0{day},{name},positive,VK,review,,https://vk.com/wall7_{day},"
        f"user{day},Отзыв,1,0,0,100\n"
        for day, name in enumerate(names, start=3)
    ]
    with (root / "data" / "acme" / "mentions.csv").open("a", encoding="utf-8") as handle:
        handle.writelines(rows)
    with _serve(build_all(root / "data", CONTENT, root / "site")) as address:
        yield address


_LEGENDS = """() => [...document.querySelectorAll('.smrm-chart__live svg')].flatMap(svg => {
    const edge = svg.getBoundingClientRect().right;
    return [...svg.querySelectorAll('.role-legend')].map(legend => {
        const entries = [...legend.querySelectorAll('.role-legend-symbol path')];
        const rows = new Set(entries.map(e => Math.round(e.getBoundingClientRect().top)));
        return {over: legend.getBoundingClientRect().right - edge, rows: rows.size};
    });
})"""


def _legends(visit: Visit, url: str, width: int) -> list[dict[str, int]]:
    """Each legend of the page's charts: how far it reaches past its chart's right edge, and
    on how many rows its entries are."""
    visit.page.set_viewport_size({"width": width, "height": 900})
    visit.open(url)
    visit.charts_rendered()
    legends: list[dict[str, int]] = visit.page.evaluate(_LEGENDS)
    assert not visit.errors
    return legends


def test_a_legend_of_many_brands_wraps_within_a_phones_width(
    visit: Visit, crowded_server: str
) -> None:
    """Where one row of six brands ran off the chart's right edge, the entries go on as many
    rows as they need."""
    legends = _legends(visit, f"{crowded_server}/acme/2026-10/sov/", 360)
    assert len(legends) == 3, legends
    assert max(legend["over"] for legend in legends) <= 0, legends
    assert min(legend["rows"] for legend in legends) > 1, legends


@pytest.mark.parametrize("width", [320, 360])
def test_no_page_scrolls_sideways_on_a_phone(visit: Visit, crowded_server: str, width: int) -> None:
    visit.page.set_viewport_size({"width": width, "height": 800})
    wider = {}
    for name in PAGES:
        page = visit.open(f"{crowded_server}/acme/2026-10/{'' if name == 'index' else name + '/'}")
        visit.charts_rendered()
        wider[name] = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    assert max(wider.values()) <= 0, wider
    assert not visit.errors


def test_a_legend_that_fits_keeps_to_one_row(visit: Visit, server: str) -> None:
    legends = _legends(visit, f"{server}/acme/2026-10/sov/", 1280)
    assert len(legends) == 3 and {legend["rows"] for legend in legends} == {1}, legends


@pytest.fixture(scope="module")
def wordy_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example agency with October's mentions as monitoring exports write them: long
    texts, long handles, large reach."""
    root = tmp_path_factory.mktemp("wordy")
    shutil.copytree(EXAMPLE, root / "data")
    text = " ".join(["Заказали кухню в Acme, доставка задержалась на две недели"] * 3)
    rows = [
        f"2026-10-{day:02d},Acme,{tone},VK,review,,https://vk.com/wall9_{day},"
        f'ClaudiaStClair_{day}_official,"{text}",1,2,3,1234567\n'
        for day in range(3, 13)
        for tone in ("positive", "negative")
    ]
    with (root / "data" / "acme" / "mentions.csv").open("a", encoding="utf-8") as handle:
        handle.writelines(rows)
    with _serve(build_all(root / "data", CONTENT, root / "site")) as address:
        yield address


@pytest.mark.parametrize("width", [1024, 1280, 1440, 1920])
def test_tables_of_mentions_fit_a_desktops_width(
    visit: Visit, wordy_server: str, width: int
) -> None:
    """No column of a mention table (its links last) is hidden behind a scroll on a
    desktop's width: the page leaves out the table of contents, which would take the right
    of the page from 1220 pixels on."""
    visit.page.set_viewport_size({"width": width, "height": 900})
    page = visit.open(f"{wordy_server}/acme/2026-10/reputation/")
    assert not page.locator(".md-sidebar--secondary").is_visible()
    overflow = _tables_overflow(page)
    assert len(overflow) == 2 and max(overflow) <= 0, overflow


@pytest.mark.parametrize("width", [360, 412])
def test_a_mention_reads_on_a_phone_without_scrolling_sideways(
    visit: Visit, wordy_server: str, width: int
) -> None:
    """Each mention is a block: its text below its date, platform and author, in the
    screen's width, its reach named; nothing of it behind a sideways scroll."""
    visit.page.set_viewport_size({"width": width, "height": 800})
    page = visit.open(f"{wordy_server}/acme/2026-10/reputation/")
    overflow = _tables_overflow(page)
    assert len(overflow) == 2 and max(overflow) <= 0, overflow
    found = page.evaluate(
        """() => ({
            texts: [...document.querySelectorAll('.smrm-mentions__text')].map(e => {
                const box = e.getBoundingClientRect();
                const row = e.closest('tr').getBoundingClientRect();
                return {right: box.right, width: box.width, row: row.width};
            }),
            reach: getComputedStyle(
                document.querySelector('.smrm-mentions td[data-label]'), '::before').content,
        })"""
    )
    assert found["texts"] and all(t["right"] <= width for t in found["texts"]), found["texts"]
    assert all(t["width"] >= t["row"] - 1 for t in found["texts"]), found["texts"]
    assert found["reach"] == '"Охват: "'
    assert not visit.errors

"""The built portal: layout, versions, downloads, and figures equal to metrics.json."""

from __future__ import annotations

import functools
import json
import re
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner, Result

from generator.cli import cli
from generator.pages import MonthInput
from generator.pipeline import ClientData, check, compute_metrics
from generator.site import PLACEHOLDER_URL, BuiltMonth, Job
from tests.conftest import CONTENT, EXAMPLE, HERE
from tests.helpers import (
    add_agency_stylesheet,
    empty_client,
    local_links,
    run_fresh,
    spy_reads,
)

PAGES = ["index", "sov", "tonality", "engagement", "smm", "strategy", "reputation", "method"]
MONTHS = ["2026-09", "2026-10", "2026-11", "2026-12"]


def test_layout_per_client_and_month(portal: Path) -> None:
    # No client list; theme and chart assets once for all clients and months.
    assert sorted(p.name for p in portal.iterdir()) == ["_assets", "acme", "acme-en"]
    acme = portal / "acme"
    assert sorted(p.name for p in acme.iterdir()) == [
        *MONTHS,
        "index.html",
        "latest",
        "versions.json",
    ]
    for month in [*MONTHS, "latest"]:
        for page in PAGES:
            path = "index.html" if page == "index" else f"{page}/index.html"
            assert (acme / month / path).is_file(), (month, page)
        assert (acme / month / "metrics.json").is_file()
        assert (acme / month / "series.csv").is_file()
        # Every static chart a page shows is there (they are written after MkDocs' build).
        shown = {
            name
            for page in (acme / month).rglob("*.html")
            for name in re.findall(
                r'class="smrm-chart__static" src="[./]*charts/([\w-]+\.svg)"',
                page.read_text(encoding="utf-8"),
            )
        }
        assert len(shown) > 5
        assert {p.name for p in (acme / month / "charts").glob("*.svg")} == shown
    assert (acme / "latest" / "index.html").read_bytes() == (
        acme / "2026-12" / "index.html"
    ).read_bytes()
    assert 'url=latest/"' in (acme / "index.html").read_text()


def test_logo_and_colours_brand_every_month(portal: Path) -> None:
    month = portal / "acme" / "2026-10"
    assert (month / "assets" / "logo.svg").read_bytes() == (
        EXAMPLE / "acme" / "logo.svg"
    ).read_bytes()
    page = (month / "sov" / "index.html").read_text(encoding="utf-8")
    assert 'src="../assets/logo.svg"' in page
    assert (
        "--md-primary-fg-color: #5b3a29;" in (month / "assets" / "smrm" / "brand.css").read_text()
    )
    assert "Агентство «Пример»" in page and "reports@agency.example" in page


def test_the_footer_names_the_agency_in_the_reports_language(portal: Path) -> None:
    for slug, own, other in [
        ("acme", "Агентство «Пример»", "Example Agency"),
        ("acme-en", "Example Agency", "Агентство «Пример»"),
    ]:
        for month in ["2026-10", "latest"]:
            page = (portal / slug / month / "sov" / "index.html").read_text(encoding="utf-8")
            footer = page[page.index('class="md-copyright"') :]
            assert own in footer and other not in page, (slug, month)
            assert "reports@agency.example" in footer


def test_versions_json_in_mikes_format(portal: Path) -> None:
    versions = json.loads((portal / "acme" / "versions.json").read_text(encoding="utf-8"))
    assert versions == [
        {"version": "2026-12", "title": "Декабрь 2026", "aliases": ["latest"]},
        {"version": "2026-11", "title": "Ноябрь 2026", "aliases": []},
        {"version": "2026-10", "title": "Октябрь 2026", "aliases": []},
        {"version": "2026-09", "title": "Сентябрь 2026", "aliases": []},
    ]
    english = json.loads((portal / "acme-en" / "versions.json").read_text(encoding="utf-8"))
    assert english[0]["title"] == "December 2026"


def test_downloads_are_the_months_metrics(portal: Path) -> None:
    expected = compute_metrics(check(EXAMPLE).clients[0])
    for month in MONTHS:
        shipped = json.loads((portal / "acme" / month / "metrics.json").read_text(encoding="utf-8"))
        assert shipped == expected[month]
    series = (portal / "acme" / "2026-10" / "series.csv").read_text(encoding="utf-8-sig")
    assert series.splitlines()[1].startswith("2026-09,4,1,1,66.6667,")
    assert len(series.splitlines()) == 3  # header, September, October: nothing later


def test_pages_show_the_figures_of_metrics_json(portal: Path) -> None:
    page = (portal / "acme" / "2026-09" / "index.html").read_text(encoding="utf-8")
    assert "66,7\u00a0%" in page  # sov 66.6667
    assert "23,2\u00a0%" in page or "23,3\u00a0%" in page  # ER by followers 23.25
    english = (portal / "acme-en" / "2026-09" / "index.html").read_text(encoding="utf-8")
    assert "66.7%" in english and "Report for September 2026" in english


def test_sites_are_offline_and_strict(portal: Path) -> None:
    for html in (portal / "acme" / "2026-10").rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", text):
            if 'rel="canonical"' in tag:
                continue  # names the page's address; browsers load nothing from it
            assert not re.search(r"""(src|href)=["']?(https?:)?//""", tag), (html.name, tag)
        assert "fonts.googleapis" not in text
    assert not list((portal / "acme").rglob("*.map"))


def test_report_pages_ask_search_engines_to_keep_out(portal: Path) -> None:
    pages = list((portal / "acme" / "2026-10").rglob("index.html"))
    assert len(pages) == len(PAGES)
    for html in pages:
        head = html.read_text(encoding="utf-8").split("</head>")[0]
        assert '<meta name="robots" content="noindex, nofollow">' in head, html


@pytest.mark.parametrize("where", ["mentions.csv", "mentions/2027-01.csv"])
def test_adding_a_month_never_changes_an_earlier_one(
    portal: Path, tmp_path: Path, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Built as on another day (MkDocs takes the build date from here too): nothing in a month
    # that is over may depend on the day it was built, or rebuilding it would change it.
    from tests.test_metrics import _moment

    monkeypatch.setenv("SOURCE_DATE_EPOCH", _moment("2027-03-02T09:00:00+00:00"))
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    shutil.copyfile(portal.parent / "data" / "agency.yml", data / "agency.yml")  # the same
    header = (data / "acme" / "mentions.csv").read_text(encoding="utf-8").splitlines()[0]
    row = "2027-01-05,Globex,negative,VK,review,,https://vk.com/new,,,1,1,1,10\n"
    if where == "mentions.csv":
        with (data / "acme" / "mentions.csv").open("a", encoding="utf-8") as handle:
            handle.write(row)
    else:  # the month's export as a file of its own
        (data / "acme" / "mentions").mkdir()
        (data / "acme" / where).write_text(f"{header}\n{row}", encoding="utf-8")
    out = tmp_path / "site"
    result = CliRunner().invoke(
        cli,
        [
            "build",
            "--data",
            str(data),
            "--content",
            str(CONTENT),
            "--out",
            str(out),
            "--config",
            str(HERE.parent / "mkdocs.yml"),
            "--period",
            "2026-09",
            "--period",
            "2027-01",
            "--jobs",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    before, after = portal / "acme" / "2026-09", out / "acme" / "2026-09"
    files = sorted(p.relative_to(before) for p in before.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(after) for p in after.rglob("*") if p.is_file())
    for name in files:
        assert (before / name).read_bytes() == (after / name).read_bytes(), name
    versions = json.loads((out / "acme" / "versions.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in versions] == ["2027-01", "2026-09"]


def test_build_fails_on_invalid_rows_unless_lenient(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    with (data / "acme" / "mentions.csv").open("a", encoding="utf-8") as handle:
        handle.write("not a date,Acme,positive,,,,,,,,,,\n")
    args = [
        "build",
        "--data",
        str(data),
        "--content",
        str(CONTENT),
        "--out",
        str(tmp_path / "s"),
        "--config",
        str(HERE.parent / "mkdocs.yml"),
        "--period",
        "2026-12",
        "--jobs",
        "1",
    ]
    strict = CliRunner().invoke(cli, args)
    assert strict.exit_code == 1
    assert "acme: not built" in strict.output
    lenient = CliRunner().invoke(cli, [*args, "--lenient"])
    assert lenient.exit_code == 0, lenient.output
    method = (tmp_path / "s" / "acme" / "2026-12" / "method" / "index.html").read_text(
        encoding="utf-8"
    )
    # The example client reads Russian, and so do the reasons its page gives.
    assert "не дата: &#39;not a date&#39;" in method or "не дата: 'not a date'" in method


def page_links(page: Path) -> list[str]:
    """The page's local links, and last the search worker the theme's config names."""
    text = page.read_text(encoding="utf-8")
    links = local_links(text)
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', text)
    if config:
        links.append(json.loads(config.group(1))["search"])
    return links


def test_theme_and_chart_assets_are_kept_once_and_every_link_resolves(portal: Path) -> None:
    shared = sorted(p.name for p in (portal / "_assets").iterdir())
    assert [name.split("-")[0] for name in shared] == ["material", "smrm"], shared
    assert (portal / "_assets" / shared[1] / "vega.js").stat().st_size > 500_000
    for client in ("acme", "acme-en"):
        for month in [*MONTHS, "latest"]:
            site = portal / client / month
            assert not (site / "assets" / "javascripts").exists()
            assert not (site / "assets" / "images").exists()  # the theme's favicon
            assert not (site / "assets" / "smrm" / "vega.js").exists()
            assert not (site / "404.html").exists()
            assert (site / "assets" / "smrm" / "brand.css").is_file()  # the client's own
            for page in site.rglob("*.html"):
                for link in page_links(page):
                    target = (page.parent / link).resolve()
                    assert target.exists(), (str(page.relative_to(portal)), link)
    worker = page_links(portal / "acme" / "2026-10" / "sov" / "index.html")[-1]
    assert "/_assets/material-" in worker
    # The search worker loads its language files relative to itself.
    lunr = (portal / "acme" / "2026-10" / "sov" / worker).resolve().parent.parent / "lunr"
    assert (lunr / "min" / "lunr.ru.min.js").is_file()


def test_months_are_slim_pages_charts_and_search_index(portal: Path) -> None:
    month = portal / "acme" / "2026-10"
    index = (month / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Тональность" in index and "\\u04" not in index
    assert any("Тональность" in doc["title"] for doc in json.loads(index)["docs"])
    for page in month.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"\n[ \t]", text) and "\n\n" not in text, page
    for chart in (month / "charts").glob("*.svg"):
        text = chart.read_text(encoding="utf-8")
        assert text.startswith('<svg xmlns="http://www.w3.org/2000/svg" font-family=')
        assert "<g>" not in text and "aria-" not in text, chart.name


def test_pages_name_no_address_the_agency_has_not_given(portal: Path) -> None:
    # Without the agency's portal_url the sites' address is a stand-in that never resolves.
    pages = list((portal / "acme").rglob("*.html"))
    assert len(pages) > 5 * len(PAGES)
    for html in pages:
        assert PLACEHOLDER_URL not in html.read_text(encoding="utf-8"), html
    assert 'rel="canonical"' not in (portal / "acme" / "2026-10" / "sov" / "index.html").read_text()
    # The theme's version selector reads a month's list of pages from its sitemap.
    sitemap = (portal / "acme" / "2026-10" / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<loc>") == len(PAGES)


def test_canonical_links_and_sitemaps_name_the_portal_address(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    with (data / "agency.yml").open("a", encoding="utf-8") as handle:
        handle.write("portal_url: https://agency.example/reports\n")
    out = tmp_path / "site"
    result = _build(data, out, "acme")
    assert result.exit_code == 0, result.output
    for month in ["2026-10", "latest"]:
        page = (out / "acme" / month / "sov" / "index.html").read_text(encoding="utf-8")
        # latest/ is a copy of the newest month, whose address stays the one to keep.
        period = "2026-12" if month == "latest" else month
        address = f"https://agency.example/reports/acme/{period}/sov/"
        assert f'<link rel="canonical" href="{address}">' in page
    sitemap = (out / "acme" / "2026-10" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://agency.example/reports/acme/2026-10/sov/</loc>" in sitemap
    assert not [p for p in out.rglob("*.*ml") if PLACEHOLDER_URL in p.read_text("utf-8")]


def _build(data: Path, out: Path, *extra: str, config: Path = HERE.parent / "mkdocs.yml") -> Result:
    """``smrm build`` of ``data`` into ``out`` with the project's base config (or ``config``)."""
    args = ["build", "--data", str(data), "--content", str(CONTENT), "--out", str(out)]
    return CliRunner().invoke(cli, [*args, "--config", str(config), *extra])


def test_a_rejected_row_rebuilds_the_months_whose_reports_list_it(tmp_path: Path) -> None:
    """Under --lenient a month's report lists the rows rejected up to its end and those of no
    known month: one rejected in a new month rebuilds that month only; an undated one, all."""
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    out = tmp_path / "site"

    def rebuilt(*lines: str) -> set[str]:
        before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
        with (data / "acme" / "mentions.csv").open("a", encoding="utf-8") as handle:
            handle.writelines(f"{line}\n" for line in lines)
        result = _build(data, out, "--lenient", "--jobs", "2", "acme")
        assert result.exit_code == 0, result.output
        after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
        return {p.relative_to(out).parts[1] for p in after if before.get(p) != after[p]}

    rebuilt("2026-10-07,Acme,awful,VK,post,,,,,,,,")
    assert rebuilt(
        "2027-01-05,Globex,negative,VK,review,,https://vk.com/new,,,1,1,1,10",
        "2027-01-06,Acme,awful,VK,post,,,,,,,,",
    ) == {"2027-01", "latest", "versions.json", "fingerprints.json", "rejected.csv"}
    months = {"2026-09", "2026-10", "2026-11", "2026-12", "2027-01"}
    assert rebuilt("someday,Acme,positive,VK,post,,,,,,,,") == {
        *months,
        "latest",
        "fingerprints.json",
        "rejected.csv",
    }


def test_a_rebuild_skips_months_already_built_and_touches_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    out = tmp_path / "site"

    def build(*extra: str) -> str:
        result = _build(data, out, "--jobs", "2", *extra, "acme")
        assert result.exit_code == 0, result.output
        return result.output

    def stamps() -> dict[str, int]:
        return {
            str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()
        }

    assert "acme: 4 months built" in build()
    before = stamps()
    assert "acme: up to date" in build()  # its files are unchanged: not even read
    assert stamps() == before
    # Nor are the checks and the site builder loaded (a fresh process: the tests' own has them).
    args = ["build", "--data", str(data), "--content", str(CONTENT), "--out", str(out), "acme"]
    code = f"from generator.cli import cli\ncli({args!r}, standalone_mode=False)"
    lines, loaded = run_fresh(code, ["pandas", "altair", "mkdocs"], cwd=HERE.parent)
    assert lines[-1:] == [f"acme: up to date in {out / 'acme'} (its files have not changed)"]
    assert loaded == []
    assert stamps() == before
    # A file changed, its months did not (a trailing blank line): read, nothing rebuilt.
    with (data / "acme" / "mentions.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    output = build()
    assert "acme: 0 months built in" in output and "4 already up to date" in output
    assert {p for p, t in stamps().items() if before[p] != t} == {"acme/fingerprints.json"}
    before = stamps()

    # A new month: that month is built, latest/ follows it; nothing else is rewritten.
    with (data / "acme" / "mentions.csv").open("a", encoding="utf-8") as handle:
        handle.write("2027-01-05,Globex,negative,VK,review,,https://vk.com/new,,,1,1,1,10\n")
    assert "acme: 1 month built" in build()
    after = stamps()
    rewritten = {p.split("/")[1] for p in after if before.get(p) != after[p]}
    assert rewritten == {"2027-01", "latest", "versions.json", "fingerprints.json"}

    # That row taken back: its month leaves the output, latest/ and the month list with it.
    mentions = data / "acme" / "mentions.csv"
    text = mentions.read_text(encoding="utf-8")
    mentions.write_text(text[: text.rindex("2027-01-05")], encoding="utf-8")
    # What the output's fingerprints name is removed only if it is a month of this client.
    manifest = out / "acme" / "fingerprints.json"
    keep = tmp_path / "keep"
    keep.mkdir()
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "../../keep": "x"}))
    output = build()
    assert keep.is_dir()
    assert "acme: 0 months built" in output and "removed 2027-01 (no longer in the data)" in output
    assert not (out / "acme" / "2027-01").exists()
    assert [v["version"] for v in json.loads((out / "acme" / "versions.json").read_text())] == [
        "2026-12",
        "2026-11",
        "2026-10",
        "2026-09",
    ]
    assert "2027-01" not in json.loads(manifest.read_text())
    latest = (out / "acme" / "latest" / "index.html").read_text(encoding="utf-8")
    assert latest == (out / "acme" / "2026-12" / "index.html").read_text(encoding="utf-8")

    assert "acme: 4 months built" in build("--force")

    # Every file emptied: the output is kept (likelier a mistake than a request to remove it).
    before = stamps()
    empty_client(data / "acme")
    assert "removed" not in build()
    assert {p for p in before if not p.endswith("fingerprints.json")} <= set(stamps())


def test_shared_assets_no_page_links_to_are_removed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    shutil.copytree(data / "acme", data / "acme-en")
    shutil.copy(HERE.parent / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(HERE.parent / "overrides", tmp_path / "overrides")
    out = tmp_path / "site"
    shared = out / "_assets"

    def build(*clients: str) -> str:
        result = _build(data, out, "--jobs", "2", *clients, config=tmp_path / "mkdocs.yml")
        assert result.exit_code == 0, result.output
        return result.output

    def folders() -> set[str]:
        return {p.name for p in shared.iterdir()}

    build()
    before = folders()
    (old,) = {name for name in before if name.startswith("material-")}
    (shared / "agency-fonts").mkdir()  # not a folder the build makes: never removed
    (tmp_path / "elsewhere").mkdir()
    (shared / "material-0123456789ab").symlink_to(tmp_path / "elsewhere")  # nor a link
    # The theme's asset folder changes; acme's months are built again.
    add_agency_stylesheet(tmp_path)
    output = build("acme")
    (new,) = {n for n in folders() - before if n.startswith("material-") and "0123" not in n}
    # acme-en's pages, not built this time, still link to the old folder: it stays.
    extra = {new, "agency-fonts", "material-0123456789ab"}
    assert folders() == before | extra and "removed shared" not in output
    output = build("acme-en")
    assert f"removed shared assets no page links to: {old}\n" in output
    assert folders() == (before - {old}) | extra
    assert (tmp_path / "elsewhere").is_dir()
    assert (shared / new / "stylesheets" / "agency.css").is_file()
    for page in out.rglob("*.html"):
        for link in page_links(page):
            assert (page.parent / link).resolve().exists(), (str(page.relative_to(out)), link)


def test_the_vega_bundle_is_made_once_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vl_convert

    from generator import site

    monkeypatch.setenv(site.CACHE_ENV, str(tmp_path / "cache"))
    bundle = site.vega_bundle()
    assert len(bundle) > 500_000 and "vega-embed" in bundle
    (kept,) = (tmp_path / "cache").iterdir()  # the bundle only: nothing half-written is left
    assert kept.read_text(encoding="utf-8") == bundle

    def bundled(**_: object) -> str:
        return "// bundled again"

    monkeypatch.setattr(vl_convert, "javascript_bundle", bundled)
    assert site.vega_bundle() == bundle  # read, not bundled
    kept.write_text("")  # an empty file is no bundle
    assert site.vega_bundle() == "// bundled again" == kept.read_text(encoding="utf-8")
    # A cache that cannot be written: every build bundles again, and fails on nothing.
    (tmp_path / "file").write_text("")
    monkeypatch.setenv(site.CACHE_ENV, str(tmp_path / "file"))
    assert site.vega_bundle() == "// bundled again"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "file"]


def test_compiled_theme_templates_are_reused_until_their_source_changes() -> None:
    import jinja2

    from generator.site import _CompiledTemplates, _reuse_theme

    sources = {"page.html": "Hello {{ name }}"}

    class Theme:
        def get_env(self) -> jinja2.Environment:
            return jinja2.Environment(loader=jinja2.DictLoader(sources))

    cache = _CompiledTemplates()
    theme = Theme()
    _reuse_theme(theme, cache)
    assert theme.get_env().get_template("page.html").render(name="A") == "Hello A"
    assert len(cache.compiled) == 1
    compiled = dict(cache.compiled)
    # A new environment (as MkDocs makes for every build) loads the stored code.
    assert theme.get_env().get_template("page.html").render(name="B") == "Hello B"
    assert cache.compiled == compiled
    sources["page.html"] = "Bye {{ name }}"
    assert theme.get_env().get_template("page.html").render(name="C") == "Bye C"
    assert cache.compiled != compiled


def test_an_installed_theme_is_listed_once_and_the_overrides_every_time(tmp_path: Path) -> None:
    """MkDocs takes the same static files from the theme with the listing kept as without."""
    import material
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from generator.site import _installed, _listing, _reuse_theme

    (tmp_path / "docs").mkdir()
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "main.html").write_text("{% extends 'base.html' %}", encoding="utf-8")
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(
        "site_name: t\ntheme:\n  name: material\n  custom_dir: overrides\n  font: false\n",
        encoding="utf-8",
    )
    assert _installed(str(Path(material.__file__).parent / "templates"))
    assert not _installed(str(overrides))

    def theme_files(kept: bool) -> list[str]:
        config = load_config(config_file=str(config_file))
        if kept:
            _reuse_theme(config.theme)
        files = Files([])
        files.add_files_from_theme(config.theme.get_env(), config)
        return sorted(f.src_uri for f in files)

    kept = theme_files(kept=True)
    assert any(name.startswith("assets/javascripts/bundle.") for name in kept)
    assert kept == theme_files(kept=False)
    assert _listing.cache_info().currsize >= 1
    (overrides / "assets").mkdir()
    (overrides / "assets" / "brand.css").write_text("", encoding="utf-8")
    assert "assets/brand.css" in theme_files(kept=True)
    assert theme_files(kept=True) == theme_files(kept=False)


@pytest.mark.parametrize("step", ["render_month", "static_chart"])
def test_a_month_that_fails_fails_alone(
    step: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendering its pages fails before MkDocs runs; drawing its charts fails after."""
    import threading

    import generator.site as site

    def failing(made: MonthInput | Mapping[str, object], **kwargs: object) -> object:
        # render_month is given the month; a chart is drawn on a thread named after its month.
        month = made.period if isinstance(made, MonthInput) else threading.current_thread().name
        if "2026-10" in month:
            raise ValueError("no room for this chart")
        return real(made, **kwargs)

    real = getattr(site, step)
    monkeypatch.setattr(site, step, failing)
    out = tmp_path / "site"
    result = _build(EXAMPLE, out, "--jobs", "1", "acme")
    assert result.exit_code == 1
    assert "acme/2026-10: ValueError: no room for this chart" in result.output
    built = sorted(p.name for p in (out / "acme").glob("20*"))
    assert built == ["2026-09", "2026-11", "2026-12"]
    for month in built:
        assert len(list((out / "acme" / month / "charts").glob("*.svg"))) > 5
    # Not recorded as built, so the next build tries it again.
    prints = json.loads((out / "acme" / "fingerprints.json").read_text(encoding="utf-8"))
    assert "2026-10" not in prints and "2026-09" in prints


def test_drawing_a_static_chart_reads_no_url() -> None:
    from generator.site import static_chart

    point = {"mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    inline = {**point, "data": {"values": [{"a": 1}]}}
    assert static_chart(inline).startswith("<svg")
    remote = {**point, "data": {"url": "https://reports.invalid/x.csv"}}
    with pytest.raises(Exception, match="not allowed"):
        static_chart(remote)


def test_the_preview_lists_every_month_and_rebuilds_only_its_own(tmp_path: Path) -> None:
    from generator.serve import preview_builder

    shutil.copytree(CONTENT, tmp_path / "content")
    out = tmp_path / "site"
    config = HERE.parent / "mkdocs.yml"
    assert (
        preview_builder(EXAMPLE, tmp_path / "content", config, "acme", None, out)[0] == MONTHS[-1]
    )
    chosen, rebuild = preview_builder(EXAMPLE, tmp_path / "content", config, "acme", "2026-10", out)
    assert chosen == "2026-10"
    rebuild()
    listed = json.loads((out / "acme" / "versions.json").read_text())
    assert [v["version"] for v in listed] == MONTHS[::-1]
    assert all((out / "acme" / month / "index.html").is_file() for month in MONTHS)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.html")}
    # An edit of the commentary: the month previewed is built again, the others are left.
    commentary = tmp_path / "content" / "acme" / "2026-10.md"
    commentary.write_text(commentary.read_text(encoding="utf-8") + "\nPreview edit.\n")
    rebuild()
    touched = {p.relative_to(out).parts[1] for p, t in before.items() if p.stat().st_mtime_ns != t}
    assert touched == {"2026-10"}
    assert "Preview edit." in (out / "acme" / "2026-10" / "index.html").read_text(encoding="utf-8")
    assert json.loads((out / "acme" / "versions.json").read_text()) == listed


class _Pool:
    """The builders' pool, standing in: a month is built when its result is first asked for,
    so the test sees which clients' months the pool holds at once."""

    made: ClassVar[list[_Pool]] = []

    def __init__(self, max_workers: int, mp_context: object) -> None:
        self.waiting: list[_Later] = []
        self.given: list[str] = []  # the client of each month given, in order
        self.clients_at_once = 0
        _Pool.made.append(self)

    def submit(self, build: Callable[[Job], BuiltMonth], job: Job) -> _Later:
        later = _Later(self, build, job)
        self.waiting.append(later)
        self.given.append(job.month.slug)
        held = {w.job.month.slug for w in self.waiting}
        self.clients_at_once = max(self.clients_at_once, len(held))
        return later

    def shutdown(self, cancel_futures: bool) -> None:
        pass


@dataclass
class _Later:
    pool: _Pool
    build: Callable[[Job], BuiltMonth]
    job: Job

    def result(self) -> BuiltMonth:
        self.pool.waiting.remove(self)
        return self.build(self.job)


def test_clients_months_are_built_client_after_client_two_clients_at_most_in_the_pool(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client's months go to the builders as it is given, and a third client's wait for the
    first one's to be done: a few clients' rows are held, not the agency's. Each client is
    finished (latest/, versions.json, then ``then``) once its own months are built."""
    import generator.site as site

    for slug in ("b", "c", "d"):
        shutil.copytree(data_dir / "acme", data_dir / slug)
    result = check(data_dir)
    out = data_dir.parent / "site"
    finished: list[tuple[str, list[str]]] = []

    def done(slug: str, built: list[BuiltMonth]) -> None:
        finished.append((slug, [b.period for b in built]))

    def run_job(job: Job) -> BuiltMonth:
        job.site_dir.mkdir(parents=True, exist_ok=True)
        (job.site_dir / "index.html").write_text(job.month.period)
        return BuiltMonth(job.month.slug, job.month.period, job.site_dir)

    monkeypatch.setattr(site, "run_job", run_job)
    monkeypatch.setattr(site, "ProcessPoolExecutor", _Pool)
    _Pool.made.clear()
    options = site.BuildOptions(out, CONTENT, HERE.parent / "mkdocs.yml", jobs=2)
    given: list[list[str]] = []  # the clients whose months the pool was given, after each
    with site.Builds(options) as builds:
        for data in result.clients:
            builds.add(data, result.agency, None, functools.partial(done, data.slug))
            given.append(list(dict.fromkeys(_Pool.made[0].given)))
        built = builds.close()
    slugs, months = ["acme", "b", "c", "d"], ["2026-09", "2026-10", "2026-11", "2026-12"]
    assert [(b.slug, b.period) for b in built] == [(s, m) for s in slugs for m in months]
    assert finished == [(slug, months) for slug in slugs]
    [pool] = _Pool.made
    assert pool.clients_at_once == 2
    assert given == [slugs[: n + 1] for n in range(4)]  # each as soon as it was added
    for slug in ("acme", "b", "c", "d"):
        assert (out / slug / "latest" / "index.html").read_text() == "2026-12"
        assert json.loads((out / slug / "versions.json").read_text())[0]["version"] == "2026-12"

    # One month to build in all: built here, no pool of processes started for it.
    _Pool.made.clear()
    with site.Builds(options) as builds:
        builds.add(result.clients[0], result.agency, ["2026-10"])
        assert [b.period for b in builds.close()] == ["2026-10"]
    assert _Pool.made == []


def test_a_build_builds_each_client_before_reading_the_next_and_lets_its_rows_go(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``smrm build`` of an agency holds one client's rows at a time (and a few clients'
    months in the builders), never every client's: fifty clients of a few million mentions
    each would not fit in memory together."""
    shutil.copytree(data_dir / "acme", data_dir / "globex")
    out = data_dir.parent / "site"

    def note(folder: Path, read: list[ClientData]) -> tuple[str, list[bool], list[str]]:
        built = sorted(p.parent.relative_to(out).as_posix() for p in out.glob("*/*/index.html"))
        return folder.name, [data.rows_let_go for data in read], built

    seen = spy_reads(monkeypatch, note)
    result = _build(data_dir, out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    months = ["2026-09", "2026-10", "2026-11", "2026-12"]
    assert seen == [
        ("acme", [], []),
        ("globex", [True], [*(f"acme/{m}" for m in months), "acme/latest"]),
    ]
    assert "acme: 4 months built" in result.output and "globex: 4 months built" in result.output


def test_a_month_in_progress_is_built_again_once_it_is_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built on 5 December, December's pages say it is not over; built again on the 20th,
    nothing changed, nothing is rebuilt; on 1 January, with no file changed, December alone
    is built again (and latest/), without the notice: the months around it are not."""
    from tests.test_metrics import _moment

    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    out = tmp_path / "site"
    notice = "Декабрь 2026 ещё не закончился: в отчёте упоминания по 1 декабря."

    def build(now: str) -> str:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", _moment(now))
        result = _build(data, out, "acme")
        assert result.exit_code == 0, result.output
        return result.output

    def stamps() -> dict[str, int]:
        return {
            str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()
        }

    def pages_with_notice(month: str) -> set[str]:
        return {
            str(p.relative_to(out / "acme" / month))
            for p in (out / "acme" / month).rglob("*.html")
            if notice in p.read_text(encoding="utf-8")
        }

    assert "acme: 4 months built" in build("2026-12-05T12:00:00+03:00")
    shown = pages_with_notice("2026-12")
    assert "index.html" in shown and "sov/index.html" in shown and "method/index.html" in shown
    assert pages_with_notice("latest") == shown
    assert not pages_with_notice("2026-11")
    before = stamps()
    assert "acme: up to date" in build("2026-12-20T12:00:00+03:00")
    assert stamps() == before
    assert "acme: 1 month built" in build("2027-01-01T00:30:00+03:00")
    after = stamps()
    rewritten = {p.split("/")[1] for p in after if before.get(p) != after[p]}
    # versions.json lists the same months: left as it was.
    assert rewritten == {"2026-12", "latest", "fingerprints.json"}
    assert not pages_with_notice("2026-12") and not pages_with_notice("latest")

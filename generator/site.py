"""Building the sites: one MkDocs build per client and month, each in its own process.

Layout of the output, per client:

    <out>/<slug>/<YYYY-MM>/   the report for that month
    <out>/<slug>/latest/      the newest month
    <out>/<slug>/index.html   a redirect to latest/
    <out>/<slug>/versions.json  mike's format, for mkdocs-material's version selector
    <out>/_assets/            theme scripts, stylesheets and the chart library, kept once
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import html
import json
import logging
import multiprocessing
import os
import re
import shutil
import sysconfig
import tempfile
import time
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
import jinja2.bccache
import yaml
from markupsafe import Markup

from . import validate
from .i18n import month_title
from .load import LoadError, read_commentary
from .pages import Chart, MonthInput, MonthReport, render_month
from .pipeline import MENTIONS, ClientData, compute_metrics, leads_out
from .problems import display_path
from .schema import Agency, Client
from .share import SHARED, prune, relink, share_month
from .slim import slim_html, slim_search_index, slim_svg

#: Site addresses are needed for the version selector's same-page switching (the theme reads
#: the sitemap); without the agency's ``portal_url`` a name that can never resolve stands in for
#: it, and the canonical links MkDocs makes from it are removed from the pages.
PLACEHOLDER_URL = "https://reports.invalid/"
_PLACEHOLDER_CANONICAL = re.compile(
    r'<link rel="canonical" href="' + re.escape(PLACEHOLDER_URL) + r'[^"]*">\n?'
)
STATIC_WIDTH = 720
VL_VERSION = "6.4"


@dataclass
class BuildOptions:
    """Where things are, and how to build."""

    out_dir: Path
    content_dir: Path = Path("content")
    config_file: Path = Path("mkdocs.yml")
    periods: Sequence[str] = ()
    jobs: int = 0
    strict: bool = True


@dataclass
class BuiltMonth:
    slug: str
    period: str
    site_dir: Path
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    #: Wall time of each step ("pages", "mkdocs", then "charts": waiting for the static charts
    #: drawn meanwhile, "finish"), for the benchmark.
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class Job:
    """One client-month to build, as plain values a worker process can take."""

    month: MonthInput
    #: The client's data folder (where its logo is).
    folder: Path
    #: The base configuration the month's mkdocs.yml inherits.
    base_config: Path
    docs_dir: Path
    site_dir: Path
    strict: bool
    #: Where theme and chart assets are kept once for the whole portal (see share.py).
    shared_dir: Path | None = None

    @property
    def config_file(self) -> Path:
        """The month's own mkdocs.yml, beside its docs folder."""
        return self.docs_dir.parent / "mkdocs.yml"


def month_inputs(data: ClientData, agency: Agency, content_dir: Path) -> list[MonthInput]:
    """What each month's pages are made of; every month sees only data up to its end."""
    assert data.client is not None
    monthly = compute_metrics(data)
    mentions = data.frame(MENTIONS)
    assert mentions is not None
    by_month = dict(tuple(mentions.groupby("period", sort=False)))
    empty = mentions.iloc[0:0]
    periods = list(monthly)
    inputs = []
    for index, period in enumerate(periods):
        shown, total = validate.rejected_shown(
            data.files.values(), period, validate.REJECTED_SHOWN, ru=data.locale == "ru"
        )
        commentary = _commentary(content_dir / data.slug, period)
        inputs.append(
            MonthInput(
                slug=data.slug,
                client=data.client,
                agency=agency,
                locale=data.locale,
                period=period,
                series=[monthly[p] for p in periods[: index + 1]],
                mentions=by_month.get(period, empty),
                commentary=commentary,
                rejected=shown,
                rejected_total=total,
            )
        )
    return inputs


def _commentary(folder: Path, period: str) -> str | None:
    """The month's commentary in a client's ``folder`` of the content; not one that leads
    out of it, which ``check_commentary`` reports (another client's, say)."""
    path = folder / f"{period}.md"
    shown = f"{display_path(folder)}/{path.name}"  # the link's name, not its target's
    if leads_out(folder, path):
        raise LoadError(f"{shown}: a symbolic link that leads out of {folder.name}/")
    try:
        return read_commentary(path)
    except LoadError as exc:
        raise LoadError(f"{shown}: {exc.message}", exc.hint) from None


@functools.cache
def theme_dir(config_file: Path) -> str:
    """The base config's theme overrides folder, as an absolute path (read once per build)."""
    from mkdocs.utils.yaml import yaml_load

    with config_file.open(encoding="utf-8") as handle:
        base: dict[str, Any] = yaml_load(handle) or {}
    root = config_file.resolve().parent
    return str((root / base.get("theme", {}).get("custom_dir", "overrides")).resolve())


def client_config(report: MonthReport, job: Job) -> dict[str, Any]:
    """The client-month's mkdocs.yml: inherits the root config and adds only what differs."""
    client, agency = job.month.client, job.month.agency
    theme: dict[str, Any] = {
        "language": report.locale,
        "custom_dir": theme_dir(job.base_config),
    }
    if client.branding.logo:
        theme["logo"] = f"assets/logo{Path(client.branding.logo).suffix.lower()}"
        theme["favicon"] = theme["logo"]
    site_url = f"{agency.portal_url or PLACEHOLDER_URL}{report.slug}/{report.period}/"
    return {
        "INHERIT": str(job.base_config.resolve()),
        "site_name": client.name,
        "site_url": site_url,
        "site_description": report.title,
        "docs_dir": str(job.docs_dir),
        "site_dir": str(job.site_dir),
        "theme": theme,
        "nav": [{title: name} for title, name in report.nav],
        "extra": {
            "agency": {
                "name": agency.name_in(report.locale),
                "url": agency.url,
                "contact": agency.contact_in(report.locale),
            },
            "report": {"title": report.title, "period": report.period, "notice": report.notice},
        },
    }


def write_docs(report: MonthReport, client: Client, folder: Path, docs_dir: Path) -> None:
    """The Markdown pages, chart placeholders, downloads and assets of one month."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    for name, text in report.pages.items():
        (docs_dir / name).write_text(text, encoding="utf-8")
    (docs_dir / "metrics.json").write_text(report.downloads["metrics.json"], encoding="utf-8")
    (docs_dir / "series.csv").write_text(report.downloads["series.csv"], encoding="utf-8-sig")
    assets = docs_dir / "assets" / "smrm"
    assets.mkdir(parents=True, exist_ok=True)
    for name, text in shared_assets().items():
        (assets / name).write_text(text, encoding="utf-8")
    (assets / "brand.css").write_text(brand_css(client), encoding="utf-8")
    logo = client.branding.logo
    if logo:
        suffix = Path(logo).suffix.lower()
        shutil.copyfile(folder / logo, docs_dir / "assets" / f"logo{suffix}")


def brand_css(client: Client) -> str:
    """The client's colours as mkdocs-material's CSS variables (already validated as #hex)."""
    branding = client.branding
    lines = [":root, [data-md-color-scheme] {"]
    if branding.primary_color:
        lines.append(f"  --md-primary-fg-color: {branding.primary_color};")
        lines.append(f"  --md-primary-fg-color--dark: {branding.primary_color};")
        lines.append(f"  --smrm-brand: {branding.primary_color};")
    if branding.accent_color:
        lines.append(f"  --md-accent-fg-color: {branding.accent_color};")
        lines.append(f"  --smrm-accent: {branding.accent_color};")
    lines.append("}")
    return "\n".join(lines) + "\n"


@functools.cache
def shared_assets() -> dict[str, str]:
    """Stylesheet, chart script and the Vega bundle every site serves itself (no CDN)."""
    package = resources.files("generator") / "assets"
    names = ("smrm.css", "charts.js", "vega-interpreter.js")
    files = {name: (package / name).read_text(encoding="utf-8") for name in names}
    files["vega.js"] = vega_bundle()
    return files


#: Where the Vega bundle is kept between builds, instead of the user's cache folder.
CACHE_ENV = "SMRM_CACHE_DIR"


def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script, from vl-convert.

    Bundling takes most of a second in every process that builds months, which is a third of
    building one new month, so the bundle is kept in the user's cache folder (``$SMRM_CACHE_DIR``
    if set), one file per version of vl-convert. It is written under a temporary name and
    renamed, so a build never reads half a file; where the folder cannot be written, each
    build bundles again.
    """
    import vl_convert
    from platformdirs import user_cache_dir

    version = metadata.version("vl-convert-python")
    folder = Path(os.environ.get(CACHE_ENV) or user_cache_dir("smrm"))
    cached = folder / f"vega-{version}-vl{VL_VERSION}.js"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        if text := cached.read_text(encoding="utf-8"):
            return text
    # The bundler reports each tree-shaking pass on the process's stderr, which is the
    # build's own output to the user.
    with _quiet_stderr():
        bundle = vl_convert.javascript_bundle(vl_version=VL_VERSION)
    staging = folder / f".{cached.name}.{uuid.uuid4().hex}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging.write_text(bundle, encoding="utf-8")
        os.replace(staging, cached)
    except OSError:
        with contextlib.suppress(OSError):
            staging.unlink(missing_ok=True)
    return bundle


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """File descriptor 2 to /dev/null meanwhile (the writer is native code, not sys.stderr)."""
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@functools.cache
def _offline_drawing() -> None:
    """Charts carry their data inline: drawing them never reads a URL or file. Set once a
    process: each call costs the next drawing about 0.7 ms."""
    import vl_convert

    vl_convert.configure(allowed_base_urls=[])


def static_chart(spec: Mapping[str, Any]) -> str:
    """A chart as a static SVG."""
    import vl_convert

    _offline_drawing()
    return slim_svg(
        vl_convert.vegalite_to_svg({**spec, "width": STATIC_WIDTH}, vl_version=VL_VERSION)
    )


def run_job(job: Job) -> BuiltMonth:
    """The month's pages and the MkDocs build, with static SVGs of its charts drawn meanwhile;
    runs in a worker process."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    result = BuiltMonth(job.month.slug, job.month.period, job.site_dir)
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        result.seconds[step] = now - clock
        clock = now

    # Named after the month, so a stack dump says whose charts a thread is drawing.
    drawing = ThreadPoolExecutor(1, f"draw-{job.month.slug}-{job.month.period}")
    svgs: dict[str, Future[str]] = {}

    def draw(chart: Chart) -> None:
        svgs[chart.id] = drawing.submit(static_chart, chart.spec)

    written = False
    try:
        # vl-convert draws in its own runtime outside Python's lock, so each chart is drawn
        # while the other pages are rendered and MkDocs builds; the pages link the SVGs as
        # plain HTML, which MkDocs leaves alone.
        report = render_month(job.month, on_chart=draw)
        write_docs(report, job.month.client, job.folder, job.docs_dir)
        job.config_file.write_text(
            yaml.safe_dump(client_config(report, job), allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        lap("pages")
        handler = _Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        try:
            config = load_config(config_file=str(job.config_file), strict=job.strict)
            # The theme prints site_name unescaped in places; escaped text marked safe is
            # printed as text everywhere, and not escaped twice where the theme escapes it.
            config["site_name"] = Markup(html.escape(config["site_name"]))
            _reuse_theme(config.theme)
            written = True
            build(config)
        finally:
            logger.removeHandler(handler)
        lap("mkdocs")
        # MkDocs empties the site folder first, so the charts go in after it.
        charts = job.site_dir / "charts"
        charts.mkdir(exist_ok=True)
        for chart_id, svg in svgs.items():
            (charts / f"{chart_id}.svg").write_text(svg.result(), encoding="utf-8")
        lap("charts")
        # The theme's source maps are for its developers; clients' sites do not ship them. A
        # month's 404 page is never served (Pages serves the site root's), and no search
        # engine reads the compressed sitemap (the theme's instant navigation reads the plain
        # one, which stays).
        for waste in [
            *job.site_dir.rglob("*.map"),
            *(job.site_dir / name for name in ("404.html", "sitemap.xml.gz")),
        ]:
            waste.unlink(missing_ok=True)
        folders = share_month(job.site_dir, job.shared_dir) if job.shared_dir else {}
        for page in job.site_dir.rglob("*.html"):
            text = slim_html(relink(page.read_text(encoding="utf-8"), folders))
            text = _PLACEHOLDER_CANONICAL.sub("", text, count=1)
            page.write_text(with_csp(text), encoding="utf-8")
        index = job.site_dir / "search" / "search_index.json"
        if index.is_file():
            index.write_text(slim_search_index(index.read_text(encoding="utf-8")), "utf-8")
        result.warnings = handler.messages
        lap("finish")
    except BaseException as exc:
        result.error = f"{type(exc).__name__}: {exc}"
        result.warnings = getattr(locals().get("handler"), "messages", [])
        # MkDocs has emptied the month's folder: no half-built month is left to be served.
        if written:
            shutil.rmtree(job.site_dir, ignore_errors=True)
    finally:
        drawing.shutdown(cancel_futures=True)
    return result


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled theme templates kept in memory for the worker's later builds.

    MkDocs makes a new Jinja environment for every build, so each month compiled the whole
    theme again: half of a month's MkDocs time. Jinja compares each template's source checksum
    before it reuses the code, so a changed template is compiled afresh.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


class _InstalledListedOnce(jinja2.FileSystemLoader):
    """A theme loader that walks an installed theme's folders once per process.

    MkDocs lists every template of the theme at each build to find its static files, and
    matches each against its patterns: 14,500 files, nearly all of them mkdocs-material's
    icons, a quarter of a month's MkDocs step. An installed package's folder does not change
    while the process runs; any other folder (the project's overrides, which ``smrm serve``
    watches) is walked every time.
    """

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            found.update(
                _listing(folder, self.followlinks)
                if _installed(folder)
                else jinja2.FileSystemLoader(folder, followlinks=self.followlinks).list_templates()
            )
        return sorted(found)


@functools.cache
def _listing(folder: str, followlinks: bool) -> tuple[str, ...]:
    """The folder's files but those in hidden folders (the icons), which MkDocs never takes
    from a theme: its filter drops any path with a part starting with a dot."""
    names = jinja2.FileSystemLoader(folder, followlinks=followlinks).list_templates()
    return tuple(n for n in names if not any(part.startswith(".") for part in n.split("/")))


@functools.cache
def _installed(folder: str) -> bool:
    """Whether ``folder`` is inside the interpreter's installed packages."""
    paths = sysconfig.get_paths()
    return any(
        Path(folder).resolve().is_relative_to(Path(paths[key]).resolve())
        for key in ("purelib", "platlib")
    )


def _reuse_theme(theme: Any, cache: jinja2.BytecodeCache = _COMPILED) -> None:
    """The theme's Jinja environments get this process's compiled templates, and the listing
    of its installed folders."""
    make = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make()
        env.bytecode_cache = cache
        if type(env.loader) is jinja2.FileSystemLoader:
            env.loader = _InstalledListedOnce(
                env.loader.searchpath, env.loader.encoding, env.loader.followlinks
            )
        return env

    theme.get_env = get_env


_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.DOTALL)


def content_security_policy(inline_scripts: Iterable[str]) -> str:
    """Scripts only from the site itself (plus the theme's own inline scripts, by hash).

    Charts need no 'unsafe-eval': Vega runs their expressions with its interpreter.
    Inline styles stay allowed: the theme and Vega set them, and styles cannot run code.
    """
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
            for s in inline_scripts
        }
    )
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'", *hashes]),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'none'",
        ]
    )


def with_csp(page: str) -> str:
    """The page with a Content-Security-Policy meta element first in its head."""
    scripts = [
        body
        for attrs, body in _INLINE_SCRIPT.findall(page)
        if "application/json" not in attrs and body.strip()
    ]
    meta = (
        '<meta http-equiv="Content-Security-Policy" '
        f'content="{html.escape(content_security_policy(scripts))}">'
    )
    return re.sub(r"<head>", lambda m: m.group(0) + "\n" + meta, page, count=1)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_clients(
    clients: Iterable[ClientData],
    agency: Agency,
    options: BuildOptions,
    months: Mapping[str, Collection[str]] | None = None,
) -> list[BuiltMonth]:
    """Build every month of every client (or the periods asked for), then latest/ and versions.

    ``months`` names the months to build for each client, overriding ``options.periods``.
    """
    with Builds(options) as builds:
        for data in clients:
            wanted = months.get(data.slug, ()) if months is not None else None
            builds.add(data, agency, wanted)
        return builds.close()


class Builds:
    """Client-months built in one pool of builder processes, client after client.

    A client's months are handed to the builders as soon as it is given (``add``), so that the
    next client is read while they are built; at most two clients' months are in the pool at a
    time, so that memory holds a few clients' rows, not the agency's. A client's latest/ and
    versions.json are made (and ``then`` told) once its months are built.
    """

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.workers = options.jobs or os.cpu_count() or 1
        self.built: list[BuiltMonth] = []
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._pool: ProcessPoolExecutor | None = None
        #: Clients whose months wait for the pool: it is started only for a second month, as a
        #: single month (one new month) is built at once in this process.
        self._held: list[_ClientBuild] = []
        self._running: list[_ClientBuild] = []

    def __enter__(self) -> Builds:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        if self._tmp is not None:
            self._tmp.cleanup()

    def add(
        self,
        data: ClientData,
        agency: Agency,
        months: Collection[str] | None = None,
        then: Callable[[list[BuiltMonth]], None] | None = None,
    ) -> None:
        """Build ``months`` of a client (None: every month, or ``options.periods``); its rows
        may be let go once this returns."""
        wanted = months if months is not None else (self.options.periods or None)
        chosen = _chosen(data.periods, wanted)
        client = _ClientBuild(data.slug, data.locale, data.periods, then)
        if not chosen:
            self._finish(client, [])
            return
        if self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="smrm-build-")
        client.jobs = list(_jobs(data, chosen, agency, self.options, Path(self._tmp.name)))
        self._held.append(client)
        if self.workers <= 1:
            self._run_here()
        elif sum(len(c.jobs) for c in self._held) > 1:
            self._submit()

    def close(self) -> list[BuiltMonth]:
        """Wait for every month; returns them all, client after client."""
        if self._pool is None:
            self._run_here()
        else:
            self._submit()
            while self._running:
                self._finish_first()
        return self.built

    def _run_here(self) -> None:
        for client in self._held:
            self._finish(client, [run_job(job) for job in client.jobs])
        self._held = []

    def _submit(self) -> None:
        if self._pool is None:
            # MkDocs is not thread-safe: one process per site. Not forked: vl-convert's runtime
            # threads in this process would leave a forked child deadlocked.
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        for client in self._held:
            while len(self._running) >= 2:
                self._finish_first()
            client.futures = [self._pool.submit(run_job, job) for job in client.jobs]
            client.jobs = []
            self._running.append(client)
        self._held = []

    def _finish_first(self) -> None:
        client = self._running.pop(0)
        self._finish(client, [future.result() for future in client.futures])

    def _finish(self, client: _ClientBuild, built: list[BuiltMonth]) -> None:
        rebuilt = {month.period for month in built}
        finish_client(client.slug, client.locale, client.periods, self.options.out_dir, rebuilt)
        self.built.extend(built)
        if client.then is not None:
            client.then(built)


@dataclass
class _ClientBuild:
    """A client's months being built: what is needed of it once they are."""

    slug: str
    locale: str
    periods: list[str]
    then: Callable[[list[BuiltMonth]], None] | None
    jobs: list[Job] = field(default_factory=list)
    futures: list[Future[BuiltMonth]] = field(default_factory=list)


def _chosen(periods: Iterable[str], wanted: Collection[str] | None) -> list[str]:
    return [p for p in periods if wanted is None or p in wanted]


def _jobs(
    data: ClientData, chosen: Collection[str], agency: Agency, options: BuildOptions, tmp: Path
) -> Iterator[Job]:
    """Each of the client's ``chosen`` months, as a job for a builder process."""
    for month in month_inputs(data, agency, options.content_dir):
        if month.period in chosen:
            yield Job(
                month,
                data.folder,
                options.config_file,
                tmp / data.slug / month.period / "docs",
                (options.out_dir / data.slug / month.period).resolve(),
                options.strict,
                (options.out_dir / SHARED).resolve(),
            )


def build_portal(
    clients: Iterable[ClientData],
    agency: Agency,
    options: BuildOptions,
    agency_file: Path,
    tool: str,
    force: bool = False,
    inputs: Mapping[str, str] | None = None,
) -> PortalBuild:
    """Build the months whose fingerprint differs from the one the output records (every
    month with ``force``), and take out the months built earlier that are no longer in the
    data and the shared assets no page links to any more; returns the builds, per client the
    months already up to date and those removed, and the shared folders removed.

    ``tool`` is ``tool_fingerprint()``. ``inputs`` (a hash of each client's raw files) is
    recorded for clients built in full, so that the next build can skip them unread.
    """
    with PortalBuilder(options, agency_file, tool, force, inputs) as builder:
        for data in clients:
            builder.add(data, agency)
        return builder.close()


class PortalBuilder:
    """``build_portal`` given one client at a time (``add``), as each is read: see ``Builds``."""

    def __init__(
        self,
        options: BuildOptions,
        agency_file: Path,
        tool: str,
        force: bool = False,
        inputs: Mapping[str, str] | None = None,
    ) -> None:
        self.options = options
        self.agency_file = agency_file
        self.tool = tool
        self.force = force
        self.inputs = inputs if inputs is not None else {}
        self.current: dict[str, list[str]] = {}
        self.removed: dict[str, list[str]] = {}
        self._builds = Builds(options)

    def __enter__(self) -> PortalBuilder:
        return self

    def __exit__(self, *exc: object) -> None:
        self._builds.__exit__(*exc)

    def add(self, data: ClientData, agency: Agency) -> None:
        from .fingerprint import month_fingerprints, read_manifest

        options = self.options
        folder = options.out_dir / data.slug
        prints = month_fingerprints(data, self.agency_file, options.content_dir, self.tool)
        on_disk = read_manifest(folder)
        recorded = {} if self.force else on_disk
        chosen = [p for p in prints if not options.periods or p in options.periods]
        wanted = [
            p
            for p in chosen
            if recorded.get(p) != prints[p] or not (folder / p / "index.html").is_file()
        ]
        self.current[data.slug] = [p for p in chosen if p not in wanted]
        if not options.periods:
            self.removed[data.slug] = _remove_months(folder, on_disk, prints)
        then = functools.partial(self._record, data.slug, prints, on_disk)
        self._builds.add(data, agency, wanted, then)

    def close(self) -> PortalBuild:
        results = self._builds.close()
        removed = any(self.removed.values())
        pruned = prune(self.options.out_dir) if results or removed else []
        return PortalBuild(results, self.current, self.removed, pruned)

    def _record(
        self, slug: str, prints: dict[str, str], on_disk: dict[str, str], built: list[BuiltMonth]
    ) -> None:
        """The client's fingerprints.json, once its months are built."""
        from .fingerprint import INPUTS, write_manifest

        manifest = dict(on_disk)
        for period in self.removed.get(slug, []):
            manifest.pop(period)
        manifest.update({r.period: prints[r.period] for r in built if not r.error})
        manifest.pop(INPUTS, None)
        complete = not self.options.periods and not any(r.error for r in built)
        if slug in self.inputs and complete:
            manifest[INPUTS] = self.inputs[slug]
        if manifest != on_disk:
            write_manifest(self.options.out_dir / slug, manifest)


class PortalBuild(NamedTuple):
    built: list[BuiltMonth]
    #: Per client, the months already up to date in the output.
    current: dict[str, list[str]]
    #: Per client, the months built earlier that are no longer in the data, now removed.
    removed: dict[str, list[str]]
    #: Shared asset folders no page of the output links to any more, now removed.
    pruned: list[str]


def _remove_months(folder: Path, recorded: Mapping[str, str], months: Collection[str]) -> list[str]:
    """Delete the months this output recorded (``stale_months``) that the data no longer have."""
    from .fingerprint import stale_months

    gone = stale_months(recorded, months)
    for period in gone:
        shutil.rmtree(folder / period, ignore_errors=True)
    if gone and max(gone) > max(months):
        shutil.rmtree(folder / "latest", ignore_errors=True)  # made again from the newest
    return gone


def finish_client(
    slug: str, locale: str, periods: list[str], out_dir: Path, rebuilt: Collection[str]
) -> None:
    """latest/, the redirect and versions.json, from the months present in the output.

    Files already right are left alone, so a build that changed nothing touches nothing.
    """
    root = out_dir / slug
    built = [p for p in periods if (root / p / "index.html").is_file()]
    if not built:
        return
    newest = built[-1]
    latest = root / "latest"
    if newest in rebuilt or not (latest / "index.html").is_file():
        if latest.exists():
            shutil.rmtree(latest)
        shutil.copytree(root / newest, latest)
    versions = [
        {
            "version": period,
            "title": month_title(period, locale),
            "aliases": ["latest"] if period == newest else [],
        }
        for period in reversed(built)
    ]
    _write_if_changed(
        root / "versions.json", json.dumps(versions, ensure_ascii=False, indent=2) + "\n"
    )
    _write_if_changed(root / "index.html", redirect_page(locale))


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def redirect_page(locale: str) -> str:
    text = "Открыть отчёт" if locale == "ru" else "Open the report"
    target = "latest/"
    return with_csp(
        f'<!doctype html>\n<html lang="{locale}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(text)}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        f'<link rel="canonical" href="{target}">\n</head>\n'
        f'<body><a href="{target}">{html.escape(text)}</a></body>\n</html>\n'
    )

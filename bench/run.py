"""The benchmark: each figure beside its reference, measured in the same run.

    .venv/bin/python bench/run.py [--sizes 10000,100000,1000000] [--load-repeat 5] [--repeat 3]
                                  [--layouts month,day] [--shapes quoted,unix]
                                  [--clients 20 --months 12]
                                  [--portal-repeat 2] [--broken 200000] [--load-only]
                                  [--out bench/results]

Prints a Markdown table (min / median / max of the runs) and writes it to <out>/results.md,
with a chart of load time against rows in <out>/load.svg. Data come from the seeded demo
generator. Timings are never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gzip
import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def timed(func: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def span(values: list[float], unit: str = "s") -> str:
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{mid:.2f} {unit} ({low:.2f}–{high:.2f})"


def child(code: str) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of a fresh Python process running ``code``.

    The peak is the process's own high-water mark (VmHWM). ``getrusage``'s ``ru_maxrss`` is
    carried over from the process that started it, so a child of this (large) bench process
    would report the bench's own size."""
    report = (
        "\nprint(next(int(line.split()[1]) for line in open('/proc/self/status')"
        " if line.startswith('VmHWM:')))"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [PYTHON, "-c", code + report], check=True, cwd=REPO, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    return elapsed, int(done.stdout.split()[-1]) / 1024


def generate(folder: Path, clients: int, months: int, mentions: int) -> Path:
    from generator.demo import generate as make

    data = folder / "data"
    make(data, n_clients=clients, months=months, mentions=mentions, end="2026-10", seed=11)
    return data


def load_validate_aggregate(rows: int, repeat: int, tmp: Path) -> list[str]:
    data = generate(tmp / f"rows-{rows}", 1, 12, rows)
    (tool_runs, floor_runs) = _load_runs(data, data / "dubrava" / "mentions.csv", repeat)
    tool_t = [t for t, _ in tool_runs]
    floor_t = [t for t, _ in floor_runs]
    LOAD_POINTS.append((rows, statistics.median(tool_t), statistics.median(floor_t)))
    return [_load_line(f"{rows:,} rows", tool_runs, floor_runs)]


#: DuckDB's reading of the demo's dates (`31.10.2026 14:05`), for the floor's query.
DEMO_DATES = "strptime(date, '%d.%m.%Y %H:%M')"


def _load_runs(
    data: Path, csv_glob: Path, repeat: int, dates: str = DEMO_DATES
) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """(seconds, peak MB) of each run of the tool's check and aggregation of the client in
    ``data``, and of DuckDB's query of the same mention files (``csv_glob`` may be a pattern),
    which reads their dates as ``dates`` does."""
    tool = (
        "from pathlib import Path\nfrom generator.pipeline import check, compute_metrics\n"
        f"r = check(Path({str(data)!r}))\ncompute_metrics(r.clients[0])"
    )
    floor = (
        f"import duckdb\nduckdb.sql(\"SELECT strftime({dates}, '%Y-%m') m,"
        f" brand, count(*) FROM read_csv('{csv_glob}', delim=';', header=true, all_varchar=true)"
        ' GROUP BY ALL").fetchall()'
    )
    # One unrecorded run of each first: it brings the files into the page cache, which would
    # slow the first recorded run. (The project's bytecode is compiled by `make bench`.)
    child(tool)
    child(floor)
    # Each run of the tool beside one of the floor: where the machine's speed drifts over a
    # minute, both sides see the same drift, and the ratio holds.
    pairs = [(child(tool), child(floor)) for _ in range(repeat)]
    return [tool_run for tool_run, _ in pairs], [floor_run for _, floor_run in pairs]


def _load_line(
    what: str, tool_runs: list[tuple[float, float]], floor_runs: list[tuple[float, float]]
) -> str:
    tool_t = [t for t, _ in tool_runs]
    floor_t = [t for t, _ in floor_runs]
    ratio = statistics.median(tool_t) / statistics.median(floor_t)
    return (
        f"| load + validate + aggregate, {what} | {span(tool_t)}, "
        f"peak {max(m for _, m in tool_runs):.0f} MB | DuckDB: {span(floor_t)}, "
        f"peak {max(m for _, m in floor_runs):.0f} MB | {ratio:.1f}× |"
    )


def file_layouts(rows: int, layouts: list[str], repeat: int, tmp: Path) -> list[str]:
    """The same mentions kept as a file a month or a file a day in mentions/ (beside figure 1's
    one file), each beside DuckDB reading the same files."""
    data = generate(tmp / f"rows-{rows}", 1, 12, rows)
    lines = []
    for layout in layouts:
        split = _demo_copy(data, layout)
        count = _split_mentions(split / "dubrava", daily=layout == "day")
        tool_runs, floor_runs = _load_runs(split, split / "dubrava" / "mentions" / "*.csv", repeat)
        lines.append(_load_line(f"{rows:,} rows as {count} files", tool_runs, floor_runs))
    return lines


#: Shapes of an export other than the demo's plain file: what each is, and how DuckDB's floor
#: query reads its dates.
SHAPES = {
    "quoted": (
        "every value quoted, lines ending in \\r\\n, one text in twenty of two lines",
        DEMO_DATES,
    ),
    "unix": ("dates as Unix times", "to_timestamp(CAST(date AS BIGINT))"),
}


def export_shapes(rows: int, shapes: list[str], repeat: int, tmp: Path) -> list[str]:
    """The same mentions as monitoring tools and APIs write them, beside figure 1's plain file:
    quoted, as a tool's export saved on Windows (``quoted``); with Unix times for dates, as an
    API dump (``unix``). Each beside DuckDB reading the same file."""
    data = generate(tmp / f"rows-{rows}", 1, 12, rows)
    lines = []
    for shape in shapes:
        copy = _demo_copy(data, shape)
        mentions = copy / "dubrava" / "mentions.csv"
        _reshape(mentions, shape)
        what, dates = SHAPES[shape]
        tool_runs, floor_runs = _load_runs(copy, mentions, repeat, dates)
        lines.append(_load_line(f"{rows:,} rows, {what}", tool_runs, floor_runs))
    return lines


def _reshape(path: Path, shape: str) -> None:
    """The demo's mention file written again in ``shape`` (see ``SHAPES``)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as pa_csv

    table = pa_csv.read_csv(
        path,
        parse_options=pa_csv.ParseOptions(delimiter=";"),
        convert_options=pa_csv.ConvertOptions(column_types={"date": pa.string()}),
    )
    options = pa_csv.WriteOptions(delimiter=";")
    if shape == "unix":
        seconds = pc.cast(pc.strptime(table["date"], "%d.%m.%Y %H:%M", "s"), pa.int64())
        at = table.schema.get_field_index("date")
        table = table.set_column(at, "date", pc.cast(seconds, pa.string()))
    else:
        texts = table["text"].to_pylist()
        texts[::20] = [f"{text}\r\n(продолжение)" for text in texts[::20]]
        at = table.schema.get_field_index("text")
        table = table.set_column(at, "text", pa.array(texts, pa.string()))
        options = pa_csv.WriteOptions(delimiter=";", quoting_style="all_valid", eol="\r\n")
    pa_csv.write_csv(table, path, options)


def _demo_copy(data: Path, name: str) -> Path:
    """A fresh copy of the demo ``data`` (``…/rows-N/data``), in ``…/rows-N-<name>/data``."""
    copy = data.parent.with_name(f"{data.parent.name}-{name}") / "data"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(data, copy)
    return copy


def _split_mentions(client: Path, daily: bool) -> int:
    """The client's mentions.csv cut into mentions/<YYYY-MM>.csv or <YYYY-MM-DD>.csv (the demo
    writes dates as DD.MM.YYYY); returns the number of files."""
    source = client / "mentions.csv"
    files: dict[str, list[list[str]]] = {}
    with source.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        header = next(reader)
        at = header.index("date")
        for row in reader:
            day, month, year = row[at][:10].split(".")
            key = f"{year}-{month}-{day}" if daily else f"{year}-{month}"
            files.setdefault(key, []).append(row)
    source.unlink()
    (client / "mentions").mkdir()
    for key, rows in files.items():
        with (client / "mentions" / f"{key}.csv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, delimiter=";")
            writer.writerow(header)
            writer.writerows(rows)
    return len(files)


def broken_export(rows: int, repeat: int, tmp: Path) -> list[str]:
    """A client's whole portal built with --lenient from an export of which every other row
    is rejected (a date no one can read, or a count in words), beside the same export intact:
    what the rejected rows cost (their problems, rejected.csv, the reports' lists of them)."""
    clean = generate(tmp / f"broken-{rows}", 1, 12, rows)
    broken = tmp / f"broken-{rows}-bad" / "data"
    shutil.rmtree(broken.parent, ignore_errors=True)
    shutil.copytree(clean, broken)
    rejected = _break_rows(broken / "dubrava" / "mentions.csv")

    def run(data: Path, attempt: int) -> tuple[float, float]:
        out = data.parent / f"site-{attempt}"
        shutil.rmtree(out, ignore_errors=True)
        args = ["build", "--data", str(data), "--out", str(out), "--lenient"]
        args += ["--content", str(tmp / "no-content")]
        return child(f"from generator.cli import cli\ncli({args!r}, standalone_mode=False)")

    run(broken, -1)  # as for the load figures: the files into the page cache first
    run(clean, -1)
    broken_runs = [run(broken, attempt) for attempt in range(repeat)]
    clean_runs = [run(clean, attempt) for attempt in range(repeat)]
    ratio = statistics.median(t for t, _ in broken_runs) / statistics.median(
        t for t, _ in clean_runs
    )
    return [
        f"| portal of one client, {rows:,} rows, {rejected:,} of them rejected (build "
        f"--lenient, 12 months) | {span([t for t, _ in broken_runs])}, peak "
        f"{max(m for _, m in broken_runs):.0f} MB | the export intact: "
        f"{span([t for t, _ in clean_runs])}, peak {max(m for _, m in clean_runs):.0f} MB "
        f"| {ratio:.1f}× |"
    ]


def _break_rows(path: Path) -> int:
    """Every other row of a demo export made invalid; returns how many."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        header = next(reader)
        rows = list(reader)
    date, likes = header.index("date"), header.index("likes")
    for index in range(0, len(rows), 2):
        if index % 4:
            rows[index][likes] = "много"
        else:
            rows[index][date] = "вчера"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return len(range(0, len(rows), 2))


#: (rows, smrm's median seconds, DuckDB's median seconds) of each size, for the chart.
LOAD_POINTS: list[tuple[int, float, float]] = []


def load_chart(points: list[tuple[int, float, float]], path: Path) -> None:
    """Time against rows, smrm beside DuckDB, as an SVG (log scales: sizes grow tenfold)."""
    import altair as alt
    import pandas as pd
    import vl_convert

    rows = [{"rows": n, "tool": "smrm", "seconds": t} for n, t, _ in points]
    rows += [{"rows": n, "tool": "DuckDB (floor)", "seconds": f} for n, _, f in points]
    chart = (
        alt.Chart(pd.DataFrame(rows), title="Load + validate + aggregate: time against rows")
        .mark_line(point=True)
        .encode(
            x=alt.X("rows:Q", scale=alt.Scale(type="log"), title="mention rows"),
            y=alt.Y("seconds:Q", scale=alt.Scale(type="log"), title="seconds (median)"),
            color=alt.Color("tool:N", title=None),
        )
        .properties(width=520, height=300)
    )
    path.write_text(vl_convert.vegalite_to_svg(chart.to_dict()), encoding="utf-8")


def machine() -> str:
    """The machine and the versions that the figures depend on."""
    from importlib import metadata

    def first(path: str, key: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "unknown"

    memory = first("/proc/meminfo", "MemTotal")
    if memory.endswith(" kB"):
        memory = f"{int(memory[:-3]) / 1024**2:.0f} GiB"
    packages = ["pandas", "pyarrow", "mkdocs", "mkdocs-material", "vl-convert-python", "duckdb"]
    versions = []
    for name in packages:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{name} {metadata.version(name)}")
    return (
        f"Machine: {first('/proc/cpuinfo', 'model name')}, {os.cpu_count()} cores, {memory} RAM, "
        f"{platform.system()} {platform.machine()}; Python {platform.python_version()}; "
        + ", ".join(versions)
    )


def month_build(repeat: int, tmp: Path) -> list[str]:
    """One client-month: the tool's total beside a bare MkDocs build of the same Markdown."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.config import load_agency
    from generator.pipeline import check
    from generator.site import BuildOptions, Job, month_inputs, run_job

    data = generate(tmp / "month", 1, 12, 12000)
    result = check(data)
    client = result.clients[0]
    agency, _ = load_agency(data)
    options = BuildOptions(tmp / "month-site", REPO / "content", REPO / "mkdocs.yml", jobs=1)
    totals, floors = [], []
    steps: dict[str, list[float]] = {"pages": [], "mkdocs": [], "charts": [], "finish": []}
    # The month's aggregates are figure 1's work (and shared by all months of a client).
    month = month_inputs(client, agency, options.content_dir)[-1]

    def once(attempt: int) -> tuple[float, dict[str, float], float]:
        docs = tmp / f"docs-{attempt}" / "docs"
        site = tmp / f"site-{attempt}" / "acme" / month.period
        job = Job(month, client.folder, options.config_file, docs, site, True, site / "../../_a")
        start = time.perf_counter()
        built = run_job(job)
        total = time.perf_counter() - start
        if built.error:
            raise SystemExit(built.error)
        start = time.perf_counter()
        build(load_config(config_file=str(job.config_file), site_dir=str(tmp / f"bare-{attempt}")))
        return total, built.seconds, time.perf_counter() - start

    # One unrecorded run of each first, as for the load figures: the first build in a process
    # imports MkDocs' plugins and the theme's modules and compiles its templates, which the
    # bare builds after it would not pay. A builder pays that once for all the months it
    # builds; the first run is shown beside the figure.
    first, _, _ = once(-1)
    for attempt in range(repeat):
        total, seconds, floor = once(attempt)
        totals.append(total)
        floors.append(floor)
        for step in steps:
            steps[step].append(seconds[step])
    # The tool's own work: everything in its build but the MkDocs step inside it (which is
    # faster than a bare build: the theme's templates stay compiled), and beside the floor.
    total, floor = statistics.median(totals), statistics.median(floors)
    share = 1 - statistics.median(steps["mkdocs"]) / total
    beside_floor = (
        f"{1 - floor / total:.0%} beside the bare build"
        if total > floor
        else f"the whole build {total / floor:.2f}× the bare build's time"
    )
    parts = ", ".join(f"{step} {statistics.median(v):.2f} s" for step, v in steps.items())
    return [
        f"| one client-month build | {span(totals)} ({parts}; the first in a process "
        f"{first:.2f} s) | bare mkdocs build: {span(floors)} | tool's own share {share:.0%} "
        f"beside its own MkDocs step; {beside_floor} |"
    ]


def smrm_build(
    data: Path, out: Path, *extra: str, cpus: set[int] | None = None, cold: bool = False
) -> str:
    """``smrm build`` in a subprocess; ``cpus`` pins it (and its workers) to those CPUs.

    The Vega bundle is kept in a cache folder of the bench's own; ``cold`` empties it first,
    as a fresh CI runner has it."""
    from generator.site import CACHE_ENV

    pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    cache = data.parent / "cache"
    if cold:
        shutil.rmtree(cache, ignore_errors=True)
    done = subprocess.run(
        [
            str(Path(PYTHON).with_name("smrm")),
            "build",
            "--data",
            str(data),
            "--out",
            str(out),
            "--content",
            str(data.parent / "content"),
            *extra,
        ],
        check=True,
        cwd=REPO,
        capture_output=True,
        text=True,
        preexec_fn=pin,
        env={**os.environ, CACHE_ENV: str(cache)},
    )
    return done.stdout


def portal(clients: int, months: int, repeat: int, tmp: Path) -> list[str]:
    data = generate(tmp / "portal", clients, months, 3000)
    (data.parent / "content").mkdir(exist_ok=True)
    cores = os.cpu_count() or 1
    # A one-process build is not one core's work: the static charts are drawn on a second
    # thread while MkDocs runs. Speed-up over cores is measured against one process pinned to
    # one core.
    one_core = {min(os.sched_getaffinity(0))} if hasattr(os, "sched_getaffinity") else None
    variants = {"one core": (1, one_core), "serial": (1, None), "parallel": (cores, None)}
    runs: dict[str, list[float]] = {name: [] for name in variants}
    alone: list[float] = []
    shared: list[float] = []
    for attempt in range(repeat):
        for name, (jobs, cpus) in variants.items():
            out = tmp / f"portal-{name.replace(' ', '-')}-{attempt}"

            def run(out: Path = out, jobs: int = jobs, cpus: set[int] | None = cpus) -> str:
                return smrm_build(data, out, "--jobs", str(jobs), cpus=cpus, cold=True)

            runs[name].append(timed(run, 1)[0])
        # The ceiling between the builds, not after them all: a shared machine's speed drifts
        # within minutes, and the two figures are compared.
        for _ in range(CEILING_PAIRS):
            one, many = ceiling(cores)
            alone.append(one)
            shared.append(many)
    parallel = runs["parallel"]
    speedup = statistics.median(runs["one core"]) / statistics.median(parallel)
    threaded = statistics.median(runs["serial"]) / statistics.median(parallel)
    site = tmp / "portal-parallel-0"
    lines = [
        f"| whole portal {clients} × {months}, from scratch | {cores} processes: "
        f"{span(parallel)} | 1 process on 1 core: {span(runs['one core'])} | "
        f"{speedup:.2f}× on {cores} cores |",
        f"| the same, 1 process (`--jobs 1`) on all {cores} cores | {span(runs['serial'])} | "
        f"charts drawn on a second thread | {threaded:.2f}× |",
    ]
    best = statistics.median(alone) / statistics.median(shared)
    lines.append(
        f"| this machine's ceiling: arithmetic only, same number of processes | {cores} "
        f"processes: {span(shared)} | 1 process: {span(alone)} | {best:.2f}× on {cores} cores |"
    )
    # The same portal again: nothing changed, then one new month for one client.
    still = [timed(lambda: smrm_build(data, site), 1)[0] for _ in range(3)]
    lines.append(f"| no-change rebuild {clients} × {months} | {span(still)} | | target < 2 s |")
    new_month, rebuilt = [], []
    for step in range(3):
        before = _stamps(site)
        _add_month(data, step)
        new_month.append(timed(lambda: smrm_build(data, site), 1)[0])
        after = _stamps(site)
        rebuilt.append(
            sorted({"/".join(p.split("/")[:2]) for p in after if before.get(p) != after[p]})
        )
    lines.append(
        f"| one new month for one client | {span(new_month)} | rewritten: "
        f"{', '.join(rebuilt[-1])} | |"
    )
    versions = [p for p in site.glob("*/20*") if p.is_dir()]
    per_version = statistics.median(_size(p) for p in versions)
    shared = _size(site / "_assets")
    projected, full, shown = _projection(versions, shared, 100, 36)
    real = _size(site)
    estimate = (
        shared
        + per_version * len(versions)
        + sum(_size(p) for p in site.glob("*/latest"))
        + sum(_size(p) for p in site.glob("*") if p.is_file())
    )
    from generator.pages import TREND_MONTHS

    short = "" if shown >= TREND_MONTHS else f" (fewer than {TREND_MONTHS} months: too low)"
    charts = "a full year" if shown >= TREND_MONTHS else f"{shown} months"
    lines.append(
        f"| bytes on disk per client-month | median {per_version / 1024:.0f} KB, "
        f"with {charts} in its charts {full / 1024:.0f} KB (+ {shared / 1024**2:.1f} MB "
        f"shared once) | 100 × 36 months: {projected / 1024**3:.2f} GB{short} | "
        "GitHub Pages limit 1 GB |"
    )
    lines.append(
        f"| this portal on disk ({len(versions)} months + latest/) | {real / 1024**2:.1f} MB | "
        f"projected from the median: {estimate / 1024**2:.1f} MB | |"
    )
    page = sorted(versions)[-1] / "index.html"
    lines.append(
        f"| bytes to open one report page (gzip) | {_transfer(page) / 1024:.0f} KB | | "
        "target < 1.5 MB |"
    )
    return lines


def _spin(_: int) -> int:
    """Pure arithmetic, no memory traffic: work that cores can share perfectly."""
    total = 0
    for i in range(15_000_000):
        total += i * i
    return total


#: Runs of the arithmetic ceiling (one process, then one per core) after each portal build.
CEILING_PAIRS = 2


def ceiling(cores: int) -> tuple[float, float]:
    """The speed-up this machine gives work that has nothing to share (virtual cores are
    seldom whole ones): seconds for ``2 × cores`` tasks in one process, then in ``cores``
    spawned ones, process start included as in a build."""
    tasks = range(2 * cores)

    def spread() -> None:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(cores, mp_context=context) as pool:
            list(pool.map(_spin, tasks))

    return timed(lambda: [_spin(t) for t in tasks], 1)[0], timed(spread, 1)[0]


def _stamps(site: Path) -> dict[str, int]:
    return {
        p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()
    }


def _add_month(data: Path, step: int) -> None:
    """A few mentions in the month after the last one, for the first client."""
    client = sorted(p for p in data.iterdir() if p.is_dir())[0]
    path = client / "mentions.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle, delimiter=";")
        next(rows)
        template = next(rows)
    period = f"2026-{11 + step:02d}" if step < 2 else f"2027-{step - 1:02d}"
    year, month = period.split("-")
    row = [f"05.{month}.{year} 10:00", *template[1:]]
    row[5] = f"https://example.com/bench/{period}"
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\r\n").writerow(row)


def _projection(
    versions: list[Path], shared: int, clients: int, months: int
) -> tuple[int, int, int]:
    """Bytes of ``clients`` × ``months`` months; of the largest month, whose charts show a full
    year if the portal has one; and how many months its charts show.

    A month's charts show at most ``TREND_MONTHS`` months, so its size grows with the months
    before it until then and stays put after: each client's k-th month (the median across
    clients) stands for every k-th month, and the last of those for every month after."""
    from generator.pages import TREND_MONTHS

    by_client: dict[str, list[Path]] = {}
    for path in sorted(versions):
        by_client.setdefault(path.parent.name, []).append(path)
    longest = max(len(paths) for paths in by_client.values())
    sizes = [
        statistics.median(_size(paths[k]) for paths in by_client.values() if len(paths) > k)
        for k in range(min(TREND_MONTHS, longest))
    ]
    per_client = sum(sizes[min(k, len(sizes) - 1)] for k in range(months))
    return shared + clients * int(per_client), int(sizes[-1]), len(sizes)


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _transfer(page: Path) -> int:
    """Gzip size of the page and every local script, stylesheet and image it references."""
    import re

    text = page.read_text(encoding="utf-8")
    total = len(gzip.compress(text.encode()))
    for ref in set(re.findall(r'(?:src|href)="([^"#?]+\.(?:js|css|svg|png))"', text)):
        target = (page.parent / ref).resolve()
        if target.is_file():
            total += len(gzip.compress(target.read_bytes()))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument(
        "--load-repeat",
        type=int,
        default=5,
        help="runs of each load figure, the tool's and DuckDB's taken in turn",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each other figure")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument(
        "--portal-repeat", type=int, default=2, help="from-scratch portal builds of each kind"
    )
    parser.add_argument(
        "--layouts",
        default="month,day",
        help="the largest size's mentions also kept as a file a 'month' and a file a 'day' in "
        "mentions/ ('' for neither)",
    )
    parser.add_argument(
        "--shapes",
        default="quoted,unix",
        help="the largest size's mentions also written as a quoted export with \\r\\n line ends "
        "('quoted') and with Unix times ('unix') ('' for neither)",
    )
    parser.add_argument(
        "--load-only", action="store_true", help="only the load figures (e.g. --sizes 10000000)"
    )
    parser.add_argument(
        "--broken",
        type=int,
        default=200_000,
        help="rows of the broken export whose portal is built (0 for none)",
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    args = parser.parse_args()
    header = [
        f"{time.strftime('%Y-%m-%d')}. {machine()}",
        "",
        "| figure | smrm | reference | ratio |",
        "|---|---|---|---|",
    ]
    print("\n".join(header), flush=True)
    lines = list(header)
    with tempfile.TemporaryDirectory(prefix="smrm-bench-") as tmp:
        steps: list[Callable[[], list[str]]] = [
            *(
                lambda n=int(n): load_validate_aggregate(n, args.load_repeat, Path(tmp))
                for n in args.sizes.split(",")
            ),
        ]
        largest = max(int(n) for n in args.sizes.split(","))
        layouts = [layout for layout in args.layouts.split(",") if layout]
        if set(layouts) - {"month", "day"}:
            parser.error("--layouts takes 'month', 'day' or both")
        if layouts:
            steps.append(lambda: file_layouts(largest, layouts, args.load_repeat, Path(tmp)))
        shapes = [shape for shape in args.shapes.split(",") if shape]
        if set(shapes) - set(SHAPES):
            parser.error("--shapes takes 'quoted', 'unix' or both")
        if shapes:
            steps.append(lambda: export_shapes(largest, shapes, args.load_repeat, Path(tmp)))
        if not args.load_only:
            steps.append(lambda: month_build(args.repeat, Path(tmp)))
            steps.append(lambda: portal(args.clients, args.months, args.portal_repeat, Path(tmp)))
            if args.broken:
                steps.append(lambda: broken_export(args.broken, args.repeat, Path(tmp)))
        for step in steps:
            for line in step():
                print(line, flush=True)
                lines.append(line)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (args.out / "results.json").write_text(json.dumps(lines, ensure_ascii=False, indent=1))
    if LOAD_POINTS:
        load_chart(LOAD_POINTS, args.out / "load.svg")
        print(f"chart: {args.out / 'load.svg'}")


if __name__ == "__main__":
    main()

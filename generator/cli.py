"""The ``smrm`` command: a thin click layer over the pipeline.

Heavy libraries are imported inside the commands so that ``smrm --help`` stays instant.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .problems import counted, printable, quote

F = TypeVar("F", bound=Callable[..., Any])

DATA_OPTION = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data"),
    show_default=True,
    help="The agency's data folder: agency.yml and one folder per client.",
)
OUT_OPTION = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Where to write the output.",
)
LENIENT_OPTION = click.option(
    "--lenient",
    is_flag=True,
    help="Leave invalid rows out (listed in <out>/<slug>/rejected.csv) instead of failing.",
)
CONTENT_OPTION = click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("content"),
    show_default=True,
    help="Hand-written pages: <content>/<slug>/<YYYY-MM>.md is that month's commentary.",
)
CONFIG_OPTION = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="The base MkDocs configuration every client site inherits.",
)
CLIENTS_ARGUMENT = click.argument("clients", nargs=-1, metavar="[CLIENT]...")


def _guarded(func: F) -> F:
    """Unexpected failures print one line, not a traceback, unless --debug is given."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if click.get_current_context().find_root().params.get("debug"):
                traceback.print_exc()
            else:
                click.echo(f"error: {exc} (run with --debug for details)", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="smrm")
@click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors.")
def cli(debug: bool) -> None:
    """Client report portals for a social-media agency.

    Reads each client's folder in the data folder (client.yml, mentions.csv and
    any files in mentions/, accounts.csv, outcomes.csv) and turns it into monthly
    reports. SOURCE_DATE_EPOCH (seconds since 1970) sets the day a build takes place
    on, which decides whether a client's newest month is over.
    """
    from .clock import ClockError, now

    try:
        now()
    except ClockError as exc:
        raise click.UsageError(str(exc)) from None


#: Problems printed at a time.
_BLOCK = 10_000


@cli.command()
@DATA_OPTION
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also print how the rows of each file were used, and the columns it has that are not "
    "read.",
)
@click.option(
    "--published",
    metavar="BRANCH",
    help="Skip the clients whose files are those their months on BRANCH (the Pages branch) "
    "were made from: they were valid when published. Also list the portals on BRANCH whose "
    "client has no folder in the data any more.",
)
@click.option(
    "--affected",
    "affected_file",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --published, and when there is no error: write to FILE, as a JSON list, the "
    "clients whose portals need building: those read, less those with no month in their "
    "files yet (smrm affected --published finds the same clients from their files' "
    "fingerprints alone, those with no month included).",
)
@CONTENT_OPTION
@CONFIG_OPTION
@CLIENTS_ARGUMENT
@_guarded
def validate(
    data_dir: Path,
    verbose: bool,
    published: str | None,
    affected_file: Path | None,
    content_dir: Path,
    config_file: Path,
    clients: tuple[str, ...],
) -> None:
    """Check the data of every client (or the CLIENTs named) and its commentary in
    <content>, and list every problem.

    Each problem is printed as PATH:LINE: COLUMN: MESSAGE. Exits with 1 when
    there is any error, 0 when there are none (warnings alone do not fail).
    agency.yml and the names of the client folders are always checked.

    In a GitHub Actions run (GITHUB_ACTIONS=true) the first ten errors and
    the first ten warnings are also printed as workflow commands, which
    GitHub shows as annotations on the files' lines.
    """
    from .pipeline import ClientData, check
    from .problems import summary

    if affected_file is not None and published is None:
        raise click.UsageError("--affected needs --published BRANCH")
    skip = None
    if published is not None:
        skip = _published_as_is(published, data_dir, content_dir, config_file, clients)
    with_months: list[str] = []

    def note_months(data: ClientData, _: object) -> None:
        # Taken before the rows are let go. A client with no month has nothing to build,
        # and its portal, if any, is kept as it is (see fingerprint.stale_months).
        if data.periods:
            with_months.append(data.slug)

    each = note_months if affected_file is not None else None
    result = check(
        data_dir, clients, skip=skip, each=each, keep_rows=False, content_dir=content_dir
    )
    problems = result.all_problems
    _echo_problems(problems)
    if os.environ.get("GITHUB_ACTIONS") == "true" and problems:
        from .problems import github_annotations

        click.echo("\n".join(github_annotations(problems)))
    if verbose:
        _print_accounting(result)
    if result.skipped:
        click.echo(
            f"{counted(len(result.skipped), 'client')} not read: unchanged since published "
            f"on {published}"
        )
    if published is not None and not clients:
        # Removing a client's folder deploys nothing, so no publish would say this.
        from .publish import orphan_notice, portals_without_data

        for slug in portals_without_data(published, data_dir):
            click.echo(orphan_notice(slug))
    if any(p.is_error for p in problems):
        click.echo(summary(problems))
        sys.exit(1)
    if affected_file is not None:
        affected_file.write_text(json.dumps(with_months) + "\n", encoding="utf-8")
    ok = f"no problems in {counted(result.files_checked, 'file')}"
    click.echo(summary(problems).replace("0 problems in 0 files", ok, 1))


@cli.command()
@DATA_OPTION
@OUT_OPTION
@LENIENT_OPTION
@CLIENTS_ARGUMENT
@_guarded
def metrics(data_dir: Path, out_dir: Path, lenient: bool, clients: tuple[str, ...]) -> None:
    """Write <out>/<slug>/<YYYY-MM>/metrics.json for every month of every client.

    Any invalid row fails the client (exit 1) unless --lenient is given.
    """
    from .pipeline import check, write_metrics, write_rejected

    lines = []

    def write(data: Any, agency: Any) -> None:
        """Each client's files are written as soon as it is read: its rows are let go after."""
        if not data.ok(lenient):
            return
        written = write_metrics(data, out_dir)
        rejected = write_rejected(data, out_dir) if lenient else None
        line = f"{data.slug}: {counted(len(written), 'month')} written to {out_dir / data.slug}"
        if rejected is not None:
            line += f"; {len(data.row_errors)} problems, rows left out listed in {rejected}"
        lines.append(line)

    result = check(data_dir, clients, each=write, keep_rows=False)
    _, failed = _usable(result, lenient, "written")
    for line in lines:
        click.echo(line)
    _summarise(result)
    if failed:
        sys.exit(1)


REMOTE_OPTION = click.option(
    "--remote", default="origin", show_default=True, help="Git remote to sync and push."
)
BRANCH_OPTION = click.option(
    "--branch", default="gh-pages", show_default=True, help="The Pages branch."
)
PUSH_OPTION = click.option("--push", is_flag=True, help="Push the branch to the remote afterwards.")
PERIOD_OPTION = click.option(
    "--period",
    "periods",
    multiple=True,
    metavar="YYYY-MM",
    help="Build only this month (repeatable); default: every month.",
)


@cli.command()
@DATA_OPTION
@CONTENT_OPTION
@OUT_OPTION
@CONFIG_OPTION
@PERIOD_OPTION
@LENIENT_OPTION
@click.option("-j", "--jobs", default=0, help="Parallel builds; default: one per CPU core.")
@click.option(
    "--force", is_flag=True, help="Rebuild every month, even those already up to date in <out>."
)
@CLIENTS_ARGUMENT
@_guarded
def build(
    data_dir: Path,
    content_dir: Path,
    out_dir: Path,
    config_file: Path,
    periods: tuple[str, ...],
    lenient: bool,
    jobs: int,
    force: bool,
    clients: tuple[str, ...],
) -> None:
    """Build each client's report portal: <out>/<slug>/<YYYY-MM>/ for every month,
    <out>/<slug>/latest/, a redirect and versions.json for the month selector, and the theme
    and chart assets once in <out>/_assets/.

    Months whose inputs are unchanged since they were built into <out> are skipped (their
    fingerprints are kept in <out>/<slug>/fingerprints.json); months built there earlier
    that the data no longer have are removed, and so are shared assets no page links to any
    more (after a theme or tool upgrade). Any invalid row fails the client (exit 1) unless
    --lenient is given.

    The chart library's bundle is kept between builds in ~/.cache/smrm (or $SMRM_CACHE_DIR).
    """
    from .fingerprint import is_current, tool_fingerprint
    from .pipeline import check, write_rejected

    if not config_file.is_file():
        raise click.ClickException(
            f"{config_file}: base MkDocs configuration not found (pass --config FILE)"
        )
    tool = tool_fingerprint(config_file)

    @functools.cache
    def all_inputs() -> dict[str, str]:
        return _client_inputs(data_dir, content_dir, clients, tool, lenient)

    def inputs(slug: str) -> str:
        return all_inputs()[slug]

    def unchanged(slug: str) -> bool:
        return not force and not periods and is_current(out_dir / slug, inputs(slug))

    stack = contextlib.ExitStack()
    builder: Any = None  # the site builder (MkDocs, Altair) is loaded for a first usable client
    prints: dict[str, str] = {}

    def build_client(data: Any, agency: Any) -> None:
        """A usable client is built as soon as it is read, while the next ones are read; its
        rows are let go after, so a build holds a few clients' rows, never the agency's."""
        nonlocal builder
        if not data.ok(lenient):
            return
        if builder is None:
            from .site import BuildOptions, PortalBuilder

            options = BuildOptions(out_dir, content_dir, config_file, periods, jobs)
            agency_file = data_dir / "agency.yml"
            builder = stack.enter_context(
                PortalBuilder(options, agency_file, tool, force, inputs=prints)
            )
        prints[data.slug] = inputs(data.slug)
        builder.add(data, agency)

    with stack:
        result = check(
            data_dir,
            clients,
            skip=unchanged,
            each=build_client,
            keep_rows=False,
            content_dir=content_dir,
        )
        ok, failed = _usable(result, lenient, "built")
        if builder is None:  # nothing was built or removed
            built, current, removed, pruned = [], {}, {}, []
        else:
            built, current, removed, pruned = builder.close()
    for slug in result.skipped:
        click.echo(f"{slug}: up to date in {out_dir / slug} (its files have not changed)")
    for data in ok:
        if lenient:
            write_rejected(data, out_dir)
        months = [b for b in built if b.slug == data.slug]
        line = f"{data.slug}: {counted(len(months), 'month')} built in {out_dir / data.slug}"
        if current[data.slug]:
            line += f", {len(current[data.slug])} already up to date"
        if removed.get(data.slug):
            line += f"; removed {', '.join(removed[data.slug])} (no longer in the data)"
        click.echo(line)
    if pruned:
        click.echo(f"removed shared assets no page links to: {', '.join(pruned)}")
    for month in built:
        for warning in month.warnings:
            click.echo(f"{month.slug}/{month.period}: warning: {warning}", err=True)
        if month.error:
            click.echo(f"{month.slug}/{month.period}: {month.error}", err=True)
    _summarise(result)
    if failed or any(m.error for m in built):
        sys.exit(1)


@cli.command()
@DATA_OPTION
@CONTENT_OPTION
@CONFIG_OPTION
@REMOTE_OPTION
@BRANCH_OPTION
@PUSH_OPTION
@click.option("--message", help="Commit message for each deployed month.")
@click.option(
    "--squash-history",
    is_flag=True,
    help=(
        "Keep only the branch's current tree (the remote's, if newer), as one commit; --push "
        "forces it, unless the remote's branch moved meanwhile."
    ),
)
@click.option(
    "--build-only",
    type=click.Path(file_okay=False, path_type=Path),
    help="Only build the months that changed into DIR (for a CI build job); deploy nothing.",
)
@click.option(
    "--prebuilt",
    multiple=True,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A DIR made by --build-only: its months are deployed instead of rebuilt (repeatable).",
)
@click.option("-j", "--jobs", default=0, help="Parallel builds; default: one per CPU core.")
@CLIENTS_ARGUMENT
@_guarded
def publish(
    data_dir: Path,
    content_dir: Path,
    config_file: Path,
    remote: str,
    branch: str,
    push: bool,
    message: str | None,
    squash_history: bool,
    build_only: Path | None,
    prebuilt: tuple[Path, ...],
    jobs: int,
    clients: tuple[str, ...],
) -> None:
    """Deploy each client's months to the Pages branch as a versioned set under <slug>/.

    Only months whose data, client.yml, commentary, templates or tool version
    changed are rebuilt and deployed; a run with nothing changed makes no commit.
    Nothing is deployed when validation finds an error. Months no longer in a
    client's data are taken off the branch, and shared asset folders that no page
    links to any more (after a theme or tool upgrade) are removed.
    """
    from . import publish as publishing
    from .fingerprint import tool_fingerprint
    from .pipeline import check
    from .problems import summary

    try:
        options = publishing.PublishOptions(
            data_dir,
            content_dir,
            config_file,
            remote,
            branch,
            push,
            message,
            jobs,
            build_only=build_only,
            prebuilt=prebuilt,
        )
        if squash_history:
            commit = publishing.squash_history(options)
            click.echo(f"{branch} is now one commit: {commit[:12]}")
            if push:
                publishing.force_push(remote, branch)
                click.echo(f"pushed {branch} to {remote} (forced)")
            return
        tool = tool_fingerprint(config_file)
        plans = []
        # Taken before the files are read: should one change meanwhile, the record on the
        # branch is of the older files, and the next run publishes the change.
        inputs = (
            {}
            if build_only is not None
            else _client_inputs(data_dir, content_dir, clients, tool, False)
        )

        def plan(data: Any, agency: Any) -> None:
            """What publishing needs of each client, while its rows are at hand."""
            if data.ok(lenient=False):
                plans.append(publishing.plan_client(data, options, tool, inputs.get(data.slug)))

        result = check(data_dir, clients, each=plan, keep_rows=False, content_dir=content_dir)
        problems = result.all_problems
        _echo_problems(problems, err=True)
        if any(p.is_error for p in problems):
            click.echo(f"{summary(problems)}; nothing was published", err=True)
            sys.exit(1)
        outcome = publishing.publish(plans, result.agency, options)
    except publishing.PublishError as exc:
        raise click.ClickException(str(exc)) from exc
    if build_only is not None:
        for slug, months in outcome.deployed.items():
            click.echo(f"{slug}: built {', '.join(months)} into {build_only / slug}")
        return
    for line in publishing.describe(outcome, result.agency.portal_url):
        click.echo(line)
    click.echo(
        f"{outcome.commits} commits on {branch}"
        + (f", pushed to {remote}" if outcome.pushed else "")
    )


@cli.command()
@DATA_OPTION
@REMOTE_OPTION
@BRANCH_OPTION
@PUSH_OPTION
@click.option("--message", help="Commit message.")
@click.argument("clients", nargs=-1, required=True, metavar="CLIENT...")
@_guarded
def unpublish(
    data_dir: Path,
    remote: str,
    branch: str,
    push: bool,
    message: str | None,
    clients: tuple[str, ...],
) -> None:
    """Take the portals of clients the agency no longer reports to off the Pages branch.

    Remove the client's folder from the data first (a client still in the data
    would be published again by the next run); smrm publish lists the portals
    left without one. Shared assets only they linked to go too. The portals stay
    in the branch's history until smrm publish --squash-history.
    """
    from . import publish as publishing

    options = publishing.PublishOptions(
        data_dir, Path("content"), Path("mkdocs.yml"), remote, branch, push, message
    )
    try:
        outcome = publishing.unpublish(clients, options)
    except publishing.PublishError as exc:
        raise click.ClickException(str(exc)) from exc
    for slug in outcome.removed:
        click.echo(f"{slug}: portal taken off {branch}")
    if outcome.pruned:
        click.echo(f"removed shared assets no page links to: {', '.join(outcome.pruned)}")
    if outcome.pushed:
        click.echo(f"pushed {branch} to {remote}")


@cli.command()
@DATA_OPTION
@CONTENT_OPTION
@CONFIG_OPTION
@click.option(
    "--published",
    metavar="BRANCH",
    help="Compare with what BRANCH (the Pages branch, as smrm publish made it) holds instead "
    "of with a commit.",
)
@click.argument("base", required=False)
@click.argument("head", default="HEAD")
@_guarded
def affected(
    data_dir: Path,
    content_dir: Path,
    config_file: Path,
    published: str | None,
    base: str | None,
    head: str,
) -> None:
    """Print, as a JSON list, the clients whose portals need building.

    With --published BRANCH: the clients whose files (data, commentary), the agency's,
    or the tool are not those their months on BRANCH were made from, so a change that a
    failed or cancelled run did not publish is still found. With BASE [HEAD]: the clients
    the commits BASE..HEAD touch (every client when shared files changed: agency.yml,
    mkdocs.yml, overrides, the tool).
    """
    import subprocess

    from .pipeline import discover

    if (published is None) == (base is None):
        raise click.UsageError("give either BASE or --published BRANCH")
    slugs, _ = discover(data_dir)
    if published is not None:
        as_published = _published_as_is(published, data_dir, content_dir, config_file)
        click.echo(json.dumps([slug for slug in slugs if not as_published(slug)]))
        return
    from .publish import affected_clients

    assert base is not None
    diff = subprocess.run(
        ["git", "diff", "--name-only", base, head], capture_output=True, text=True, check=False
    )
    if diff.returncode != 0:
        # No usable base (a first push, a force push): every client is affected.
        click.echo(json.dumps(slugs))
        return
    click.echo(json.dumps(affected_clients(diff.stdout.split(), slugs)))


@cli.command()
@DATA_OPTION
@CONTENT_OPTION
@CONFIG_OPTION
@click.option("--period", metavar="YYYY-MM", help="The month to preview; default: the newest.")
@click.option("--port", default=8000, show_default=True, help="Port on localhost.")
@click.argument("client")
@_guarded
def serve(
    data_dir: Path,
    content_dir: Path,
    config_file: Path,
    period: str | None,
    port: int,
    client: str,
) -> None:
    """Preview one client's month at http://127.0.0.1:PORT/, rebuilding it when the
    client's data, its commentary or the templates change (its other months are
    built once, at the start, for the month selector)."""
    from .serve import serve_client

    serve_client(data_dir, content_dir, config_file, client, period, port)


@cli.command()
@click.option("--clients", "n_clients", default=2, show_default=True, help="Number of clients.")
@click.option("--months", default=13, show_default=True, help="Months of data per client.")
@click.option(
    "--mentions",
    default=12000,
    show_default=True,
    help="Mention rows per client, over all its months.",
)
@click.option("--end", default="2026-10", show_default=True, help="The last month, YYYY-MM.")
@click.option("--seed", default=7, show_default=True, help="Random seed: same seed, same data.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data"),
    show_default=True,
    help="The data folder to write (existing client folders of the same name are replaced).",
)
@_guarded
def demo(n_clients: int, months: int, mentions: int, end: str, seed: int, out_dir: Path) -> None:
    """Generate a demo agency's data: a Russian furniture maker, an English coffee
    chain, and more clients of other sectors when asked for."""
    from .demo import generate

    for path in generate(out_dir, n_clients, months, mentions, end, seed):
        click.echo(f"wrote {path}")


def _echo_problems(problems: list[Any], err: bool = False) -> None:
    # Written in blocks: a line at a time is a write (and a flush) each, and a broken export
    # can have a million problems (rolling exports, 200,000 repeated rows).
    for start in range(0, len(problems), _BLOCK):
        lines = "\n".join(problem.format() for problem in problems[start : start + _BLOCK])
        click.echo(lines, err=err)


def _usable(result: Any, lenient: bool, verb: str) -> tuple[list[Any], bool]:
    """Print every problem; return the clients that can go on, and whether any cannot."""
    _echo_problems(result.all_problems, err=True)
    failed = any(p.is_error for p in result.problems)
    ready = []
    for data in result.clients:
        if data.ok(lenient):
            ready.append(data)
            continue
        reason = "" if data.fatal else " (invalid rows; --lenient leaves them out)"
        click.echo(f"{data.slug}: not {verb}{reason}", err=True)
        failed = True
    return ready, failed


def _published_as_is(
    branch: str, data_dir: Path, content_dir: Path, config_file: Path, clients: Sequence[str] = ()
) -> Callable[[str], bool]:
    """Whether a client (of ``clients``, or any) has the files its months on ``branch`` were
    made from. Only data that passed validation is published, so such a client is valid as
    it is."""
    from .fingerprint import tool_fingerprint
    from .publish import published_inputs

    prints = _client_inputs(data_dir, content_dir, clients, tool_fingerprint(config_file), False)
    return lambda slug: slug in prints and published_inputs(branch, slug) == prints[slug]


def _client_inputs(
    data_dir: Path, content_dir: Path, clients: Sequence[str], tool: str, lenient: bool
) -> dict[str, str]:
    """``input_fingerprint`` of every client in the data folder (or of the ``clients`` named)."""
    from .fingerprint import input_fingerprints
    from .pipeline import discover

    return input_fingerprints(data_dir, content_dir, discover(data_dir, clients)[0], tool, lenient)


def _summarise(result: Any) -> None:
    from .problems import summary

    if any(p.is_error for p in result.all_problems):
        click.echo(summary(result.all_problems), err=True)


#: The columns not read that ``validate --verbose`` names per file, at most.
_IGNORED_SHOWN = 20


def _print_accounting(result: Any) -> None:
    for data in result.clients:
        for name, file in data.files.items():
            if file.present:
                counts = file.accounting()
                click.echo(
                    f"{data.slug}/{printable(name)}: {counts['read']} read = {counts['used']} used"
                    f" + {counts['duplicates']} duplicates + {counts['rejected']} rejected"
                )
                if file.ignored:
                    # An export's other columns are no problem; named here, one that holds a
                    # column of the contract under another name can be mapped.
                    shown = [quote(cell) for cell in file.ignored[:_IGNORED_SHOWN]]
                    more = len(file.ignored) - len(shown)
                    click.echo(
                        f"{data.slug}/{printable(name)}: columns not read: {', '.join(shown)}"
                        + (f" and {more} more" if more > 0 else "")
                    )


def main() -> None:
    cli(prog_name="smrm")

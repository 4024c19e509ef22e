"""``smrm serve``: one client's portal on localhost, its month rebuilt when its inputs change."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import click

from .pipeline import check
from .site import BuildOptions, build_clients


def preview_builder(
    data_dir: Path, content_dir: Path, config_file: Path, slug: str, period: str | None, out: Path
) -> tuple[str, Callable[[], None]]:
    """The month previewed, and a function that rebuilds it (and reports problems)."""
    first = check(data_dir, [slug], content_dir=content_dir)
    if not first.clients or not first.clients[0].ok(lenient=True):
        problems = [p.format() for p in first.all_problems if p.is_error]
        raise click.ClickException("\n".join(problems) or f"{slug}: cannot be built")
    periods = first.clients[0].periods
    chosen = period or periods[-1]
    if chosen not in periods:
        raise click.ClickException(f"{slug} has no month {chosen}; months: {', '.join(periods)}")

    # Every month at first (no periods named), so that the month selector reaches each; then
    # only the month previewed, so that an edit shows in about a second.
    todo: list[str] = []

    def rebuild() -> None:
        nonlocal todo
        result = check(data_dir, [slug], content_dir=content_dir)
        for problem in result.all_problems:
            click.echo(problem.format(), err=True)
        ready = [c for c in result.clients if c.ok(lenient=True)]
        jobs = 1 if todo else 0  # the first build on every core
        options = BuildOptions(out, content_dir, config_file, todo, jobs=jobs)
        todo = [chosen]
        for month in build_clients(ready, result.agency, options):
            for warning in month.warnings:
                click.echo(f"warning: {warning}", err=True)
            if month.error:
                click.echo(month.error, err=True)

    return chosen, rebuild


def serve_client(
    data_dir: Path, content_dir: Path, config_file: Path, slug: str, period: str | None, port: int
) -> None:
    from mkdocs.livereload import LiveReloadServer

    with tempfile.TemporaryDirectory(prefix="smrm-serve-") as tmp:
        out = Path(tmp)
        chosen, rebuild = preview_builder(data_dir, content_dir, config_file, slug, period, out)
        rebuild()
        server = LiveReloadServer(
            builder=rebuild,
            host="127.0.0.1",
            port=port,
            # The whole output: months link to the theme assets kept once in out/_assets/.
            root=str(out),
        )
        for path in (
            data_dir / slug,
            content_dir / slug,
            config_file,
            config_file.resolve().parent / "overrides",
            Path(__file__).parent / "templates",
            Path(__file__).parent / "assets",
        ):
            if path.exists():
                server.watch(str(path))
        click.echo(f"Serving {slug} {chosen} at http://127.0.0.1:{port}/{slug}/{chosen}/")
        try:
            server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()

"""Small helpers the tests share."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import pytest
import yaml

from generator.config import load_agency
from generator.pipeline import ClientData, check, load_client


def run_fresh(
    code: str, modules: Sequence[str], cwd: Path | None = None
) -> tuple[list[str], list[str]]:
    """The lines ``code`` prints in a fresh Python process, and which of ``modules`` that
    process has loaded by its end (the tests' own process has loaded them all)."""
    report = (
        f"\nimport json, sys\nprint(json.dumps([m for m in {list(modules)!r} if m in sys.modules]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code + report],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
    )
    *lines, loaded = done.stdout.splitlines()
    return lines, json.loads(loaded)


T = TypeVar("T")


def spy_reads(
    monkeypatch: pytest.MonkeyPatch, note: Callable[[Path, list[ClientData]], T]
) -> list[T]:
    """From now on, ``note`` of each client folder ``check`` reads and of the clients it read
    before (as they are at that moment), in the order read."""
    import generator.pipeline as pipeline

    notes: list[T] = []
    read: list[ClientData] = []
    real = pipeline.load_client

    def spied(folder: Path, *args: object) -> ClientData:
        notes.append(note(folder, read))
        read.append(real(folder, *args))  # type: ignore[arg-type]
        return read[-1]

    monkeypatch.setattr(pipeline, "load_client", spied)
    return notes


def load(folder: Path) -> ClientData:
    agency, _ = load_agency(folder.parent)
    return load_client(folder, agency)


def problems(folder: Path) -> list[tuple[str, int | None, str, str]]:
    """(file name, line, column, message) of every problem of one client."""
    return problem_rows(load(folder))


def problem_rows(
    data: ClientData, name: str | None = None
) -> list[tuple[str, int | None, str, str]]:
    """(file name, line, column, message) of every problem of a client read, or of those of
    the file called ``name``."""
    rows = [(Path(p.path).name, p.line, p.column, p.message) for p in data.problems]
    return [row for row in rows if name is None or row[0] == name]


def empty_client(folder: Path) -> None:
    """Every CSV of a client cut to its header; goals dropped, since they name a metric of the
    emptied outcomes.csv."""
    for path in folder.glob("*.csv"):
        path.write_text(path.read_text(encoding="utf-8-sig").splitlines()[0] + "\n")
    client = yaml.safe_load((folder / "client.yml").read_text(encoding="utf-8"))
    client.pop("goals", None)
    (folder / "client.yml").write_text(yaml.safe_dump(client, allow_unicode=True))


def rewrite(text: str, delimiter: str) -> str:
    """The same CSV with another delimiter."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def metrics_of(data_dir: Path, slug: str = "acme") -> dict:
    from generator.pipeline import compute_metrics

    result = check(data_dir, [slug])
    (client,) = result.clients
    assert client.ok(lenient=False), [p.format() for p in client.problems]
    return compute_metrics(client)


def local_links(html: str) -> list[str]:
    """Every src and href of a page that points inside the site (no scheme, no fragment)."""
    return re.findall(r'(?:src|href)="(?![a-z]+:|//|#)([^"#?]+)', html)


def add_agency_stylesheet(root: Path) -> None:
    """An agency stylesheet in ``root``'s theme overrides: the theme's shared asset folder
    changes, and every month is built again."""
    stylesheets = root / "overrides" / "assets" / "stylesheets"
    stylesheets.mkdir(parents=True)
    (stylesheets / "agency.css").write_text(":root { --md-primary-fg-color: #004d40; }\n")

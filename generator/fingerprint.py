"""Fingerprints of client-months: equal fingerprints mean byte-identical sites.

A month's fingerprint covers its data slice (the rows up to that month), client.yml, its
commentary, the agency, the site templates and the tool itself. ``smrm build`` keeps them in
``<out>/<slug>/fingerprints.json`` to skip months already built; ``smrm publish`` keeps them
in each month's entry of ``<slug>/versions.json`` on the Pages branch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Collection, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, clock
from .pipeline import ClientData
from .schema import PERIOD_RE

if TYPE_CHECKING:
    # Loaded by the functions that hash rows: a build with nothing changed hashes no row, and
    # need not load pandas.
    import pandas as pd

MANIFEST = "fingerprints.json"
#: The manifest's entry for the hash of the client's raw input files.
INPUTS = "inputs"


def sha(*parts: bytes | str) -> str:
    """A SHA-256 of the parts, each length-prefixed (so no two lists of parts collide)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def files_under(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def tool_fingerprint(config_file: Path) -> str:
    """The tool (its code, templates and assets), the libraries that draw the sites, the theme
    overrides and the base configuration."""
    parts: list[bytes | str] = [__version__]
    for package in ("mkdocs", "mkdocs-material", "vl-convert-python", "altair", "mike"):
        parts.append(f"{package}=={metadata.version(package)}")
    package_dir = Path(str(resources.files("generator")))
    overrides = config_file.resolve().parent / "overrides"
    for folder in (package_dir, overrides):
        if folder.is_dir():
            for path in files_under(folder):
                parts.extend([path.relative_to(folder).as_posix(), path.read_bytes()])
    parts.append(config_file.read_bytes())
    return sha(*parts)


#: Rows hashed at a time.
_HASH_ROWS = 100_000


def _month_hashes(frame: pd.DataFrame | None, sizes: Sequence[int] = ()) -> list[dict[str, str]]:
    """A hash of each month's rows; line numbers are left out (inserting a row above moves them).

    ``frame`` may be several files' rows one after another, ``sizes`` rows each: each file gets
    its own hashes, worked out at once (a year of daily files is hundreds of them).
    """
    import numpy as np
    import pandas as pd

    sizes = list(sizes) or [0 if frame is None else len(frame)]
    out: list[dict[str, str]] = [{} for _ in sizes]
    if frame is None or frame.empty:
        return out
    columns = sorted(c for c in frame.columns if c != "line")
    # Block by block: hashing text makes a Python string of each value first.
    values = np.concatenate(
        [
            pd.util.hash_pandas_object(frame[columns].iloc[at : at + _HASH_ROWS], index=False)
            for at in range(0, len(frame), _HASH_ROWS)
        ]
    )
    codes, months = pd.factorize(frame["period"], sort=True)
    keys = np.repeat(np.arange(len(sizes)), sizes) * len(months) + codes
    keys[codes < 0] = -1  # no month: in no month's hash
    order = np.argsort(keys, kind="stable")  # each group's rows stay in file order
    ordered = keys[order]
    starts = np.flatnonzero(np.diff(ordered, prepend=-2))
    for start, stop in zip(starts, [*starts[1:], len(ordered)], strict=True):
        if ordered[start] >= 0:
            owner, month = divmod(int(ordered[start]), len(months))
            out[owner][str(months[month])] = sha(values[order[start:stop]].tobytes())
    return out


def month_fingerprints(
    data: ClientData, agency_file: Path, content_dir: Path, tool: str
) -> dict[str, str]:
    """A fingerprint per report month: equal fingerprints mean byte-identical sites."""
    from . import validate

    assert data.client is not None
    fixed: list[bytes | str] = [tool, (data.folder / "client.yml").read_bytes()]
    if agency_file.is_file():
        fixed.append(agency_file.read_bytes())
    if data.client.branding.logo:
        fixed.append((data.folder / data.client.branding.logo).read_bytes())
    base = sha(*fixed)
    mentions = data.mention_frames
    joined = _month_hashes(data.mentions, [len(frame) for _, frame in mentions])
    hashes = dict(zip([name for name, _ in mentions], joined, strict=True))
    per_file = {
        name: hashes[name] if name in hashes else _month_hashes(result.frame)[0]
        for name, result in sorted(data.files.items())
    }
    running = base
    out = {}
    # A month not over yet is reported as such: the same rows give another report once it is.
    in_progress = data.in_progress
    for period in data.periods:
        # Files with no rows in the month are left out: a new month's file changes no other.
        month = [
            f"{name}={per_file[name][period]}" for name in per_file if period in per_file[name]
        ]
        quality = validate.data_quality(dict(sorted(data.files.items())), until=period)
        # What the month's report shows of the rows rejected: a row of a later month changes
        # no earlier month's report.
        rejected = validate.rejected_shown(data.files.values(), period, validate.REJECTED_SHOWN)
        commentary = content_dir / data.slug / f"{period}.md"
        running = sha(running, period, *month)
        out[period] = sha(
            running,
            json.dumps(quality, sort_keys=True),
            json.dumps(rejected, sort_keys=True),
            commentary.read_bytes() if commentary.is_file() else b"",
            "in progress" if period == in_progress else "",
        )
    return out


def read_manifest(folder: Path) -> dict[str, str]:
    """The fingerprints of the months built in ``folder`` (empty when unknown or unreadable)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def stale_months(recorded: Iterable[str], months: Collection[str]) -> list[str]:
    """The months built or published earlier (``recorded``) that the data no longer have.

    Only names of months count: the records are read from files, which could name any path.
    A client whose data now have no month at all loses none: an emptied export is likelier a
    mistake than a request to take its portal down (validation warns of it).
    """
    if not months:
        return []
    return sorted(p for p in recorded if p not in months and PERIOD_RE.fullmatch(p))


def write_manifest(folder: Path, prints: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).write_text(
        json.dumps(prints, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def input_fingerprint(
    data_dir: Path, content_dir: Path, slug: str, tool: str, lenient: bool
) -> str:
    """A hash of a client's raw files, the agency's and the tool: unchanged means that a
    full build would produce the same site, so the files need not even be read."""
    parts: list[bytes | str] = [tool, slug, "lenient" if lenient else "strict", *_months_now()]
    agency = data_dir / "agency.yml"
    if agency.is_file():
        parts.extend(["agency.yml", _file_sha(agency)])
    for root in (data_dir / slug, content_dir / slug):
        if root.is_dir():
            for path in files_under(root):
                parts.extend([path.relative_to(root.parent).as_posix(), _file_sha(path)])
    return sha(*parts)


def input_fingerprints(
    data_dir: Path, content_dir: Path, slugs: Iterable[str], tool: str, lenient: bool
) -> dict[str, str]:
    """``input_fingerprint`` of each client, several at a time: hashing runs outside Python's
    lock, and an agency's files are gigabytes."""
    slugs = list(slugs)

    def one(slug: str) -> str:
        return input_fingerprint(data_dir, content_dir, slug, tool, lenient)

    if len(slugs) < 2:
        return {slug: one(slug) for slug in slugs}
    with ThreadPoolExecutor(min(len(slugs), os.cpu_count() or 1)) as pool:
        return dict(zip(slugs, pool.map(one, slugs), strict=True))


def _months_now() -> list[str]:
    """The months the build's moment falls in somewhere on Earth (UTC−12 to UTC+14): whether
    a client's newest month is over depends on its time zone, which its files, not read here,
    name. So the files are read again as a month ends, and each month's fingerprint decides."""
    moment = clock.now()
    return sorted({(moment + dt.timedelta(hours=h)).strftime("%Y-%m") for h in (-12, 14)})


def _file_sha(path: Path) -> str:
    """A file's SHA-256, read a block at a time: a client's mention file can be larger than
    the memory left."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def is_current(folder: Path, inputs: str) -> bool:
    """Whether ``folder`` holds a complete build of exactly these inputs."""
    manifest = read_manifest(folder)
    months = [key for key in manifest if key != INPUTS]
    return (
        manifest.get(INPUTS) == inputs
        and bool(months)
        and all((folder / month / "index.html").is_file() for month in months)
        and (folder / "latest" / "index.html").is_file()
        and (folder / "versions.json").is_file()
    )

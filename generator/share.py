"""Theme and chart assets kept once per portal instead of once per client-month.

Every month's site carries the same theme scripts and stylesheets and the same Vega bundle
(about 2 MB). After a month is built they move to ``<out>/_assets/<group>-<hash>/``, named by
a hash of their content, and the month's pages point there. A new theme version gets a new
folder, so months built earlier keep working. Months sit at ``<out>/<slug>/<version>/`` both
in the build output and on the Pages branch, so the relative links hold in both.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .fingerprint import sha

SHARED = "_assets"


@dataclass(frozen=True)
class Group:
    """Folders or files of a month's ``assets/`` that move together (relative links inside)."""

    name: str
    members: tuple[str, ...]


GROUPS = (
    # The search worker loads its language files by a path relative to itself: the theme's
    # scripts and stylesheets move as one tree, with its default favicon.
    Group("material", ("javascripts", "stylesheets", "images")),
    Group("smrm", ("smrm/vega.js", "smrm/vega-interpreter.js", "smrm/charts.js", "smrm/smrm.css")),
)


def tree_hash(paths: list[tuple[str, Path]]) -> str:
    """A short hash of files by their relative names and contents."""
    return sha(*(part for name, path in sorted(paths) for part in (name, path.read_bytes())))[:12]


def _files(assets: Path, group: Group) -> list[tuple[str, Path]]:
    """(name inside the shared folder, file in the month) of every file of the group."""
    out: list[tuple[str, Path]] = []
    for member in group.members:
        path = assets / member
        if path.is_file():
            out.append((path.name, path))
        elif path.is_dir():
            out.extend(
                (str(Path(member) / p.relative_to(path)), p) for p in path.rglob("*") if p.is_file()
            )
    return out


def share_month(site_dir: Path, shared_dir: Path) -> dict[str, str]:
    """Move the month's shared assets to ``shared_dir``; its pages are then ``relink``-ed.

    Returns the shared folder chosen for each group. Safe when several processes share
    months of the same portal at once: a folder is published by one atomic rename.
    """
    assets = site_dir / "assets"
    folders: dict[str, str] = {}
    for group in GROUPS:
        files = _files(assets, group)
        if not files:
            continue
        folder = f"{group.name}-{tree_hash(files)}"
        folders[group.name] = folder
        target = shared_dir / folder
        if not target.is_dir():
            _publish(files, target)
        for member in group.members:
            path = assets / member
            if path.is_dir():
                shutil.rmtree(path)
            elif path.is_file():
                path.unlink()
    return folders


def _publish(files: list[tuple[str, Path]], target: Path) -> None:
    staging = target.parent / f".{target.name}.{uuid.uuid4().hex}"
    for name, path in files:
        destination = staging / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
    try:
        os.rename(staging, target)
    except OSError:
        # Another build published the same content first.
        shutil.rmtree(staging, ignore_errors=True)


# A link from a page to its month's assets: relative ("../assets/"), or absolute under the
# site's path ("/acme/2026-10/assets/"), in an attribute or the theme's JSON.
_PREFIX = r"""(?P<q>["'(])(?P<p>(?:\./)?(?:\.\./)*|/[^"'()\s<>]*/)assets/"""


def relink(page: str, folders: dict[str, str]) -> str:
    """Point a page's links to shared assets at ``<out>/_assets/`` (two levels above a month)."""
    for group in GROUPS:
        folder = folders.get(group.name)
        if folder is None:
            continue
        for member in group.members:
            inside = member.split("/", 1)[1] if "/" in member else member
            pattern = re.compile(_PREFIX + re.escape(member) + r"(?=[/\"'?#)])")
            target = f"../../{SHARED}/{folder}/{inside}"
            page = pattern.sub(lambda m, t=target: f"{m['q']}{m['p']}{t}", page)  # type: ignore[misc]
    return page


#: A page's link into a shared folder, as ``relink`` writes it; the folder's name is its last
#: part. Both Python and git grep (POSIX extended) read it.
LINK_PATTERN = rf"{SHARED}/[A-Za-z0-9._-]+"
#: A shared folder's name as ``share_month`` makes it; nothing else in ``_assets/`` is removed.
_GROUP_NAMES = "|".join(group.name for group in GROUPS)
_FOLDER = re.compile(rf"^(?P<group>{_GROUP_NAMES})-[0-9a-f]{{12}}$")
_LINKED = re.compile(LINK_PATTERN.encode())


def prune(out_dir: Path) -> list[str]:
    """Remove the shared folders that no page under ``out_dir`` links to any more.

    A new theme or tool version makes a new folder and every month is built again, which
    leaves the old one unused. While each group has a single folder nothing can be unused
    (a month links to one folder of each group), so the pages are read only after an upgrade.
    """
    shared = out_dir / SHARED
    if not shared.is_dir():
        return []
    present = {
        path.name: match["group"]
        for path in shared.iterdir()
        if path.is_dir() and not path.is_symlink() and (match := _FOLDER.match(path.name))
    }
    if all(count < 2 for count in Counter(present.values()).values()):
        return []
    used: set[str] = set()
    for page in out_dir.rglob("*.html"):
        if shared not in page.parents:
            used.update(
                link.decode().rsplit("/", 1)[-1] for link in _LINKED.findall(page.read_bytes())
            )
    unused = sorted(set(present) - used)
    for name in unused:
        shutil.rmtree(shared / name)
    return unused

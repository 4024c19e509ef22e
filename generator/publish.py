"""Deploying the portals to a GitHub Pages branch with mike: one versioned set per client.

Only client-months whose inputs changed are rebuilt and redeployed. A month's fingerprint covers
its data slice (the rows up to that month), client.yml, its commentary, the agency, the site
templates and the tool's version; it is kept in the month's entry of ``<slug>/versions.json``.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .fingerprint import (
    files_under,
    month_fingerprints,
    read_manifest,
    stale_months,
    tool_fingerprint,
    write_manifest,
)
from .pipeline import SLUG_RE
from .problems import counted, did_you_mean
from .share import LINK_PATTERN, SHARED

if TYPE_CHECKING:
    # The site builder (MkDocs, Altair, pandas), Babel and pydantic are loaded by the functions
    # that build and deploy: reading what the branch holds (``smrm affected --published``,
    # ``smrm validate --published``) loads none of them.
    from .pipeline import ClientData
    from .schema import Agency

MARKER = ".smrm-portal"
FINGERPRINT = "fingerprint"
#: A property of the ``latest`` entry of ``<slug>/versions.json``: the fingerprint of the
#: client's files (``input_fingerprint``) its deployed months were made from, written once
#: they all are.
INPUTS = "inputs"


class PublishError(Exception):
    """Publishing cannot go on; the message says why and what to do."""


@dataclass
class PublishOptions:
    data_dir: Path
    content_dir: Path
    config_file: Path
    remote: str = "origin"
    branch: str = "gh-pages"
    push: bool = False
    message: str | None = None
    jobs: int = 0
    #: Build the changed months into this folder (with their fingerprints) and deploy nothing.
    build_only: Path | None = None
    #: Folders of months built by earlier --build-only runs, deployed instead of rebuilt.
    prebuilt: Sequence[Path] = ()


@dataclass
class PublishResult:
    deployed: dict[str, list[str]] = field(default_factory=dict)
    #: Months on the branch that are no longer in the client's data, removed from it.
    removed: dict[str, list[str]] = field(default_factory=dict)
    unchanged: dict[str, list[str]] = field(default_factory=dict)
    #: Shared asset folders removed because no page on the branch links to them any more.
    pruned: list[str] = field(default_factory=list)
    #: Clients with a portal on the branch and no folder in the data (``unpublish`` them).
    orphans: list[str] = field(default_factory=list)
    commits: int = 0
    pushed: bool = False


# --------------------------------------------------------------------------------------------
# Git


def _git(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["git", *args], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise PublishError(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result


def _require_repository() -> None:
    if _git("rev-parse", "--git-dir", check=False).returncode != 0:
        raise PublishError(
            "not a git repository: run smrm publish in the agency's repository "
            "(the one that holds data/)"
        )


def _sync_with_remote(remote: str, branch: str) -> bool:
    """Bring the local branch up to the remote's; True when the remote exists."""
    from mike import git_utils

    if _git("remote", "get-url", remote, check=False).returncode != 0:
        return False
    fetched = _git(
        "fetch",
        "--quiet",
        remote,
        f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}",
        check=False,
    )
    if fetched.returncode != 0 and "couldn't find remote ref" not in fetched.stderr:
        raise PublishError(f"cannot fetch {branch} from {remote}: {fetched.stderr.strip()}")
    try:
        git_utils.update_from_upstream(remote, branch)
    except git_utils.GitBranchDiverged as exc:
        raise PublishError(
            f"local {branch} and {remote}/{branch} have diverged; publishing now would lose "
            f"commits (hint: git branch -f {branch} {remote}/{branch} to take the remote's)"
        ) from exc
    except git_utils.GitRevUnrelated as exc:
        raise PublishError(
            f"local {branch} shares no history with {remote}/{branch}, whose history was "
            f"squashed since this copy was made (hint: git branch -f {branch} {remote}/{branch} "
            "to take the remote's)"
        ) from exc
    return True


def _check_branch_owner(branch: str) -> bool:
    """True when the branch exists; an existing branch must have been made by this tool."""
    from mike import git_utils

    if not git_utils.has_branch(branch):
        return False
    files = _git("ls-tree", "--name-only", branch).stdout.split()
    if MARKER not in files:
        raise PublishError(
            f"branch {branch} was not made by smrm publish (it has no {MARKER}); "
            "publish to another branch with --branch, or delete this one"
        )
    return True


def _branch_head(branch: str, remote: str | None = None) -> str | None:
    """The commit the local branch (or, given ``remote``, its copy as last fetched) is at."""
    ref = f"refs/remotes/{remote}/{branch}" if remote else f"refs/heads/{branch}"
    result = _git("rev-parse", "--verify", "--quiet", ref, check=False)
    return result.stdout.strip() or None


def _published_versions(branch: str, slug: str) -> list[dict[str, Any]]:
    """The entries of a client's versions.json on the branch (none when unreadable)."""
    result = _git("show", f"{branch}:{slug}/versions.json", check=False)
    if result.returncode != 0:
        return []
    try:
        entries = json.loads(result.stdout)
    except json.JSONDecodeError:
        return []
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def _properties(entry: dict[str, Any]) -> dict[str, Any]:
    properties = entry.get("properties")
    return properties if isinstance(properties, dict) else {}


def _month_prints(entries: list[dict[str, Any]]) -> dict[str, str]:
    """The fingerprint of every month deployed for a client, from its versions.json."""
    return {
        str(e["version"]): str(_properties(e).get(FINGERPRINT, ""))
        for e in entries
        if "version" in e
    }


def _recorded_inputs(entries: list[dict[str, Any]]) -> str | None:
    """The record on the entry aliased ``latest`` (``_record_inputs``), if any."""
    for entry in entries:
        aliases = entry.get("aliases")
        if isinstance(aliases, list) and "latest" in aliases:
            value = _properties(entry).get(INPUTS)
            return value if isinstance(value, str) else None
    return None


# --------------------------------------------------------------------------------------------
# Publishing


@dataclass
class ClientPlan:
    """What publishing needs of a client, made while its rows are at hand: the agency's clients
    are read one at a time and their rows let go (see ``check``), and a client whose months
    must be built here is read again for them."""

    slug: str
    locale: str
    periods: list[str]
    #: The fingerprint of each month (``month_fingerprints``).
    prints: dict[str, str]
    #: The fingerprint of the client's files (``input_fingerprint``), taken before they were
    #: read; recorded on the branch once every month is deployed. None: not recorded.
    inputs: str | None = None


def plan_client(
    data: ClientData, options: PublishOptions, tool: str, inputs: str | None = None
) -> ClientPlan:
    """``tool`` is ``tool_fingerprint(options.config_file)``; ``inputs`` is the client's
    ``input_fingerprint``, taken before its files were read."""
    agency_file = options.data_dir / "agency.yml"
    prints = month_fingerprints(data, agency_file, options.content_dir, tool)
    return ClientPlan(data.slug, data.locale, data.periods, prints, inputs)


def published_inputs(branch: str, slug: str) -> str | None:
    """The fingerprint of the files a client's deployed months were made from (None when the
    branch, the client or the record is missing, or the record is unreadable)."""
    return _recorded_inputs(_published_versions(branch, slug))


def publish(
    clients: Sequence[ClientPlan], agency: Agency, options: PublishOptions
) -> PublishResult:
    """Rebuild and deploy the client-months whose fingerprints changed; push if asked."""
    from mike import git_utils

    try:
        return _publish(clients, agency, options)
    except git_utils.GitError as exc:
        hint = ""
        if "user.name" in str(exc) or "user.email" in str(exc):
            hint = " (hint: set git config user.name and user.email)"
        raise PublishError(f"git: {exc}{hint}") from exc


def _publish(
    clients: Sequence[ClientPlan], agency: Agency, options: PublishOptions
) -> PublishResult:
    from mike import commands, git_utils

    from .i18n import month_title

    exists = _open_branch(options)
    head_before = _branch_head(options.branch)
    result = PublishResult()
    if exists and options.build_only is None:
        result.orphans = portals_without_data(options.branch, options.data_dir)
    plans: dict[str, dict[str, str]] = {}
    removed: dict[str, list[str]] = {}
    unrecorded: dict[str, str] = {}
    for client in clients:
        prints = client.prints
        entries = _published_versions(options.branch, client.slug) if exists else []
        published = _month_prints(entries)
        changed = {p: fp for p, fp in prints.items() if published.get(p) != fp}
        plans[client.slug] = changed
        result.unchanged[client.slug] = [p for p in prints if p not in changed]
        gone = stale_months(published, prints)
        if gone:
            removed[client.slug] = gone
        # A client with no month keeps its portal (see ``stale_months``), which these files
        # did not make: no record, so it is still found once it has months again.
        recorded = _recorded_inputs(entries)
        if client.inputs is not None and client.periods and recorded != client.inputs:
            unrecorded[client.slug] = client.inputs
    if options.build_only is not None:
        _build_changed(clients, agency, options, plans, options.build_only)
        result.deployed = {slug: sorted(changed) for slug, changed in plans.items() if changed}
        return result
    if not any(plans.values()) and not removed and not unrecorded:
        return result
    result.removed = removed
    if not exists:
        with git_utils.Commit(options.branch, "Publish client report portals with smrm") as commit:
            commit.add_file(git_utils.FileInfo(MARKER, f"smrm-portal {__version__}\n"))
    with tempfile.TemporaryDirectory(prefix="smrm-publish-") as tmp:
        out = Path(tmp)
        ready = {
            slug: _prebuilt_months(slug, changed, options.prebuilt)
            for slug, changed in plans.items()
        }
        missing = {
            slug: {p: fp for p, fp in changed.items() if p not in ready[slug]}
            for slug, changed in plans.items()
        }
        # One build for every client's missing months: shared assets made once, all cores busy.
        _build_changed(clients, agency, options, missing, out)
        for slug, months in missing.items():
            ready[slug].update({p: out / slug / p for p in months})
        # Before any month that links to them.
        _deploy_shared([out, *options.prebuilt], options.branch, options.message)
        for client in clients:
            if client.slug in removed:
                _remove_months(client.slug, removed[client.slug], client.periods[-1], options)
        for client in clients:
            changed = plans[client.slug]
            if not changed:
                continue
            newest = client.periods[-1]
            for period in sorted(changed):
                message = (
                    options.message or f"Publish {client.slug} {period} with smrm {__version__}"
                )
                cfg = {"site_dir": str(ready[client.slug][period]), "use_directory_urls": True}
                with commands.deploy(
                    cfg,
                    period,
                    title=month_title(period, client.locale),
                    aliases=["latest"] if period == newest else [],
                    update_aliases=True,
                    alias_type=commands.AliasType.redirect,
                    branch=options.branch,
                    message=message,
                    deploy_prefix=client.slug,
                    set_props=[([FINGERPRINT], changed[period])],
                ):
                    pass
            result.deployed[client.slug] = sorted(changed)
            if (
                _git(
                    "cat-file", "-e", f"{options.branch}:{client.slug}/index.html", check=False
                ).returncode
                != 0
            ):
                commands.set_default(
                    "latest",
                    branch=options.branch,
                    deploy_prefix=client.slug,
                    message=f"Send {client.slug}/ to its latest month",
                )
        # Last: a run stopped before this point leaves the clients to be found again.
        _record_inputs(unrecorded, options.branch, options.message)
        result.pruned = _prune_shared(options.branch, options.message)
    head_after = _branch_head(options.branch)
    result.commits = _count_commits(head_before, head_after)
    result.pushed = _push(options)
    return result


def _open_branch(options: PublishOptions) -> bool:
    """In a git repository, the branch brought up to the remote's; whether the branch exists
    (one that does must have been made by this tool)."""
    _require_repository()
    has_remote = _sync_with_remote(options.remote, options.branch)
    if options.push and not has_remote:
        raise PublishError(f"no git remote named {options.remote!r} (hint: git remote -v)")
    return _check_branch_owner(options.branch)


def _push(options: PublishOptions) -> bool:
    """Push the branch when asked; whether it was pushed."""
    from mike import git_utils

    if not options.push:
        return False
    try:
        git_utils.push_branch(options.remote, options.branch)
    except git_utils.GitError as exc:
        raise PublishError(f"{options.remote} refused the push of {options.branch}: {exc}") from exc
    return True


def _build_changed(
    clients: Sequence[ClientPlan],
    agency: Agency,
    options: PublishOptions,
    plans: dict[str, dict[str, str]],
    out: Path,
) -> None:
    """Build the changed months into ``out``; each client's fingerprints.json names them.

    The clients are read again, one at a time: each is built as it is read, and its rows let
    go. Should a client's data have changed since it was planned, nothing is published."""
    from .pipeline import check
    from .site import BuildOptions, Builds

    wanted = {slug: changed for slug, changed in plans.items() if changed}
    if not wanted:
        return
    planned = {plan.slug: plan for plan in clients}
    tool = tool_fingerprint(options.config_file)
    build = BuildOptions(out, options.content_dir, options.config_file, jobs=options.jobs)

    def changed_meanwhile(slug: str) -> PublishError:
        return PublishError(
            f"{slug}: its files changed while it was being published; "
            "nothing was published (run smrm publish again)"
        )

    def build_client(data: ClientData, _: Agency) -> None:
        first = planned.pop(data.slug)
        ok = data.ok(lenient=False)
        # The fingerprint of its files is the first read's: the rows read now must match it.
        again = plan_client(data, options, tool, first.inputs) if ok else None
        if again != first:
            raise changed_meanwhile(data.slug)
        builds.add(data, agency, wanted[data.slug])

    with Builds(build) as builds:
        check(
            options.data_dir,
            list(wanted),
            each=build_client,
            keep_rows=False,
            content_dir=options.content_dir,
        )
        gone = sorted(planned.keys() & wanted.keys())  # not read again: the folder is gone
        if gone:
            raise changed_meanwhile(gone[0])
        for built in builds.close():
            if built.error or built.warnings:
                problem = built.error or "; ".join(built.warnings)
                raise PublishError(f"{built.slug}/{built.period}: build failed: {problem}")
    for slug, changed in wanted.items():
        write_manifest(out / slug, changed)


def _deploy_shared(folders: Sequence[Path], branch: str, message: str | None) -> None:
    """Add the shared asset folders the branch lacks (named by content, so never replaced)."""
    from mike import git_utils

    wanted: dict[str, Path] = {}
    for folder in folders:
        root = folder / SHARED
        for shared in sorted(root.iterdir()) if root.is_dir() else []:
            name = f"{SHARED}/{shared.name}"
            if shared.name.startswith(".") or name in wanted:
                continue
            if _git("cat-file", "-e", f"{branch}:{name}", check=False).returncode != 0:
                wanted[name] = shared
    if not wanted:
        return
    text = message or f"Publish shared theme and chart assets with smrm {__version__}"
    with git_utils.Commit(branch, text) as commit:
        for name, shared in wanted.items():
            for path in files_under(shared):
                relative = f"{name}/{path.relative_to(shared).as_posix()}"
                commit.add_file(git_utils.FileInfo(relative, path.read_bytes()))


def _record_inputs(inputs: dict[str, str], branch: str, message: str | None) -> None:
    """Set each client's record on the entry of its versions.json aliased ``latest`` (and take
    it off the others: ``latest`` moves), in one commit. The file changes with every month
    deployed anyway, so a publish changes no file it did not change before."""
    from mike import commands, git_utils

    files = []
    for slug, fingerprint in sorted(inputs.items()):
        versions = commands.list_versions(branch, slug)
        before = versions.dumps()
        for info in versions:
            if "latest" in info.aliases:
                info.set_property([INPUTS], fingerprint)
            elif isinstance(info.properties, dict):
                info.properties.pop(INPUTS, None)
        # Unchanged when no month is aliased latest (a branch edited by hand): nothing is
        # recorded, and the client is built again next time.
        if versions.dumps() != before:
            files.append(commands.versions_to_file_info(versions, slug))
    if not files:
        return
    text = message or f"Record the files {', '.join(sorted(inputs))} were published from"
    with git_utils.Commit(branch, text) as commit:
        for info in files:
            commit.add_file(info)


def _remove_months(slug: str, gone: list[str], newest: str, options: PublishOptions) -> None:
    """Take months whose data were removed off the branch; ``latest`` moves back if need be.

    Data are removed on purpose (rows sent to the wrong client, a month exported too early):
    a report of them must not stay reachable, nor listed in the month selector.
    """
    from mike import commands

    text = options.message or f"Remove {slug} {', '.join(gone)}: no longer in the data"
    commands.delete(gone, branch=options.branch, message=text, deploy_prefix=slug)
    if newest < max(gone):
        commands.alias(
            {"use_directory_urls": True},
            newest,
            ["latest"],
            update_aliases=True,
            alias_type=commands.AliasType.redirect,
            branch=options.branch,
            message=options.message or f"Send {slug}/latest to {newest}",
            deploy_prefix=slug,
        )


def _prune_shared(branch: str, message: str | None) -> list[str]:
    """Remove the shared asset folders that no page on the branch links to any more.

    A new theme or tool version adds a folder and republishes every month, so the old folder
    is left unused; kept, each such change would add about 2 MB towards Pages' 1 GB limit.
    """
    from mike import git_utils

    listing = _git("ls-tree", "--name-only", f"{branch}:{SHARED}", check=False).stdout
    present = {name for name in listing.splitlines() if name}
    if not present:
        return []
    # Pages link to "../../_assets/<folder>/..."; the names are the folders in use. Every
    # page is read as text (-a): a page git took for binary must not lose its assets.
    found = _git(
        "grep",
        "-h",
        "-o",
        "-a",
        "-E",
        LINK_PATTERN,
        branch,
        "--",
        "*.html",
        check=False,
    ).stdout
    used = {line.rsplit("/", 1)[-1] for line in found.splitlines()}
    unused = sorted(present - used)
    if unused:
        text = message or f"Remove shared assets no page links to any more (smrm {__version__})"
        with git_utils.Commit(branch, text) as commit:
            commit.delete_files([f"{SHARED}/{name}" for name in unused])
    return unused


def _prebuilt_months(
    slug: str, changed: dict[str, str], folders: Sequence[Path]
) -> dict[str, Path]:
    """Months already built elsewhere with exactly the fingerprint needed now."""
    ready: dict[str, Path] = {}
    for folder in folders:
        built = read_manifest(folder / slug)
        for period, fingerprint in changed.items():
            site = folder / slug / period
            if built.get(period) == fingerprint and (site / "index.html").is_file():
                ready[period] = site
    return ready


def affected_clients(changed_files: Iterable[str], slugs: Sequence[str]) -> list[str]:
    """Clients whose portals a change touches: their own files, or everything shared."""
    affected: set[str] = set()
    for name in changed_files:
        parts = Path(name).parts
        if len(parts) >= 2 and parts[0] in ("data", "content") and parts[1] in slugs:
            affected.add(parts[1])
        elif parts and (
            parts[0] in ("generator", "overrides", "pyproject.toml", "mkdocs.yml")
            or name == "data/agency.yml"
        ):
            return sorted(slugs)
    return sorted(affected)


def _count_commits(before: str | None, after: str | None) -> int:
    if after is None or after == before:
        return 0
    span = after if before is None else f"{before}..{after}"
    return int(_git("rev-list", "--count", span).stdout.strip())


def published_clients(branch: str) -> list[str]:
    """The clients with a portal on the branch (a folder with a versions.json)."""
    listing = _git("ls-tree", "--name-only", branch, check=False).stdout.split()
    return [
        name
        for name in listing
        if SLUG_RE.match(name)
        and _git("cat-file", "-e", f"{branch}:{name}/versions.json", check=False).returncode == 0
    ]


def portals_without_data(branch: str, data_dir: Path) -> list[str]:
    """Clients published on the branch whose folder is gone from the data: an agency's former
    clients, whose reports stay public until ``unpublish`` takes them down."""
    return [slug for slug in published_clients(branch) if not (data_dir / slug).is_dir()]


@dataclass
class UnpublishResult:
    removed: list[str]
    pruned: list[str]
    pushed: bool = False


def unpublish(slugs: Sequence[str], options: PublishOptions) -> UnpublishResult:
    """Take the portals of clients the agency no longer reports to off the branch, in one
    commit, with the shared assets only they linked to; push if asked.

    A client whose folder is still in the data is refused: the next publish would put its
    portal back. The portals stay in the branch's history until ``squash_history``."""
    from mike import git_utils

    if not _open_branch(options):
        raise PublishError(f"no branch {options.branch}: nothing is published")
    published = published_clients(options.branch)
    for slug in slugs:
        folder = options.data_dir / slug
        if folder.is_dir():
            raise PublishError(
                f"{slug}: {folder} is still there, and the next publish would put its portal "
                "back; remove the folder (and its commentary) first, then unpublish"
            )
        if slug not in published:
            hint = did_you_mean(slug, published) or f"published: {', '.join(published) or 'none'}"
            raise PublishError(f"{slug}: no portal on {options.branch} ({hint})")
    removed = sorted(set(slugs))
    text = options.message or f"Take down the portals of {', '.join(removed)}"
    with git_utils.Commit(options.branch, text) as commit:
        commit.delete_files(removed)
    result = UnpublishResult(removed, _prune_shared(options.branch, options.message))
    result.pushed = _push(options)
    return result


def squash_history(options: PublishOptions) -> str:
    """Replace the branch's history by one commit holding its current tree; returns it.

    The branch is first brought up to the remote's: squashing a copy older than what CI has
    deployed since, then force-pushing it, would take the newer months off the portals."""
    head = _branch_head(options.branch) if _open_branch(options) else None
    if head is None:
        raise PublishError(f"no branch {options.branch} to squash")
    tree = _git("rev-parse", f"{head}^{{tree}}").stdout.strip()
    text = options.message or f"Client report portals, history squashed by smrm {__version__}"
    commit = _git("commit-tree", tree, "-m", text).stdout.strip()
    _git("update-ref", f"refs/heads/{options.branch}", commit, head)
    return commit


def force_push(remote: str, branch: str) -> None:
    """Push a rewritten branch, unless the remote's has moved since it was last fetched: a
    deploy that landed meanwhile is refused, not overwritten."""
    lease = f"--force-with-lease=refs/heads/{branch}:{_branch_head(branch, remote) or ''}"
    result = _git("push", lease, "--", remote, f"refs/heads/{branch}", check=False)
    if result.returncode != 0:
        raise PublishError(f"{remote} refused the push of {branch}: {result.stderr.strip()}")


def describe(result: PublishResult, portal_url: str | None = None) -> Iterable[str]:
    """A line per client; with the agency's ``portal_url``, a deployed client's line ends with
    the address to send the client."""
    for slug in sorted(set(result.deployed) | set(result.unchanged)):
        deployed = result.deployed.get(slug, [])
        unchanged = result.unchanged.get(slug, [])
        removed = result.removed.get(slug, [])
        gone = f"removed {', '.join(removed)} (no longer in the data); " if removed else ""
        if deployed:
            address = f" at {portal_url}{slug}/" if portal_url else ""
            kept = counted(len(unchanged), "month")
            yield f"{slug}: deployed {', '.join(deployed)}; {gone}{kept} unchanged{address}"
        elif removed:
            yield f"{slug}: {gone}{counted(len(unchanged), 'month')} unchanged"
        else:
            yield f"{slug}: nothing changed ({counted(len(unchanged), 'month')})"
    if result.pruned:
        yield f"removed shared assets no page links to: {', '.join(result.pruned)}"
    for slug in result.orphans:
        yield orphan_notice(slug)


def orphan_notice(slug: str) -> str:
    """What is said of a former client's portal still published, wherever it is found."""
    return (
        f"{slug}: its portal is still published, but it has no folder in the data "
        f"(smrm unpublish {slug}, or the take-down workflow, takes it down)"
    )

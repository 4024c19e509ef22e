"""Publishing end to end: temporary agency repositories pushing to a local bare remote."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from mike import commands as mike_commands

import generator.pipeline as pipeline
import generator.publish as publishing
from generator.cli import cli
from generator.demo import generate
from generator.fingerprint import input_fingerprint, tool_fingerprint
from generator.publish import PublishResult, describe
from tests.conftest import HERE
from tests.helpers import add_agency_stylesheet, empty_client, local_links, spy_reads

REPO = HERE.parent
REAL_CHECK = pipeline.check


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout.strip()


@pytest.fixture
def agency(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An agency repository (two clients, two months each) with a bare remote 'origin'."""
    for key, value in {
        "GIT_AUTHOR_NAME": "Agency CI",
        "GIT_AUTHOR_EMAIL": "ci@agency.example",
        "GIT_COMMITTER_NAME": "Agency CI",
        "GIT_COMMITTER_EMAIL": "ci@agency.example",
    }.items():
        monkeypatch.setenv(key, value)
    # Only this repository's own settings count: no global or system git configuration.
    (tmp_path / "gitconfig").write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    repo = tmp_path / "agency"
    repo.mkdir()
    generate(repo / "data", n_clients=2, months=2, mentions=120, end="2026-10", seed=3)
    shutil.copy(REPO / "mkdocs.yml", repo / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", repo / "overrides")
    (repo / "content").mkdir()
    git(repo, "init", "--quiet", "-b", "main")
    git(repo, "config", "user.name", "Agency CI")
    git(repo, "config", "user.email", "ci@agency.example")
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "data")
    monkeypatch.chdir(repo)
    return repo


def change_before_read(
    monkeypatch: pytest.MonkeyPatch, read: int, change: Callable[[Path], object], repo: Path
) -> None:
    """``change(repo)`` made just before the ``read``-th reading of the data begins (a call of
    ``check``), not while a file is being read ahead."""
    calls: list[object] = []

    def check(*args: Any, **kwargs: Any) -> object:
        calls.append(args)
        if len(calls) == read:
            change(repo)
        return REAL_CHECK(*args, **kwargs)

    monkeypatch.setattr(pipeline, "check", check)


def run_step(step: dict[str, Any], cwd: Path, **env: str) -> int:
    """A workflow step's script run as GitHub runs it (bash with -eo pipefail), with this
    environment's smrm on the PATH; its exit code."""
    smrm = Path(sys.executable).with_name("smrm")
    environment = {**os.environ, "PATH": f"{smrm.parent}:{os.environ['PATH']}", **env}
    script = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]]
    done = subprocess.run(script, cwd=cwd, env=environment, capture_output=True, text=True)
    return done.returncode


def publish(*args: str) -> str:
    result = CliRunner().invoke(cli, ["publish", "--push", "--jobs", "2", *args])
    assert result.exit_code == 0, result.output
    return result.output


def tree(repo: Path) -> dict[str, str]:
    """Every file of the remote's gh-pages: path → blob id."""
    listing = git(repo, "ls-tree", "-r", "origin/gh-pages")
    return {line.split("\t")[1]: line.split()[2] for line in listing.splitlines()}


def versions(repo: Path, slug: str) -> list[tuple[str, str, list[str]]]:
    text = git(repo, "show", f"origin/gh-pages:{slug}/versions.json")
    return [(v["version"], v["title"], v["aliases"]) for v in json.loads(text)]


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    """Top two levels (client/month) of every file added, removed or modified."""
    paths = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    return {"/".join(p.split("/")[:2]) for p in paths}


def assert_links_resolve(
    repo: Path,
    files: dict[str, str],
    pages: tuple[str, ...] = (
        "dubrava/2026-10/sov/index.html",
        "northside-coffee/2026-10/index.html",
    ),
) -> None:
    """The pages (by default one of each client) link to shared assets, and every local link
    is on the branch."""
    for page in pages:
        html = git(repo, "show", f"origin/gh-pages:{page}")
        folder = Path(page).parent
        links = local_links(html)
        assert any("_assets/" in link for link in links)
        for link in links:
            target = os.path.normpath(folder / link)
            assert target in files or f"{target}/index.html" in files, (page, link)


def shared_folders(files: dict[str, str]) -> set[str]:
    return {p.split("/")[1] for p in files if p.startswith("_assets/")}


def add_month(repo: Path) -> None:
    with (repo / "data" / "dubrava" / "mentions.csv").open("a", encoding="utf-8-sig") as handle:
        handle.write(
            "05.11.2026 10:00;Дубрава;позитив;VK;review;https://vk.example/n1;;;ok;1;0;0;10\r\n"
        )


def test_publish_add_a_month_correct_a_row_and_nothing(agency: Path) -> None:
    output = publish()
    assert "dubrava: deployed 2026-09, 2026-10" in output
    first = tree(agency)
    assert {p.split("/")[0] for p in first} == {
        ".nojekyll",
        ".smrm-portal",
        "_assets",  # theme and chart assets, once for all clients and months
        "dubrava",
        "northside-coffee",
    }
    assert_links_resolve(agency, first)
    assert "index.html" not in first  # no page lists the clients
    assert versions(agency, "dubrava") == [
        ("2026-10", "Октябрь 2026", ["latest"]),
        ("2026-09", "Сентябрь 2026", []),
    ]
    assert versions(agency, "northside-coffee")[0] == ("2026-10", "October 2026", ["latest"])
    assert "latest/" in git(agency, "show", "origin/gh-pages:dubrava/index.html")

    # A third month for one client: only that month, its latest alias, its versions and the
    # record of the files it was made from change.
    add_month(agency)
    output = publish()
    assert "dubrava: deployed 2026-11; 2 months unchanged\n" in output
    assert "northside-coffee: nothing changed" in output
    second = tree(agency)
    assert changed(first, second) == {
        "dubrava/2026-11",
        "dubrava/latest",
        "dubrava/versions.json",
    }
    assert [v[0] for v in versions(agency, "dubrava")] == ["2026-11", "2026-10", "2026-09"]
    assert versions(agency, "dubrava")[0][2] == ["latest"]

    # Correcting a row of month one rebuilds it and the months whose trends show it.
    path = agency / "data" / "dubrava" / "mentions.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("0") and ".09.2026" in line)
    lines[index] = lines[index].replace("позитив", "негатив").replace("нейтрал", "негатив")
    path.write_text("".join(lines), encoding="utf-8-sig")
    output = publish()
    assert "dubrava: deployed 2026-09, 2026-10, 2026-11" in output
    third = tree(agency)
    assert changed(second, third) == {
        "dubrava/2026-09",
        "dubrava/2026-10",
        "dubrava/2026-11",
        "dubrava/versions.json",
    }

    # Nothing changed: no commit at all.
    head = git(agency, "rev-parse", "origin/gh-pages")
    output = publish()
    assert "0 commits on gh-pages" in output
    assert git(agency, "rev-parse", "origin/gh-pages") == head


def test_a_month_removed_from_the_data_is_taken_off_the_branch(agency: Path) -> None:
    publish()
    mentions = agency / "data" / "dubrava" / "mentions.csv"
    original = mentions.read_bytes()
    add_month(agency)
    publish()
    before = tree(agency)
    assert "dubrava/2026-11/index.html" in before
    # The November row was a mistake: with it gone, so is the November report.
    mentions.write_bytes(original)
    output = publish()
    assert "dubrava: removed 2026-11 (no longer in the data); 2 months unchanged" in output
    assert "northside-coffee: nothing changed" in output
    after = tree(agency)
    assert changed(before, after) == {
        "dubrava/2026-11",
        "dubrava/latest",
        "dubrava/versions.json",
    }
    assert not any(path.startswith("dubrava/2026-11/") for path in after)
    assert versions(agency, "dubrava") == [
        ("2026-10", "Октябрь 2026", ["latest"]),
        ("2026-09", "Сентябрь 2026", []),
    ]
    redirect = git(agency, "show", "origin/gh-pages:dubrava/latest/index.html")
    assert "../2026-10/" in redirect and "2026-11" not in redirect
    # Published again as it was before: nothing left to remove, no commit.
    head = git(agency, "rev-parse", "origin/gh-pages")
    output = publish()
    assert "dubrava: nothing changed (2 months)" in output and "removed" not in output
    assert git(agency, "rev-parse", "origin/gh-pages") == head
    # Every file of a client emptied: likelier a mistake than a request to take its portal down.
    empty_client(agency / "data" / "northside-coffee")
    output = publish()
    assert "northside-coffee: nothing changed (0 months)" in output
    assert tree(agency) == after


def test_shared_assets_no_page_links_to_are_removed(agency: Path) -> None:
    publish()
    first = tree(agency)
    before = shared_folders(first)
    assert {name.split("-")[0] for name in before} == {"material", "smrm"}
    # An agency stylesheet changes the theme's asset folder, and every month is republished.
    add_agency_stylesheet(agency)
    output = publish()
    second = tree(agency)
    after = shared_folders(second)
    (old,) = {name for name in before if name.startswith("material-")}
    (new,) = {name for name in after if name.startswith("material-")}
    assert old != new and after == (before - {old}) | {new}
    assert f"removed shared assets no page links to: {old}" in output
    assert f"_assets/{new}/stylesheets/agency.css" in second
    assert_links_resolve(agency, second)
    # Nothing changed: the folders in use stay, and no commit is made.
    head = git(agency, "rev-parse", "origin/gh-pages")
    output = publish()
    assert "removed shared assets" not in output
    assert git(agency, "rev-parse", "origin/gh-pages") == head


def test_squash_history_keeps_the_tree_as_one_commit(agency: Path) -> None:
    publish("dubrava")
    before = tree(agency)
    assert int(git(agency, "rev-list", "--count", "origin/gh-pages")) > 1
    result = CliRunner().invoke(cli, ["publish", "--squash-history", "--push"])
    assert result.exit_code == 0, result.output
    assert int(git(agency, "rev-list", "--count", "origin/gh-pages")) == 1
    assert tree(agency) == before


def test_squash_history_squashes_what_is_published_and_loses_no_deploy(agency: Path) -> None:
    """A squash from a computer whose copy of the branch is older than the remote's (CI has
    deployed since) squashes the remote's tree, not the old copy; a deploy landing between
    the squash and its push is not overwritten."""
    publish("dubrava")
    stale = git(agency, "rev-parse", "gh-pages")
    elsewhere = agency.parent / "ci"
    shutil.copytree(agency, elsewhere)  # another machine: CI
    with pytest.MonkeyPatch.context() as inside:
        inside.chdir(elsewhere)
        publish("northside-coffee")
    published = tree(elsewhere)
    assert any(path.startswith("northside-coffee/") for path in published)
    assert git(agency, "rev-parse", "gh-pages") == stale
    result = CliRunner().invoke(cli, ["publish", "--squash-history", "--push"])
    assert result.exit_code == 0, result.output
    git(agency, "fetch", "--quiet", "origin")
    assert tree(agency) == published
    assert int(git(agency, "rev-list", "--count", "origin/gh-pages")) == 1

    # A deploy between the squash and its push: the push is refused, the deploy stays.
    options = publishing.PublishOptions(
        agency / "data", agency / "content", agency / "mkdocs.yml", "origin", "gh-pages", True
    )
    publishing.squash_history(options)
    with pytest.MonkeyPatch.context() as inside:
        inside.chdir(elsewhere)
        add_month(elsewhere)
        # Its copy of the branch predates the first squash.
        refused = CliRunner().invoke(cli, ["publish", "--push", "dubrava"])
        assert refused.exit_code == 1
        assert (
            "local gh-pages shares no history with origin/gh-pages, whose history was squashed "
            "since this copy was made (hint: git branch -f gh-pages origin/gh-pages"
        ) in refused.output
        git(elsewhere, "branch", "-f", "gh-pages", "origin/gh-pages")
        publish("dubrava")
    deployed = git(elsewhere, "rev-parse", "origin/gh-pages")
    with pytest.raises(publishing.PublishError, match="origin refused the push of gh-pages"):
        publishing.force_push("origin", "gh-pages")
    assert git(elsewhere, "ls-remote", "origin", "refs/heads/gh-pages").split()[0] == deployed


def test_clear_errors(agency: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    # A Pages branch made by something else.
    git(agency, "checkout", "--quiet", "--orphan", "gh-pages")
    (agency / "index.html").write_text("hand-made site")
    git(agency, "add", "index.html")
    git(agency, "commit", "--quiet", "-m", "old site")
    git(agency, "checkout", "--quiet", "main")
    result = runner.invoke(cli, ["publish"])
    assert result.exit_code == 1
    assert "branch gh-pages was not made by smrm publish" in result.output
    git(agency, "branch", "-D", "gh-pages")
    # A remote that refuses the push.
    hook = Path(git(agency, "remote", "get-url", "origin")) / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pushes are frozen' >&2\nexit 1\n")
    hook.chmod(0o755)
    result = runner.invoke(cli, ["publish", "--push", "dubrava", "--jobs", "2"])
    assert result.exit_code == 1
    assert "origin refused the push of gh-pages" in result.output
    assert "pushes are frozen" in result.output
    # Invalid data: nothing is deployed.
    head = git(agency, "rev-parse", "gh-pages")
    (agency / "data" / "dubrava" / "client.yml").write_text("name: [broken\n")
    result = runner.invoke(cli, ["publish"])
    assert result.exit_code == 1 and "nothing was published" in result.output
    assert git(agency, "rev-parse", "gh-pages") == head
    # Not a repository at all.
    outside = tmp_path / "elsewhere"
    (outside / "data").mkdir(parents=True)
    shutil.copytree(agency / "data" / "northside-coffee", outside / "data" / "northside-coffee")
    shutil.copy(REPO / "mkdocs.yml", outside / "mkdocs.yml")
    monkeypatch.chdir(outside)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = runner.invoke(cli, ["publish"])
    assert result.exit_code == 1
    assert "not a git repository" in result.output


def test_ci_fan_out_builds_in_one_job_and_deploys_in_another(agency: Path, tmp_path: Path) -> None:
    publish()
    add_month(agency)
    built = tmp_path / "built"
    runner = CliRunner()
    result = runner.invoke(cli, ["publish", "--build-only", str(built), "--jobs", "1", "dubrava"])
    assert result.exit_code == 0, result.output
    assert "dubrava: built 2026-11" in result.output
    manifest = json.loads((built / "dubrava" / "fingerprints.json").read_text())
    assert list(manifest) == ["2026-11"]
    head = git(agency, "rev-parse", "gh-pages")
    # The deploy job takes the prebuilt month as it is.
    page = built / "dubrava" / "2026-11" / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- built by the build job -->\n")
    output = publish("--prebuilt", str(built))
    assert "dubrava: deployed 2026-11" in output
    assert git(agency, "rev-parse", "gh-pages") != head
    deployed = git(agency, "show", "origin/gh-pages:dubrava/2026-11/index.html")
    assert deployed.endswith("<!-- built by the build job -->")


def affected() -> list[str]:
    result = CliRunner().invoke(cli, ["affected", "--published", "gh-pages"])
    assert result.exit_code == 0, result.output
    return list(json.loads(result.output))


def test_a_change_a_run_did_not_publish_is_still_found_by_the_next(
    agency: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CI builds the clients ``smrm affected --published`` names: those whose files are not
    the ones their months on the branch were made from. A run that fails or is cancelled
    (GitHub drops a pending run when a newer one queues) publishes nothing, and the next
    run, whatever its own push touched, still builds what that one did not publish."""
    assert affected() == ["dubrava", "northside-coffee"]  # nothing published yet
    publish()
    assert affected() == []
    tool = tool_fingerprint(agency / "mkdocs.yml")

    def recorded(slug: str) -> list[tuple[str, str | None]]:
        """Each month of versions.json with the record it carries: only ``latest`` has one."""
        entries = json.loads(git(agency, "show", f"gh-pages:{slug}/versions.json"))
        return [(e["version"], e.get("properties", {}).get("inputs")) for e in entries]

    made = input_fingerprint(agency / "data", agency / "content", "dubrava", tool, False)
    assert recorded("dubrava") == [("2026-10", made), ("2026-09", None)]

    # A push changes both clients; its run fails while deploying dubrava's new month.
    add_month(agency)
    commentary = agency / "content" / "northside-coffee" / "2026-10.md"
    commentary.parent.mkdir()
    commentary.write_text("Октябрь: рост охвата.\n", encoding="utf-8")
    assert affected() == ["dubrava", "northside-coffee"]
    deploy = mike_commands.deploy

    def failing(*args: object, **kwargs: object) -> object:
        if kwargs.get("deploy_prefix") == "dubrava":
            raise mike_commands.git_utils.GitError("the runner went away")
        return deploy(*args, **kwargs)

    monkeypatch.setattr(mike_commands, "deploy", failing)
    failed = CliRunner().invoke(cli, ["publish", "--jobs", "1"])
    assert failed.exit_code == 1, failed.output
    monkeypatch.setattr(mike_commands, "deploy", deploy)
    # Both are still to build, though northside-coffee's months are on the branch: its
    # record is written after every client's months, so a stopped run records nothing.
    assert affected() == ["dubrava", "northside-coffee"]
    # The next push touches northside-coffee only (a diff of it would name no other client).
    commentary.write_text("Октябрь: рост охвата и продаж.\n", encoding="utf-8")
    publish("northside-coffee")
    assert affected() == ["dubrava"]
    publish("dubrava")
    assert affected() == []
    made = input_fingerprint(agency / "data", agency / "content", "dubrava", tool, False)
    assert recorded("dubrava") == [("2026-11", made), ("2026-10", None), ("2026-09", None)]
    # A shared file changed: every client.
    (agency / "data" / "agency.yml").write_text(
        (agency / "data" / "agency.yml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    assert affected() == ["dubrava", "northside-coffee"]
    publish()
    assert affected() == []

    # A file changed after publishing took the fingerprint, before it read the files: the
    # record is of the files as they were, so the change is not taken for published.
    def touch_agency(repo: Path) -> None:
        (repo / "data" / "agency.yml").write_text(
            (repo / "data" / "agency.yml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
        )

    change_before_read(monkeypatch, 1, touch_agency, agency)
    publish()
    assert affected() == ["dubrava", "northside-coffee"]
    assert "nothing changed" in publish()
    assert affected() == []

    usage = CliRunner().invoke(cli, ["affected"])
    assert usage.exit_code == 2
    assert "give either BASE or --published BRANCH" in usage.output


def test_a_branch_without_a_latest_month_records_nothing(agency: Path) -> None:
    """A versions.json edited by hand so that no month is ``latest``: the record has nowhere
    to go, so nothing is committed (and the client stays to be built), rather than failing."""
    from mike import commands, git_utils

    publish()
    versions = commands.list_versions("gh-pages", "dubrava")
    for info in versions:
        info.aliases, info.properties = set(), None
    with git_utils.Commit("gh-pages", "by hand") as commit:
        commit.add_file(commands.versions_to_file_info(versions, "dubrava"))
    head = git(agency, "rev-parse", "gh-pages")
    publishing._record_inputs({"dubrava": "0" * 64}, "gh-pages", None)
    assert git(agency, "rev-parse", "gh-pages") == head
    assert publishing.published_inputs("gh-pages", "dubrava") is None


def test_the_workflow_plans_the_clients_the_pages_branch_lacks(
    agency: Path, tmp_path: Path
) -> None:
    """The plan job's own step, run as GitHub runs it: with no Pages branch yet, every
    client; with the branch checked out in .pages, those it does not have as they are."""
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text())
    steps = [s for s in workflow["jobs"]["plan"]["steps"] if "run" in s and "pip" not in s["run"]]
    assert [s["name"] for s in steps] == [
        "Fetch the published portals",
        "Validate (nothing is deployed when this fails)",
        "Affected clients",
    ]

    def plan() -> tuple[str, str]:
        """The plan job's output, and its run summary."""
        output, summary = tmp_path / "output", tmp_path / "summary"
        output.write_text("")
        summary.write_text("")
        for step in steps:  # a failing step ends the job
            if run_step(step, agency, GITHUB_OUTPUT=str(output), GITHUB_STEP_SUMMARY=str(summary)):
                return "failed", summary.read_text()
        return output.read_text(), summary.read_text()

    assert plan()[0] == 'clients=["dubrava", "northside-coffee"]\n'
    publish()
    add_month(agency)
    # As in CI: no local Pages branch, the remote's checked out in .pages.
    git(agency, "branch", "-D", "gh-pages")
    git(agency, "clone", "--quiet", "--branch", "gh-pages", str(tmp_path / "remote.git"), ".pages")
    output, summary = plan()
    assert output == 'clients=["dubrava"]\n'
    # Only the changed client's files were validated again.
    assert summary == 'no problems in 5 files, 1 warning\nClients to rebuild: ["dubrava"]\n'
    # The unchanged client is not read, but the names of the client folders still are.
    (agency / "data" / "Old Client").mkdir()
    output, summary = plan()
    assert output == "failed"
    assert "a client folder name must be lowercase letters" in summary
    # Everything published: only agency.yml is read, and no client is to build.
    (agency / "data" / "Old Client").rmdir()
    shutil.rmtree(agency / ".pages")
    publish()
    git(agency, "branch", "-D", "gh-pages")
    git(agency, "clone", "--quiet", "--branch", "gh-pages", str(tmp_path / "remote.git"), ".pages")
    assert plan() == ("clients=[]\n", "no problems in 1 file\nClients to rebuild: []\n")
    # A client set up before its first exports: read and valid, but no month to build.
    new = agency / "data" / "newco"
    new.mkdir()
    (new / "client.yml").write_text(
        "name: Newco\nbrand:\n  name: Newco\ncompetitors:\n- name: Oldco\n", encoding="utf-8"
    )
    header = (agency / "data" / "dubrava" / "mentions.csv").read_text(encoding="utf-8-sig")
    (new / "mentions.csv").write_text(header.splitlines()[0] + "\n", encoding="utf-8")
    assert plan() == (
        "clients=[]\n",
        "no problems in 3 files, 1 warning\nClients to rebuild: []\n",
    )
    shutil.rmtree(new)
    # A client's folder removed: nothing to build or deploy, but the run says its reports
    # are still public.
    shutil.rmtree(agency / "data" / "northside-coffee")
    assert plan() == (
        "clients=[]\n",
        "northside-coffee: its portal is still published, but it has no folder in the data "
        "(smrm unpublish northside-coffee, or the take-down workflow, takes it down)\n"
        "no problems in 1 file\nClients to rebuild: []\n",
    )


def test_a_former_clients_portal_is_listed_and_taken_down_on_request(agency: Path) -> None:
    """A client the agency no longer reports to: its folder removed from the data, its portal
    stays public (an emptied export is likelier a mistake) and every publish says so, until
    ``smrm unpublish`` takes it off the branch, leaving the other clients as they were."""
    publish()
    runner = CliRunner()
    refused = runner.invoke(cli, ["unpublish", "northside-coffee"])
    assert refused.exit_code == 1
    assert "data/northside-coffee is still there" in refused.output

    shutil.rmtree(agency / "data" / "northside-coffee")
    head = git(agency, "rev-parse", "origin/gh-pages")
    output = publish()
    assert (
        "northside-coffee: its portal is still published, but it has no folder in the data "
        "(smrm unpublish northside-coffee, or the take-down workflow, takes it down)"
    ) in output
    assert git(agency, "rev-parse", "origin/gh-pages") == head  # listed, not removed

    unknown = runner.invoke(cli, ["unpublish", "northside-cofee"])
    assert unknown.exit_code == 1
    assert "northside-cofee: no portal on gh-pages (did you mean 'northside-coffee'?)" in (
        unknown.output
    )
    before = tree(agency)
    done = runner.invoke(cli, ["unpublish", "--push", "northside-coffee"])
    assert done.exit_code == 0, done.output
    assert "northside-coffee: portal taken off gh-pages" in done.output
    assert "pushed gh-pages to origin" in done.output
    after = tree(agency)
    assert {p for p in before if not p.startswith("northside-coffee/")} == set(after)
    assert not any(p.startswith("northside-coffee/") for p in after)
    assert_links_resolve(agency, after, ("dubrava/2026-10/sov/index.html",))
    assert "unpublish" not in publish()


def test_the_take_down_workflow_removes_portals_and_squashes_history(
    agency: Path, tmp_path: Path
) -> None:
    """The take-down workflow's step, run as GitHub runs it, against the agency's remote (the
    address the step sets is redirected to it): names typed in the form are passed as they
    are, never run or taken for options."""
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "take-down.yml").read_text())
    assert workflow["concurrency"]["group"] == "publish-gh-pages"
    [step] = [s for s in workflow["jobs"]["take-down"]["steps"] if s.get("name")]
    remote = tmp_path / "remote.git"
    token_url = "https://x-access-token:secret@github.com/agency/reports.git"
    git(agency, "config", "--global", f"url.{remote}.insteadOf", token_url)
    summary = tmp_path / "summary"

    def take_down(clients: str, squash: bool) -> tuple[int, str]:
        summary.write_text("")
        code = run_step(
            step,
            agency,
            GITHUB_STEP_SUMMARY=str(summary),
            GITHUB_REPOSITORY="agency/reports",
            GH_TOKEN="secret",
            CLIENTS=clients,
            SQUASH="true" if squash else "false",
        )
        return code, summary.read_text()

    publish()
    assert int(git(agency, "rev-list", "--count", "origin/gh-pages")) > 1  # a commit a month
    head = git(agency, "rev-parse", "origin/gh-pages")
    assert take_down("", squash=False) == (
        1,
        "Nothing to do: name the clients to take down, or tick squash_history.\n",
    )
    code, text = take_down("northside-coffee", squash=False)
    assert code == 1 and "data/northside-coffee is still there" in text
    code, text = take_down("--branch=main", squash=False)
    assert code == 1 and "--branch=main: no portal on gh-pages" in text
    code, text = take_down("$(touch${IFS}pwned)", squash=False)
    assert code == 1 and "$(touch${IFS}pwned): no portal on gh-pages" in text
    assert not (agency / "pwned").exists()
    git(agency, "fetch", "--quiet", "origin")
    assert git(agency, "rev-parse", "origin/gh-pages") == head

    shutil.rmtree(agency / "data" / "northside-coffee")
    before = tree(agency)
    code, text = take_down("northside-coffee,", squash=True)
    assert code == 0, text
    assert "northside-coffee: portal taken off gh-pages\n" in text
    assert "gh-pages is now one commit" in text and "pushed gh-pages to origin (forced)" in text
    git(agency, "fetch", "--quiet", "origin")
    after = tree(agency)
    assert set(after) == {p for p in before if not p.startswith("northside-coffee/")}
    assert git(agency, "rev-list", "--count", "origin/gh-pages") == "1"


def test_diverged_branches_are_not_overwritten(agency: Path) -> None:
    publish("northside-coffee")
    tree_id = git(agency, "rev-parse", "gh-pages^{tree}")
    local = git(agency, "commit-tree", tree_id, "-p", "gh-pages", "-m", "local only")
    git(agency, "update-ref", "refs/heads/gh-pages", local)
    other = git(agency, "commit-tree", tree_id, "-p", "origin/gh-pages", "-m", "remote only")
    git(agency, "push", "--quiet", "origin", f"{other}:refs/heads/gh-pages")
    add_month(agency)
    result = CliRunner().invoke(cli, ["publish", "--push", "dubrava"])
    assert result.exit_code == 1
    assert "local gh-pages and origin/gh-pages have diverged" in result.output
    assert git(agency, "rev-parse", "gh-pages") == local


def test_a_missing_git_identity_is_explained(agency: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(agency, "config", "--unset", "user.name")
    for key in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(key)
    result = CliRunner().invoke(cli, ["publish", "northside-coffee"])
    assert result.exit_code == 1
    assert "hint: set git config user.name and user.email" in result.output


def test_the_summary_gives_the_address_of_each_client_deployed() -> None:
    result = PublishResult(
        deployed={"dubrava": ["2026-11"]}, unchanged={"dubrava": ["2026-10"], "acme": ["2026-10"]}
    )
    assert list(describe(result, "https://agency.github.io/reports/")) == [
        "acme: nothing changed (1 month)",
        "dubrava: deployed 2026-11; 1 month unchanged at https://agency.github.io/reports/dubrava/",
    ]


def test_publishing_holds_one_clients_rows_at_a_time_and_stops_if_files_change(
    agency: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each client is planned as it is read and its rows let go; a client with months to build
    here is read again for them, and the deploy job of the CI fan-out (every month prebuilt)
    reads each client once. Files changed between the two reads publish nothing."""
    # Each read, and whether every client read before it had let go of its rows.
    reads = spy_reads(
        monkeypatch, lambda folder, read: (folder.name, all(d.rows_let_go for d in read))
    )
    publish()
    clients = ["dubrava", "northside-coffee"]
    assert reads == [(slug, True) for slug in clients * 2]  # planned, then built

    add_month(agency)
    built = tmp_path / "built"
    result = CliRunner().invoke(cli, ["publish", "--build-only", str(built), "dubrava"])
    assert result.exit_code == 0, result.output
    reads.clear()
    assert "dubrava: deployed 2026-11" in publish("--prebuilt", str(built))
    assert reads == [(slug, True) for slug in clients]  # planned only: nothing to build

    # A client's files changed before it is read again for its build (a row added; its folder
    # removed): nothing is published.
    head = git(agency, "rev-parse", "gh-pages")
    with (agency / "data" / "dubrava" / "mentions.csv").open("a", encoding="utf-8") as handle:
        handle.write(
            "06.12.2026 10:00;Дубрава;позитив;VK;review;https://vk.example/n2;;;ok;1;0;0;10\r\n"
        )
    for change in (add_month, lambda repo: shutil.rmtree(repo / "data" / "dubrava")):
        change_before_read(monkeypatch, 2, change, agency)
        result = CliRunner().invoke(cli, ["publish", "--push", "dubrava"])
        assert result.exit_code == 1
        assert "dubrava: its files changed while it was being published" in result.output
        assert git(agency, "rev-parse", "gh-pages") == head

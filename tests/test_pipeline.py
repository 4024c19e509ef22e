"""The pipeline's own order: clients read one after another, each handed over as it is read;
what tells a client's files changed."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import pipeline
from generator.fingerprint import input_fingerprint, input_fingerprints
from generator.pipeline import MENTIONS, ClientData, check
from tests.helpers import load, spy_reads


def test_each_client_is_handed_over_as_read_and_its_rows_can_be_let_go(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``each`` has a client before the next one is read; without ``keep_rows`` the client's
    rows are let go by then, and what was found in them stays: problems, the accounting of
    every row, the rejected records."""
    shutil.copytree(data_dir / "acme", data_dir / "globex")
    with (data_dir / "globex" / "mentions.csv").open("a", encoding="utf-8") as handle:
        handle.write("2026-02-31,Acme,positive,VK,review,,https://vk.com/x,,,1,1,1,10\n")
    events = spy_reads(
        monkeypatch, lambda folder, read: ("read", folder.name, [d.rows_let_go for d in read])
    )

    def each(data: ClientData, agency: object) -> None:
        events.append(("each", data.slug, [data.rows_let_go]))
        assert data.frame(MENTIONS) is not None  # given with its rows

    light = check(data_dir, each=each, keep_rows=False)
    assert events == [
        ("read", "acme", []),
        ("each", "acme", [False]),
        ("read", "globex", [True]),
        ("each", "globex", [False]),
    ]
    monkeypatch.undo()
    kept = check(data_dir)
    for data, full in zip(light.clients, kept.clients, strict=True):
        assert data.rows_let_go and not full.rows_let_go
        assert [p.format() for p in data.problems] == [p.format() for p in full.problems]
        for name, result in data.files.items():
            assert result.frame is None and full.files[name].frame is not None
            assert result.accounting() == full.files[name].accounting()
            assert result.rejected == full.files[name].rejected
        # Read after they were let go, the rows would pass for a client without data.
        with pytest.raises(RuntimeError, match="rows were let go"):
            data.frame(MENTIONS)
        with pytest.raises(RuntimeError):
            _ = data.periods
    assert [len(data.files[MENTIONS].rejected) for data in light.clients] == [0, 1]


def test_the_libraries_load_with_the_collector_paused_and_it_is_left_as_it_was(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paused = []
    monkeypatch.setattr(pipeline, "_load_stages", lambda: paused.append(not gc.isenabled()))
    check(data_dir)
    assert paused == [True] and gc.isenabled()
    gc.disable()  # a caller's own choice, which a check does not undo
    try:
        check(data_dir)
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert paused == [True, True]


#: Each setting ``generator/__init__.py`` makes for the libraries: (variable, a value a user
#: might set, code run after the import of the package in a fresh process, the line it prints
#: with the package's default and with the user's value).
_LIBRARY_SETTINGS = [
    (
        "NUMPY_MADVISE_HUGEPAGE",
        "1",
        "import numpy\nprint(numpy._core.multiarray._set_madvise_hugepage(False))",
        ("False", "True"),
    ),
    (
        # Arrow's allocator lists its options on stderr when asked to be verbose.
        "MIMALLOC_ALLOW_THP",
        "1",
        "import pyarrow\npyarrow.allocate_buffer(1)",
        ("option 'allow_thp': 0", "option 'allow_thp': 1"),
    ),
    (
        "OPENBLAS_NUM_THREADS",
        "2",
        "import os, numpy\nprint('threads', len(os.listdir('/proc/self/task')))",
        ("threads 1", f"threads {min(2, len(os.sched_getaffinity(0)))}"),
    ),
]


@pytest.mark.parametrize("user_value", [False, True])
@pytest.mark.parametrize(
    ("variable", "value", "code", "printed"),
    _LIBRARY_SETTINGS,
    ids=[variable for variable, *_ in _LIBRARY_SETTINGS],
)
def test_the_libraries_settings_hold_unless_the_user_made_their_own(
    variable: str, value: str, code: str, printed: tuple[str, str], user_value: bool
) -> None:
    """Huge pages asked for by NumPy or by Arrow's allocator stalled large checks in the
    kernel, and OpenBLAS's idle threads took processor time (see ``generator/__init__.py``).
    Each library reads its setting once, when first loaded: so in a fresh process."""
    settings = {name for name, *_ in _LIBRARY_SETTINGS}
    env = {k: v for k, v in os.environ.items() if k not in settings}
    env.pop("ARROW_DEFAULT_MEMORY_POOL", None)
    env["MIMALLOC_VERBOSE"] = "1"
    if user_value:
        env[variable] = value
    done = subprocess.run(
        [sys.executable, "-c", "import generator.pipeline\n" + code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    # Whole lines: `threads 1` is not the start of `threads 16`.
    lines = {line.strip() for line in (done.stdout + done.stderr).splitlines()}
    assert printed[user_value] in lines


def test_a_clients_months_are_those_of_any_of_its_files_kept_rows(acme: Path) -> None:
    """Found without joining the mention files' rows (whoever only asks whether a client has
    a month, as the plan of a publishing run does, would pay for a year of daily files)."""
    found = []
    for name in ("mentions.csv", "accounts.csv", "outcomes.csv"):
        table = acme / name
        table.write_text(table.read_text(encoding="utf-8").splitlines()[0] + "\n")
        data = check(acme.parent).clients[0]
        found.append(data.periods)
        assert "mentions" not in data.__dict__  # not joined
    assert found == [["2026-09", "2026-10", "2026-11", "2026-12"]] * 2 + [[]]


LEADS_OUT = "a symbolic link that leads out of the client folder (to {}): not read"


def test_a_clients_file_that_leads_out_of_its_folder_is_not_read(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A symbolic link to another client's file (or folder) would put that client's data in
    this client's portal: it is not followed, and said so under the link's own name. A link
    that stays within the folder is followed as the file itself."""
    shutil.copytree(data_dir / "acme", data_dir / "globex")
    globex = data_dir / "globex"
    with (globex / MENTIONS).open("a", encoding="utf-8") as handle:
        handle.write("2026-10-20,Acme,positive,VK,review,,https://vk.com/s,,SECRET,1,1,1,10\n")
    (globex / "mentions").mkdir()
    shutil.copy(globex / MENTIONS, globex / "mentions" / "2026-10.csv")
    acme = data_dir / "acme"
    for name in ("client.yml", MENTIONS, "accounts.csv"):
        (acme / name).unlink()
        (acme / name).symlink_to(Path("..", "globex", name))
    (acme / "mentions").symlink_to(Path("..", "globex", "mentions"))
    monkeypatch.chdir(data_dir.parent)
    (client,) = (c for c in check(data_dir).clients if c.slug == "acme")
    said = sorted((p.path, p.message) for p in client.problems if "leads out" in p.message)
    assert said == [
        (f"data/acme/{name}", LEADS_OUT.format(f"data/globex/{name}"))
        for name in ("accounts.csv", "client.yml", MENTIONS, "mentions/2026-10.csv")
    ]
    assert client.client is None
    for name in (MENTIONS, "mentions/2026-10.csv", "accounts.csv"):
        assert client.files[name].frame is None, name
    # Within the folder, a link is the file it names.
    for link in ("client.yml", MENTIONS, "accounts.csv", "mentions"):
        (acme / link).unlink()
    (acme / "kept").mkdir()
    shutil.copy(data_dir / "globex" / "client.yml", acme / "client.yml")
    shutil.copy(data_dir / "globex" / MENTIONS, acme / "kept" / MENTIONS)
    (acme / MENTIONS).symlink_to(Path("kept", MENTIONS))
    (client,) = (c for c in check(data_dir).clients if c.slug == "acme")
    assert not [p for p in client.problems if "leads out" in p.message]
    frame = client.files[MENTIONS].frame
    assert frame is not None and "SECRET" in frame["text"].tolist()


def test_a_client_folder_that_is_a_link_to_another_is_not_read(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`data/globex -> acme` would be a portal for Globex of Acme's name, strategy and data:
    one problem under the link's own name, and nothing in it read."""
    (data_dir / "globex").symlink_to("acme")
    monkeypatch.chdir(data_dir.parent)
    acme, globex = check(data_dir).clients
    assert [(p.path, p.message, p.is_error) for p in globex.problems] == [
        ("data/globex", "a symbolic link to another folder (data/acme): not read", True)
    ]
    assert globex.client is None and not globex.files and not globex.ok(lenient=True)
    assert acme.ok(lenient=False)
    # The data folder kept elsewhere, and linked to, holds its clients' own folders still.
    (data_dir.parent / "linked").symlink_to(data_dir.name)
    acme, globex = check(data_dir.parent / "linked").clients
    assert acme.ok(lenient=False)
    assert not [p for p in acme.problems if "symbolic link" in p.message]
    assert [p.message for p in globex.problems] == [
        "a symbolic link to another folder (data/acme): not read"
    ]


def test_a_clients_file_that_is_a_link_to_nothing_is_named_not_taken_for_absent(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file moved or renamed leaves its link pointing at nothing: accounts.csv would be
    taken for one the client does not keep, and its figures left out unsaid."""
    monkeypatch.chdir(data_dir.parent)
    acme = data_dir / "acme"
    for name, target in (
        ("accounts.csv", "old/accounts.csv"),
        (MENTIONS, "../globex/mentions.csv"),
        ("client.yml", "client.yaml"),
    ):
        (acme / name).unlink()
        (acme / name).symlink_to(target)
    (acme / "mentions").symlink_to("exports")
    (client,) = check(data_dir).clients
    assert sorted((p.path, p.message, p.is_error) for p in client.problems) == [
        (f"data/acme/{name}", f"a symbolic link to {target}, which does not exist: not read", True)
        for name, target in (
            ("accounts.csv", "old/accounts.csv"),
            ("client.yml", "client.yaml"),
            ("mentions", "exports"),
            (MENTIONS, "../globex/mentions.csv"),
        )
    ]
    assert client.client is None and not client.ok(lenient=True)


def _commentary_said(content: Path, data_dir: Path) -> list[tuple[str, str, str]]:
    return [
        (p.path, p.message, p.severity.value)
        for p in check(data_dir, content_dir=content).all_problems
        if p.path.startswith("content")
    ]


def test_a_clients_commentary_is_checked_as_its_build_reads_it(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What would stop the build, or leave a commentary unshown, is found by ``smrm validate``:
    a file that is not text and a link to another client's commentary (errors, which stop
    the client); a name no month reads and a month without a report (warnings)."""
    monkeypatch.chdir(data_dir.parent)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1797292800")  # 15 December 2026: the data's end
    content = data_dir.parent / "content"
    acme, globex = content / "acme", content / "globex"
    acme.mkdir(parents=True)
    globex.mkdir()
    (globex / "2026-10.md").write_text("Globex only.\n", encoding="utf-8")
    shutil.copytree(data_dir / "acme", data_dir / "globex")
    (acme / "2026-09.md").write_bytes("Сентябрь.\n".encode("cp1251"))  # read, as it is text
    (acme / "2026-10.md").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    (acme / "2026-11.md").symlink_to(Path("..", "globex", "2026-10.md"))
    (acme / "2026-1.md").write_text("January?\n", encoding="utf-8")
    (acme / "2027-01.md").write_text("Written ahead of its data.\n", encoding="utf-8")
    (acme / "2027-02.md").write_text("A year too late: 2026-02?\n", encoding="utf-8")
    (acme / "2025-09.md").write_text("A year too early.\n", encoding="utf-8")
    (acme / "_draft.md").write_text("Not yet.\n", encoding="utf-8")
    (acme / ".notes.md").write_text("Mine.\n", encoding="utf-8")
    (acme / "2026-12.md").symlink_to("moved-away.md")
    assert _commentary_said(content, data_dir) == [
        (
            "content/acme/2025-09.md",
            "no report for 2025-09: the data begin in 2026-09, so this commentary is not shown",
            "warning",
        ),
        ("content/acme/2026-1.md", "not read", "warning"),
        ("content/acme/2026-10.md", "this is a binary file, not text", "error"),
        (
            "content/acme/2026-11.md",
            "a symbolic link that leads out of the client's commentary folder "
            "(to content/globex/2026-10.md): not read",
            "error",
        ),
        (
            "content/acme/2026-12.md",
            "a symbolic link to moved-away.md, which does not exist: not read",
            "warning",
        ),
        (
            "content/acme/2027-02.md",
            "no report for 2027-02: that month is still to come, and the data end in 2026-12",
            "warning",
        ),
    ]
    client = check(data_dir, ["acme"], content_dir=content).clients[0]
    assert not client.ok(lenient=True)
    assert not [p for p in check(data_dir).all_problems if p.path.startswith("content")]
    # A commentary folder that is a link to another client's is not read at all.
    shutil.rmtree(acme)
    acme.symlink_to("globex")
    assert _commentary_said(content, data_dir) == [
        ("content/acme", "a symbolic link to another folder (content/globex): not read", "error")
    ]


def test_a_commentary_folder_that_names_no_client_is_named_in_a_warning(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`content/acme-corp/` for the client `acme`: its commentary would never be shown."""
    monkeypatch.chdir(data_dir.parent)
    content = data_dir.parent / "content"
    for name in ("acme", "acmee", "_shared", ".git"):
        (content / name).mkdir(parents=True)
    (content / "index.md").write_text("# Shared\n", encoding="utf-8")
    found = [
        (p.path, p.message, p.hint)
        for p in check(data_dir, content_dir=content).problems
        if p.path.startswith("content")
    ]
    assert found == [
        (
            "content/acmee",
            "no client 'acmee' in data: its commentary is not shown",
            "did you mean 'acme'?",
        )
    ]
    assert not [p for p in check(data_dir, ["acme"], content_dir=content).problems if p.path]
    # Content that names none of the clients is another agency's (the demo's, say, beside
    # data kept elsewhere): only a name close to a client's is taken for a mistyped one.
    (content / "acme").rename(content / "dubrava")
    assert [p.path for p in check(data_dir, content_dir=content).problems] == ["content/acmee"]
    (content / "acmee").rename(content / "northside")
    assert not check(data_dir, content_dir=content).problems


def test_a_data_file_the_portal_does_not_read_is_named_in_a_warning(acme: Path) -> None:
    """A month's export saved beside mentions.csv, a spreadsheet not saved as CSV, client.yaml:
    figures that would be missing from the reports unsaid. A logo or a hidden file is no data."""
    for name in ("mentions-2026-12.csv", "Outcomes.XLSX", "client.yaml", "notes.txt"):
        (acme / name).write_text("date,brand\n", encoding="utf-8")
    (acme / "photo.png").write_bytes(b"")
    (acme / ".~lock.outcomes.csv#").write_text("")
    (acme / "_old.csv").write_text("")
    data = load(acme)
    unread = [
        (Path(p.path).name, p.message, p.hint, p.severity.value)
        for p in data.problems
        if p.message == "not read"
    ]
    assert unread == [
        (
            "Outcomes.XLSX",
            "not read",
            "save it as CSV (UTF-8): accounts.csv, outcomes.csv, or mentions in mentions/",
            "warning",
        ),
        ("client.yaml", "not read", "a client's settings are read from client.yml only", "warning"),
        (
            "mentions-2026-12.csv",
            "not read",
            "move it into mentions/, where every file is read as mentions",
            "warning",
        ),
        (
            "notes.txt",
            "not read",
            "a client's folder is read as client.yml, mentions.csv, the "
            "files in mentions/, accounts.csv and outcomes.csv",
            "warning",
        ),
    ]
    assert data.ok(lenient=False)


def test_months_with_data_far_apart_are_named_in_a_warning(acme: Path) -> None:
    """`2025` for `2026` in a row passes the checks, and gives the portal a version for every
    month between: twelve empty months in a row are named; eleven are taken for a pause."""
    found = []
    rows = (acme / "mentions.csv").read_text(encoding="utf-8")
    for day in ("2025-09-30", "2025-08-31"):
        more = f"{day},Acme,positive,VK,review,,https://vk.com/{day},,,,,,\n"
        (acme / "mentions.csv").write_text(rows + more, encoding="utf-8")
        data = load(acme)
        found.append([(p.path, p.message, p.hint) for p in data.problems if p.path == str(acme)])
    assert found == [
        [],
        [
            (
                str(acme),
                "no data in the 12 months from 2025-09 to 2026-08, and the portal has a version "
                "for each of them",
                "if the rows of 2025-08 are dated with a mistyped year, correct it",
            )
        ],
    ]
    assert data.periods[:2] == ["2025-08", "2025-09"]  # still a version each


def test_the_fingerprints_of_an_agencys_clients_follow_their_own_files(data_dir: Path) -> None:
    """Worked out several clients at a time and each file a block at a time, a client's
    fingerprint is the one worked out alone, and changes with its own files and the agency's
    only."""
    for copy in ("globex", "initech"):
        shutil.copytree(data_dir / "acme", data_dir / copy)
    content = data_dir.parent / "content"
    slugs = ["acme", "globex", "initech"]

    def prints() -> dict[str, str]:
        both = input_fingerprints(data_dir, content, slugs, "tool", False)
        assert both == {s: input_fingerprint(data_dir, content, s, "tool", False) for s in slugs}
        return both

    before = prints()
    assert len(set(before.values())) == 3  # the slug is part of it
    with (data_dir / "globex" / "mentions.csv").open("ab") as handle:
        handle.write(b"\n")
    after = prints()
    assert [after[s] == before[s] for s in slugs] == [True, False, True]
    (content / "initech").mkdir(parents=True)
    (content / "initech" / "2026-10.md").write_text("Октябрь\n", encoding="utf-8")
    assert [prints()[s] == after[s] for s in slugs] == [True, True, False]
    (data_dir / "agency.yml").write_text(
        (data_dir / "agency.yml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    assert not set(prints().values()) & set(after.values())

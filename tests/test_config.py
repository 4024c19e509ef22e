"""client.yml and agency.yml: typed, every mistake at its key's line with a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_agency
from generator.schema import Client
from tests.helpers import load, problems


def _edit(acme: Path, old: str, new: str) -> None:
    path = acme / "client.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(acme: Path, needle: str) -> int:
    lines = (acme / "client.yml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_example_client_is_valid(acme: Path) -> None:
    data = load(acme)
    assert data.client is not None
    assert data.locale == "ru"
    assert [b.name for b in data.client.brands] == ["Acme", "Globex", "Ёлка"]
    assert data.client.strategy.competitor_analysis == ["Globex leads on volume, Ёлка on price"]


def test_unknown_key_has_a_did_you_mean_hint(acme: Path) -> None:
    _edit(acme, "tone_of_voice:", "tone_of_vioce:")
    data = load(acme)
    (problem,) = [p for p in data.problems if p.path.endswith("client.yml")]
    assert problem.line == _line_of(acme, "tone_of_vioce")
    assert (problem.column, problem.message, problem.hint) == (
        "strategy.tone_of_vioce",
        "unknown key",
        "did you mean 'tone_of_voice'?",
    )


@pytest.mark.parametrize(
    ("old", "new", "needle", "column", "message"),
    [
        ("locale: ru", "locale: de", "locale:", "locale", "expected 'ru' or 'en', got 'de'"),
        (
            "timezone: Europe/Moscow",
            "timezone: Moscow",
            "timezone:",
            "timezone",
            "unknown time zone 'Moscow'; did you mean 'Europe/Moscow'?",
        ),
        (
            "by: 2026-12",
            "by: 2026-13",
            "by:",
            "goals[0].by",
            "expected a month as YYYY-MM, got '2026-13'",
        ),
        (
            "by: 2026-12",
            "by: декабрь",  # a month without its year
            "by:",
            "goals[0].by",
            "expected a month as YYYY-MM, got 'декабрь'",
        ),
        (
            "target: 50",
            "target: half",
            "target: half",
            "goals[0].target",
            "expected a number, got 'half'",
        ),
        (
            'primary_color: "#5b3a29"',
            "primary_color: brown",
            "primary_color",
            "branding.primary_color",
            "expected a colour as #rrggbb, got 'brown'",
        ),
        (
            "  - name: Globex\n",
            "  - nam: Globex\n",
            "nam: Globex",
            "competitors[0].nam",
            "unknown key",
        ),
        (
            "metric: leads",
            "metric: lead",
            "metric: lead",
            "goals[2].metric",
            "unknown metric 'lead'",
        ),
        ("name: Anna", "name: [Anna]", "name: [Anna]", "team[0].name", "expected text, got a list"),
        (
            "timezone: Europe/Moscow",
            "timezone: Europe/Moscow\nmonitoring_since: 30 June",
            "monitoring_since",
            "monitoring_since",
            "expected a date as YYYY-MM-DD, got '30 June'",
        ),
        (
            "timezone: Europe/Moscow",
            "timezone: Europe/Moscow\nmonitoring_since: [2026-09-15]",
            "monitoring_since",
            "monitoring_since",
            "expected a date as YYYY-MM-DD, got a list",
        ),
    ],
)
def test_each_mistake_at_its_key(
    acme: Path, old: str, new: str, needle: str, column: str, message: str
) -> None:
    _edit(acme, old, new)
    found = [p for p in problems(acme) if p[2] != "" or p[3] != ""]
    assert ("client.yml", _line_of(acme, needle), column, message) in found


@pytest.mark.parametrize(
    ("target", "by", "read"),
    [
        ("1 000", "декабрь 2026", (1000.0, "2026-12")),
        ("12,5", "2026-12-31", (12.5, "2026-12")),  # YAML reads the date as a date
        ("50 %", "12.2026", (50.0, "2026-12")),
        ("'1\u00a0234,5'", "Dec 2026", (1234.5, "2026-12")),
        ("1,234.5", "2026/12", (1234.5, "2026-12")),
        ("−5", "2026-12", (-5.0, "2026-12")),
    ],
)
def test_a_goal_is_read_as_the_data_files_write_figures_and_months(
    acme: Path, target: str, by: str, read: tuple[float, str]
) -> None:
    """An account manager writes a goal as the spreadsheets write figures and months."""
    _edit(acme, "target: 50\n    by: 2026-12", f"target: {target}\n    by: {by}")
    data = load(acme)
    assert data.client is not None, data.problems
    goal = data.client.goals[0]
    assert (goal.target, goal.by) == read


def test_missing_required_keys_point_at_the_parent(acme: Path) -> None:
    (acme / "client.yml").write_text("name: X\nbrand:\n  aliases: [x]\n", encoding="utf-8")
    assert [p for p in problems(acme) if p[0] == "client.yml"] == [
        ("client.yml", 1, "competitors", "required key is missing"),
        ("client.yml", 2, "brand.name", "required key is missing"),
    ]


def test_empty_competitor_list(acme: Path) -> None:
    (acme / "client.yml").write_text("name: X\nbrand: {name: X}\ncompetitors: []\n")
    found = [p for p in problems(acme) if p[0] == "client.yml"]
    assert found == [("client.yml", 3, "competitors", "is empty, at least one entry is required")]


@pytest.mark.parametrize("alias", ["акме", "«Акме»"])
def test_an_alias_of_two_brands_is_ambiguous(acme: Path, alias: str) -> None:
    """Compared as mentions are: quotes around a name do not make it another."""
    _edit(acme, "aliases: [Глобекс]", f"aliases: [Глобекс, {alias}]")
    assert [p for p in problems(acme) if p[0] == "client.yml"] == [
        (
            "client.yml",
            _line_of(acme, "- name: Globex"),
            "competitors[0]",
            f"{alias!r} also names 'Acme'",
        )
    ]


def test_logo_must_stay_in_the_client_folder(acme: Path, tmp_path: Path) -> None:
    _edit(acme, "  logo: logo.svg\n", "  logo: ../secret.png\n")
    assert problems(acme)[0][2:] == (
        "branding.logo",
        "the logo must be a path inside the client's folder ('..' is not allowed)",
    )
    (tmp_path / "outside.png").write_bytes(b"x")
    (acme / "logo.png").symlink_to(tmp_path / "outside.png")
    _edit(acme, "logo: ../secret.png", "logo: logo.png")
    assert problems(acme)[0][2:] == (
        "branding.logo",
        "the logo must not lead out of the client folder",
    )


def test_yaml_syntax_error(acme: Path) -> None:
    (acme / "client.yml").write_text("name: X\nbrand: {name: X\n")
    ((name, line, column, message),) = [p for p in problems(acme) if p[0] == "client.yml"]
    assert (name, line, column) == ("client.yml", 3, "")
    assert message.startswith("YAML syntax error")


@pytest.mark.parametrize("fast", [True, False])
def test_a_date_of_no_calendar_day_is_a_problem_at_its_line(
    acme: Path, monkeypatch: pytest.MonkeyPatch, fast: bool
) -> None:
    """YAML reads `2026-02-30` as a date, and PyYAML fails to make one of it."""
    from generator import load

    if not fast:
        monkeypatch.setattr(load, "_FAST_LOADER", None)
    _edit(acme, "timezone: Europe/Moscow", "timezone: Europe/Moscow\nmonitoring_since: 2026-02-30")
    ((name, line, column, message),) = [p for p in problems(acme) if p[0] == "client.yml"]
    assert (name, line, column) == ("client.yml", _line_of(acme, "monitoring_since"), "")
    assert message == "YAML error: '2026-02-30' is not a date: day is out of range for month"


def test_a_file_that_is_not_a_mapping(acme: Path) -> None:
    (acme / "client.yml").write_text("- just\n- a list\n")
    assert [p for p in problems(acme) if p[0] == "client.yml"] == [
        (
            "client.yml",
            1,
            "",
            "expected a mapping of keys (name: ..., brand: ...), the file is a list",
        )
    ]


def test_single_string_where_a_list_is_expected() -> None:
    client = Client.model_validate(
        {
            "name": "X",
            "brand": {"name": "X", "aliases": "x"},
            "competitors": [{"name": "Y"}],
            "strategy": {"tasks": "one task"},
        }
    )
    assert client.brand.aliases == ["x"]
    assert client.strategy.tasks == ["one task"]


def test_locale_defaults_to_the_agency(acme: Path) -> None:
    _edit(acme, "locale: ru\n", "")
    (acme.parent / "agency.yml").write_text("name: A\nlocale: en\n")
    assert load(acme).locale == "en"


def test_a_key_given_twice_is_an_error(acme: Path) -> None:
    _edit(acme, "  logo: logo.svg\n", "  logo: logo.svg\n  logo: other.svg\n")
    line = _line_of(acme, "logo: other.svg")
    assert [p for p in problems(acme) if p[0] == "client.yml"] == [
        ("client.yml", line, "", f"key 'logo' appears twice (first on line {line - 1})")
    ]


def test_the_portal_address_is_kept_with_a_final_slash(tmp_path: Path) -> None:
    (tmp_path / "agency.yml").write_text("name: A\nportal_url: https://agency.github.io/reports\n")
    agency, found = load_agency(tmp_path)
    assert found == []
    assert agency.portal_url == "https://agency.github.io/reports/"


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "ftp://agency.example/",
        "//agency.example/reports/",
        'https://agency.example/"><script>alert(1)</script>',
        "https://agency.example/reports/?utm=1",
        "https://user:secret@agency.example/",
        "agency.example/reports/",
    ],
)
def test_a_portal_address_that_is_not_a_plain_web_address_is_an_error(
    tmp_path: Path, address: str
) -> None:
    (tmp_path / "agency.yml").write_text(f"name: A\nportal_url: '{address}'\n")
    agency, found = load_agency(tmp_path)
    assert [(p.line, p.column) for p in found] == [(2, "portal_url")]
    assert "expected the portal's address as https://host/path/" in found[0].message
    assert agency.portal_url is None


@pytest.mark.parametrize(
    ("written", "ru", "en"),
    [
        ("name: Ветер", "Ветер", "Ветер"),
        ("name:\n  ru: Ветер\n  en: Veter", "Ветер", "Veter"),
        # A language left out: the agency's own (Russian here), whichever report.
        ("name:\n  ru: Ветер", "Ветер", "Ветер"),
        ("name:\n  en: Veter", "Veter", "Veter"),
        ("name: 2026", "2026", "2026"),
    ],
)
def test_the_agencys_name_is_one_text_or_one_per_language(
    tmp_path: Path, written: str, ru: str, en: str
) -> None:
    (tmp_path / "agency.yml").write_text(f"{written}\nlocale: ru\n", encoding="utf-8")
    agency, found = load_agency(tmp_path)
    assert found == []
    assert (agency.name_in("ru"), agency.name_in("en")) == (ru, en)


def test_a_language_the_contact_leaves_out_is_the_agencys(tmp_path: Path) -> None:
    (tmp_path / "agency.yml").write_text(
        "name: A\nlocale: en\ncontact:\n  ru: звоните +7 495 000-00-00\n  en: call +1 555 0100\n"
        "  \n",
        encoding="utf-8",
    )
    agency, found = load_agency(tmp_path)
    assert found == []
    assert agency.contact_in("ru") == "звоните +7 495 000-00-00"
    assert agency.contact_in("en") == "call +1 555 0100"
    (tmp_path / "agency.yml").write_text("name: A\nlocale: en\ncontact:\n  en: call\n")
    assert load_agency(tmp_path)[0].contact_in("ru") == "call"
    (tmp_path / "agency.yml").write_text("name: A\n")
    assert load_agency(tmp_path)[0].contact_in("ru") is None


@pytest.mark.parametrize(
    ("written", "line", "column", "message"),
    [
        (
            "name: [a, b]",
            1,
            "name",
            "expected text, or a text per language (ru: ..., en: ...), got a list",
        ),
        ("name:\n  ru: A\n  de: B", 3, "name.de", "expected 'ru' or 'en', got 'de'"),
        ("name: {}", 1, "name", "is empty, at least one entry is required"),
        ("name:\n  ru: [A]", 2, "name.ru", "expected text, got a list"),
        ("name: A\ncontact:\n  en:", 3, "contact.en", "expected text, got nothing"),
    ],
)
def test_a_text_per_language_is_checked_at_its_key(
    tmp_path: Path, written: str, line: int, column: str, message: str
) -> None:
    (tmp_path / "agency.yml").write_text(written + "\n", encoding="utf-8")
    _, found = load_agency(tmp_path)
    assert [(p.line, p.column, p.message) for p in found] == [(line, column, message)]


def test_an_exports_names_are_mapped_to_the_columns_of_the_mention_files_in_any_case() -> None:
    from generator.columns import MENTION_OPTIONAL, MENTION_REQUIRED, MENTION_TIME

    columns = [*MENTION_REQUIRED, *MENTION_OPTIONAL, MENTION_TIME]
    client = Client.model_validate(
        {
            "name": "X",
            "brand": {"name": "X"},
            "competitors": [{"name": "Y"}],
            "mention_columns": {f"x{c}": f" {c.upper()}" for c in columns},
        }
    )
    assert client.mention_columns == {f"x{c}": c for c in columns}

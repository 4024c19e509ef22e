"""Typed models of ``data/agency.yml`` and ``data/<slug>/client.yml``.

Every field carries a description: ``docs/data-format.md`` lists them and a test checks that
none is left undocumented.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from typing import Annotated, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
)

from .columns import MENTION_OPTIONAL, MENTION_REQUIRED, MENTION_TIME
from .figures import read_figure
from .problems import describe

PERIOD_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
#: A web address of plain characters only: it is written into pages and sitemaps as it is.
PORTAL_URL_RE = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~%/-]*)?")

Locale = Literal["ru", "en"]
#: What a mention is: a post, a comment or a review (feedback), or a media publication.
Kind = Literal["post", "comment", "review", "media"]

#: The columns of the mention files, which an export's own names can be mapped to.
MENTION_COLUMNS = (*MENTION_REQUIRED, *MENTION_OPTIONAL, MENTION_TIME)


def _mention_column(value: str) -> str:
    """A column of the mention files, named in any case."""
    column = value.strip().casefold()
    if column not in MENTION_COLUMNS:
        named = ", ".join(repr(name) for name in MENTION_COLUMNS[:-1])
        raise ValueError(f"expected {named} or {MENTION_COLUMNS[-1]!r}, got {value!r}")
    return column


MentionColumn = Annotated[str, AfterValidator(_mention_column)]

#: Metrics the tool computes itself; a goal may also name any metric of outcomes.csv.
BUILTIN_GOAL_METRICS: tuple[str, ...] = (
    "mentions",
    "sov",
    "net_sentiment",
    "engagement_rate",
    "interactions",
    "followers",
    "reach",
)

#: The sectors where SMRM works best (BRIEF.md); ``industry`` may also be free text.
SECTORS: dict[str, tuple[str, str]] = {
    "restricted-advertising": ("Товары с запретом на рекламу", "Goods banned from advertising"),
    "construction-real-estate": ("Строительство и недвижимость", "Construction and real estate"),
    "medicine": ("Медицина", "Medicine"),
    "car-dealers": ("Автосалоны", "Car dealers"),
    "restaurants": ("Рестораны", "Restaurants"),
    "furniture": ("Производство мебели", "Furniture makers"),
    "courses": ("Курсы и обучение", "Courses"),
    "clothing-handmade": ("Одежда и хендмейд", "Clothing and hand-made"),
    "universities": ("Вузы", "Universities"),
    "branch-networks": ("Компании с филиалами", "Companies with many branches"),
    "lawyers": ("Юристы", "Lawyers"),
    "tourism": ("Туризм", "Tourism"),
    "fmcg": ("FMCG", "FMCG"),
    "beauty-salons": ("Салоны красоты", "Beauty salons"),
    "personal-brands": ("Личные бренды и эксперты", "Personal brands and experts"),
    "startups": ("Стартапы", "Start-ups"),
}


def _as_list(value: object) -> object:
    """Lets a YAML author write a single string where a list of strings is expected."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return value


TextList = Annotated[list[str], BeforeValidator(_as_list)]

#: The languages a report is written in, for a text given once for all of them.
LOCALES: tuple[str, ...] = get_args(Locale)


def _by_language(value: object) -> object:
    """Lets a YAML author write one text for every report language, or a text per language
    (``ru: Агентство «Ветер»`` and ``en: Veter Agency``)."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return dict.fromkeys(LOCALES, str(value))
    if value is None or isinstance(value, dict):
        return value
    raise ValueError(
        f"expected text, or a text per language (ru: ..., en: ...), got {describe(value)}"
    )


#: A text shown in reports, the same in each language or given per language.
TextByLanguage = Annotated[dict[Locale, str], BeforeValidator(_by_language), Field(min_length=1)]


def in_language(texts: Mapping[Locale, str] | None, locale: str, fallback: str) -> str | None:
    """``texts`` in ``locale``; else in ``fallback`` (the agency's language); else in the
    language it was given in."""
    if not texts:
        return None
    for wanted in (locale, fallback):
        for language, text in texts.items():
            if language == wanted:
                return text
    return next(iter(texts.values()))


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, coerce_numbers_to_str=True, frozen=True
    )


class Agency(_Model):
    """``data/agency.yml``: who publishes the portals."""

    name: TextByLanguage = Field(
        description=(
            "The agency's name, shown in every portal's footer: one text, or one per report"
            " language (`ru: Агентство «Ветер»`, `en: Veter Agency`), where its clients"
            " read reports in both."
        )
    )
    url: str | None = Field(None, description="The agency's web site, linked from the footer.")
    contact: TextByLanguage | None = Field(
        None,
        description=(
            "How clients reach their account manager (e-mail or phone): one text, or one per"
            " report language, as `name`."
        ),
    )
    locale: Locale = Field("ru", description="Default report language for clients: `ru` or `en`.")
    portal_url: str | None = Field(
        None,
        description=(
            "Where the portals are published, e.g. `https://agency.github.io/reports/`: each"
            " page's canonical link and each month's sitemap name its address under it"
            " (`<portal_url><client>/<YYYY-MM>/`). Without it, pages carry no canonical link."
        ),
    )

    def name_in(self, locale: str) -> str:
        """The name as a report in ``locale`` shows it."""
        return in_language(self.name, locale, self.locale) or ""

    def contact_in(self, locale: str) -> str | None:
        """The contact as a report in ``locale`` shows it."""
        return in_language(self.contact, locale, self.locale)

    @field_validator("portal_url")
    @classmethod
    def _portal_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not PORTAL_URL_RE.fullmatch(value):
            raise ValueError(
                f"expected the portal's address as https://host/path/, got {value!r}"
                " (letters, digits and . - _ ~ % / only)"
            )
        return value if value.endswith("/") else value + "/"


class Brand(_Model):
    """A tracked brand: the client's own or a competitor."""

    name: str = Field(min_length=1, description="The name the reports show.")
    aliases: TextList = Field(
        default_factory=list,
        description=(
            "Other spellings found in mention exports (matched ignoring case, ё/е, "
            "quotes around and a trademark sign)."
        ),
    )


class Goal(_Model):
    """A target the strategy sets for one metric."""

    metric: str = Field(
        description="`mentions`, `sov`, `net_sentiment`, `engagement_rate`, `interactions`, "
        "`followers`, `reach`, or a metric name from outcomes.csv."
    )
    target: float = Field(
        description="The value to reach (percent for `sov`, `net_sentiment` and "
        "`engagement_rate`), written as the data files write figures (`1 000`, `12,5`, `50 %`)."
    )
    by: str | None = Field(
        None,
        description="Deadline month, `YYYY-MM`, or as the data files write a month "
        "(`декабрь 2026`, `12.2026`, a date) (optional).",
    )
    title: str | None = Field(None, description="How the goal is named in the reports.")

    @field_validator("target", mode="before")
    @classmethod
    def _figure(cls, value: object) -> object:
        """A target written as in the CSV files (``1 000``, ``12,5``), or with ``%``."""
        if not isinstance(value, str):
            return value
        figure = read_figure(value.strip().removesuffix("%"))
        if figure is None:
            raise ValueError(f"expected a number, got {value!r}")
        return figure

    @field_validator("by", mode="before")
    @classmethod
    def _period(cls, value: object) -> object:
        """A month as the CSV files' ``period`` may be written (``декабрь 2026``,
        ``12.2026``), or a date (YAML reads ``2026-12-31`` as one), made ``YYYY-MM``."""
        if value is None:
            return None
        text = str(value).strip()
        if PERIOD_RE.match(text):
            return text
        # The checks' reader of periods loads pandas: only for a month written otherwise.
        import pandas as pd

        from .validate import parse_periods

        periods, bad = parse_periods(pd.Series([text], dtype="str"))
        if bad.iloc[0]:
            raise ValueError(f"expected a month as YYYY-MM, got {text!r}")
        return periods.iloc[0]


class Swot(_Model):
    """Strengths, weaknesses, opportunities and threats."""

    strengths: TextList = Field(default_factory=list, description="Strengths (list).")
    weaknesses: TextList = Field(default_factory=list, description="Weaknesses (list).")
    opportunities: TextList = Field(default_factory=list, description="Opportunities (list).")
    threats: TextList = Field(default_factory=list, description="Threats (list).")


class Channel(_Model):
    """An official account or page of the client."""

    platform: str = Field(description="Platform name, e.g. `VK`, `Telegram`.")
    url: str | None = Field(None, description="Address of the account (http or https).")


class Strategy(_Model):
    """The strategy document agreed with the client."""

    positioning: str | None = Field(None, description="How the brand positions itself.")
    audience: TextList = Field(default_factory=list, description="Target audience segments.")
    swot: Swot = Field(default_factory=Swot, description="SWOT analysis.")
    competitor_analysis: TextList = Field(
        default_factory=list, description="Findings about the competitors."
    )
    tasks: TextList = Field(default_factory=list, description="Tasks that serve the goals.")
    tone_of_voice: str | None = Field(None, description="How the brand speaks.")
    visual: TextList = Field(default_factory=list, description="Visual references and style.")
    channels: list[Channel] = Field(default_factory=list, description="Channels in use.")
    content_types: TextList = Field(default_factory=list, description="Content types.")
    funnel: TextList = Field(default_factory=list, description="Sales funnel stages.")
    evaluation: TextList = Field(
        default_factory=list, description="How effectiveness is judged (metrics, reporting)."
    )


class TeamMember(_Model):
    """A person working on the account."""

    role: str = Field(
        description="Role: strategist, marketer, designer, copywriter, targetologist, ..."
    )
    name: str | None = Field(None, description="The person's name.")


class ResponseTemplates(_Model):
    """Templates of official replies, by tonality of the feedback they answer."""

    positive: str | None = Field(None, description="Reply to positive feedback.")
    neutral: str | None = Field(None, description="Reply to neutral feedback or questions.")
    negative: str | None = Field(None, description="Reply to negative feedback.")


class Branding(_Model):
    """The client's look in its portal."""

    logo: str | None = Field(
        None, description="Logo file, relative to the client's folder (PNG, SVG or JPEG)."
    )
    primary_color: str | None = Field(None, description="Main colour, `#rrggbb`.")
    accent_color: str | None = Field(None, description="Accent colour, `#rrggbb`.")

    @field_validator("primary_color", "accent_color")
    @classmethod
    def _color(cls, value: str | None) -> str | None:
        if value is not None and not COLOR_RE.match(value):
            raise ValueError(f"expected a colour as #rrggbb, got {value!r}")
        return value

    @field_validator("logo")
    @classmethod
    def _logo(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value.startswith(("/", "\\")) or re.match(r"^[a-zA-Z]:", value):
            raise ValueError("the logo must be a path inside the client's folder, not absolute")
        if ".." in re.split(r"[\\/]", value):
            raise ValueError(
                "the logo must be a path inside the client's folder ('..' is not allowed)"
            )
        return value


class Client(_Model):
    """``data/<slug>/client.yml``: one client of the agency."""

    name: str = Field(min_length=1, description="The client's name as its reports show it.")
    locale: Locale | None = Field(
        None, description="Report language, `ru` or `en`; defaults to the agency's."
    )
    timezone: str = Field(
        "UTC", description="IANA time zone (e.g. `Europe/Moscow`): months are counted in it."
    )
    industry: str | None = Field(
        None, description="One of the sector keys (see below) or free text."
    )
    brand: Brand = Field(description="The client's own brand.")
    competitors: list[Brand] = Field(
        min_length=1, description="Competing brands (at least one): the industry for SoV."
    )
    goals: list[Goal] = Field(default_factory=list, description="Targets set by the strategy.")
    strategy: Strategy = Field(default_factory=Strategy, description="The strategy document.")
    team: list[TeamMember] = Field(default_factory=list, description="Who works on the account.")
    response_templates: ResponseTemplates = Field(
        default_factory=ResponseTemplates, description="Official reply templates."
    )
    branding: Branding = Field(default_factory=Branding, description="Logo and colours.")
    default_kind: Kind = Field(
        "post",
        description=(
            "The `kind` of a mention whose `kind` cell is empty or missing. `comment` or"
            " `review` for a monitoring export of people's posts without a `kind` column,"
            " which then count as feedback (tonality, net sentiment). When no mention file"
            " has a `kind` column, this is not set and none of the brand's mentions is"
            " feedback, `smrm validate` warns that the reports will show no tonality of it."
        ),
    )

    mention_columns: dict[str, MentionColumn] = Field(
        default_factory=dict,
        description=(
            "The mention files' own names for columns of the contract, as `name in the"
            " export: column` (`airline: brand`), for an export whose header names them"
            " otherwise (optional). A column is one of `date`, `brand`, `sentiment`,"
            " `platform`, `kind`, `media_type`, `url`, `author`, `text`, `likes`, `comments`,"
            " `reposts`, `reach` or `time`. Names are compared as headers are: in any case, with"
            " spaces or `_` alike. The column so named is read as that column, also where a"
            " file has a column of that name too, which is then not read."
        ),
    )

    monitoring_since: dt.date | None = Field(
        None,
        description=(
            "The day the monitoring of mentions began, `YYYY-MM-DD` (optional). When it is"
            " not the 1st, that month's mentions cover only part of it: its report says so,"
            " and the month after does not set its mentions, Share of Voice and net sentiment"
            " beside it."
        ),
    )

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            close = difflib.get_close_matches(value, sorted(available_timezones()), 1)
            advice = (
                f"did you mean {close[0]!r}?" if close else "use an IANA name like Europe/Moscow"
            )
            raise ValueError(f"unknown time zone {value!r}; {advice}") from exc
        return value

    @property
    def brands(self) -> list[Brand]:
        """The client's brand first, then the competitors in the order of client.yml."""
        return [self.brand, *self.competitors]

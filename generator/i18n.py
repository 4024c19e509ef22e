"""Client-facing words and number formats in Russian and English.

Russian reports use Russian conventions: ``41,2 %``, ``1 234``, ``октябрь 2026``, ``окт. 2026``.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping

from babel.dates import format_date
from babel.numbers import (
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
)

LOCALES = ("ru", "en")

_BABEL = {"ru": "ru_RU", "en": "en_GB"}
#: Python's grouping comma and decimal point, as each language writes them.
_SYMBOLS = {
    locale: str.maketrans({",": get_group_symbol(name), ".": get_decimal_symbol(name)})
    for locale, name in _BABEL.items()
}
#: The minus sign, not Babel's hyphen: a card's `−42,5` then reads as its change (`−3,6`) and
#: the charts' axes (Vega writes U+2212) do; validate reads it back.
MINUS = "\u2212"
#: Room for every digit of the largest float, which Python's default 28 digits are not.
_WIDE = decimal.Context(prec=400)

#: Every client-facing word, by key; a test checks both languages have every key.
TEXTS: dict[str, dict[str, str]] = {
    "overview": {"ru": "Обзор", "en": "Overview"},
    "sov": {"ru": "Доля голоса", "en": "Share of Voice"},
    "tonality": {"ru": "Тональность", "en": "Tonality"},
    "engagement": {"ru": "Вовлечённость", "en": "Engagement"},
    "smm": {"ru": "SMM или ведение аккаунта", "en": "SMM vs account-keeping"},
    "strategy": {"ru": "Стратегия", "en": "Strategy"},
    "reputation": {"ru": "Репутация", "en": "Reputation"},
    "method": {"ru": "Методика и данные", "en": "Method and data"},
    "report_for": {"ru": "Отчёт за {month}", "en": "Report for {month}"},
    "mentions": {"ru": "Упоминания", "en": "Mentions"},
    "mentions_of": {"ru": "Упоминания бренда", "en": "Brand mentions"},
    "net_sentiment": {"ru": "Индекс тональности", "en": "Net sentiment"},
    "engagement_rate": {"ru": "ER по подписчикам", "en": "ER by followers"},
    "er_reach": {"ru": "ER по охвату", "en": "ER by reach"},
    "interactions": {"ru": "Взаимодействия", "en": "Interactions"},
    "followers": {"ru": "Подписчики", "en": "Followers"},
    "reach": {"ru": "Охват", "en": "Reach"},
    "posts": {"ru": "Публикации", "en": "Posts"},
    "likes": {"ru": "Лайки", "en": "Likes"},
    "comments": {"ru": "Комментарии", "en": "Comments"},
    "reposts": {"ru": "Репосты", "en": "Reposts"},
    "positive": {"ru": "Позитив", "en": "Positive"},
    "neutral": {"ru": "Нейтрально", "en": "Neutral"},
    "negative": {"ru": "Негатив", "en": "Negative"},
    "online": {"ru": "Онлайн-СМИ", "en": "Online media"},
    "radio": {"ru": "Радио", "en": "Radio"},
    "tv": {"ru": "ТВ", "en": "TV"},
    "print": {"ru": "Печатные СМИ", "en": "Print"},
    "vs_previous": {"ru": "к прошлому месяцу", "en": "vs previous month"},
    "vs_days": {"ru": "к {days}", "en": "vs {days}"},
    "up_to_time": {"ru": "до {time}", "en": "up to {time}"},
    "no_mentions_days": {"ru": "{days} упоминаний не было", "en": "no mentions in {days}"},
    "no_feedback_days": {
        "ru": "{days} отзывов и комментариев не было",
        "en": "no reviews or comments in {days}",
    },
    "in_progress": {
        "ru": "{month} ещё не закончился: в отчёте упоминания по {through}.",
        "en": "{month} is not over yet: this report has its mentions up to {through}.",
    },
    "in_progress_compared": {
        "ru": "Упоминания, доля голоса и индекс тональности сравниваются с теми же днями прошлого месяца, {days}.",
        "en": "Mentions, share of voice and net sentiment are compared with the same days of the month before, {days}.",
    },
    "monitoring_began": {
        "ru": "Мониторинг упоминаний начат {day}: {month} в отчёте — не весь месяц.",
        "en": "Mentions are monitored from {day}: this report has only part of {month}.",
    },
    "monitoring_began_before": {
        "ru": "в прошлом месяце мониторинг начат {day}",
        "en": "monitored from {day} in the previous month",
    },
    "in_progress_no_mentions": {
        "ru": "{month} ещё не закончился, и упоминаний за него пока нет.",
        "en": "{month} is not over yet, and it has no mentions so far.",
    },
    "no_previous": {"ru": "первый месяц отчёта", "en": "first month of the report"},
    "no_data": {"ru": "нет данных", "en": "no data"},
    "no_feedback": {"ru": "нет отзывов и комментариев", "en": "no reviews or comments"},
    "no_feedback_months": {
        "ru": "За эти месяцы нет отзывов и комментариев о {brand}, поэтому тональности обратной связи и индекса тональности нет.",
        "en": "There are no reviews or comments about {brand} in these months, so there is no tonality of feedback and no net sentiment to show.",
    },
    "all_tones_below": {
        "ru": "Тональность всех упоминаний каждого бренда — ниже.",
        "en": "The tonality of all mentions of each brand is below.",
    },
    "no_account_figures": {"ru": "нет данных об аккаунтах", "en": "no figures of the accounts"},
    "no_followers": {"ru": "нет числа подписчиков", "en": "no count of followers"},
    "no_followers_before": {
        "ru": "в прошлом месяце нет числа подписчиков",
        "en": "no count of followers in the previous month",
    },
    "no_interactions": {
        "ru": "нет данных о лайках, комментариях и репостах",
        "en": "no figures of likes, comments or reposts",
    },
    "no_interactions_before": {
        "ru": "в прошлом месяце нет данных о лайках, комментариях и репостах",
        "en": "no figures of likes, comments or reposts in the previous month",
    },
    "no_mentions": {"ru": "нет упоминаний брендов", "en": "no mentions of any brand"},
    "no_mentions_before": {
        "ru": "в прошлом месяце упоминаний не было",
        "en": "no mentions in the previous month",
    },
    "no_feedback_before": {
        "ru": "в прошлом месяце отзывов не было",
        "en": "no reviews or comments in the previous month",
    },
    "no_account_figures_before": {
        "ru": "в прошлом месяце нет данных об аккаунтах",
        "en": "no figures of the accounts in the previous month",
    },
    "pp": {"ru": "п.\u00a0п.", "en": "pp"},
    "pieces": {"ru": "шт.", "en": "pcs"},
    "goal": {"ru": "Цель", "en": "Goal"},
    "goals": {"ru": "Цели", "en": "Goals"},
    "target": {"ru": "Цель", "en": "Target"},
    "actual": {"ru": "Сейчас", "en": "Now"},
    "by_month": {"ru": "до {month}", "en": "by {month}"},
    "met": {"ru": "достигнута", "en": "met"},
    "not_met": {"ru": "пока не достигнута", "en": "not met yet"},
    "unknown": {"ru": "нет данных", "en": "no data"},
    "commentary": {"ru": "Комментарий менеджера", "en": "Account manager's commentary"},
    "brand": {"ru": "Бренд", "en": "Brand"},
    "month": {"ru": "Месяц", "en": "Month"},
    "platform": {"ru": "Площадка", "en": "Platform"},
    "share": {"ru": "Доля", "en": "Share"},
    "count": {"ru": "Количество", "en": "Count"},
    "unspecified": {"ru": "не указана", "en": "not specified"},
    "data_table": {"ru": "Данные графика", "en": "Chart data"},
    "contact": {"ru": "Связаться", "en": "Contact"},
    "media_title": {"ru": "Упоминания в СМИ", "en": "Media mentions"},
    "all_brands": {"ru": "все бренды", "en": "all brands"},
    "vanity_title": {
        "ru": "Лайки и подписчики против бизнес-результатов",
        "en": "Likes and followers vs business results",
    },
    "sov_lead": {
        "ru": "Доля голоса — какая часть всех публикаций о вашем бренде и конкурентах приходится на каждый бренд. Чем она выше, тем заметнее бренд в соцсетях.",
        "en": "Share of Voice is the part of all publications about your brand and its competitors that each brand gets. The higher it is, the more visible the brand.",
    },
    "tonality_lead": {
        "ru": "Отзывы и комментарии людей, которые имели дело с компанией: позитивные, нейтральные и негативные. Индекс тональности — разница между долями позитива и негатива.",
        "en": "Reviews and comments from people who dealt with the company: positive, neutral and negative. Net sentiment is the share of positive minus the share of negative.",
    },
    "engagement_lead": {
        "ru": "Лайки, комментарии и репосты в официальных аккаунтах и их отношение к числу подписчиков и охвату (ER).",
        "en": "Likes, comments and reposts on the official accounts, and their ratio to followers and reach (ER).",
    },
    "no_accounts": {
        "ru": "Данных об официальных аккаунтах нет (accounts.csv).",
        "en": "There is no data on the official accounts (accounts.csv).",
    },
    "smm_lead": {
        "ru": "SMM — система маркетинга, которая достигает бизнес-целей через соцсети; ведение аккаунта — это публикации и ответы. Ниже — на чьей стороне ваша работа по четырём критериям и что сделать, чтобы перейти к SMM.",
        "en": "SMM is a marketing system that reaches business goals through social networks; account-keeping is posting and replying. Below: on which side your work stands on four criteria, and what would move it to SMM.",
    },
    "criterion": {"ru": "Критерий", "en": "Criterion"},
    "keeping": {"ru": "Ведение аккаунта", "en": "Account-keeping"},
    "your_work": {"ru": "Ваша работа", "en": "Your work"},
    "side_smm": {"ru": "SMM", "en": "SMM"},
    "side_partial": {"ru": "Частично", "en": "Partly"},
    "side_keeping": {"ru": "Ведение аккаунта", "en": "Account-keeping"},
    "to_smm": {"ru": "Чтобы перейти к SMM", "en": "To move to SMM"},
    "no_vanity": {
        "ru": "Для сравнения с бизнес-результатами нужны accounts.csv и outcomes.csv.",
        "en": "Comparing with business results needs accounts.csv and outcomes.csv.",
    },
    "positioning": {"ru": "Позиционирование", "en": "Positioning"},
    "industry": {"ru": "Отрасль", "en": "Industry"},
    "audience": {"ru": "Целевая аудитория", "en": "Target audience"},
    "strengths": {"ru": "Сильные стороны", "en": "Strengths"},
    "weaknesses": {"ru": "Слабые стороны", "en": "Weaknesses"},
    "opportunities": {"ru": "Возможности", "en": "Opportunities"},
    "threats": {"ru": "Угрозы", "en": "Threats"},
    "competitor_analysis": {"ru": "Анализ конкурентов", "en": "Competitor analysis"},
    "tasks": {"ru": "Задачи", "en": "Tasks"},
    "tone_of_voice": {"ru": "Тон коммуникации", "en": "Tone of voice"},
    "visual": {"ru": "Визуальные ориентиры", "en": "Visual references"},
    "channels": {"ru": "Каналы", "en": "Channels"},
    "content_types": {"ru": "Типы контента", "en": "Content types"},
    "funnel": {"ru": "Воронка продаж", "en": "Sales funnel"},
    "evaluation": {"ru": "Как оценивается эффективность", "en": "How effectiveness is judged"},
    "team": {"ru": "Команда", "en": "Team"},
    "role_strategist": {"ru": "Стратег", "en": "Strategist"},
    "role_marketer": {"ru": "Маркетолог", "en": "Marketer"},
    "role_designer": {"ru": "Дизайнер", "en": "Designer"},
    "role_copywriter": {"ru": "Копирайтер", "en": "Copywriter"},
    "role_targetologist": {"ru": "Таргетолог", "en": "Targetologist"},
    "reputation_lead": {
        "ru": "Негатив этого месяца, на который нужно ответить (сначала — с наибольшим охватом), и самые позитивные упоминания — ваши адвокаты бренда.",
        "en": "This month’s negative feedback and media mentions that need a reply (largest reach first), and the most positive mentions: your brand advocates.",
    },
    "needs_reply": {"ru": "Требует ответа", "en": "Needs a reply"},
    "needs_reply_count": {
        "ru": "Негативных отзывов, комментариев и публикаций СМИ: {count}.",
        "en": "Negative reviews, comments and media mentions: {count}.",
    },
    "showing": {"ru": "Показаны первые {count}.", "en": "The first {count} are shown."},
    "template_negative": {
        "ru": "Шаблон ответа на негатив",
        "en": "Reply template for negative feedback",
    },
    "template_positive": {
        "ru": "Шаблон ответа на позитив",
        "en": "Reply template for positive feedback",
    },
    "no_negative_at_all": {"ru": "Негатива нет", "en": "No negative mentions"},
    "no_negative": {
        "ru": "В этом месяце негатива, требующего ответа, нет.",
        "en": "No negative feedback needs a reply this month.",
    },
    "advocates": {"ru": "Адвокаты бренда", "en": "Brand advocates"},
    "negative_posts": {
        "ru": "Негативных публикаций о {brand} в этом месяце: {count}. Это не отзывы и не комментарии, поэтому здесь они не перечислены.",
        "en": "Negative posts about {brand} this month: {count}. They are not reviews or comments, so they are not listed here.",
    },
    "advocates_count": {
        "ru": "Позитивных упоминаний: {count}.",
        "en": "Positive mentions: {count}.",
    },
    "no_advocates": {
        "ru": "В этом месяце позитивных упоминаний нет.",
        "en": "No positive mentions this month.",
    },
    "date": {"ru": "Дата", "en": "Date"},
    "author": {"ru": "Автор", "en": "Author"},
    "text": {"ru": "Текст", "en": "Text"},
    "link": {"ru": "Ссылка", "en": "Link"},
    "open": {"ru": "открыть", "en": "open"},
    "formulas": {"ru": "Как считаются показатели", "en": "How the figures are computed"},
    "f_sov": {
        "ru": "упоминания бренда ÷ упоминания всех отслеживаемых брендов за месяц × 100; в месяце без упоминаний доли нет.",
        "en": "mentions of the brand ÷ mentions of all tracked brands in the month × 100; a month without mentions has no share.",
    },
    "f_sov_reach": {
        "ru": "то же, но каждое упоминание весит столько, каков его охват; упоминание без охвата весит 0.",
        "en": "the same, with each mention weighted by its reach; a mention without reach weighs 0.",
    },
    "f_net": {
        "ru": "(позитивные − негативные) ÷ все отзывы и комментарии о бренде × 100, от −100 до 100.",
        "en": "(positive − negative) ÷ all reviews and comments about the brand × 100, from −100 to 100.",
    },
    "f_media": {
        "ru": "публикации СМИ о бренде (онлайн, радио, ТВ, печать) с их тональностью.",
        "en": "media publications about the brand (online, radio, TV, print) with their tonality.",
    },
    "f_er": {
        "ru": "(лайки + комментарии + репосты) ÷ подписчики × 100, по всем официальным аккаунтам.",
        "en": "(likes + comments + reposts) ÷ followers × 100, over all official accounts.",
    },
    "f_er_reach": {
        "ru": "(лайки + комментарии + репосты) ÷ охват × 100.",
        "en": "(likes + comments + reposts) ÷ reach × 100.",
    },
    "f_goals": {
        "ru": "цель достигнута, когда значение месяца не меньше целевого.",
        "en": "a goal is met when the month’s value is at least the target.",
    },
    "f_months": {
        "ru": "Месяцы — календарные, в часовом поясе {tz}. Повторы одной публикации (тот же url и бренд) считаются один раз. Отчёт за месяц использует только данные до конца этого месяца.",
        "en": "Months are calendar months in the {tz} time zone. Repeats of one publication (same url and brand) count once. A month’s report uses only data up to the end of that month.",
    },
    "sources": {"ru": "Данные", "en": "Data"},
    "file": {"ru": "Файл", "en": "File"},
    "read": {"ru": "Прочитано строк", "en": "Rows read"},
    "used": {"ru": "Использовано", "en": "Used"},
    "duplicates": {"ru": "Повторы", "en": "Duplicates"},
    "rejected": {"ru": "Отклонено", "en": "Rejected"},
    "accounting_note": {
        "ru": "Строки по этот месяц включительно: прочитано = использовано + повторы + отклонено.",
        "en": "Rows up to this month: read = used + duplicates + rejected.",
    },
    "files_counted": {"ru": "файлов: {n}", "en": "files: {n}"},
    "folder_note": {
        "ru": "Файлы папки считаются вместе; отдельно показаны те, где есть повторы или отклонённые строки. Все файлы по отдельности — в metrics.json.",
        "en": "A folder’s files are counted together; those with duplicates or rejected rows are also shown on their own. metrics.json lists every file.",
    },
    "rejected_rows": {"ru": "Отклонённые строки", "en": "Rejected rows"},
    "rejected_shown": {
        "ru": "Показаны первые {shown} из {total} отклонённых строк; все они перечислены в rejected.csv агентства.",
        "en": "The first {shown} of {total} rejected rows are shown; the agency’s rejected.csv lists them all.",
    },
    "line": {"ru": "Строка", "en": "Line"},
    "reason": {"ru": "Причина", "en": "Reason"},
    "downloads": {"ru": "Скачать", "en": "Downloads"},
    "dl_metrics": {
        "ru": "все показатели этого месяца (JSON)",
        "en": "every figure of this month (JSON)",
    },
    "dl_series": {
        "ru": "помесячные ряды до этого месяца (CSV для Excel)",
        "en": "monthly series up to this month (CSV for Excel)",
    },
    "index_note": {
        "ru": "Индекс: первый показанный месяц с данными = 100.",
        "en": "Index: first month shown with data = 100.",
    },
}


def t(key: str, locale: str, **values: str) -> str:
    """The text for ``key`` in ``locale``, with ``{placeholders}`` filled in."""
    text = TEXTS[key][locale]
    return text.format(**values) if values else text


def as_label(name: str) -> str:
    """A name written in a sentence's case (an outcome's `leads`, as outcomes.csv has it) as
    a label begins, beside labels that do (a chart's `Likes`): its first letter capitalised,
    unless its first word is cased otherwise (`iPhone sales`, `ROI`)."""
    word = name.split(" ", 1)[0]
    return name[:1].upper() + name[1:] if word.islower() and word[:1].isalpha() else name


#: The signs of the units an outcome's figure may carry (validate's ``_UNITS``, by name).
_UNIT_SIGNS = {"RUB": "₽", "USD": "$", "EUR": "€", "GBP": "£", "KZT": "₸", "UAH": "₴", "%": "%"}


def with_unit(label: str, unit: str | None, locale: str) -> str:
    """``выручка, ₽``: a figure's label with its unit, as a table's heading names it."""
    if not unit:
        return label
    return f"{label}, {_UNIT_SIGNS.get(unit) or t(unit, locale)}"


def number(value: float | None, locale: str, digits: int = 0) -> str:
    """``1 234`` (ru, no-break space) or ``1,234`` (en), ``−42,5`` with a minus sign and ``0``
    for a negative that rounds to nothing; an em dash for no value."""
    if value is None:
        return "—"
    exact = decimal.Decimal(str(value))
    # Babel's own formatting is a fifth of a month's page rendering; this gives the same text
    # (the same rounding of the same decimal, half to even) for every finite number, which a
    # test checks against Babel. Babel fails on numbers beyond 28 digits, which a hostile
    # export's reach may be; these are written in full. Not-a-number is Babel's to word.
    if not exact.is_finite():
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        text = format_decimal(value, format=pattern, locale=_BABEL[locale])
        return MINUS + text[1:] if text.startswith("-") else text
    rounded = abs(exact).quantize(decimal.Decimal(1).scaleb(-digits), context=_WIDE)
    text = f"{rounded:,f}".translate(_SYMBOLS[locale])
    return MINUS + text if exact.is_signed() and rounded else text


_CURRENCIES = frozenset(_UNIT_SIGNS) - {"%"}


def figure(value: float | None, locale: str, unit: str | None = None) -> str:
    """An outcome as the agency wrote it: whole numbers whole (``1 250``), others to the
    fewest decimals up to two (``2,5``, ``0,25``) or four below 0.1 (``0,004``), money in
    kopecks or cents (``150 000,50``) so that a card never shows a figure rounded to another."""
    if value is None:
        return "—"
    digits = figure_digits(value, unit)
    return number(round(value, digits) or 0.0, locale, digits)  # no "−0" for a rounded −0.004


#: The most decimals a figure below 0.1 is shown with.
_SMALL_DIGITS = 4


def figure_digits(value: float, unit: str | None = None) -> int:
    """The fewest decimals that show ``value`` to two decimals, or to four below 0.1 (a
    conversion of 0,004, which two would show as 0); money with two unless it is whole."""
    if not abs(value) < 2**53 / 100:  # not a number, or beyond where floats hold cents
        return 0
    most = _SMALL_DIGITS if abs(value) < 0.1 and unit not in _CURRENCIES else 2
    shown = round(value, most)
    if shown == round(shown):  # whole, or nothing at all once rounded
        return 0
    if unit in _CURRENCIES:
        return 2
    return next(d for d in range(1, most + 1) if round(value, d) == shown)


def percent(value: float | None, locale: str, digits: int = 1) -> str:
    """A value already in percent: ``41,2 %`` (ru) or ``41.2%`` (en)."""
    if value is None:
        return "—"
    text = number(value, locale, digits)
    return f"{text}\u00a0%" if locale == "ru" else f"{text}%"


def signed(value: float | None, locale: str, digits: int = 0, unit: str = "") -> str:
    """A change with its sign: ``+12``, ``−3,5 п. п.``."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else (MINUS if value < 0 else "±")
    text = sign + number(abs(value), locale, digits)
    return f"{text}\u00a0{unit}" if unit else text


def signed_percent(value: float | None, locale: str, digits: int = 1) -> str:
    """A relative change: ``+15,4 %`` (ru) or ``+15.4%`` (en)."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else (MINUS if value < 0 else "±")
    return sign + percent(abs(value), locale, digits)


def _first_day(period: str) -> dt.date:
    year, month = period.split("-")
    return dt.date(int(year), int(month), 1)


def month_name(period: str, locale: str) -> str:
    """``октябрь 2026`` / ``October 2026``."""
    return format_date(_first_day(period), "LLLL yyyy", locale=_BABEL[locale])


def month_until(period: str, locale: str) -> str:
    """``декабря 2026`` / ``December 2026``: the month after "до" / "by"."""
    return format_date(_first_day(period), "MMMM yyyy", locale=_BABEL[locale])


def month_title(period: str, locale: str) -> str:
    """``Октябрь 2026`` / ``October 2026``: for titles and the version selector."""
    name = month_name(period, locale)
    return name[:1].upper() + name[1:]


def month_short(period: str, locale: str) -> str:
    """``окт. 2026`` / ``Oct 2026``: for chart axes."""
    return format_date(_first_day(period), "LLL yyyy", locale=_BABEL[locale])


def day_text(day: dt.date, locale: str) -> str:
    """``22 ноября`` / ``22 November``: a day of the month a report is about."""
    return format_date(day, "d MMMM", locale=_BABEL[locale])


def day_span(start: dt.date, end: dt.date, locale: str) -> str:
    """``1–22 октября`` / ``1–22 October``: days of one month; one day as ``day_text``."""
    last = day_text(end, locale)
    return last if start == end else f"{start.day}–{last}"


def date_text(value: dt.datetime | dt.date, locale: str) -> str:
    """``05.10.2026`` / ``5 Oct 2026``."""
    pattern = "dd.MM.yyyy" if locale == "ru" else "d MMM yyyy"
    return format_date(value, pattern, locale=_BABEL[locale])


def vega_locale(locale: str) -> Mapping[str, object]:
    """Number format locale for Vega charts (d3-format), matching :func:`number`."""
    if locale == "ru":
        return {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0₽"]}
    return {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["£", ""]}

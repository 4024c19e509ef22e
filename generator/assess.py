"""SMM or account-keeping: the four criteria of BRIEF.md, judged from client.yml and the data.

Each criterion says on which side the client's work stands, why, and what would move it to SMM.
"""

from __future__ import annotations

from dataclasses import dataclass

from .schema import BUILTIN_GOAL_METRICS, Client

SMM, PARTIAL, KEEPING = "smm", "partial", "keeping"

#: Goals that only count audience activity: what account-keeping is judged by.
VANITY_METRICS = {"followers", "interactions", "reach", "engagement_rate", "mentions"}
SPECIALIST_ROLES = {"strategist", "marketer", "designer", "copywriter", "targetologist"}

WORDS = {
    "ru": {
        "goal": "Цель",
        "basis": "Основа работы",
        "team": "Команда",
        "judged": "Как оценивают успех",
        "smm_goal": "бизнес-цели через соцсети",
        "keeping_goal": "поддержание присутствия",
        "smm_basis": "анализ, стратегия, воронка продаж",
        "keeping_basis": "контент-план и текущее администрирование",
        "smm_team": "маркетолог, стратег, дизайнер, копирайтер, таргетолог",
        "keeping_team": "один универсальный специалист",
        "smm_judged": "метрики, аналитика, отчётность",
        "keeping_judged": "лайки и число подписчиков",
        "goal_smm": "Цели связаны с бизнесом: {names}.",
        "goal_partial": "Цели есть, но только по активности аудитории: {names}.",
        "goal_none": "В стратегии не записано ни одной измеримой цели.",
        "goal_advice": "Поставить цель по бизнес-результату (заявки, продажи, выручка) "
        "или по доле голоса и тональности, с датой.",
        "basis_smm": "Есть позиционирование, аудитория, анализ ({analysis}) и воронка.",
        "basis_partial": "Стратегия заполнена частично: нет {missing}.",
        "basis_none": "Стратегии нет: работа идёт по графику публикаций.",
        "basis_advice": "Дописать в стратегию: {missing}.",
        "team_smm": "В команде {count} специалистов: {roles}.",
        "team_partial": "В команде {count}: {roles}; не хватает {missing}.",
        "team_none": "Аккаунт ведёт один человек{roles}.",
        "team_advice": "Добавить в команду: {missing}.",
        "judged_smm": "Успех оценивается по бизнес-метрикам ({names}), они измеряются ежемесячно.",
        "judged_partial": "Критерии оценки записаны, но бизнес-результаты не измеряются "
        "(нет outcomes.csv).",
        "judged_unwritten": "Бизнес-результаты измеряются, но в стратегии не записано, "
        "как оценивается эффективность.",
        "judged_none": "Критерии оценки не записаны: остаются лайки и подписчики.",
        "judged_advice": "Записать в стратегии, как оценивается эффективность, и ежемесячно "
        "передавать бизнес-результаты (outcomes.csv).",
        "analysis": "SWOT, конкуренты",
        "positioning": "позиционирования",
        "audience": "описания аудитории",
        "swot": "анализа (SWOT или конкурентов)",
        "funnel": "воронки продаж",
        "and": " и ",
    },
    "en": {
        "goal": "Goal",
        "basis": "Basis of the work",
        "team": "Team",
        "judged": "How success is judged",
        "smm_goal": "business goals reached through social networks",
        "keeping_goal": "keeping a presence",
        "smm_basis": "analysis, strategy, sales funnel",
        "keeping_basis": "a posting schedule, day-to-day admin",
        "smm_team": "marketer, strategist, designer, copywriter, targetologist",
        "keeping_team": "one generalist",
        "smm_judged": "metrics, analytics, reporting",
        "keeping_judged": "likes and follower counts",
        "goal_smm": "Goals are tied to the business: {names}.",
        "goal_partial": "There are goals, but only for audience activity: {names}.",
        "goal_none": "The strategy sets no measurable goal.",
        "goal_advice": "Set a goal for a business result (leads, sales, revenue) or for "
        "Share of Voice and sentiment, with a date.",
        "basis_smm": "Positioning, audience, analysis ({analysis}) and a funnel are in place.",
        "basis_partial": "The strategy is incomplete: it has no {missing}.",
        "basis_none": "There is no strategy: the work follows a posting schedule.",
        "basis_advice": "Add to the strategy: {missing}.",
        "team_smm": "{count} specialists work on the account: {roles}.",
        "team_partial": "{count} on the team: {roles}; missing {missing}.",
        "team_none": "One person runs the account{roles}.",
        "team_advice": "Add to the team: {missing}.",
        "judged_smm": "Success is judged by business metrics ({names}), measured every month.",
        "judged_partial": "Evaluation criteria are written down, but business results are not "
        "measured (no outcomes.csv).",
        "judged_unwritten": "Business results are measured, but the strategy does not say how "
        "effectiveness is judged.",
        "judged_none": "No evaluation criteria are written down: likes and followers remain.",
        "judged_advice": "Write down how effectiveness is judged, and send business results "
        "every month (outcomes.csv).",
        "analysis": "SWOT, competitors",
        "positioning": "positioning",
        "audience": "audience",
        "swot": "analysis (SWOT or competitors)",
        "funnel": "sales funnel",
        "and": " and ",
    },
}

#: Roles as the object of a sentence ("не хватает дизайнера"): Russian needs another case.
ROLE_OBJECTS = {
    "ru": {
        "strategist": "стратега",
        "marketer": "маркетолога",
        "designer": "дизайнера",
        "copywriter": "копирайтера",
        "targetologist": "таргетолога",
    },
    "en": {r: r for r in SPECIALIST_ROLES},
}

METRIC_NAMES = {
    "ru": {
        "mentions": "упоминания",
        "sov": "доля голоса",
        "net_sentiment": "индекс тональности",
        "engagement_rate": "ER",
        "interactions": "взаимодействия",
        "followers": "подписчики",
        "reach": "охват",
    },
    "en": {
        "mentions": "mentions",
        "sov": "Share of Voice",
        "net_sentiment": "net sentiment",
        "engagement_rate": "ER",
        "interactions": "interactions",
        "followers": "followers",
        "reach": "reach",
    },
}

ROLE_NAMES = {
    "ru": {
        "strategist": "стратег",
        "marketer": "маркетолог",
        "designer": "дизайнер",
        "copywriter": "копирайтер",
        "targetologist": "таргетолог",
    },
    "en": {r: r for r in SPECIALIST_ROLES},
}


@dataclass(frozen=True)
class Criterion:
    """One row of the comparison: which side the work stands on, why, and what to do."""

    key: str
    title: str
    smm: str
    keeping: str
    side: str
    reason: str
    advice: str


def assess(client: Client, outcome_metrics: list[str], locale: str) -> list[Criterion]:
    """The four criteria for this client."""
    w = WORDS[locale]
    return [
        _goal(client, outcome_metrics, w, METRIC_NAMES[locale]),
        _basis(client, w),
        _team(client, w, ROLE_NAMES[locale], ROLE_OBJECTS[locale]),
        _judged(client, outcome_metrics, w),
    ]


def _criterion(key: str, w: dict[str, str], side: str, reason: str, advice: str) -> Criterion:
    return Criterion(
        key,
        w[key],
        w[f"smm_{key}"],
        w[f"keeping_{key}"],
        side,
        reason,
        "" if side == SMM else advice,
    )


def _goal(
    client: Client, outcomes: list[str], w: dict[str, str], metrics: dict[str, str]
) -> Criterion:
    names = [g.title or metrics.get(g.metric, g.metric) for g in client.goals]
    business = [
        g
        for g in client.goals
        if g.metric not in VANITY_METRICS
        and (g.metric in BUILTIN_GOAL_METRICS or g.metric.casefold() in _folded(outcomes))
    ]
    if business:
        side, reason = SMM, w["goal_smm"].format(names=_join(names, w))
    elif client.goals:
        side, reason = PARTIAL, w["goal_partial"].format(names=_join(names, w))
    else:
        side, reason = KEEPING, w["goal_none"]
    return _criterion("goal", w, side, reason, w["goal_advice"])


def _basis(client: Client, w: dict[str, str]) -> Criterion:
    s = client.strategy
    has = {
        "positioning": bool(s.positioning),
        "audience": bool(s.audience),
        "swot": bool(s.competitor_analysis or any(s.swot.model_dump().values())),
        "funnel": bool(s.funnel),
    }
    missing = [w[k] for k, present in has.items() if not present]
    if not missing:
        side, reason = SMM, w["basis_smm"].format(analysis=w["analysis"])
    elif len(missing) < len(has):
        side, reason = PARTIAL, w["basis_partial"].format(missing=_join(missing, w))
    else:
        side, reason = KEEPING, w["basis_none"]
    return _criterion("basis", w, side, reason, w["basis_advice"].format(missing=_join(missing, w)))


def _team(
    client: Client, w: dict[str, str], roles: dict[str, str], objects: dict[str, str]
) -> Criterion:
    present = [m.role.casefold() for m in client.team]
    specialists = sorted({r for r in present if r in SPECIALIST_ROLES})
    shown = [roles.get(r, r) for r in dict.fromkeys(present)]
    missing = [objects[r] for r in sorted(SPECIALIST_ROLES - set(specialists))]
    count = len(set(present))
    leads = {"strategist", "marketer"} & set(specialists)
    if len(specialists) >= 3 and leads:
        side, reason = SMM, w["team_smm"].format(count=count, roles=_join(shown, w))
    elif count >= 2:
        side = PARTIAL
        reason = w["team_partial"].format(
            count=count, roles=_join(shown, w), missing=_join(missing, w)
        )
    else:
        side = KEEPING
        reason = w["team_none"].format(roles=f" ({shown[0]})" if shown else "")
    return _criterion("team", w, side, reason, w["team_advice"].format(missing=_join(missing, w)))


def _judged(client: Client, outcomes: list[str], w: dict[str, str]) -> Criterion:
    written = bool(client.strategy.evaluation)
    if written and outcomes:
        side, reason = SMM, w["judged_smm"].format(names=_join(outcomes, w))
    elif written or outcomes:
        side, reason = PARTIAL, w["judged_partial" if written else "judged_unwritten"]
    else:
        side, reason = KEEPING, w["judged_none"]
    return _criterion("judged", w, side, reason, w["judged_advice"])


def _folded(names: list[str]) -> set[str]:
    return {n.casefold() for n in names}


def _join(items: list[str], w: dict[str, str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + w["and"] + items[-1]

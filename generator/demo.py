"""A seeded demo agency: realistic client data for trying the tool and for benchmarks.

The same arguments always give the same files. Data is generated with numpy over whole columns,
so a client with a million mentions takes seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml


@dataclass
class Profile:
    """What makes one demo client look like a real business."""

    slug: str
    name: str
    locale: str
    timezone: str
    industry: str
    #: Brand name with its aliases; competitors likewise, biggest first.
    brand: tuple[str, list[str]]
    competitors: list[tuple[str, list[str]]]
    #: Share of the industry's mentions at the start and at the end of the period.
    share_start: float
    share_end: float
    #: Month of the year (1-12) with the most activity.
    peak_month: int
    platforms: dict[str, float]
    review_platform: str
    media_names: dict[str, str]
    texts: dict[str, list[str]]
    outcomes: dict[str, float]
    #: How the outcomes in money are written, as a spreadsheet formats a cell of money.
    money: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


RU_TEXTS = {
    "positive": [
        "Заказали шкаф в {b} — собрали за день, всё ровно, спасибо!",
        "{b} снова порадовали: диван как на фото, доставка вовремя",
        "Рекомендую {b}, качество на уровне, менеджер всё объяснил",
        "Кухня от {b} стоит третий год, как новая",
    ],
    "neutral": [
        "Кто-нибудь брал кровать у {b}? Какие сроки доставки?",
        "{b} открыли новый шоурум на Садовой",
        "Сравниваю цены {b} и других фабрик на кухни",
        "У {b} акция на шкафы-купе до конца месяца",
    ],
    "negative": [
        "{b} задержали доставку уже на три недели, никто не отвечает",
        "Фасады от {b} пришли со сколами, жду замену",
        "Не советую {b}: обещали одно, привезли другое",
        "Сборщик от {b} опоздал на четыре часа и ушёл не доделав",
    ],
}

EN_TEXTS = {
    "positive": [
        "Best flat white in town at {b}, as always",
        "{b} staff remembered my order, lovely start to the day",
        "The new seasonal menu at {b} is great",
        "Working from {b} today: quiet, fast wifi, good coffee",
    ],
    "neutral": [
        "Is {b} open on bank holidays?",
        "{b} is opening a new shop near the station",
        "Trying {b} for the first time today",
        "Anyone know if {b} does oat milk?",
    ],
    "negative": [
        "Waited 20 minutes at {b} for a lukewarm latte",
        "{b} got my order wrong twice this week",
        "Prices at {b} went up again, not worth it",
        "The app from {b} charged me twice",
    ],
}

PROFILES = [
    Profile(
        slug="dubrava",
        name="Мебельная фабрика «Дубрава»",
        locale="ru",
        timezone="Europe/Moscow",
        industry="furniture",
        brand=("Дубрава", ["Dubrava", "фабрика Дубрава", "Дубрава Мебель"]),
        competitors=[
            ("МебельГрад", ["Mebelgrad", "Мебель Град"]),
            ("Кедр", ["Kedr", "Кедр-Мебель"]),
            ("Уютный Дом", ["Уютный дом", "Uyutny Dom"]),
        ],
        share_start=0.22,
        share_end=0.31,
        peak_month=9,
        platforms={
            "VK": 0.38,
            "Telegram": 0.24,
            "Дзен": 0.12,
            "YouTube": 0.08,
            "Одноклассники": 0.08,
            "Яндекс Карты": 0.10,
        },
        review_platform="Яндекс Карты",
        media_names={"online": "Онлайн-СМИ", "radio": "Радио", "tv": "ТВ", "print": "Пресса"},
        texts=RU_TEXTS,
        outcomes={"лиды": 420, "продажи": 95, "выручка": 7_600_000},
        money={"выручка": "{} ₽"},
    ),
    Profile(
        slug="northside-coffee",
        name="Northside Coffee",
        locale="en",
        timezone="Europe/London",
        industry="restaurants",
        brand=("Northside Coffee", ["Northside", "@northsidecoffee", "North Side Coffee"]),
        competitors=[
            ("Bean Street", ["BeanStreet", "@beanstreet"]),
            ("Daily Grind", ["@dailygrind"]),
            ("Copper Kettle", ["Copper Kettle Cafe"]),
        ],
        share_start=0.18,
        share_end=0.24,
        peak_month=12,
        platforms={
            "Instagram": 0.36,
            "Twitter": 0.22,
            "Facebook": 0.14,
            "TikTok": 0.12,
            "Google Reviews": 0.16,
        },
        review_platform="Google Reviews",
        media_names={"online": "Online press", "radio": "Radio", "tv": "TV", "print": "Print"},
        texts=EN_TEXTS,
        outcomes={"leads": 310, "sales": 5200, "revenue": 41_000},
        money={"revenue": "£{}"},
    ),
]

GENERIC_SECTORS = [
    ("beauty-salons", "Салон красоты"),
    ("car-dealers", "Автосалон"),
    ("medicine", "Клиника"),
    ("tourism", "Турагентство"),
    ("courses", "Онлайн-школа"),
    ("construction-real-estate", "Девелопер"),
    ("universities", "Университет"),
    ("lawyers", "Юридическая фирма"),
]

KIND_P = {"post": 0.52, "comment": 0.23, "review": 0.15, "media": 0.10}
MEDIA_P = {"online": 0.68, "radio": 0.13, "tv": 0.11, "print": 0.08}


def profile_for(index: int) -> Profile:
    """The two named demo clients first, then generated ones of other sectors."""
    if index < len(PROFILES):
        return PROFILES[index]
    sector, label = GENERIC_SECTORS[(index - len(PROFILES)) % len(GENERIC_SECTORS)]
    number = index + 1
    base = PROFILES[0]
    return Profile(
        slug=f"client-{number:03d}",
        name=f"{label} №{number}",
        locale="ru",
        timezone="Europe/Moscow",
        industry=sector,
        brand=(f"Бренд {number}", [f"Brand {number}"]),
        competitors=[(f"Конкурент {number}-{k}", []) for k in (1, 2, 3)],
        share_start=0.15 + 0.02 * (index % 5),
        share_end=0.2 + 0.02 * (index % 5),
        peak_month=1 + (index * 5) % 12,
        platforms=base.platforms,
        review_platform=base.review_platform,
        media_names=base.media_names,
        texts=base.texts,
        outcomes=base.outcomes,
        money=base.money,
    )


def month_list(end: str, months: int) -> list[pd.Period]:
    last = pd.Period(end, freq="M")
    return [last - (months - 1 - i) for i in range(months)]


def generate(
    out_dir: Path, n_clients: int, months: int, mentions: int, end: str, seed: int
) -> list[Path]:
    """Write agency.yml and one folder per client; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [_write_yaml(out_dir / "agency.yml", AGENCY)]
    periods = month_list(end, months)
    for index in range(n_clients):
        profile = profile_for(index)
        rng = np.random.default_rng([seed, index])
        folder = out_dir / profile.slug
        folder.mkdir(parents=True, exist_ok=True)
        written.append(_write_yaml(folder / "client.yml", client_yaml(profile, periods)))
        if not profile.slug.startswith("client-"):
            written.append(_write_logo(folder / "logo.svg", profile))
        frame = mention_frame(profile, periods, mentions, rng)
        written.append(_write_mentions(folder / "mentions.csv", frame, profile))
        written.append(_write_csv(folder / "accounts.csv", accounts_frame(profile, periods, rng)))
        written.append(_write_csv(folder / "outcomes.csv", outcomes_frame(profile, periods, rng)))
    return written


def _season(period: pd.Period, peak: int) -> float:
    return 1 + 0.3 * math.cos(2 * math.pi * (period.month - peak) / 12)


def spike_index(months: int) -> int:
    """The month of the demo's negative spike: four months before the end (or the middle)."""
    return max(0, months - 5) if months >= 6 else months // 2


def mention_frame(
    profile: Profile, periods: list[pd.Period], total: int, rng: np.random.Generator
) -> pd.DataFrame:
    """Mentions of the client and its competitors, month by month."""
    spike = spike_index(len(periods))
    weights = np.array([_season(p, profile.peak_month) for p in periods])
    weights[spike] *= 1.35
    per_month = np.floor(weights / weights.sum() * total).astype(int)
    per_month[-1] += total - per_month.sum()
    names = [profile.brand[0]] + [c[0] for c in profile.competitors]
    spellings = [[profile.brand[0], *profile.brand[1]]] + [
        [c[0], *c[1]] for c in profile.competitors
    ]
    comp = np.array([0.5, 0.3, 0.2][: len(profile.competitors)])
    spelling_table = np.array(
        [[sp[k % len(sp)] for k in range(8)] for sp in spellings], dtype=object
    )
    tones = ("negative", "neutral", "positive")
    text_table = np.array(
        [
            [
                [[profile.texts[t][k].format(b=s) for s in row] for row in spelling_table]
                for k in range(4)
            ]
            for t in tones
        ],
        dtype=object,
    )
    parts = []
    for i, (period, n) in enumerate(zip(periods, per_month, strict=True)):
        if n <= 0:
            continue
        progress = i / max(1, len(periods) - 1)
        own = profile.share_start + (profile.share_end - profile.share_start) * progress
        if i == spike:
            own *= 1.4
        shares = np.concatenate([[own], (1 - own) * comp / comp.sum()])
        brand = rng.choice(len(names), size=n, p=shares)
        tone_p = np.where(
            (brand == 0)[:, None] & (i == spike), [[0.15, 0.3, 0.55]], [[0.38, 0.44, 0.18]]
        )
        u = rng.random(n)
        sentiment = np.where(u < tone_p[:, 0], 1, np.where(u < tone_p[:, 0] + tone_p[:, 1], 0, -1))
        kind = rng.choice(list(KIND_P), size=n, p=list(KIND_P.values()))
        media_type = np.where(
            kind == "media", rng.choice(list(MEDIA_P), size=n, p=list(MEDIA_P.values())), ""
        )
        platform = rng.choice(list(profile.platforms), size=n, p=list(profile.platforms.values()))
        platform = np.where(kind == "review", profile.review_platform, platform)
        platform = np.where(
            kind == "media", pd.Series(media_type).map(profile.media_names).to_numpy(), platform
        )
        start = period.start_time.value // 10**9
        seconds = rng.integers(0, period.days_in_month * 86400, size=n)
        stamps = pd.to_datetime(start + np.sort(seconds), unit="s")
        reach = np.round(rng.lognormal(6.5, 1.3, size=n)).astype(int)
        reach = np.where(
            media_type == "tv", reach * 200, np.where(media_type == "radio", reach * 40, reach)
        )
        likes = np.round(reach * rng.uniform(0.01, 0.06, size=n)).astype(int)
        # Most mentions spell the brand's name; the rest use one of its aliases.
        spelling = np.where(rng.random(n) < 0.7, 0, rng.integers(0, 8, size=n))
        template = rng.integers(0, 4, size=n)
        spelled = spelling_table[brand, spelling]
        text = text_table[sentiment + 1, template, brand, spelling]
        parts.append(
            pd.DataFrame(
                {
                    "date": stamps,
                    "brand": spelled,
                    "sentiment": sentiment,
                    "platform": platform,
                    "kind": kind,
                    "media_type": media_type,
                    "author": [f"user{x}" for x in rng.integers(1000, 99999, n)],
                    "text": text,
                    "likes": likes,
                    "comments": np.round(likes * rng.uniform(0.05, 0.3, size=n)).astype(int),
                    "reposts": np.round(likes * rng.uniform(0.02, 0.15, size=n)).astype(int),
                    "reach": reach,
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    frame.insert(5, "url", [f"https://example.com/{profile.slug}/p/{i}" for i in range(len(frame))])
    # Monitoring exports repeat a few publications; the tool must count them once.
    dupes = rng.choice(len(frame), size=min(len(frame), max(1, len(frame) // 1000)), replace=False)
    frame = pd.concat([frame, frame.iloc[np.sort(dupes)]]).sort_values("date", kind="stable")
    return frame.reset_index(drop=True)


def accounts_frame(
    profile: Profile, periods: list[pd.Period], rng: np.random.Generator
) -> pd.DataFrame:
    """The client's own accounts: followers grow, activity follows the season."""
    own = [p for p in profile.platforms if p != profile.review_platform][:4]
    rows = []
    for j, platform in enumerate(own):
        followers = int(rng.integers(4_000, 30_000)) // (j + 1)
        for period in periods:
            followers = int(followers * rng.uniform(1.005, 1.04))
            season = _season(period, profile.peak_month)
            posts = int(rng.integers(10, 28))
            reach = int(followers * rng.uniform(1.5, 3.5) * season)
            likes = int(reach * rng.uniform(0.02, 0.05))
            rows.append(
                {
                    "period": str(period),
                    "platform": platform,
                    "followers": followers,
                    "posts": posts,
                    "likes": likes,
                    "comments": int(likes * rng.uniform(0.05, 0.15)),
                    "reposts": int(likes * rng.uniform(0.03, 0.1)),
                    "reach": reach,
                }
            )
    return pd.DataFrame(rows)


def outcomes_frame(
    profile: Profile, periods: list[pd.Period], rng: np.random.Generator
) -> pd.DataFrame:
    """Business results that follow the season and improve as the work goes on."""
    rows = []
    spike = spike_index(len(periods))
    for i, period in enumerate(periods):
        factor = _season(period, profile.peak_month) * (1 + 0.03 * i)
        if i == spike:
            factor *= 0.85
        for metric, base in profile.outcomes.items():
            value = round(base * factor * rng.uniform(0.92, 1.08))
            written = profile.money[metric].format(value) if metric in profile.money else value
            rows.append({"period": str(period), "metric": metric, "value": written})
    return pd.DataFrame(rows)


def _write_yaml(path: Path, content: dict[str, Any]) -> Path:
    path.write_text(
        yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
    )
    return path


def _write_logo(path: Path, profile: Profile) -> Path:
    """A plain round badge with the brand's initial, in the brand's colour."""
    color = "#5b3a29" if profile.locale == "ru" else "#1f4e5f"
    initial = profile.brand[0][:1]
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">'
        f'<circle cx="32" cy="32" r="30" fill="#ffffff" stroke="{color}" stroke-width="4"/>'
        f'<text x="32" y="43" font-family="Georgia, serif" font-size="32" text-anchor="middle" '
        f'fill="{color}">{initial}</text></svg>\n',
        encoding="utf-8",
    )
    return path


def _write_csv(path: Path, frame: pd.DataFrame) -> Path:
    frame.to_csv(path, index=False, lineterminator="\n")
    return path


def _write_mentions(path: Path, frame: pd.DataFrame, profile: Profile) -> Path:
    """Russian clients get what a Russian Excel writes: ';', day-first dates, Russian words."""
    out = frame.copy()
    if profile.locale == "ru":
        out["date"] = out["date"].dt.strftime("%d.%m.%Y %H:%M")
        out["sentiment"] = out["sentiment"].map({1: "позитив", 0: "нейтрал", -1: "негатив"})
        out.to_csv(path, index=False, sep=";", lineterminator="\r\n", encoding="utf-8-sig")
    else:
        out["date"] = out["date"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        out["sentiment"] = out["sentiment"].map({1: "positive", 0: "neutral", -1: "negative"})
        out.to_csv(path, index=False, lineterminator="\n")
    return path


AGENCY: dict[str, Any] = {
    # Its clients read reports in Russian and in English: each footer names it in its own.
    "name": {"ru": "Агентство «Северный ветер»", "en": "North Wind Agency"},
    "url": "https://example.com/agency",
    "contact": "hello@example.com, +7 495 000-00-00",
    "locale": "ru",
}


def client_yaml(profile: Profile, periods: list[pd.Period]) -> dict[str, Any]:
    """client.yml of a demo client: the Russian furniture maker carries the full strategy."""
    last = str(periods[-1] + 2)
    content: dict[str, Any] = {
        "name": profile.name,
        "locale": profile.locale,
        "timezone": profile.timezone,
        "industry": profile.industry,
        "brand": {"name": profile.brand[0], "aliases": profile.brand[1]},
        "competitors": [{"name": n, "aliases": a} for n, a in profile.competitors],
    }
    metrics = list(profile.outcomes)
    if profile.locale == "ru":
        content["goals"] = [
            {"metric": "sov", "target": 30, "by": last, "title": "Доля голоса 30 %"},
            {"metric": "net_sentiment", "target": 25, "title": "Индекс тональности отзывов ≥ 25"},
            {"metric": "engagement_rate", "target": 6, "title": "ER по подписчикам 6 %"},
            {
                "metric": metrics[0],
                "target": round(profile.outcomes[metrics[0]] * 1.3),
                "by": last,
                "title": "Заявок из соцсетей в месяц",
            },
        ]
        content["strategy"] = RU_STRATEGY
        content["team"] = [
            {"role": "strategist", "name": "Анна Соколова"},
            {"role": "marketer", "name": "Игорь Петров"},
            {"role": "designer", "name": "Мария Лебедева"},
            {"role": "copywriter", "name": "Ольга Кузнецова"},
            {"role": "targetologist", "name": "Дмитрий Волков"},
        ]
        content["response_templates"] = {
            "positive": "Спасибо за тёплые слова! Передадим команде фабрики — "
            "им будет очень приятно.",
            "neutral": "Здравствуйте! Спасибо за вопрос — ответим в личных сообщениях "
            "в течение часа.",
            "negative": "Здравствуйте! Нам очень жаль. Пожалуйста, напишите номер заказа в личные "
            "сообщения — руководитель службы доставки свяжется с вами сегодня.",
        }
        content["branding"] = {
            "logo": "logo.svg",
            "primary_color": "#5b3a29",
            "accent_color": "#c8873a",
        }
    else:
        content["goals"] = [
            {"metric": "sov", "target": 25, "by": last, "title": "Share of Voice 25%"},
            {"metric": "net_sentiment", "target": 20, "title": "Net sentiment of reviews ≥ 20"},
            {
                "metric": metrics[1],
                "target": round(profile.outcomes[metrics[1]] * 1.2),
                "title": "Monthly sales from social",
            },
        ]
        content["strategy"] = EN_STRATEGY
        content["team"] = [
            {"role": "strategist", "name": "Kate Morgan"},
            {"role": "copywriter", "name": "Sam Patel"},
            {"role": "designer", "name": "Leo Novak"},
        ]
        content["response_templates"] = {
            "positive": "Thank you! We'll pass this on to the team at your local Northside.",
            "neutral": "Thanks for asking! We've sent you a direct message with the details.",
            "negative": "We're sorry to hear this. Please DM us your order number and "
            "we'll put it right today.",
        }
        content["branding"] = {
            "logo": "logo.svg",
            "primary_color": "#1f4e5f",
            "accent_color": "#e07a5f",
        }
    if profile.slug.startswith("client-"):
        content.pop("strategy")
        content["branding"].pop("logo")
        content["team"] = content["team"][:1]
    return content


RU_STRATEGY: dict[str, Any] = {
    "positioning": "Мебель из массива дуба на заказ по цене фабрики: делаем сами, привозим и "
    "собираем за 14 дней.",
    "audience": [
        "Семьи 30–45 лет, переезжающие в новостройку",
        "Владельцы загородных домов",
        "Дизайнеры интерьеров",
    ],
    "swot": {
        "strengths": ["Собственное производство", "Гарантия 10 лет", "Сборка за один день"],
        "weaknesses": ["Сроки доставки в регионы", "Мало отзывов на картах"],
        "opportunities": ["Рост новостроек в области", "Интерес к натуральным материалам"],
        "threats": ["Крупные сети с агрессивными скидками", "Рост цен на древесину"],
    },
    "competitor_analysis": [
        "МебельГрад: лидер по объёму упоминаний, много негатива о сроках",
        "Кедр: сильный визуальный контент в VK, слабая работа с отзывами",
        "Уютный Дом: низкие цены, мало присутствия в Telegram",
    ],
    "tasks": [
        "Отвечать на все отзывы в течение 2 часов по шаблонам",
        "Запустить рубрику «Как мы делаем мебель» в VK и Дзене",
        "Собрать 200 отзывов на Яндекс Картах",
        "Таргетированная реклама на новоселов",
    ],
    "tone_of_voice": "Спокойно и по делу, как мастер, который гордится своей работой; на «вы», "
    "без канцелярита.",
    "visual": [
        "Тёплые натуральные тона",
        "Фото в реальных интерьерах клиентов",
        "Крупные планы фактуры",
    ],
    "channels": [
        {"platform": "VK", "url": "https://vk.com/example_dubrava"},
        {"platform": "Telegram", "url": "https://t.me/example_dubrava"},
        {"platform": "Дзен", "url": "https://dzen.ru/example_dubrava"},
    ],
    "content_types": ["Кейсы клиентов", "Видео с производства", "Экспертные советы", "Акции"],
    "funnel": [
        "Охват: полезный контент",
        "Интерес: кейсы и видео",
        "Заявка: расчёт проекта",
        "Продажа: замер и договор",
        "Лояльность: отзывы и рекомендации",
    ],
    "evaluation": [
        "Доля голоса среди четырёх фабрик региона",
        "Индекс тональности отзывов",
        "Заявки и продажи из соцсетей",
    ],
}

EN_STRATEGY: dict[str, Any] = {
    "positioning": "The neighbourhood coffee house that knows your order.",
    "audience": ["Commuters 25–40", "Remote workers", "Students"],
    "swot": {
        "strengths": ["Speciality beans", "Friendly staff"],
        "weaknesses": ["Queues at peak hours"],
        "opportunities": ["Loyalty app", "Office delivery"],
        "threats": ["Chains opening nearby"],
    },
    "competitor_analysis": ["Bean Street dominates volume but draws complaints about price"],
    "tasks": ["Reply to every review within a day", "Weekly Reels from the bar"],
    "tone_of_voice": "Warm, brief, a little playful.",
    "visual": ["Morning light", "Hands and cups, no stock photos"],
    "channels": [
        {"platform": "Instagram", "url": "https://instagram.com/example_northside"},
        {"platform": "TikTok", "url": "https://tiktok.com/@example_northside"},
    ],
    "content_types": ["Behind the bar", "Customer stories", "Seasonal menu"],
    "funnel": ["Discover", "Visit", "Return", "Recommend"],
    "evaluation": ["Share of Voice in the area", "Review sentiment", "Sales from social offers"],
}

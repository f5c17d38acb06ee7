"""Demand shape: opening hours, intraday, weekly and monthly curves, and per-pool sizing constants."""

from __future__ import annotations

import math
from datetime import date

# Agents per (site, line of business) pool at scale 1 (about 80 in all).
POOL_AGENTS = {
    ("nyc", "billing"): 16,
    ("nyc", "tech_support"): 18,
    ("nyc", "sales"): 8,
    ("krk", "billing"): 14,
    ("krk", "tech_support"): 24,
}
DEFAULT_POOL_AGENTS = 10
MIN_POOL_AGENTS = 3

# Weekday weights (Mon..Sun) of inbound demand per line of business.
WEEKDAY = {
    "billing": (1.2, 1.05, 1.0, 1.0, 0.95, 0.35, 0.0),
    "tech_support": (1.1, 1.05, 1.0, 1.0, 1.0, 0.6, 0.45),
    "sales": (1.1, 1.0, 1.0, 1.0, 1.05, 0.6, 0.0),
}
DEFAULT_WEEKDAY = (1.1, 1.0, 1.0, 1.0, 1.0, 0.5, 0.2)

# Opening hours (local, hours) per line of business and weekday for voice and chat.
OPEN_HOURS = {
    "billing": ((8, 20),) * 5 + ((9, 15), None),
    "tech_support": ((7, 24),) * 5 + ((8, 22), (8, 22)),
    "sales": ((9, 20),) * 5 + ((9, 15), None),
}
DEFAULT_OPEN = ((8, 20),) * 5 + ((9, 15), None)

# Mean seconds: talk, acw; hold probability and mean hold seconds; per channel and line of business.
HANDLE = {
    ("voice", "billing"): (300, 40, 0.25, 60),
    ("voice", "tech_support"): (420, 45, 0.35, 90),
    ("voice", "sales"): (360, 50, 0.2, 45),
    ("chat", "tech_support"): (480, 30, 0.0, 0),
    ("chat", "billing"): (420, 30, 0.0, 0),
    ("email", "billing"): (360, 30, 0.0, 0),
    ("email", "tech_support"): (420, 30, 0.0, 0),
}

# Share of a pool's agent capacity spent on each inbound channel (the rest: outbound dialling).
CHANNEL_SHARE = {"voice": 0.62, "chat": 0.28, "email": 0.22}

TARGET_OCCUPANCY = 0.63


def target_occupancy(pool_agents: int) -> float:
    """Occupancy the demand is sized for: lower for small pools, which need more slack to answer in time."""
    if pool_agents <= 4:  # a handful of agents cannot cover the opening hours: keep their load light
        return 0.25
    return min(0.75, max(0.35, 0.80 - 0.65 / max(1.0, pool_agents) ** 0.5))


INTENTS = {
    "billing": (
        ("BILL_EXPLAIN", 0.26),
        ("BILL_DISPUTE", 0.08),
        ("PAYMENT", 0.22),
        ("PLAN_CHANGE", 0.12),
        ("ADDR_CHANGE", 0.1),
        ("CANCEL", 0.06),
        ("COMPLAINT_SVC", 0.04),
        ("GENERAL_INFO", 0.12),
    ),
    "tech_support": (
        ("OUTAGE", 0.14),
        ("DEVICE_SETUP", 0.2),
        ("CONNECTIVITY", 0.24),
        ("PWD_RESET", 0.18),
        ("COMPLAINT_SVC", 0.04),
        ("COMPLAINT_AGENT", 0.015),
        ("GENERAL_INFO", 0.185),
    ),
    "sales": (
        ("ORDER_NEW", 0.35),
        ("ORDER_STATUS", 0.3),
        ("PLAN_CHANGE", 0.15),
        ("CANCEL", 0.08),
        ("GENERAL_INFO", 0.12),
    ),
}
DEFAULT_INTENTS = (("GENERAL_INFO", 1.0),)


def handle_params(channel: str, lob: str) -> tuple[int, int, float, int]:
    return HANDLE.get((channel, lob), (380, 40, 0.2, 60))


def weekday_weights(lob: str) -> tuple[float, ...]:
    return WEEKDAY.get(lob, DEFAULT_WEEKDAY)


def open_hours(lob: str, channel: str, d: date) -> tuple[float, float] | None:
    """Local opening hours of a queue on date ``d``; e-mail arrives around the clock."""
    if channel == "email":
        return (0, 24)
    return OPEN_HOURS.get(lob, DEFAULT_OPEN)[d.weekday()]


def intraday(hour: float, channel: str) -> float:
    """Relative arrival intensity at a local hour (0..24): morning and afternoon peaks."""
    base = (
        0.35
        + math.exp(-(((hour - 10.5) / 1.6) ** 2))
        + 0.8 * math.exp(-(((hour - 14.5) / 2.0) ** 2))
        + 0.15 * math.exp(-(((hour - 19.0) / 1.5) ** 2))
    )
    if channel == "email":
        night = 0.12 if (hour < 6 or hour >= 22) else 0.0
        return night + (base if 6 <= hour < 22 else 0.0)
    return base


def monthly_factor(lob: str, d: date, start: date) -> float:
    """Month shape (billing peaks after the bills go out) and a gentle growth trend."""
    f = 1.0
    if lob == "billing":
        if d.day <= 5:
            f *= 1.28
        elif d.day >= 25:
            f *= 0.9
    months = (d - start).days / 30.4
    return f * (1.0 + 0.025 * months)

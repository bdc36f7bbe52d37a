"""Calendar arithmetic for deadline normalisation: periods as (start, end) date pairs."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ],
        start=1,
    )
}
NUMBER_WORDS = {
    "een": 1,
    "één": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "achttien": 18,
    "vierentwintig": 24,
    "zesendertig": 36,
}
ORDINALS = {
    "eerste": 1,
    "1e": 1,
    "1ste": 1,
    "tweede": 2,
    "2e": 2,
    "2de": 2,
    "derde": 3,
    "3e": 3,
    "3de": 3,
    "vierde": 4,
    "4e": 4,
    "4de": 4,
    "laatste": 4,
}
# First month of each season; winter runs into the next year.
SEASON_START = {"voorjaar": 3, "lente": 3, "zomer": 6, "najaar": 9, "herfst": 9, "winter": 12}
# Month ranges that "begin / medio / eind" of a year stand for (spec: quarter granularity).
PART_OF_YEAR = {
    "begin": (1, 3),
    "medio": (5, 7),
    "midden": (5, 7),
    "half": (5, 7),
    "halverwege": (5, 7),
    "eind": (10, 12),
    "eind-": (10, 12),
    "einde": (10, 12),
}


@dataclass(frozen=True)
class Period:
    """A closed date interval with the granularity it was written at."""

    start: date | None
    end: date | None
    granularity: str | None


def last_day(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def month_period(year: int, first_month: int, last_month: int, granularity: str) -> Period:
    """The period from the first day of one month to the last day of another in the same year."""
    return Period(date(year, first_month, 1), last_day(year, last_month), granularity)


def season_period(year: int, season: str) -> Period:
    """A meteorological season; winter ends at the end of February of the next year."""
    first = SEASON_START[season]
    if first == 12:
        return Period(date(year, 12, 1), last_day(year + 1, 2), "season")
    return month_period(year, first, first + 2, "season")


def add_months(day: date, months: int) -> date:
    """The same day some months later, clipped to the end of a shorter month."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_span(day: date, amount: int, unit: str) -> date:
    """A date plus a span written as a number of days, weeks, months or years."""
    if unit.startswith("dag"):
        return day + timedelta(days=amount)
    if unit.startswith("we"):
        return day + timedelta(weeks=amount)
    if unit.startswith("maand"):
        return add_months(day, amount)
    return add_months(day, 12 * amount)


def day_before(period: Period) -> Period:
    """What "vóór <day or month>" leaves: everything up to the day before the period starts."""
    if period.start is None:
        return period
    previous = period.start - timedelta(days=1)
    if period.granularity == "month":
        return Period(previous.replace(day=1), previous, "month")
    return Period(previous, previous, "day")

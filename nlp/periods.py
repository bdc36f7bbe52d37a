"""What a matched temporal expression stands for: periods as (start, end) date pairs, and recurrences."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from conclusio.calendar_words import (
    EVERY_WORDS,
    MONTHS,
    NEXT_YEAR_WORDS,
    NUMBER_WORDS,
    ORDINALS,
    PART_OF_YEAR,
    RECURRENCES,
    SEASON_START,
)


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


YEAR_RE = re.compile(r"^(19|20)\d\d$")
RANGE_RE = re.compile(r"^((?:19|20)\d\d)[-–]((?:19|20)?\d\d)$")
NUMERIC_DATE_RE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-]((?:19|20)\d\d)$")
QUARTER_CODE_RE = re.compile(r"^[QqKk]([1-4])(?:[-/]((?:19|20)\d\d))?$")
QUARTER_RANGE_RE = re.compile(r"^[QqKk]([1-4])[-/\u2013][QqKk]([1-4])$")


def interpret(label: str, words: list[str], doc_date: date | None, next_word: str | None = None) -> tuple[Period, str | None]:
    """The period and recurrence a matched expression stands for."""
    if label == "RECURRENCE":
        return Period(None, None, None), _recurrence(words)
    if label == "SPAN":
        return _span(words, doc_date, next_word), None
    if label == "YEARS":
        years = _years(words)
        return Period(date(years[0], 1, 1), date(years[-1], 12, 31), "years"), None
    year = _explicit_year(words)
    if label == "DAY":
        return _day(words, year, doc_date), None
    if label == "MONTH":
        month = next(MONTHS[w] for w in words if w in MONTHS)
        return _with_inferred_year(year, doc_date, lambda y: month_period(y, month, month, "month")), None
    if label == "SEASON":
        season = next(w for w in words if w in SEASON_START)
        return _with_inferred_year(year, doc_date, lambda y: season_period(y, season)), None
    year = year if year is not None else _relative_year(words, doc_date)
    if year is None:
        return Period(None, None, None), None
    if label == "QUARTER":
        first, last = _quarters(words)
        return month_period(year, 3 * first - 2, 3 * last, "quarter"), None
    if label == "PART_YEAR":
        first, last = PART_OF_YEAR[next(w for w in words if w in PART_OF_YEAR)]
        return month_period(year, first, last, "quarter"), None
    if label == "HALF":
        second = bool({"tweede", "2e", "2de", "h2"} & set(words))
        return month_period(year, 7 if second else 1, 12 if second else 6, "half"), None
    return month_period(year, 1, 12, "year"), None


def _explicit_year(words: list[str]) -> int | None:
    for word in words:
        if YEAR_RE.match(word):
            return int(word)
        numeric = NUMERIC_DATE_RE.match(word)
        if numeric:
            return int(numeric.group(3))
        code = QUARTER_CODE_RE.match(word)
        if code and code.group(2):
            return int(code.group(2))
    return None


def _relative_year(words: list[str], doc_date: date | None) -> int | None:
    if doc_date is None or "jaar" not in words:
        return None
    if any(w in NEXT_YEAR_WORDS for w in words):
        return doc_date.year + 1
    return doc_date.year


def _with_inferred_year(year: int | None, doc_date: date | None, build) -> Period:
    """A period in the given year, or else in the document's year (the next one if already past)."""
    if year is not None:
        return build(year)
    if doc_date is None:
        return replace(build(2000), start=None, end=None)
    period = build(doc_date.year)
    return build(doc_date.year + 1) if period.end < doc_date else period


def _day(words: list[str], year: int | None, doc_date: date | None) -> Period:
    numeric = NUMERIC_DATE_RE.match(words[0])
    if numeric:
        day = date(int(numeric.group(3)), int(numeric.group(2)), int(numeric.group(1)))
        return Period(day, day, "day")
    month = next(MONTHS[w] for w in words if w in MONTHS)
    day_number = int(re.findall(r"\d+", " ".join(w for w in words if w not in MONTHS and not YEAR_RE.match(w)))[-1])

    def build(y: int) -> Period:
        day = date(y, month, day_number)
        return Period(day, day, "day")

    return _with_inferred_year(year, doc_date, build)


def _quarters(words: list[str]) -> tuple[int, int]:
    """The first and last quarter an expression covers: "Q3 2027" one, "Q1-Q2 2027" a range."""
    for word in words:
        pair = QUARTER_RANGE_RE.match(word)
        if pair:
            return int(pair.group(1)), int(pair.group(2))
    quarter = _quarter(words)
    return quarter, quarter


def _quarter(words: list[str]) -> int:
    for word in words:
        code = QUARTER_CODE_RE.match(word)
        if code:
            return int(code.group(1))
    return next(ORDINALS[w] for w in words if w in ORDINALS)


def _years(words: list[str]) -> list[int]:
    years: list[int] = []
    for word in words:
        pair = RANGE_RE.match(word)
        if pair:
            first, last = pair.group(1), pair.group(2)
            years += [int(first), int(first[: 4 - len(last)] + last)]
        elif YEAR_RE.match(word):
            years.append(int(word))
    return years


def _recurrence(words: list[str]) -> str | None:
    for word in words:
        if word in RECURRENCES:
            return RECURRENCES[word]
    counts = [NUMBER_WORDS[w] for w in words if w in NUMBER_WORDS and w not in {"een", "één"}]
    if "half" in words or "tweemaal" in words or ({"keer", "maal"} & set(words) and counts == [2]):
        return "P6M"
    if "kwartaal" in words:
        return "P3M"
    if "maanden" in words:
        return f"P{counts[0] if counts else 1}M"
    if words[0] in {"om", *EVERY_WORDS} and counts:
        return f"P{counts[0]}Y"
    return "P1Y"


def _span(words: list[str], doc_date: date | None, next_word: str | None) -> Period:
    """ "binnen zes maanden" counted from the document's date; an unknown anchor ("na ...") gives no date."""
    if words[0] != "binnen" or next_word in {"na", "nadat", "vanaf", "volgend"} or doc_date is None:
        return Period(None, None, None)
    amount = NUMBER_WORDS.get(words[1]) or int(words[1])
    return Period(doc_date, add_span(doc_date, amount, words[2]), "day")

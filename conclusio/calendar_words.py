"""The one table of Dutch calendar and period words: months, ordinals, number words, seasons, parts of a year.

Ingest reads document dates with it, nlp reads deadlines with it, tracking recognises how a later
text writes an earlier document's date with it. English and French month names are here too,
because Council documents are dated in those languages as often as in Dutch.
"""

from __future__ import annotations

from datetime import date

DUTCH_MONTHS: tuple[str, ...] = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
MONTHS: dict[str, int] = {name: number for number, name in enumerate(DUTCH_MONTHS, start=1)}
# Month names of the other languages documents are dated in; Dutch names win where they coincide.
MONTHS_ANY_LANGUAGE: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10,
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "août": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
} | MONTHS  # fmt: skip

NUMBER_WORDS: dict[str, int] = {
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "achttien": 18, "vierentwintig": 24, "zesendertig": 36,
}  # fmt: skip
# Ordinals of quarters ("het laatste kwartaal" is the fourth).
ORDINALS: dict[str, int] = {
    "eerste": 1, "1e": 1, "1ste": 1, "tweede": 2, "2e": 2, "2de": 2, "derde": 3, "3e": 3, "3de": 3,
    "vierde": 4, "4e": 4, "4de": 4, "laatste": 4,
}  # fmt: skip
HALF_ORDINALS: tuple[str, ...] = ("eerste", "1e", "1ste", "tweede", "2e", "2de")
# First month of each season; winter runs into the next year.
SEASON_START: dict[str, int] = {"voorjaar": 3, "lente": 3, "zomer": 6, "najaar": 9, "herfst": 9, "winter": 12}
# Month ranges that "begin / medio / eind" of a year stand for (spec: quarter granularity).
PART_OF_YEAR: dict[str, tuple[int, int]] = {
    "begin": (1, 3), "medio": (5, 7), "midden": (5, 7), "eind": (10, 12), "einde": (10, 12), "eind-": (10, 12),
    "half": (5, 7), "halverwege": (5, 7),
}  # fmt: skip
NEXT_YEAR_WORDS: tuple[str, ...] = ("volgend", "volgende", "komend", "komende")
TIME_UNITS: tuple[str, ...] = ("dag", "dagen", "week", "weken", "maand", "maanden", "jaar", "jaren")
# Adverbs of recurrence and the ISO 8601 duration each stands for.
RECURRENCES: dict[str, str] = {
    "jaarlijks": "P1Y", "tweejaarlijks": "P2Y", "driejaarlijks": "P3Y", "vierjaarlijks": "P4Y",
    "vijfjaarlijks": "P5Y", "halfjaarlijks": "P6M", "driemaandelijks": "P3M", "maandelijks": "P1M", "elkjaar": "P1Y",
}  # fmt: skip
EVERY_WORDS: tuple[str, ...] = ("elk", "elke", "ieder", "iedere")
ONCE_WORDS: tuple[str, ...] = ("eenmaal", "eens", "tweemaal")


def date_phrases(iso: str | None) -> tuple[str, ...]:
    """How a Dutch text writes a date: "13 juni 2024", "13.6.2024", "13.06.2024"."""
    if not iso:
        return ()
    day = date.fromisoformat(iso)
    return (f"{day.day} {DUTCH_MONTHS[day.month - 1]} {day.year}", f"{day.day}.{day.month}.{day.year}",
            day.strftime("%d.%m.%Y"))

"""Property tests (fuzzing) of the deadline tagger and normaliser: any text, any document date, never an exception.

The words are drawn from the calendar word table and the patterns' prepositions, mixed with numbers of
every size (days past a month's end, years near 1 and 9999) and arbitrary text, so that the matcher
fires often and the interpretation meets impossible values. Documented behaviour is the only outcome:
a list of deadlines whose dates are real ISO dates (start before end), or None where no date exists.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from conclusio import calendar_words
from nlp.deadlines import merge_recurrence, normalise, parse_deadlines, tag_text

WORDS = sorted(
    set(calendar_words.DUTCH_MONTHS) | set(calendar_words.ORDINALS) | set(calendar_words.PART_OF_YEAR)
    | set(calendar_words.SEASON_START) | set(calendar_words.NUMBER_WORDS) | set(calendar_words.TIME_UNITS)
    | set(calendar_words.RECURRENCES) | set(calendar_words.EVERY_WORDS) | set(calendar_words.ONCE_WORDS)
    | set(calendar_words.NEXT_YEAR_WORDS) | set(calendar_words.HALF_ORDINALS)
    | {"uiterlijk", "tegen", "vóór", "voor", "binnen", "in", "eind", "begin", "medio", "de", "het", "van", "jaar",
       "kwartaal", "helft", "na", "vanaf", "tot", "en", "of", "t/m", "-", "–", "periode", "zal", "heeft", "Q3", "H2",
       "uiterlijk op", "in de loop van", "jaarlijks", "tweejaarlijks", "strategie", "2021-2025"}
)
NUMBER = st.one_of(
    st.integers(0, 99).map(str),
    st.integers(0, 99_999).map(str),
    st.sampled_from(["1", "0001", "9999", "10000", "2024", "2025", "2026", "1899", "2100", "29", "30", "31", "32"]),
    st.tuples(st.integers(0, 40), st.integers(0, 14), st.integers(1, 9999)).map(lambda t: f"{t[0]}.{t[1]}.{t[2]:04d}"),
    st.tuples(st.integers(0, 40), st.integers(0, 14), st.integers(1900, 2099)).map(lambda t: f"{t[0]}-{t[1]}-{t[2]}"),
)
TOKEN = st.one_of(st.sampled_from(WORDS), NUMBER, st.text(max_size=6), st.sampled_from([",", ".", ";", "(", ")"]))
TEXT = st.lists(TOKEN, max_size=14).map(" ".join)
DOC_DATE = st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
                     st.sampled_from([date(1, 1, 1), date(9999, 12, 31), date(9999, 6, 30), date(2024, 2, 29)]))


def well_formed(deadline) -> None:
    start = date.fromisoformat(deadline.start) if deadline.start else None
    end = date.fromisoformat(deadline.end) if deadline.end else None
    assert start is None or end is None or start <= end
    assert deadline.text
    assert deadline.note is None or deadline.end is None  # a note says why a written date has no end


@given(TEXT, DOC_DATE)
def test_any_text_tags_to_well_formed_deadlines(pipeline, text, doc_date):
    for tagged in tag_text(pipeline, text, doc_date):
        well_formed(tagged.deadline)
        assert 0 <= tagged.start_char <= tagged.end_char <= len(text)
    found = parse_deadlines(pipeline, text, doc_date)
    for deadline in found:
        well_formed(deadline)
    merged = merge_recurrence(found)
    assert merged is None or merged in found or merged.recurrence


@given(TEXT, DOC_DATE)
def test_any_expression_normalises_to_a_deadline_or_none(pipeline, text, doc_date):
    deadline = normalise(pipeline, text, doc_date)
    if deadline is not None:
        well_formed(deadline)
        assert deadline.text == text.strip()


@given(st.integers(1900, 2099), st.integers(1, 12), st.integers(1, 31))
def test_any_written_day_is_its_date_or_none_with_a_note(pipeline, year, month, day):
    text = f"De Commissie zal uiterlijk {day} {calendar_words.DUTCH_MONTHS[month - 1]} {year} rapporteren."
    [deadline] = [t.deadline for t in tag_text(pipeline, text, date(1900, 1, 1))]
    well_formed(deadline)
    assert deadline.text == f"uiterlijk {day} {calendar_words.DUTCH_MONTHS[month - 1]} {year}"
    try:
        real = date(year, month, day)
    except ValueError:  # 30 februari, 31 april: the words are kept, the date is not made up
        assert deadline.end is None and deadline.note.startswith("no such date")
    else:
        assert deadline.end == real.isoformat() and deadline.note is None

"""De-hyphenation at line ends: split words rejoined, real hyphens kept."""

from __future__ import annotations

import pytest

from ingest.hyphenation import join_wrapped, vocabulary_of


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("door rechtshandhavings-", "instanties en", "door rechtshandhavingsinstanties en"),
        ("van andere EU-", "lidstaten of", "van andere EU-lidstaten of"),
        ("de relevante Empact-", "prioriteiten", "de relevante Empact-prioriteiten"),
        ("over risico-", "indicatoren", "over risico-indicatoren"),
        ("van ad-", "hocrapportage", "van ad-hocrapportage"),
        ("de rechtshandhavings-", "en justitiële", "de rechtshandhavings- en justitiële"),
        ("ter aanvulling van de EU-", "Socta", "ter aanvulling van de EU-Socta"),
        ("criminaliteit -", "met name", "criminaliteit - met name"),
        ("gewone regel", "loopt door", "gewone regel loopt door"),
    ],
)
def test_join_wrapped(left: str, right: str, joined: str) -> None:
    assert join_wrapped(left, right) == joined


def test_the_document_decides_when_it_writes_the_word_elsewhere() -> None:
    vocabulary = vocabulary_of(["de actieleiders en de medeleiders", "een co-voorzitter van de groep"])
    assert join_wrapped("de actie-", "leiders van", vocabulary) == "de actieleiders van"
    assert join_wrapped("de co-", "voorzitter", vocabulary) == "de co-voorzitter"
    assert join_wrapped("de bedrijfs-", "structuren", vocabulary) == "de bedrijfsstructuren"

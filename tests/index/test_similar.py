"""Prior wording: `similar` ranks by wording and meaning and returns a word diff."""

from __future__ import annotations

import pytest

from evaluation.search import evaluate_similar
from index.search import Searcher
from index.similar import best_window, sentences, word_diff


def test_sentences_split_on_full_stops_and_semicolons():
    parts = sentences("Eerste zin. Tweede deel; derde deel: vierde.")
    assert parts == ["Eerste zin.", "Tweede deel;", "derde deel:", "vierde."]


def test_best_window_picks_the_matching_sentence():
    passage = "De Raad komt bijeen. Europol publiceert tegen eind 2024 een verslag. Dat is alles."
    window = best_window("Europol publiceert tegen eind 2025 een verslag.", passage)
    assert window.text == "Europol publiceert tegen eind 2024 een verslag."
    assert window.character_ratio > 0.9


def test_word_diff_rebuilds_both_texts():
    source = "tegen eind 2024 een specifiek verslag te publiceren"
    draft = "tegen eind 2025 een verslag te publiceren en te verspreiden"
    ops = word_diff(source, draft)
    assert {"op": "delete", "text": "2024"} in ops and {"op": "insert", "text": "2025"} in ops
    assert " ".join(o["text"] for o in ops if o["op"] != "insert") == source
    assert " ".join(o["text"] for o in ops if o["op"] != "delete") == draft


def _corpus_sentence(search_store, words: int = 25) -> str:
    """A long sentence of a real passage, picked by shape rather than by content."""
    for stored in search_store.list_documents():
        for passage in search_store.get_document(stored.source_file).passages:
            for sentence in sentences(passage.text):
                if passage.kind == "body" and len(sentence.split()) >= words:
                    return sentence
    pytest.fail("the corpus has no long sentence")


def test_a_lightly_edited_sentence_finds_its_source_first(searcher: Searcher, search_store):
    sentence = _corpus_sentence(search_store)
    words = sentence.split()
    words[3], words[10] = words[10], words[3]  # two words swapped
    draft = " ".join(words[:-2] + ["voortaan"])  # end cut, one word added
    hits = searcher.similar(draft, k=3)
    assert hits and " ".join(sentence.split()) in " ".join(hits[0].text.split())
    assert hits[0].similarity is not None and 0 < hits[0].similarity <= 1
    assert any(op["op"] == "insert" and "voortaan" in op["text"] for op in hits[0].diff)


def test_similar_on_odd_input_returns_nothing(searcher: Searcher):
    assert searcher.similar("") == []
    assert searcher.similar("?!") == []


def test_dev_cases_meet_the_targets(searcher: Searcher, similar_cases_path):
    evaluation = evaluate_similar(similar_cases_path, searcher)
    assert len(evaluation.outcomes) >= 20
    assert evaluation.rate("light_edit", 1) >= 0.9
    assert evaluation.rate("paraphrase", 3) >= 0.9, evaluation.to_text()
    assert evaluation.count("translated") >= 8
    assert evaluation.rate("translated", 1) >= 0.9, evaluation.to_text()


def test_a_draft_translated_from_english_finds_its_dutch_source(searcher: Searcher, search_store):
    hits = searcher.similar("The drug trade itself also takes place online, on darknet markets as well as on the "
                            "clearnet, including through social media.", k=3)
    assert hits and "De drugshandel zelf vindt ook online plaats" in hits[0].text

"""The Dutch analysis chain shared by indexing and querying."""

from index.analysis import DUTCH_STOPWORDS, analyze, fold, split_compound, tokens


def test_fold_lowercases_and_strips_diacritics():
    assert fold("Financiële Cocaïne") == "financiele cocaine"


def test_tokens_keep_hyphenated_compounds_whole_and_in_parts():
    assert tokens("EU-havens") == ["euhavens", "eu", "havens"]


def test_stop_words_are_dropped_and_words_stemmed():
    terms = analyze("de lidstaten en de havens")
    assert not set(terms) & DUTCH_STOPWORDS
    assert terms == analyze("lidstaten havens")


def test_inflected_forms_share_a_stem():
    assert analyze("onderzoeken")[0] == analyze("onderzoek")[0]
    assert analyze("lidstaten")[0] == analyze("lidstaat")[0]
    assert analyze("netwerken")[0] == analyze("netwerk")[0]


def test_closed_compounds_yield_their_parts():
    assert split_compound("drugshandel") == ["drugs", "handel"]
    assert split_compound("criminaliteitspreventie") == ["criminaliteit", "preventie"]
    assert split_compound("douanecontroleapparatuur") == ["douane", "controle", "apparatuur"]


def test_words_that_are_not_compounds_stay_whole():
    for word in ("verantwoordelijk", "gemeenschappelijke", "havens", "investeringen"):
        assert split_compound(word) == []


def test_compound_parts_are_added_only_on_request():
    assert set(analyze("handel")) <= set(analyze("De drugshandel via de havens", compounds=True))
    assert not set(analyze("handel")) & set(analyze("De drugshandel via de havens"))


def test_analysis_never_fails_on_odd_input():
    for text in ("", "   ", "!!!", "\x00", "a" * 10_000, "NEAR(* \"x\" -)"):
        assert isinstance(analyze(text), list)


def test_stems_follow_the_original_dutch_snowball_stemmer_that_lucene_uses():
    # Lucene's "dutch" stemmer (OpenSearch backend) keeps "haven" -> "hav"; Snowball 3's
    # newer Dutch stemmer would give "haaf", and the two backends would index different terms.
    assert analyze("haven") == ["hav"]
    assert analyze("verslagen") == analyze("verslag")

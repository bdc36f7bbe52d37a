"""Cross-lingual expansion with the shipped glossary and the shared EuroVoc labels."""

import pytest

from conclusio.settings import Settings
from index.crosslingual import QueryExpander, detect_language, load_glossary


@pytest.fixture(scope="module")
def expander(test_settings):
    return QueryExpander.from_settings(test_settings)


def test_glossary_covers_the_genre_in_four_languages():
    concepts = load_glossary()
    assert len(concepts) >= 150
    complete = [c for c in concepts if all(c.forms.get(lang) for lang in ("nl", "en", "de", "fr"))]
    assert len(complete) == len(concepts)
    assert len({c.key for c in concepts}) == len(concepts)


@pytest.mark.parametrize(
    ("query", "language", "dutch"),
    [
        ("money laundering and asset recovery", "en", "witwassen"),
        ("Geldwäsche und Vermögensabschöpfung", "de", "witwassen"),
        ("le recrutement des jeunes par les réseaux criminels", "fr", "criminele netwerken"),
        ("customs controls in the ports", "en", "havens"),
    ],
)
def test_foreign_queries_get_a_dutch_rendering(expander, query, language, dutch):
    expansion = expander.expand(query)
    assert expansion.language == language
    assert dutch in expansion.dutch_text
    assert all(0 < weight < 1 for _, weight in expansion.terms)


def test_dutch_queries_stay_dutch_and_get_synonyms(expander):
    expansion = expander.expand("welke acties tegen drugshandel in havens")
    assert expansion.language == "nl"
    assert expansion.dutch_text == "welke acties tegen drugshandel in havens"
    assert "drugssmokkel" in expansion.shown_terms


def test_eurovoc_adds_concepts_the_glossary_lacks(expander, test_settings):
    if test_settings.eurovoc_dir is None:
        pytest.skip("no EuroVoc folder configured on this machine")
    expansion = expander.expand("the common agricultural policy")
    assert any(m.concept.source == "eurovoc" for m in expansion.matches)
    assert "landbouwbeleid" in expansion.dutch_text


def test_without_eurovoc_the_glossary_still_works_and_says_so(tmp_path):
    expander = QueryExpander.from_settings(Settings(eurovoc_dir=tmp_path, odwn_dir=None))
    assert any("EuroVoc" in note for note in expander.notes)
    assert "witwassen" in expander.expand("money laundering").dutch_text


def test_language_detection_on_short_queries():
    assert detect_language("what did the Council ask") == "en"
    assert detect_language("was hat der Rat beschlossen") == "de"
    assert detect_language("qu'est-ce que le Conseil a demandé") == "fr"
    assert detect_language("wat vraagt de Raad aan de lidstaten") == "nl"


def test_odd_input_gives_an_expansion_not_an_error(expander):
    for text in ("", "!!!", "NEAR(*)", "' OR 1=1 --"):
        assert expander.expand(text).language in ("nl", "en", "de", "fr")


@pytest.mark.parametrize(
    "query, dutch",
    [
        ("Bekämpfung des Drogenhandels", "drugshandel"),  # genitive of a glossary form
        ("Geldwäsche und Vermögensabschöpfungen", "ontneming"),  # plural
        ("smuggled firearms", "smokkel"),  # past participle
    ],
)
def test_inflected_foreign_words_are_found_by_their_stem(query, dutch):
    expansion = QueryExpander(load_glossary()).expand(query)
    assert dutch in expansion.dutch_text.split()


def test_stem_matching_never_overrides_an_exact_match():
    expansion = QueryExpander(load_glossary()).expand("money laundering and drug trafficking")
    assert expansion.dutch_text.split()[0] == "witwassen"
    assert "drugshandel" in expansion.dutch_text


def test_a_word_only_foreign_languages_share_is_not_read_as_dutch():
    # "confiscation" is an English and a French form, never a Dutch one: it must be translated.
    expansion = QueryExpander(load_glossary()).expand("confiscation")
    assert expansion.language in ("en", "fr")
    assert expansion.dutch_text != "confiscation"


def test_wordnet_synonyms_skip_function_words_and_words_a_concept_covers(expander, test_settings):
    if test_settings.odwn_dir is None:
        pytest.skip("no Open Dutch WordNet folder configured on this machine")
    shown = expander.expand("Hoe lang zijn de criminele netwerken actief voor de Commissie").shown_terms
    assert not {"is", "are"} & set(shown)  # "zijn" is a verb here, not the noun WordNet knows
    assert "provisie" not in shown  # "commissie" is the institution: the glossary covers it
    assert "Europese Commissie" in shown


@pytest.mark.parametrize(
    ("query", "language", "dutch"),
    [
        ("observatoire de la prévention de la criminalité", "fr", "waarnemingspost"),
        ("evaluation of the framework decision", "en", "evaluatie"),
        ("saisies de drogues synthétiques", "fr", "synthetische drugs"),
        ("trafic de drogues synthétiques", "fr", "synthetische"),  # an adjective after a matched phrase
        ("long-term solution for the secretariat", "en", "langetermijnoplossing"),
    ],
)
def test_genre_terms_render_as_the_dutch_texts_word_them(expander, query, language, dutch):
    expansion = expander.expand(query)
    assert expansion.language == language
    assert dutch in expansion.dutch_text


def test_everyday_dutch_words_reach_the_policy_wording(expander):
    shown = expander.expand("voorkomen dat tieners door bendes worden geronseld").shown_terms
    assert "jongeren" in shown
    assert "criminele groepen" in shown
    assert "rekrutering" in shown


def test_inflections_of_a_rendered_word_count_in_full(expander):
    """'ask' renders as 'verzoeken'; Council texts write 'verzoekt de Raad', which the index stems apart."""
    expansion = expander.expand("what did the Council ask Europol to deliver")
    assert "verzoeken" in expansion.dutch_text
    weights = dict(expansion.terms)
    assert weights["verzoekt"] == 1.0
    assert weights["vragen"] < 1.0  # another word for the same concept stays an expansion


EUROVOC_ROWS = """concept_id,uri,domain_code,mt_code,mt_label_en,pref_nl,pref_en,pref_de,pref_fr,alt_en,alt_fr,broader,related,in_2021_skos_extract
2,http://eurovoc.europa.eu/2,12,1216,criminal law,misbruik van vertrouwen,breach of trust,Veruntreuung,abus de confiance,,,3944,,yes
9,http://eurovoc.europa.eu/9,56,5616,farming policy,gemeenschappelijk landbouwbeleid,common agricultural policy,Gemeinsame Agrarpolitik,politique agricole commune,CAP,PAC,,,yes
"""


def test_the_parsed_vocabularies_are_kept_and_read_back_until_their_source_changes(tmp_path):
    eurovoc = tmp_path / "eurovoc"
    eurovoc.mkdir()
    (eurovoc / "eurovoc_concepts.csv").write_text(EUROVOC_ROWS, encoding="utf-8")
    settings = Settings(eurovoc_dir=eurovoc, odwn_dir=None, cache_dir=tmp_path / "cache")
    built = QueryExpander.from_settings(settings)
    kept = list((tmp_path / "cache").glob("vocabularies-*.pickle"))
    assert len(kept) == 1
    read_back = QueryExpander.from_settings(settings)
    assert read_back is not built
    for query in ("the common agricultural policies", "Veruntreuung und Geldwäsche", "witwassen in havens"):
        assert read_back.expand(query) == built.expand(query)
    assert "landbouwbeleid" in read_back.expand("the common agricultural policy").dutch_text

    # A changed source file is read again, not answered from the old copy.
    (eurovoc / "eurovoc_concepts.csv").write_text(EUROVOC_ROWS.replace("landbouwbeleid", "landbouwpolitiek"),
                                                  encoding="utf-8")
    changed = QueryExpander.from_settings(settings)
    assert "landbouwpolitiek" in changed.expand("the common agricultural policy").dutch_text
    assert len(list((tmp_path / "cache").glob("vocabularies-*.pickle"))) == 2


def test_a_damaged_cache_file_is_rebuilt(tmp_path):
    settings = Settings(eurovoc_dir=None, odwn_dir=None, cache_dir=tmp_path / "cache")
    QueryExpander.from_settings(settings)
    (kept,) = (tmp_path / "cache").glob("vocabularies-*.pickle")
    kept.write_bytes(kept.read_bytes()[:1000])
    assert "witwassen" in QueryExpander.from_settings(settings).expand("money laundering").dutch_text
    assert len(kept.read_bytes()) > 1000  # written whole again

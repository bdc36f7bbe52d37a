"""The behaviour every ``Store`` backend must show; backends subclass ``StoreContract``.

A subclass provides one fixture, ``store``: a fresh, empty store for each test. The test
documents are real: small texts in the genre's layout, parsed by the real ingest parser, with
obligations from the real extractor and vectors from the real embedding model.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest

import ingest
from conclusio.clearance import Clearance
from conclusio.records import Document, EvidenceLink, Obligation
from index.analysis import tokens
from index.errors import ModelMismatchError, StoreAccessError
from index.query_filters import stated_in, with_fields
from index.query_language import parse_query
from index.store import LexicalQuery, ObligationQuery, SearchFilters, Store

HOSTILE_QUERIES = [
    "",
    "   ",
    '"',
    '"unbalanced quote',
    "(",
    "((a OR b)",
    "NEAR(europol verslag, 3)",
    "europol*",
    "*",
    "-",
    "- europol",
    "a AND OR NOT b",
    "title:europol",
    "{title body}: x",
    "'; DROP TABLE passages; --",
    "\x00\x01",
    "?!.,;:",
    "europol " * 2000,
    "x" * 10_000,
    "^europol",
    "é ü ø ß",
]


@dataclass
class Sample:
    """A document ready to write: parsed, with its obligations and passage vectors."""

    document: Document
    vectors: np.ndarray
    obligations: list[Obligation]


def parse(path: Path, settings) -> Document:
    """A document through the real parser."""
    return ingest.parse_file(path, max_bytes=settings.max_file_bytes, ocr_language=settings.ocr_language)


def prepare(document: Document, embedder, pipeline) -> Sample:
    """Obligations from the real extractor and vectors from the real model."""
    from nlp import extract_obligations

    obligations = list(extract_obligations(pipeline, document))
    return Sample(document, embedder.encode_passages([p.text for p in document.passages]), obligations)


def write(store: Store, sample: Sample, model: str) -> None:
    store.write_document(sample.document, sample.vectors, sample.obligations, model)


def small_text(tmp_dir: Path, name: str, body: str) -> Path:
    path = tmp_dir / name
    path.write_text(body, encoding="utf-8")
    return path


NOTE_TEXT = """Brussel, 3 maart 2025  
(OR. en)

6021/25

**LIMITE**

**JAI 301**  
**ENFOPOL 77**

**NOTA**

---

van:	het voorzitterschap
aan:	het Comité van permanente vertegenwoordigers
nr. vorig doc.:	9120/24
Betreft:	Beveiliging van zeehavens tegen drugssmokkel – voortgangsverslag

---

**Inleiding**

De zeehavens van de Unie blijven de belangrijkste toegangspoort voor cocaïne uit Zuid-Amerika. Dit verslag beschrijft wat sinds juni 2024 is bereikt.

**Actie 1: Containerscanners**

De Commissie heeft in januari 2025 een studie over containerscanners en detectieapparatuur afgerond<sup>1</sup>. Vijf lidstaten hebben sindsdien nieuwe scanners in gebruik genomen.

**Actie 2: Samenwerking tussen douane en politie**

Europol en de douaneautoriteiten hebben een gemeenschappelijke risicoanalyse over zeecontainers opgesteld. De lidstaten zullen de uitwisseling van gegevens tussen douane en kustwacht tegen eind 2025 verbeteren.

**Actie 3: Opleiding van havenpersoneel**

Het opleidingsprogramma voor havenpersoneel loopt vertraging op en wordt naar verwachting in het eerste kwartaal van 2026 afgerond.

---

<sup>1</sup> Studie over detectietechnologie voor zeecontainers, doc. 9120/24.
"""

CONCLUSIONS_TEXT = """ RESULTAAT BESPREKINGEN 

van: het secretariaat-generaal van de Raad 

d.d.: 12 mei 2023 

aan: de delegaties 

Betreft: Conclusies van de Raad over de preventie van jeugdcriminaliteit 

Voor de delegaties gaan hierbij de conclusies van de Raad over de preventie van jeugdcriminaliteit, 

die de Raad tijdens zijn zitting van 12 mei 2023 heeft goedgekeurd. 
 BIJLAGE 

Conclusies van de Raad over de preventie van jeugdcriminaliteit 

DE RAAD VAN DE EUROPESE UNIE, 

1. ERKENT dat criminele netwerken steeds vaker minderjarigen rekruteren voor de handel in 

verdovende middelen; 

2. VERZOEKT de lidstaten om uiterlijk in december 2024 nationale programma's voor de 

preventie van jeugdcriminaliteit op te stellen; 

3. VERZOEKT de Commissie om tegen eind 2025 een verslag over goede praktijken op het gebied 

van vroegtijdige interventie in scholen voor te leggen; 

4. VERZOEKT Europol om de rekrutering van minderjarigen via sociale media in kaart te brengen 

en daarover elk jaar te rapporteren. 
"""

PLAN_TEXT = """# Actieplan tegen wapenhandel

Brussel, 12 maart 2026

| Nr. | Actie | Verantwoordelijk | Tijdschema |
| --- | --- | --- | --- |
| 1.1 | de uitwisseling van inlichtingen over vuurwapens versterken | LS, COM | 2026 |
| 1.2 | een risicoprofiel voor postpakketten opstellen | Europol | eind 2027 |
"""

VERSION_ONE = """Betreft: Proefconclusies over zeevaartveiligheid

1. De Raad verzoekt de Commissie uiterlijk in juni 2026 een verslag over havenbeveiliging en
containerscanners voor te leggen.

2. De lidstaten zullen de samenwerking tussen douane en kustwacht versterken.
"""

VERSION_TWO = """Betreft: Proefconclusies over luchtvaartveiligheid

1. De Raad verzoekt Europol tegen eind 2027 een analyse van drones bij luchthavens op te stellen.
"""


PORTS_TEXT = """ RESULTAAT BESPREKINGEN 

van: het secretariaat-generaal van de Raad 

d.d.: 14 maart 2024 

aan: de delegaties 

Betreft: Conclusies van de Raad over criminele netwerken in havens 

Voor de delegaties gaan hierbij de conclusies van de Raad over criminele netwerken in havens, 

die de Raad tijdens zijn zitting van 14 maart 2024 heeft goedgekeurd. 
 BIJLAGE 

Conclusies van de Raad over criminele netwerken in havens 

DE RAAD VAN DE EUROPESE UNIE, 

1. ERKENT dat criminele netwerken de havens van de Unie misbruiken en daarbij legale bedrijfsstructuren inzetten; 

2. STELT VAST dat de samenwerking tussen Europol en Eurojust bij onderzoeken in havens is verbeterd; 

verzoekt de Raad Europol: 

3. tegen eind 2024 een verslag over het misbruik van legale bedrijfsstructuren in havens op te stellen; 

4. de risico's van bedrijfsstructuren die legaal lijken in kaart te brengen; 

verzoekt de Raad de lidstaten: 

5. de douanecontroles in de havens uiterlijk in juni 2025 te versterken; 
"""


def query_filters(store: Store, query: str) -> tuple[LexicalQuery, SearchFilters]:
    """A query in the query language as the Searcher hands it to a store: words, phrases, prefixes, filters."""
    parsed = parse_query(query)
    filters, _ = with_fields(SearchFilters(), parsed.fields, store.list_documents(), stated_in(store))
    lexical = LexicalQuery(parsed.text, phrases=parsed.phrases, prefixes=parsed.prefixes,
                           match_all=None if parsed.text or parsed.prefixes else "newest")
    return lexical, replace(filters, matching=parsed.constraint)


class StoreContract:
    """Subclasses provide a ``store`` fixture: a fresh, empty store of their backend."""

    @pytest.fixture
    def store(self) -> Store:
        raise NotImplementedError("a backend's test module provides the store fixture")

    @pytest.fixture(scope="class")
    @classmethod
    def samples(cls, tmp_path_factory, test_settings, embedder, nlp_pipeline) -> list[Sample]:
        """Council conclusions and a LIMITE presidency note: different kinds, dates and markings."""
        folder = tmp_path_factory.mktemp("samples")
        paths = [small_text(folder, "conclusies.txt", CONCLUSIONS_TEXT), small_text(folder, "nota.md", NOTE_TEXT)]
        return [prepare(parse(path, test_settings), embedder, nlp_pipeline) for path in paths]

    @pytest.fixture(scope="class")
    @classmethod
    def versions(cls, tmp_path_factory, test_settings, embedder, nlp_pipeline) -> tuple[Sample, Sample]:
        """Two versions of one small file with different content."""
        one, two = tmp_path_factory.mktemp("v1"), tmp_path_factory.mktemp("v2")
        return (
            prepare(parse(small_text(one, "proef.txt", VERSION_ONE), test_settings), embedder, nlp_pipeline),
            prepare(parse(small_text(two, "proef.txt", VERSION_TWO), test_settings), embedder, nlp_pipeline),
        )

    @pytest.fixture(scope="class")
    @classmethod
    def ports(cls, tmp_path_factory, test_settings, embedder, nlp_pipeline) -> Sample:
        """Council conclusions of 2024 on ports: Europol with and without Eurojust, customs, a phrase."""
        path = small_text(tmp_path_factory.mktemp("ports"), "havens.txt", PORTS_TEXT)
        return prepare(parse(path, test_settings), embedder, nlp_pipeline)

    @pytest.fixture
    def languages(self, filled, ports, embedder) -> Store:
        """The store holding both samples and the ports conclusions: what the query language is tested on."""
        write(filled, ports, embedder.name)
        return filled

    @pytest.fixture
    def filled(self, store, samples, embedder) -> Store:
        """The store holding both samples."""
        for sample in samples:
            write(store, sample, embedder.name)
        return store

    # ---- writing and reading -------------------------------------------------------

    def test_write_then_read_back(self, store, samples, embedder):
        sample = samples[0]
        document = sample.document
        assert store.document_state(document.source_file) is None
        write(store, sample, embedder.name)
        assert store.document_state(document.source_file) == document.content_hash
        stored = store.get_document(document.source_file)
        assert [p.text for p in stored.passages] == [p.text for p in document.passages]
        assert [p.passage_id for p in stored.passages] == [p.passage_id for p in document.passages]
        assert stored.passages == document.passages
        assert stored.metadata == document.metadata
        assert stored.text == document.text
        [listed] = store.list_documents()
        assert (listed.passages, listed.obligations) == (len(document.passages), len(sample.obligations))
        stats = store.stats()
        assert (stats.documents, stats.passages) == (1, len(document.passages))
        assert store.embedding_model() == (embedder.name, embedder.dim)

    def test_table_rows_read_back_with_their_headers_and_cells(self, store, tmp_path, test_settings, embedder, nlp_pipeline):
        sample = prepare(parse(small_text(tmp_path, "plan.md", PLAN_TEXT), test_settings), embedder, nlp_pipeline)
        write(store, sample, embedder.name)
        stored = store.get_document("plan.md")
        assert stored.passages == sample.document.passages
        rows = [p.table_row for p in stored.passages if p.table_row is not None]
        assert [row.cells for row in rows] == [["1.1", "de uitwisseling van inlichtingen over vuurwapens versterken",
                                                 "LS, COM", "2026"], ["1.2", "een risicoprofiel voor postpakketten opstellen",
                                                                      "Europol", "eind 2027"]]
        assert [p.table_row for p in store.get_passages([p.passage_id for p in stored.passages])] == [
            p.table_row for p in stored.passages]
        assert [o.actors for o in store.obligations(ObligationQuery(source_files=("plan.md",)))] == [
            ["lidstaten", "Commissie"], ["Europol"]]

    def test_list_documents_oldest_first(self, filled, samples):
        dates = [d.metadata.date for d in filled.list_documents()]
        assert len(dates) == len(samples)
        assert dates == sorted(dates, key=lambda d: (d is None, d or ""))

    def test_get_passages_in_asked_order_skipping_unknown(self, filled, samples):
        passages = samples[0].document.passages
        asked = [passages[2].passage_id, "no-such-file#0", passages[0].passage_id]
        assert [p.passage_id for p in filled.get_passages(asked)] == [asked[0], asked[2]]

    def test_passage_vectors_in_asked_order(self, filled, samples):
        sample = samples[1]
        ids = [sample.document.passages[i].passage_id for i in (3, 1)]
        np.testing.assert_allclose(filled.passage_vectors(ids), sample.vectors[[3, 1]], atol=1e-6)

    def test_delete_removes_everything_derived(self, filled, samples, embedder):
        gone, kept = samples
        assert filled.delete_document(gone.document.source_file) is True
        assert filled.delete_document(gone.document.source_file) is False
        assert filled.get_document(gone.document.source_file) is None
        assert filled.document_state(gone.document.source_file) is None
        assert filled.obligations(ObligationQuery(source_files=(gone.document.source_file,))) == []
        hits = filled.vector_search(gone.vectors[0], SearchFilters(passage_kinds=()), 50)
        assert all(h.passage.source_file == kept.document.source_file for h in hits)
        assert filled.stats().documents == 1

    def test_replace_leaves_nothing_of_the_old_version(self, store, versions, embedder):
        old, new = versions
        write(store, old, embedder.name)
        write(store, new, embedder.name)
        stored = store.get_document(new.document.source_file)
        assert stored.content_hash == new.document.content_hash
        assert [p.text for p in stored.passages] == [p.text for p in new.document.passages]
        assert store.keyword_search(LexicalQuery("containerscanners havenbeveiliging"), SearchFilters(), 10) == []
        assert store.keyword_search(LexicalQuery("drones luchthavens"), SearchFilters(), 10)
        assert store.stats().passages == len(new.document.passages)
        assert len(store.obligations(ObligationQuery())) == len(new.obligations)

    def test_rewriting_the_same_version_is_idempotent(self, store, versions, embedder):
        old, _ = versions
        write(store, old, embedder.name)
        before = (store.get_document(old.document.source_file), store.stats(), store.obligations(ObligationQuery()))
        write(store, old, embedder.name)
        after = (store.get_document(old.document.source_file), store.stats(), store.obligations(ObligationQuery()))
        assert before == after

    # ---- keyword search ------------------------------------------------------------

    def test_keyword_search_finds_a_passage_by_its_own_words(self, filled, samples):
        candidates = [p for s in samples for p in s.document.passages if p.kind == "body"]
        long_ones = [p for p in candidates if len(tokens(p.text)) >= 25][::7][:6]
        assert long_ones
        found = 0
        for passage in long_ones:
            query = " ".join(passage.text.split()[:15])
            hits = filled.keyword_search(LexicalQuery(query), SearchFilters(), 5)
            found += passage.passage_id in [h.passage.passage_id for h in hits]
        assert found >= len(long_ones) - 1

    def test_keyword_scores_descend_and_highlights_are_words_of_the_passage(self, filled):
        hits = filled.keyword_search(LexicalQuery("Europol verslag criminele netwerken"), SearchFilters(), 10)
        assert hits
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
        assert hits[0].highlights  # later hits may match only in the title or a heading above them
        for hit in hits:
            assert all(word.lower() in hit.passage.text.lower() for word in hit.highlights)

    def test_stemming_matches_other_word_forms(self, store, versions, embedder):
        write(store, versions[0], embedder.name)
        assert store.keyword_search(LexicalQuery("containerscanner"), SearchFilters(), 5)
        # "versterking" -> "versterk" <- "versterken" in both backends' Dutch stemmer (dutch_porter / Lucene's dutch)
        assert store.keyword_search(LexicalQuery("versterking"), SearchFilters(), 5)

    def test_expansions_retrieve_and_weigh_less(self, store, versions, embedder):
        write(store, versions[0], embedder.name)
        plain = store.keyword_search(LexicalQuery("kustwacht"), SearchFilters(), 5)
        expanded = store.keyword_search(LexicalQuery("coastguard", expansions=(("kustwacht", 0.5),)), SearchFilters(), 5)
        assert plain and expanded
        assert expanded[0].passage.passage_id == plain[0].passage.passage_id
        assert expanded[0].score < plain[0].score
        assert store.keyword_search(LexicalQuery("coastguard", expansions=(("kustwacht", 0.0),)), SearchFilters(), 5) == []

    def test_phrases_must_match_in_order(self, store, versions, embedder):
        write(store, versions[0], embedder.name)
        in_order = store.keyword_search(LexicalQuery("", phrases=("douane en kustwacht",)), SearchFilters(), 5)
        assert [h.passage.text for h in in_order] and "douane en kustwacht" in in_order[0].passage.text
        assert store.keyword_search(LexicalQuery("", phrases=("kustwacht en douane",)), SearchFilters(), 5) == []

    @pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
    def test_hostile_queries_never_error(self, filled, query):
        hits = filled.keyword_search(LexicalQuery(query, phrases=(query,), expansions=((query, 0.5),)), SearchFilters(), 5)
        assert isinstance(hits, list)

    def test_empty_query_returns_nothing(self, filled):
        assert filled.keyword_search(LexicalQuery("de het een"), SearchFilters(), 5) == []
        assert filled.keyword_search(LexicalQuery("?!"), SearchFilters(), 5) == []

    # ---- the query language -------------------------------------------------------

    def search_both(self, store: Store, query: str, embedder, k: int = 50) -> dict[str, list]:
        """The query through the keyword retriever and, with its free text, the vector retriever."""
        lexical, filters = query_filters(store, query)
        vector = embedder.encode_queries([lexical.text or query])[0]
        return {
            "keyword": [h.passage for h in store.keyword_search(lexical, filters, k)],
            "vector": [h.passage for h in store.vector_search(vector, filters, k)],
        }

    def test_not_keeps_a_word_out_of_both_retrievers(self, languages, embedder):
        for mode, passages in self.search_both(languages, "europol -eurojust", embedder).items():
            assert passages, mode
            assert all("europol" in p.text.lower() and "eurojust" not in p.text.lower() for p in passages), mode

    def test_a_prefix_matches_and_not_reaches_compounds(self, languages, embedder):
        for mode, passages in self.search_both(languages, "haven* -douane", embedder).items():
            assert any("havens" in p.text.lower() for p in passages), mode
            # "douanecontroles" and "douaneautoriteiten" hold "douane" as a compound part: out as well
            assert not any("douane" in p.text.lower() for p in passages), mode
            assert all(any(w.startswith("haven") for w in tokens(p.text)) for p in passages), mode

    def test_a_quoted_phrase_matches_only_as_a_phrase(self, languages, embedder):
        for mode, passages in self.search_both(languages, '"legale bedrijfsstructuren"', embedder).items():
            assert passages, mode
            assert all("legale bedrijfsstructuren" in " ".join(tokens(p.text)) for p in passages), mode

    def test_proximity_or_and_grouping(self, languages):
        def texts(query: str) -> list[str]:
            lexical, filters = query_filters(languages, query)
            return [h.passage.text.lower() for h in languages.keyword_search(lexical, filters, 50)]

        near = texts('"bedrijfsstructuren legaal"~2')
        assert near and all("bedrijfsstructuren die legaal" in t for t in near)
        assert texts('"bedrijfsstructuren legaal"~0') == []
        either = texts("eurojust | kustwacht")
        assert any("eurojust" in t for t in either) and any("kustwacht" in t for t in either)
        assert all("eurojust" in t or "kustwacht" in t for t in either)
        grouped = texts("(eurojust OR kustwacht) AND havens")
        assert grouped and all(("eurojust" in t or "kustwacht" in t) and "havens" in t for t in grouped)

    def test_actor_and_date_fields_keep_passages_stating_that_actors_obligation_in_that_year(self, languages, ports):
        lexical, filters = query_filters(languages, "actor:Europol date:2024-01-01..2024-12-31")
        hits = languages.keyword_search(lexical, filters, 50)
        europol_obligations = {o.passage_id for o in languages.obligations(ObligationQuery(actor="Europol"))}
        dates = {d.source_file: d.metadata.date for d in languages.list_documents()}
        assert hits
        assert all(h.passage.passage_id in europol_obligations for h in hits)
        assert all(dates[h.passage.source_file].startswith("2024") for h in hits)
        stated = {o.passage_id for o in ports.obligations if "Europol" in o.actors}
        assert {h.passage.passage_id for h in hits} == stated

    def test_an_unclosed_quote_is_searched_as_plain_words(self, languages):
        parsed = parse_query('"legale bedrijfsstructuren')
        assert parsed.constraint is None and any("unclosed quote" in n for n in parsed.notices)
        lexical, filters = query_filters(languages, '"legale bedrijfsstructuren')
        assert languages.keyword_search(lexical, filters, 10)

    def test_a_query_of_fields_only_lists_passages_newest_document_first(self, languages):
        lexical, filters = query_filters(languages, "lang:nl")
        listed = languages.keyword_search(lexical, filters, 500)
        dates = {d.source_file: d.metadata.date or "" for d in languages.list_documents()}
        order = [dates[h.passage.source_file] for h in listed]
        assert listed and order == sorted(order, reverse=True) and all(h.score == 0.0 for h in listed)
        oldest = languages.keyword_search(replace(lexical, match_all="oldest"), filters, 500)
        assert [dates[h.passage.source_file] for h in oldest] == sorted(order)

    def test_passage_ids_restrict_both_retrievers(self, languages, ports, embedder):
        allowed = tuple(p.passage_id for p in ports.document.passages[:4])
        filters = SearchFilters(passage_ids=allowed, passage_kinds=())
        vector = embedder.encode_queries(["havens"])[0]
        assert {h.passage.passage_id for h in languages.vector_search(vector, filters, 50)} <= set(allowed)
        assert {h.passage.passage_id for h in languages.keyword_search(LexicalQuery("havens raad"), filters, 50)} <= set(allowed)
        assert languages.keyword_search(LexicalQuery("havens"), SearchFilters(passage_ids=()), 50) == []

    # ---- vector search -------------------------------------------------------------

    def test_vector_search_finds_the_passage_itself(self, filled, samples):
        sample = samples[0]
        texts = [p.text for p in sample.document.passages]
        index = next(i for i, p in enumerate(sample.document.passages) if p.kind == "body" and texts.count(p.text) == 1)
        hits = filled.vector_search(sample.vectors[index], SearchFilters(), 5)
        assert hits[0].passage.passage_id == sample.document.passages[index].passage_id
        assert hits[0].score == pytest.approx(1.0, abs=1e-3)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)

    def test_a_passage_with_several_rows_scores_as_its_best_row(self, store, samples, embedder):
        sample = samples[0]
        passages = sample.document.passages
        long = max((i for i, p in enumerate(passages) if p.kind == "body"), key=lambda i: len(passages[i].text))
        words = passages[long].text.split()
        texts = [p.text for p in passages] + [" ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])]
        owners = list(range(len(passages))) + [long, long]
        rows = embedder.encode_passages(texts)
        store.write_document(sample.document, rows, sample.obligations, embedder.name, vector_passages=owners)
        # the passage's second sentence alone finds that passage, scored as that row
        hit = store.vector_search(rows[-1], SearchFilters(), 3)[0]
        assert hit.passage.passage_id == passages[long].passage_id and hit.score == pytest.approx(1.0, abs=1e-3)
        scores = store.vector_scores(rows[-1], [passages[long].passage_id, passages[0].passage_id, "no-such-passage"])
        assert set(scores) == {passages[long].passage_id, passages[0].passage_id}
        assert scores[passages[long].passage_id] == pytest.approx(hit.score, abs=1e-4)
        # one vector per passage: the normalised mean of its rows
        mean = rows[[long, -2, -1]].sum(axis=0)
        np.testing.assert_allclose(store.passage_vectors([passages[long].passage_id])[0], mean / np.linalg.norm(mean),
                                   atol=1e-4)

    def test_a_passage_without_a_vector_row_is_refused(self, store, samples, embedder):
        sample = samples[0]
        owners = [0] * len(sample.document.passages)  # every row on the first passage
        with pytest.raises(ValueError, match="needs at least one vector row"):
            store.write_document(sample.document, sample.vectors, sample.obligations, embedder.name,
                                 vector_passages=owners)
        assert store.document_state(sample.document.source_file) is None

    def test_vector_search_with_a_real_query(self, filled, embedder):
        query = embedder.encode_queries(["Europol report on criminal networks"])[0]
        hits = filled.vector_search(query, SearchFilters(), 5)
        assert len(hits) == 5
        assert all(-1.0 <= h.score <= 1.0 for h in hits)

    def test_candidates_are_the_searches_ids_and_scores(self, filled, samples, embedder):
        later = max((s.document for s in samples), key=lambda d: d.metadata.date or "")
        queries = ["Europol lidstaten criminele netwerken verslag", "havens drugs smokkel"]
        vectors = embedder.encode_queries(queries)
        for filters in (SearchFilters(), SearchFilters(passage_kinds=("body",), date_from=later.metadata.date)):
            for text in queries:
                hits = filled.keyword_search(LexicalQuery(text), filters, 7)
                found = filled.keyword_candidates(LexicalQuery(text), filters, 7)
                assert [pid for pid, _ in found] == [h.passage.passage_id for h in hits]
                assert [score for _, score in found] == pytest.approx([h.score for h in hits])
            batched = filled.vector_candidates(vectors, filters, 7)
            assert len(batched) == len(queries)
            for vector, found in zip(vectors, batched, strict=True):
                hits = filled.vector_search(vector, filters, 7)
                assert found and [pid for pid, _ in found] == [h.passage.passage_id for h in hits]
                assert [score for _, score in found] == pytest.approx([h.score for h in hits], abs=1e-5)
        assert filled.keyword_candidates(LexicalQuery("europol"), SearchFilters(), 0) == []

    # ---- filters -------------------------------------------------------------------

    @pytest.mark.parametrize("mode", ["keyword", "vector"])
    def test_filters_restrict_both_retrievers(self, filled, samples, embedder, mode):
        first, second = (s.document for s in samples)
        query_text = "Europol lidstaten criminele netwerken verslag"
        vector = embedder.encode_queries([query_text])[0]

        def search(filters: SearchFilters):
            if mode == "keyword":
                return filled.keyword_search(LexicalQuery(query_text), filters, 50)
            return filled.vector_search(vector, filters, 50)

        def files(filters: SearchFilters) -> set[str]:
            return {h.passage.source_file for h in search(filters)}

        assert files(SearchFilters()) == {first.source_file, second.source_file}
        assert files(SearchFilters(source_files=(second.source_file,))) == {second.source_file}
        if first.metadata.kind and first.metadata.kind != second.metadata.kind:
            assert files(SearchFilters(kinds=(first.metadata.kind,))) == {first.source_file}
        later, earlier = sorted([first, second], key=lambda d: d.metadata.date or "", reverse=True)
        assert files(SearchFilters(date_from=later.metadata.date)) == {later.source_file}
        assert files(SearchFilters(date_to=earlier.metadata.date)) == {earlier.source_file}
        restricted = [d for d in (first, second) if d.metadata.classification]
        for document in restricted:
            assert document.source_file in files(SearchFilters(classifications=tuple(document.metadata.classification)))
        assert files(SearchFilters(classifications=("NO SUCH MARKING",))) == set()
        assert files(SearchFilters(languages=("xx",))) == set()
        with_obligations = {o.passage_id for s in samples for o in s.obligations}
        assert {h.passage.passage_id for h in search(SearchFilters(has_obligations=True))} <= with_obligations
        assert not {h.passage.passage_id for h in search(SearchFilters(has_obligations=False))} & with_obligations
        assert all(h.passage.kind in ("body", "heading") for h in search(SearchFilters()))

    def test_footnotes_only_when_asked(self, filled, samples):
        footnotes = [p for s in samples for p in s.document.passages if p.kind == "footnote"]
        if not footnotes:
            pytest.skip("the sample documents have no footnotes")
        words = " ".join(footnotes[0].text.split()[:12])
        default = filled.keyword_search(LexicalQuery(words), SearchFilters(), 50)
        assert all(h.passage.kind != "footnote" for h in default)
        asked = filled.keyword_search(LexicalQuery(words), SearchFilters(passage_kinds=("footnote",)), 50)
        assert asked and all(h.passage.kind == "footnote" for h in asked)

    def test_actor_filter_keeps_passages_naming_the_actor(self, filled, samples, embedder):
        obligations = [o for s in samples for o in s.obligations if o.actors]
        if not obligations:
            pytest.skip("the extractor found no obligation with an actor")
        actor = obligations[0].actors[0]
        filters = SearchFilters(actors=(actor,), passage_kinds=())
        keyword = filled.keyword_search(LexicalQuery("verzoekt lidstaten Commissie Europol Raad"), filters, 50)
        vector = filled.vector_search(embedder.encode_queries([actor])[0], filters, 50)
        assert vector
        for hits in (keyword, vector):
            ids = [h.passage.passage_id for h in hits]
            assert filled.facets(ids).counts.get("actor", {}).get(actor, 0) == len(ids)
        named_in_obligation = {o.passage_id for o in obligations if actor in o.actors}
        everywhere = filled.vector_search(embedder.encode_queries([actor])[0], SearchFilters(actors=(actor,), passage_kinds=()), 10_000)
        assert named_in_obligation <= {h.passage.passage_id for h in everywhere}

    # ---- facets --------------------------------------------------------------------

    def test_facets_count_each_passage_once_per_facet(self, filled, samples):
        ids = [p.passage_id for s in samples for p in s.document.passages]
        facets = filled.facets(ids).counts
        for name in ("kind", "document", "language", "has_obligations"):
            assert sum(facets[name].values()) == len(ids), name
        assert facets["document"] == {s.document.source_file: len(s.document.passages) for s in samples}
        with_obligations = {o.passage_id for s in samples for o in s.obligations}
        assert facets["has_obligations"].get("yes", 0) == len(with_obligations)
        assert filled.facets([]).counts.get("document", {}) == {}

    # ---- obligations and evidence --------------------------------------------------

    def test_obligations_round_trip_and_filters(self, filled, samples):
        everything = filled.obligations(ObligationQuery())
        expected = [o for s in sorted(samples, key=lambda s: s.document.metadata.date or "") for o in s.obligations]
        assert everything == expected
        if not everything:
            pytest.skip("the extractor found no obligations")
        with_deadline = [o for o in everything if o.deadline and o.deadline.end]
        if with_deadline:
            cutoff = max(o.deadline.end for o in with_deadline)
            due = filled.obligations(ObligationQuery(due_before=cutoff))
            assert due == [o for o in with_deadline if o.deadline.end < cutoff]
        actor = next(a for o in everything for a in o.actors)
        assert filled.obligations(ObligationQuery(actor=actor)) == [o for o in everything if actor in o.actors]
        modality = everything[0].modality
        assert filled.obligations(ObligationQuery(modality=modality)) == [o for o in everything if o.modality == modality]
        stated_in = tuple({o.passage_id for o in everything[::3]})
        assert filled.obligations(ObligationQuery(passage_ids=stated_in)) == [
            o for o in everything if o.passage_id in stated_in]
        assert filled.obligations(ObligationQuery(passage_ids=("no-such-passage",))) == []
        other_file = next((o.source_file for o in everything if o.source_file != everything[0].source_file), None)
        if other_file:
            assert filled.obligations(ObligationQuery(passage_ids=(everything[0].passage_id,),
                                                      source_files=(other_file,))) == []

    def test_evidence_is_replaced_as_a_whole(self, filled, samples):
        obligations = [o for s in samples for o in s.obligations]
        if not obligations:
            pytest.skip("the extractor found no obligations")
        report = samples[1].document
        link = EvidenceLink(
            obligation_id=obligations[0].id, passage_id=report.passages[1].passage_id, source_file=report.source_file,
            paragraph=report.passages[1].paragraph, text=report.passages[1].text, status="in_progress",
            confidence=0.7, doc_date=report.metadata.date, method="similarity",
        )
        filled.replace_evidence([link])
        assert filled.evidence() == [link]
        assert filled.evidence([obligations[0].id]) == [link]
        assert filled.evidence(["no-such-obligation"]) == []
        other = replace(link, status="completed", passage_id=report.passages[2].passage_id)
        filled.replace_evidence([other])
        assert filled.evidence() == [other]
        filled.delete_document(report.source_file)
        assert filled.evidence() == []

    def test_evidence_of_some_obligations_is_replaced_and_the_rest_kept(self, filled, samples):
        obligations = [o for s in samples for o in s.obligations]
        if not obligations:
            pytest.skip("the extractor found no obligations")
        report = samples[1].document
        first, second = (
            EvidenceLink(obligation_id=oid, passage_id=report.passages[1].passage_id, source_file=report.source_file,
                         paragraph=None, text=report.passages[1].text, status="mentioned", confidence=0.5,
                         doc_date=report.metadata.date, method="similarity")
            for oid in (obligations[0].id, obligations[0].id + "-elsewhere")
        )
        filled.replace_evidence([first, second])
        moved = replace(first, passage_id=report.passages[2].passage_id, text=report.passages[2].text)
        filled.replace_evidence([moved], obligation_ids=[first.obligation_id])
        assert sorted(filled.evidence(), key=lambda e: e.obligation_id) == sorted([moved, second], key=lambda e: e.obligation_id)
        filled.replace_evidence([], obligation_ids=[second.obligation_id])
        assert filled.evidence() == [moved]

    def test_term_statistics_count_passages_holding_each_analysed_term(self, filled, samples):
        from index.analysis import analyze

        total, counts = filled.term_statistics([])
        assert total == sum(len(s.document.passages) for s in samples) and counts == {}
        term = analyze("douane")[0]
        total, counts = filled.term_statistics([term, "zzzqqq"])
        holding = sum(1 for s in samples for p in s.document.passages if term in analyze(p.text))
        assert counts.get(term, 0) == holding > 0
        assert counts.get("zzzqqq", 0) == 0

    # ---- what a reader's clearance may read -----------------------------------------------

    def test_a_clearance_view_holds_only_the_documents_it_may_read(self, filled, samples):
        public, limite = (s.document for s in samples)
        assert limite.metadata.classification == ["LIMITE"] and not public.metadata.classification
        reader = filled.for_clearance(Clearance.parse("none"))
        assert [d.source_file for d in reader.list_documents()] == [public.source_file]
        assert reader.get_document(limite.source_file) is None and reader.document_state(limite.source_file) is None
        assert reader.get_document(public.source_file) == filled.get_document(public.source_file)
        hidden_ids = [p.passage_id for p in limite.passages]
        shown_ids = [p.passage_id for p in public.passages]
        assert reader.get_passages(hidden_ids) == [] and reader.passage_vectors(hidden_ids).shape[0] == 0
        assert [p.passage_id for p in reader.get_passages(hidden_ids + shown_ids)] == shown_ids
        assert {o.source_file for o in reader.obligations(ObligationQuery())} <= {public.source_file}
        assert reader.obligations(ObligationQuery(source_files=(limite.source_file,))) == []
        stats = reader.stats()
        assert (stats.documents, stats.passages) == (1, len(public.passages))
        assert stats.obligations == len(samples[0].obligations)
        cleared = filled.for_clearance(Clearance.parse("LIMITE"))
        assert len(cleared.list_documents()) == 2 and cleared.get_document(limite.source_file) is not None
        assert filled.for_clearance(Clearance.parse("TRÈS SECRET UE")) is filled

    def test_searches_never_return_what_the_clearance_hides(self, filled, samples, embedder):
        public, limite = (s.document for s in samples)
        reader = filled.for_clearance(Clearance.parse("none"))
        words = "Europol zeehavens douane containerscanners verslag"  # in the LIMITE note; some in both
        assert {h.passage.source_file for h in filled.keyword_search(LexicalQuery(words), SearchFilters(), 50)} == {
            public.source_file, limite.source_file}
        only_hidden = SearchFilters(source_files=(limite.source_file,))
        vector = embedder.encode_queries(["containerscanners in zeehavens"])[0]
        for filters in (SearchFilters(), only_hidden, SearchFilters(classifications=("LIMITE",))):
            found = {h.passage.source_file for h in reader.keyword_search(LexicalQuery(words), filters, 50)}
            found |= {h.passage.source_file for h in reader.vector_search(vector, filters, 50)}
            found |= {h.passage.source_file for h in reader.keyword_search(LexicalQuery("", match_all="newest"), filters, 50)}
            if hasattr(reader, "hybrid_search"):
                found |= {h.passage.source_file for h in reader.hybrid_search(LexicalQuery(words), vector, filters, 50)}
            assert limite.source_file not in found, filters
        assert {h.passage.source_file for h in reader.vector_search(vector, SearchFilters(), 50)} == {public.source_file}

    def test_facet_counts_leave_hidden_passages_out(self, filled, samples):
        public, limite = (s.document for s in samples)
        ids = [p.passage_id for s in samples for p in s.document.passages]
        facets = filled.for_clearance(Clearance.parse("none")).facets(ids).counts
        assert facets["document"] == {public.source_file: len(public.passages)}
        assert "LIMITE" not in facets.get("classification", {})
        assert sum(facets["kind"].values()) == len(public.passages)

    def test_evidence_shows_only_links_with_both_ends_readable(self, languages, samples, ports):
        (public, public_obligations), (limite, limite_obligations) = (
            (s.document, s.obligations) for s in (ports, samples[1]))
        if not public_obligations or not limite_obligations:
            pytest.skip("the extractor found no obligations in a sample")

        def link(obligation: Obligation, document: Document) -> EvidenceLink:
            passage = document.passages[-1]
            return EvidenceLink(obligation_id=obligation.id, passage_id=passage.passage_id,
                                source_file=document.source_file, paragraph=passage.paragraph, text=passage.text,
                                status="mentioned", confidence=0.5, doc_date=document.metadata.date, method="similarity")

        readable = link(public_obligations[0], public)
        languages.replace_evidence([readable, link(public_obligations[0], limite), link(limite_obligations[0], public)])
        reader = languages.for_clearance(Clearance.parse("none"))
        assert reader.evidence() == [readable]
        assert reader.evidence([o.id for o in public_obligations + limite_obligations]) == [readable]
        assert reader.evidence([limite_obligations[0].id]) == []
        assert len(languages.for_clearance(Clearance.parse("LIMITE")).evidence()) == 3

    def test_a_clearance_view_refuses_writes(self, filled, samples, embedder):
        reader = filled.for_clearance(Clearance.parse("none"))
        with pytest.raises(StoreAccessError, match="read-only"):
            write(reader, samples[0], embedder.name)
        with pytest.raises(StoreAccessError, match="read-only"):
            reader.delete_document(samples[1].document.source_file)
        assert filled.get_document(samples[1].document.source_file) is not None

    # ---- embedding model -----------------------------------------------------------

    def test_vectors_of_another_model_are_refused(self, store, samples, embedder):
        first, second = samples
        write(store, first, "another/embedding-model")
        with pytest.raises(ModelMismatchError) as raised:
            write(store, second, embedder.name)
        assert "conclusio reembed" in str(raised.value)
        assert store.get_document(second.document.source_file) is None
        assert store.embedding_model() == ("another/embedding-model", embedder.dim)

    def test_vectors_of_another_dimension_are_refused(self, store, samples, embedder):
        first, second = samples
        write(store, first, embedder.name)
        shorter = replace(second, vectors=np.ascontiguousarray(second.vectors[:, : embedder.dim // 2]))
        with pytest.raises(ModelMismatchError):
            write(store, shorter, embedder.name)
        assert store.get_document(second.document.source_file) is None

    def test_empty_store_reports_no_model(self, store):
        assert store.embedding_model() is None
        assert store.stats().documents == 0
        assert store.keyword_search(LexicalQuery("europol"), SearchFilters(), 5) == []

    # ---- the run journal and the store's own check -----------------------------------------

    def test_a_run_is_pending_until_finished_with_its_steps(self, store):
        assert store.pending_runs() == []
        run = store.begin_run((("evidence", ""),))
        store.journal_step(run, "reanchor", "proef.txt", {"content_hash": "abc", "moves": [{"old_id": "a"}]})
        [pending] = store.pending_runs()
        assert pending.run_id == run and pending.pid > 0 and pending.started_at
        assert [(s.step, s.key, s.payload, s.done) for s in pending.steps] == [
            ("evidence", "", {}, False), ("reanchor", "proef.txt", {"content_hash": "abc", "moves": [{"old_id": "a"}]},
                                          False)]
        store.step_done(run, "reanchor", "proef.txt")
        assert [s.done for s in store.pending_runs()[0].steps] == [False, True]
        later = store.begin_run()
        assert [r.run_id for r in store.pending_runs()] == [run, later] and later > run
        store.finish_run(run)
        store.finish_run(later)
        assert store.pending_runs() == []

    def test_a_healthy_store_checks_clean(self, filled):
        assert filled.check() == []

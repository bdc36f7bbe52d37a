"""Index bodies and query bodies for the OpenSearch backend: pure functions, no client.

Text analysis is the embedded store's chain (``index.analysis``) as a custom analyzer, so both
backends match and rank the same words: words are runs of letters and digits, hyphens inside
them kept (the ``pattern`` tokenizer), then lowercase and ASCII folding ("financiële" ->
"financiele"), a hyphenated word as the whole and its parts ("EU-Socta" -> "eusocta", "eu",
"socta": ``word_delimiter_graph``), the same Dutch stop list, and the Dutch Snowball stemmer.
The embedded chain stems with PyStemmer's ``dutch_porter``, the older Snowball Dutch that
OpenSearch 2.19's Lucene ``dutch`` stemmer implements (neither joins "versterkt" to "versterken").
A ``text.exact`` subfield keeps folded, unstemmed tokens with stop words for phrases and prefixes.

Compounds are split by ``index.analysis.compound_parts_of`` on the client, for both backends,
and stored in ``compound_parts``: matched by the query language's words (``-douane`` keeps out
"douanecontroles"), never ranked. Before, this index split compounds with Lucene's
``dictionary_decompounder`` inside the ranked text while the embedded store did not: the two
backends then ranked differently, and splitting for ranking cost nDCG on the embedded store
(lexical nDCG@10 0.626 -> 0.614 on the dev queries).

User input only ever becomes the *value* of ``match``, ``match_phrase``, ``intervals`` and
``prefix`` queries (built from the query language's syntax tree, ``index.query_language``),
never a ``query_string`` or ``simple_query_string``, so query syntax cannot reach the engine.
Long inputs are cut to a word budget so no query exceeds Lucene's clause limit (1,024).

Scores: ``keyword_query`` returns BM25 scores; ``knn_query`` uses the ``cosinesimil``
space, whose OpenSearch score is ``(2 - d) / 2`` with ``d = 1 - cos``, that is
``(1 + cos) / 2``; ``cosine_from_knn_score`` turns it back into the cosine.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from index.analysis import DUTCH_STOPWORDS, analyze, fold
from index.query_language import AllOf, AnyOf, Node, Phrase, Without, Word
from index.store import LexicalQuery, ObligationQuery, SearchFilters

DUTCH_ANALYZER = "conclusio_dutch"
FOLDED_ANALYZER = "conclusio_folded"
LOWERCASE_NORMALIZER = "conclusio_lowercase"
# Where a passage's words also count, with boosts over its own text (1): its document's title and its section.
CONTEXT_FIELDS = ("title^3", "section^2")
PHRASE_FIELD = "text.exact"
PARTS_FIELD = "compound_parts"
HIGHLIGHT_PRE, HIGHLIGHT_POST = "\u2039hl\u203a", "\u2039/hl\u203a"
MAX_RESULT_WINDOW = 10_000  # OpenSearch's default index.max_result_window

# Lucene refuses queries of more than 1,024 clauses; a word costs one clause per field it is
# sought in, a phrase word one. Phrases come first (they restrict), then the user's words, then expansions.
MAX_CLAUSES = 900
MAX_QUERY_WORDS = 150
MAX_PHRASES = 8
MAX_PHRASE_WORDS = 24

# Facet name -> (field, bucket for passages without a value), as the embedded store counts them.
FACETS: dict[str, tuple[str, str | None]] = {
    "kind": ("doc_kind", "unknown"),
    "document": ("source_file", None),
    "actor": ("actors", None),
    "classification": ("classification", "none"),
    "language": ("language", "unknown"),
    "has_obligations": ("has_obligations", None),
}
FACET_SIZE = 1_000

_WORD = re.compile(r"\S+")
_PARTS = re.compile(r"[^\W_]+", re.UNICODE)

WORDS_TOKENIZER = "conclusio_words"
# index.analysis: a word is [^\W_]+(?:-[^\W_]+)*; everything else, and a hyphen not between two word characters, splits.
WORD_SPLIT = r"[^\p{L}\p{N}\p{M}-]+|(?<![\p{L}\p{N}\p{M}])-|-(?![\p{L}\p{N}\p{M}])"
# The whole hyphenated word and its parts, nothing else split ("EU-Socta" -> "eusocta", "eu", "socta").
HYPHENATED = {
    "type": "word_delimiter_graph",
    "generate_word_parts": True,
    "generate_number_parts": True,
    "catenate_all": True,
    "preserve_original": False,
    "split_on_case_change": False,
    "split_on_numerics": False,
    "stem_english_possessive": False,
}


def analysis_settings() -> dict[str, Any]:
    """The embedded store's Dutch chain (stemmed) and its folded surface chain, as custom analyzers."""
    surface = ["lowercase", "asciifolding", "conclusio_hyphenated", "flatten_graph"]
    return {
        "tokenizer": {WORDS_TOKENIZER: {"type": "pattern", "pattern": WORD_SPLIT}},
        "filter": {
            "conclusio_hyphenated": HYPHENATED,
            "conclusio_dutch_stop": {"type": "stop", "stopwords": sorted(DUTCH_STOPWORDS)},
            "conclusio_dutch_stemmer": {"type": "stemmer", "language": "dutch"},
        },
        "analyzer": {
            DUTCH_ANALYZER: {
                "type": "custom",
                "tokenizer": WORDS_TOKENIZER,
                "filter": [*surface, "conclusio_dutch_stop", "conclusio_dutch_stemmer"],
            },
            FOLDED_ANALYZER: {"type": "custom", "tokenizer": WORDS_TOKENIZER, "filter": surface},
        },
        # Actor filters ignore case (as the embedded store does); facets show the names as written.
        "normalizer": {LOWERCASE_NORMALIZER: {"type": "custom", "filter": ["lowercase"]}},
    }


def _index_settings(*, knn: bool = False, analysis: bool = False) -> dict[str, Any]:
    # One shard, no replica: a single-node deployment; a cluster raises replicas with the settings API.
    settings: dict[str, Any] = {"number_of_shards": 1, "number_of_replicas": 0}
    if knn:
        settings["knn"] = True
    if analysis:
        settings["analysis"] = analysis_settings()
    return {"index": settings}


def _dutch_text(*, exact: bool = False) -> dict[str, Any]:
    field: dict[str, Any] = {"type": "text", "analyzer": DUTCH_ANALYZER}
    if exact:
        field["fields"] = {"exact": {"type": "text", "analyzer": FOLDED_ANALYZER}}
    return field


_KEYWORD = {"type": "keyword"}
_ACTORS = {"type": "keyword", "fields": {"folded": {"type": "keyword", "normalizer": LOWERCASE_NORMALIZER}}}
_STORED_ONLY = {"type": "object", "enabled": False}
_DOC_DATE = {"type": "date", "format": "strict_date||yyyy-MM||yyyy", "ignore_malformed": True}


# The vector fields of a passage: ``embedding`` (one per passage, kept in _source only, for
# ``Store.passage_vectors``) and nested ``sentences`` (one object per vector row: a sentence, or the
# whole passage) whose ``embedding`` is the HNSW field vector search walks, a passage scoring as
# its best row (a nested k-NN query returns each parent once, with its nearest child's score).
SENTENCES_FIELD = "sentences"
SENTENCE_VECTOR_FIELD = f"{SENTENCES_FIELD}.embedding"
VECTOR_FIELDS = ("embedding", SENTENCES_FIELD)  # never returned by searches: they are large


def passages_index_body(dimension: int) -> dict[str, Any]:
    """Passages with Dutch text fields, keyword filter fields and nested sentence vectors (Lucene HNSW, cosine)."""
    if dimension <= 0:
        raise ValueError(f"embedding dimension must be positive, got {dimension}")
    properties = {
        "passage_id": _KEYWORD,
        "source_file": _KEYWORD,
        "doc_version": _KEYWORD,
        "seq": {"type": "integer"},
        "passage_kind": _KEYWORD,
        "text": _dutch_text(exact=True),
        PARTS_FIELD: _dutch_text(),  # matched by the query language's words, never ranked
        "title": _dutch_text(),
        "section": _dutch_text(),
        "section_path": {"type": "keyword", "index": False},
        "paragraph": _KEYWORD,
        "addressees": {"type": "text", "index": False},
        "page": {"type": "integer"},
        "page_end": {"type": "integer"},
        "char_start": {"type": "integer", "index": False},
        "char_end": {"type": "integer", "index": False},
        "footnote_refs": _KEYWORD,
        "footnote_label": _KEYWORD,
        "cited_by": _KEYWORD,
        "table_row": _STORED_ONLY,  # headers, cells, label of a table row: kept for the document view, not searched
        "doc_kind": _KEYWORD,
        "doc_date": _DOC_DATE,
        "classification": _KEYWORD,
        "language": _KEYWORD,
        "actors": _ACTORS,
        "has_obligations": {"type": "boolean"},
        "embedding": {"type": "float", "index": False, "doc_values": False},
        SENTENCES_FIELD: {
            "type": "nested",
            "properties": {
                "embedding": {
                    "type": "knn_vector",
                    "dimension": dimension,
                    # Lucene's HNSW filters during the graph walk (efficient filtering), also on a parent's
                    # fields for nested vectors, and supports cosinesimil.
                    "method": {
                        "name": "hnsw",
                        "engine": "lucene",
                        "space_type": "cosinesimil",
                        "parameters": {"m": 16, "ef_construction": 128},
                    },
                },
            },
        },
    }
    return {
        "settings": _index_settings(knn=True, analysis=True),
        "mappings": {"dynamic": "strict", "properties": properties},
    }


def documents_index_body() -> dict[str, Any]:
    """One record per document: the current version, metadata, counts and the cleaned text."""
    properties = {
        "source_file": _KEYWORD,
        "content_hash": _KEYWORD,
        "version": _KEYWORD,
        "doc_kind": _KEYWORD,
        "doc_date": _DOC_DATE,
        "metadata": _STORED_ONLY,
        "media_type": {"type": "keyword", "index": False},
        "text": {"type": "text", "index": False},
        "passages": {"type": "integer"},
        "obligations": {"type": "integer"},
        "ingested_at": {"type": "date"},
    }
    return {"settings": _index_settings(), "mappings": {"dynamic": "strict", "properties": properties}}


def obligations_index_body() -> dict[str, Any]:
    """Obligations: the whole record stored, filter fields indexed."""
    properties = {
        "id": _KEYWORD,
        "source_file": _KEYWORD,
        "doc_version": _KEYWORD,
        "doc_date": _DOC_DATE,
        "actors": _ACTORS,
        "modality": _KEYWORD,
        "deadline_end": _DOC_DATE,
        "ord": {"type": "integer"},  # position in the document's obligation list
        "record": _STORED_ONLY,
    }
    return {"settings": _index_settings(analysis=True), "mappings": {"dynamic": "strict", "properties": properties}}


def evidence_index_body() -> dict[str, Any]:
    """Machine-found evidence links, written in batches; only the current batch is visible."""
    properties = {
        "batch": _KEYWORD,
        "obligation_id": _KEYWORD,
        "passage_id": _KEYWORD,
        "source_file": _KEYWORD,
        "record": _STORED_ONLY,
    }
    return {"settings": _index_settings(), "mappings": {"dynamic": "strict", "properties": properties}}


def meta_index_body() -> dict[str, Any]:
    """Small key -> value records: the embedding model and the current evidence batch."""
    properties = {"value": _STORED_ONLY}
    return {"settings": _index_settings(), "mappings": {"dynamic": "strict", "properties": properties}}


def curation_index_body() -> dict[str, Any]:
    """User-authored link reviews and status overrides, one record per key."""
    properties = {
        "record_type": _KEYWORD,  # link_review | status
        "obligation_id": _KEYWORD,
        "passage_id": _KEYWORD,
        "value": _KEYWORD,
        "note": {"type": "text", "index": False},
        "who": _KEYWORD,
        "at": _KEYWORD,
    }
    return {"settings": _index_settings(), "mappings": {"dynamic": "strict", "properties": properties}}


def audit_chain_mapping() -> dict[str, Any]:
    """The hash chain's fields, added to an audit index made before the trail was chained."""
    return {"properties": {"prev_hash": _KEYWORD, "hash": _KEYWORD}}


def audit_index_body() -> dict[str, Any]:
    """The audit trail: one record per manual change, never updated; each carries the hash of the one before."""
    properties = {
        **audit_chain_mapping()["properties"],
        "at": _KEYWORD,
        "seq": {"type": "long"},
        "who": _KEYWORD,
        "obligation_id": _KEYWORD,
        "field": _KEYWORD,
        "old_value": _KEYWORD,
        "new_value": _KEYWORD,
        "note": {"type": "text", "index": False},
    }
    return {"settings": _index_settings(), "mappings": {"dynamic": "strict", "properties": properties}}


def _terms(field: str, values: Iterable[str]) -> dict[str, Any]:
    return {"terms": {field: sorted(set(values))}}


def current_version_filter(versions: Sequence[str]) -> dict[str, Any]:
    """Only passages and obligations of the documents' current versions are visible.

    For a reader's clearance view the versions are those of the documents the reader may read.
    """
    return _terms("doc_version", versions)


def hidden_markings_filter(hidden: Sequence[str]) -> list[dict[str, Any]]:
    """No passage of a document marked with any of ``hidden`` (none when nothing is hidden)."""
    return [{"bool": {"must_not": [_terms("classification", hidden)]}}] if hidden else []


def filter_clauses(filters: SearchFilters, versions: Sequence[str], hidden: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The SearchFilters as term, terms and range clauses (filter context: no scoring), within what may be read."""
    clauses = [current_version_filter(versions), *hidden_markings_filter(hidden)]
    for field, values in (
        ("doc_kind", filters.kinds),
        ("source_file", filters.source_files),
        ("actors.folded", [a.lower() for a in filters.actors]),
        ("classification", filters.classifications),
        ("language", filters.languages),
        ("passage_kind", filters.passage_kinds),
    ):
        if values:
            clauses.append(_terms(field, values))
    date_range = {op: value for op, value in (("gte", filters.date_from), ("lte", filters.date_to)) if value}
    if date_range:
        clauses.append({"range": {"doc_date": date_range}})
    if filters.has_obligations is not None:
        clauses.append({"term": {"has_obligations": filters.has_obligations}})
    if filters.passage_ids is not None:
        clauses.append(_terms("passage_id", filters.passage_ids))
    if filters.matching is not None:
        clauses.append(constraint_query(filters.matching))
    return clauses


def word_query(word: Word) -> dict[str, Any]:
    """A word over the passage's own text, as the embedded store matches it (``index.sqlite_lexical``)."""
    parts = _PARTS.findall(fold(word.text))
    if word.prefix:
        if len(parts) == 1:
            return {"prefix": {PHRASE_FIELD: {"value": parts[0]}}}
        return {"match_phrase_prefix": {PHRASE_FIELD: {"query": " ".join(parts)}}}
    if len(analyze(word.text)) != 1:  # "EU-Celac": the phrase of its parts, with or without the hyphen
        return {"match_phrase": {PHRASE_FIELD: {"query": " ".join(parts)}}}
    own = [{"match": {field: {"query": word.text}}} for field in ("text", PARTS_FIELD)]
    return {"bool": {"should": own, "minimum_should_match": 1}}


def constraint_query(node: Node) -> dict[str, Any]:
    """The query language's syntax tree as bool / match / match_phrase / intervals / prefix clauses (filter context)."""
    if isinstance(node, Word):
        return word_query(node)
    if isinstance(node, Phrase):
        if node.within is None or len(node.text.split()) < 2:
            return {"match_phrase": {PHRASE_FIELD: {"query": node.text}}}
        # Like FTS5's NEAR: the words in any order, at most ``within`` other words between them.
        rule = {"match": {"query": node.text, "max_gaps": node.within, "ordered": False}}
        return {"intervals": {PHRASE_FIELD: rule}}
    if isinstance(node, Without):
        return {"bool": {"must_not": [constraint_query(node.part)]}}
    if isinstance(node, AnyOf):
        return {"bool": {"should": [constraint_query(p) for p in node.parts], "minimum_should_match": 1}}
    positive = [constraint_query(p) for p in node.parts if not isinstance(p, Without)]
    negative = [constraint_query(p.part) for p in node.parts if isinstance(p, Without)]
    boolean: dict[str, Any] = {}
    if positive:
        boolean["filter"] = positive
    if negative:
        boolean["must_not"] = negative
    return {"bool": boolean}


def _first_words(text: str, limit: int) -> str:
    return " ".join(_WORD.findall(text)[:limit])


def keyword_query(
    query: LexicalQuery, filters: SearchFilters, versions: Sequence[str], k: int, hidden: Sequence[str] = ()
) -> dict[str, Any] | None:
    """A bool query of match clauses built from the user's words; None when there is nothing to search.

    A passage must match the phrases, or else at least one word (own or expansion) or prefix in
    its own text; title and section matches only add to the score, so every hit has words to
    highlight. What the query language's operators require is a filter (``filter_clauses``).
    Without words, ``match_all`` lists what the filters allow by document date.
    """
    phrases = [words for words in (_first_words(p, MAX_PHRASE_WORDS) for p in query.phrases[:MAX_PHRASES]) if words]
    budget = MAX_CLAUSES - sum(len(words.split()) for words in phrases)
    per_word = len(CONTEXT_FIELDS) + 1
    groups: list[tuple[str, float]] = []
    for words, weight in ((query.text, 1.0), *query.expansions):
        words = _first_words(words, min(MAX_QUERY_WORDS, budget // per_word))
        if words and weight > 0 and math.isfinite(weight):
            groups.append((words, float(weight)))
            budget -= len(words.split()) * per_word
    prefixes = [parts for parts in (_PARTS.findall(fold(p)) for p in query.prefixes) if parts]
    if k <= 0 or not versions:
        return None
    if not groups and not phrases and not prefixes:
        return listing_query(query.match_all, filters, versions, k, hidden) if query.match_all else None
    in_text = [{"match": {"text": {"query": words, "boost": weight}}} for words, weight in groups]
    in_text += [word_query(Word(" ".join(parts), prefix=True)) for parts in prefixes]
    in_context = [
        {"multi_match": {"query": words, "fields": list(CONTEXT_FIELDS), "type": "most_fields", "boost": weight}}
        for words, weight in groups
    ]
    if phrases:
        must = [{"match_phrase": {PHRASE_FIELD: {"query": words}}} for words in phrases]
        should = in_text + in_context
    else:
        must = [{"bool": {"should": in_text, "minimum_should_match": 1}}]
        should = in_context
    return {
        "size": min(k, MAX_RESULT_WINDOW),
        "query": {"bool": {"must": must, "should": should, "filter": filter_clauses(filters, versions, hidden)}},
        "_source": {"excludes": list(VECTOR_FIELDS)},
        "highlight": {
            "pre_tags": [HIGHLIGHT_PRE],
            "post_tags": [HIGHLIGHT_POST],
            "number_of_fragments": 0,
            "fields": {"text": {}, PHRASE_FIELD: {}},
        },
    }


def listing_query(
    order: str, filters: SearchFilters, versions: Sequence[str], k: int, hidden: Sequence[str] = ()
) -> dict[str, Any]:
    """Every passage the filters allow, by document date ("newest" or "oldest"), then in document order."""
    direction = "desc" if order == "newest" else "asc"
    return {
        "size": min(k, MAX_RESULT_WINDOW),
        "query": {"bool": {"filter": filter_clauses(filters, versions, hidden)}},
        "sort": [
            {"doc_date": {"order": direction, "missing": "_last"}},
            {"source_file": {"order": "asc"}},
            {"seq": {"order": "asc"}},
        ],
        "_source": {"excludes": list(VECTOR_FIELDS)},
    }


def hybrid_query(
    query: LexicalQuery, vector: Sequence[float], filters: SearchFilters, versions: Sequence[str], k: int,
    hidden: Sequence[str] = (),
) -> dict[str, Any] | None:
    """A ``hybrid`` query of the keyword bool and the ``knn`` clause, for a search pipeline to fuse."""
    keyword = keyword_query(query, filters, versions, k, hidden)
    knn = knn_query(vector, filters, versions, k, hidden=hidden)
    if keyword is None or knn is None or "sort" in keyword:
        return None
    return {
        "size": keyword["size"],
        "query": {"hybrid": {"queries": [keyword["query"], knn["query"]]}},
        "_source": {"excludes": list(VECTOR_FIELDS)},
        "highlight": keyword["highlight"],
    }


def search_pipeline_body(fusion: str, weights: tuple[float, float], rank_constant: int = 60) -> dict[str, Any]:
    """A search pipeline that fuses a hybrid query's lists: RRF (score-ranker) or weighted min-max (normalization)."""
    if fusion == "rrf":
        processor = {"score-ranker-processor": {"combination": {"technique": "rrf", "rank_constant": rank_constant}}}
    else:
        total = sum(weights) or 1.0
        processor = {
            "normalization-processor": {
                "normalization": {"technique": "min_max"},
                "combination": {
                    "technique": "arithmetic_mean",
                    "parameters": {"weights": [round(w / total, 6) for w in weights]},
                },
            }
        }
    return {"description": f"Conclusio hybrid search, {fusion} fusion", "phase_results_processors": [processor]}


def parts_mapping() -> dict[str, Any]:
    """The compound-parts field, added to a passages index made before it existed."""
    return {"properties": {PARTS_FIELD: _dutch_text()}}


def knn_query(
    vector: Sequence[float],
    filters: SearchFilters,
    versions: Sequence[str],
    k: int,
    passage_ids: Sequence[str] | None = None,
    hidden: Sequence[str] = (),
) -> dict[str, Any] | None:
    """A nested ``knn`` query over the sentence vectors, the filters inside it (Lucene filters while walking the graph).

    Each passage comes back once, scored by its nearest sentence vector (``score_mode: max``).
    ``passage_ids`` restricts it to those passages (their scores, for ``Store.vector_scores``);
    ``hidden`` are the markings the reader may not see.
    """
    values = [float(v) for v in vector]
    if k <= 0 or not versions or not values or not all(map(math.isfinite, values)) or not any(values):
        return None  # cosinesimil rejects a zero vector
    size = min(k, MAX_RESULT_WINDOW)
    clauses = filter_clauses(filters, versions, hidden)
    if passage_ids is not None:
        clauses.append(_terms("passage_id", passage_ids))
    knn = {"vector": values, "k": size, "filter": {"bool": {"filter": clauses}}}
    nested = {"path": SENTENCES_FIELD, "query": {"knn": {SENTENCE_VECTOR_FIELD: knn}}, "score_mode": "max"}
    return {"size": size, "query": {"nested": nested}, "_source": {"excludes": list(VECTOR_FIELDS)}}


def ids_only(body: dict[str, Any]) -> dict[str, Any]:
    """The same search answering passage ids and scores only: no other stored field, no highlights."""
    slim = {key: value for key, value in body.items() if key != "highlight"}
    slim["_source"] = ["passage_id"]
    return slim


def cosine_from_knn_score(score: float) -> float:
    """Invert the cosinesimil score ``(1 + cos) / 2``."""
    return 2.0 * score - 1.0


def highlighted_terms(fragments: Iterable[str]) -> tuple[str, ...]:
    """The distinct surface words the highlighter marked, in order of first appearance."""
    pattern = re.compile(re.escape(HIGHLIGHT_PRE) + r"(.*?)" + re.escape(HIGHLIGHT_POST), re.DOTALL)
    seen: dict[str, None] = {}
    for fragment in fragments:
        for match in pattern.finditer(fragment):
            seen.setdefault(match.group(1), None)
    return tuple(seen)


def facets_query(passage_ids: Sequence[str], versions: Sequence[str], hidden: Sequence[str] = ()) -> dict[str, Any]:
    """Terms aggregations over the given passages, one per facet."""
    aggregations = {
        name: {"terms": {"field": field, "size": FACET_SIZE, **({"missing": missing} if missing else {})}}
        for name, (field, missing) in FACETS.items()
    }
    query = {"bool": {"filter": [_terms("passage_id", passage_ids), current_version_filter(versions),
                                 *hidden_markings_filter(hidden)]}}
    return {"size": 0, "query": query, "aggs": aggregations}


def by_ids_query(
    field: str, values: Sequence[str], versions: Sequence[str] | None = None, hidden: Sequence[str] = ()
) -> dict[str, Any]:
    """Records whose ``field`` is one of ``values`` (of the current versions, when given; passages: not hidden)."""
    clauses = [_terms(field, values), *hidden_markings_filter(hidden)]
    if versions is not None:
        clauses.append(current_version_filter(versions))
    return {"bool": {"filter": clauses}}


def stale_versions_query(source_file: str, keep_version: str | None) -> dict[str, Any]:
    """Records of a file that belong to any version but ``keep_version`` (all of them when None)."""
    boolean: dict[str, Any] = {"filter": [{"term": {"source_file": source_file}}]}
    if keep_version is not None:
        boolean["must_not"] = [{"term": {"doc_version": keep_version}}]
    return {"bool": boolean}


def obligations_filter(query: ObligationQuery, versions: Sequence[str]) -> dict[str, Any]:
    """An ObligationQuery as filter clauses over the obligations index."""
    clauses: list[dict[str, Any]] = [current_version_filter(versions)]
    if query.actor:
        clauses.append({"term": {"actors.folded": query.actor.lower()}})
    if query.source_files:
        clauses.append(_terms("source_file", query.source_files))
    if query.due_before:
        clauses.append({"range": {"deadline_end": {"lt": query.due_before}}})
    if query.modality:
        clauses.append({"term": {"modality": query.modality}})
    return {"bool": {"filter": clauses}}


def facet_counts(aggregations: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Facet counts from the aggregations of ``facets_query``; facets without buckets are left out."""
    counts: dict[str, dict[str, int]] = {}
    for name in FACETS:
        buckets = aggregations.get(name, {}).get("buckets", [])
        values = {_facet_label(name, bucket): int(bucket["doc_count"]) for bucket in buckets if bucket["doc_count"]}
        if values:
            counts[name] = values
    return counts


def _facet_label(name: str, bucket: dict[str, Any]) -> str:
    label = str(bucket.get("key_as_string", bucket["key"]))
    if name == "has_obligations":  # boolean buckets: key 1/0, key_as_string "true"/"false"
        return "yes" if label == "true" else "no"
    return label

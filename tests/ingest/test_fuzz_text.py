"""Property tests (fuzzing) of the text cleaners and the structure parser: any bytes, only documented errors.

Documented: a text file that cannot be read is an ``IngestError`` naming the file and the reason (NUL bytes,
control characters, no text). Anything else comes out as a Document whose passages point into its text,
with ids unique in the document. The lines are drawn from what Council documents are made of (numbered
and lettered points, "Actie N" headings, addressee blocks, bullets, footnotes, header fields, Markdown
marks) mixed with arbitrary characters, so the parser's rules meet each other in odd orders.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ingest.decode import decode_text, normalise_chars
from ingest.errors import IngestError
from ingest.hyphenation import join_wrapped, vocabulary_of
from ingest.identity import normalised
from ingest.parse import parse_file

LINES = st.sampled_from([
    "1. De Raad verzoekt de Commissie uiterlijk in juni 2026 een verslag voor te leggen.",
    "2. De lidstaten zullen hun samenwerking versterken;", "27.", "a) een eerste punt;", "b)", "c) het derde punt:",
    "VERZOEKT DE LIDSTATEN:", "verzoekt de Raad de lidstaten en Europol:", "DE RAAD VAN DE EUROPESE UNIE,",
    "### **Actie 4: De criminele netwerken in kaart brengen**", "Actie 5:", "- een streepje", "• een bolletje",
    "Betreft: Conclusies van de Raad", "van: het secretariaat-generaal", "d.d.: 13 juni 2024", "LIMITE",
    "BIJLAGE", "Inleiding", "1 Doc. 8665/21.", "2", "rechtshandhavings-", "diensten zullen samenwerken.",
    "| Actie | Verantwoordelijk | Tijdschema |", "|---|---|---|", "---", "<sup>12</sup>", "***", "", "", " ",
    "\f", "Pagina 3 van 11", "NL", "15571/25", "JAI.1", "  ", "\t", "zullen wij:",
])
LINE = st.one_of(LINES, st.text(max_size=40), LINES.flatmap(lambda line: st.text(max_size=8).map(lambda t: line + t)))
DOCUMENT = st.lists(LINE, max_size=40).map("\n".join)


@given(st.binary(max_size=400))
def test_decoding_any_bytes_gives_text_or_a_named_ingest_error(data):
    try:
        text = decode_text(Path("x.txt"), data)
    except IngestError as e:
        assert e.path == "x.txt" and e.reason
        return
    assert isinstance(text, str) and text.strip() and "\x00" not in text


@given(st.text(max_size=300))
def test_character_normalisation_keeps_the_text_printable_and_is_stable(text):
    once = normalise_chars(text)
    assert "\u00ad" not in once and "\ufb01" not in once and "\u200b" not in once
    assert normalise_chars(once) == once


@given(st.text(max_size=40), st.text(max_size=40), st.lists(st.text(max_size=12), max_size=5))
def test_joining_wrapped_lines_keeps_every_word_character(left, right, words):
    joined = join_wrapped(left, right, vocabulary_of(words))
    letters = lambda s: [c for c in s if c.isalnum()]  # noqa: E731
    assert letters(joined) == letters(left.rstrip()) + letters(right.lstrip())


@given(st.one_of(DOCUMENT, DOCUMENT.map(lambda text: text.encode("utf-8")), st.binary(max_size=300)),
       st.sampled_from(["conclusies.txt", "roadmap.md"]))
def test_any_text_file_parses_to_passages_that_point_into_its_text(tmp_path_factory, content, name):
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    try:
        document = parse_file(path)
    except IngestError as e:
        assert e.reason and e.path == str(path)
        return
    ids = [p.passage_id for p in document.passages]
    assert len(set(ids)) == len(ids)
    assert [p.seq for p in document.passages] == list(range(len(document.passages)))
    for passage in document.passages:
        assert passage.text and document.text[passage.char_start : passage.char_end] == passage.text
        assert passage.cited_by is None or passage.cited_by in ids
    assert normalised(document.text) or not document.passages

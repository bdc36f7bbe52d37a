"""Bad input: every problem is an IngestError naming the file; legacy encodings are decoded."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import IngestError, parse_file

COUNCIL_TEXT = (
    "RESULTAAT BESPREKINGEN\n"
    "d.d.: 4 december 2023\n"
    "Betreft: Conclusies van de Raad over criminaliteitspreventie\n"
    "VERZOEKT DE LIDSTATEN OM:\n"
    "1. de coördinatie van de preventie te verbeteren en de financiële middelen te verhogen;\n"
    "2. het Comité te steunen bij de uitvoering van de conclusies.\n"
)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-8"])
def test_legacy_encodings_are_decoded(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"conclusies-{encoding}.txt"
    path.write_bytes(COUNCIL_TEXT.replace("Comité", "Comité – ENCP" if encoding == "cp1252" else "Comité")
                     .encode(encoding))
    document = parse_file(path)
    point = next(p for p in document.passages if p.paragraph == "1")
    assert "coördinatie" in point.text and "financiële" in point.text
    assert point.addressees == "VERZOEKT DE LIDSTATEN OM:"
    if encoding == "cp1252":
        assert "Comité – ENCP" in document.text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n  \n", "no text"),
        ("binary.txt", bytes(range(256)) * 8, "binary content"),
        ("controls.txt", b"\x01\x02\x03\x04\x05\x06abc" * 50, "binary content"),
        ("actually.pdf.txt", b"%PDF-1.7\n1 0 obj", "binary content"),
        ("random.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not a PDF"),
        ("notes.odt", b"whatever", "unsupported file type"),
    ],
)
def test_bad_inputs_are_ingest_errors(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError, match=reason) as raised:
        parse_file(path)
    assert raised.value.path == str(path)


def test_missing_and_oversized_files(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="not found"):
        parse_file(tmp_path / "weg.txt")
    big = tmp_path / "big.txt"
    big.write_text(COUNCIL_TEXT * 100, encoding="utf-8")
    with pytest.raises(IngestError, match="over the limit"):
        parse_file(big, max_bytes=1000)


def test_ligatures_spaces_and_soft_hyphens_are_normalised() -> None:
    from ingest.decode import normalise_chars

    assert normalise_chars("ﬁnanciële\u00a0middelen en rechts\u00adhandhaving") == "financiële middelen en rechtshandhaving"
    assert normalise_chars("de rechtshandhavings\u00ad\ninstanties") == "de rechtshandhavings-\ninstanties"
    assert normalise_chars("\uf0b7 punt") == "\uf0b7 punt"  # private-use bullets survive

"""Shared fixtures for the nlp tests: one real pipeline per session, documents built from passages."""

from __future__ import annotations

import pytest

from conclusio.records import Document, DocumentMetadata, Passage


@pytest.fixture(scope="session")
def pipeline(nlp_pipeline):
    """The production pipeline, built once per session (tests/conftest.py)."""
    return nlp_pipeline


def make_document(
    parts: list[tuple[str | None, str | None, str]],
    *,
    date: str | None = "2024-06-13",
    kind: str | None = "council_conclusions",
    source_file: str = "test.txt",
) -> Document:
    """A Document whose passages are (paragraph, addressees, text) triples, joined by blank lines."""
    text, passages = "", []
    for seq, (paragraph, addressees, body) in enumerate(parts):
        start = len(text)
        text += body + "\n\n"
        passages.append(
            Passage(
                passage_id=f"{source_file}#{seq}",
                source_file=source_file,
                seq=seq,
                kind="body",
                text=body,
                paragraph=paragraph,
                addressees=addressees,
                page=1,
                char_start=start,
                char_end=start + len(body),
            )
        )
    return Document(source_file, "hash", text, DocumentMetadata(date=date, kind=kind), passages)

"""Document references: found, normalised, deduplicated and resolved against known numbers."""

from __future__ import annotations

from ingest import find_references, normalise_doc_number, resolve_references


def test_kinds_and_normalised_forms() -> None:
    text = ("Zie Doc. 14114/23 en ST 8927/20, doc. 14542/2/23 REV 2, 8085/21 + ADD 1, COM(2021) 170 final, "
            "COM (2004) 165 final, Richtlijn (EU) 2024/1260, Verordening (EU) 2021/444, Kaderbesluit 2008/841/JBZ "
            "en PB C 102I van 24.3.2021, blz. 1. Nogmaals Doc. 14114/23.")
    found = [(r.kind, r.normalised) for r in find_references(text)]
    assert found == [
        ("council_doc", "14114/23"), ("council_doc", "8927/20"), ("council_doc", "14542/23 REV 2"),
        ("council_doc", "8085/21"), ("com", "COM(2021) 170"), ("com", "COM(2004) 165"),
        ("legal_act", "Richtlijn (EU) 2024/1260"), ("legal_act", "Verordening (EU) 2021/444"),
        ("legal_act", "Kaderbesluit 2008/841/JBZ"), ("oj", "PB C 102I van 24.3.2021"),
    ]


def test_numbers_that_are_not_documents_are_ignored() -> None:
    text = ("In 2024/2025 werden 37 derde landen betrokken (2021-2025); zie "
            "https://data.consilium.europa.eu/doc/document/ST-8927-2020-INIT/nl/pdf en http://x.eu/a/1234/20.")
    assert find_references(text) == []


def test_normalise_doc_number() -> None:
    assert normalise_doc_number("Doc. 14114/23.") == "14114/23"
    assert normalise_doc_number("COM (2023) 641 final") == "COM(2023) 641"
    assert normalise_doc_number("15571/25 REV 1") == "15571/25 REV 1"
    assert normalise_doc_number("geen nummer") is None


def test_resolve_references_uses_the_base_number_for_revisions() -> None:
    references = find_references("Doc. 14542/2/23 REV 2, COM(2023) 641 final en Doc. 1111/22.")
    known = {"14542/23": "conclusies.pdf", "COM(2023) 641": "001.txt"}
    resolved = {r.normalised: r.resolved_source_file for r in resolve_references(references, known)}
    assert resolved == {"14542/23 REV 2": "conclusies.pdf", "COM(2023) 641": "001.txt", "1111/22": None}
    assert all(r.resolved_source_file is None for r in references)  # pure: the input is untouched

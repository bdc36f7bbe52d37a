"""Which unit of a revised document each unit of the previous version became (tracking.anchoring)."""

from __future__ import annotations

from ingest.identity import IdMaker, fingerprint
from tracking.anchoring import Unit, match_units

POINTS = [
    ("1", "De Raad verzoekt de Commissie uiterlijk in juni 2026 een verslag over havenbeveiliging voor te leggen."),
    ("2", "De lidstaten zullen hun samenwerking op het gebied van havenbeveiliging tegen eind 2025 versterken."),
    ("3", "Europol zal tegen eind 2024 een specifiek verslag publiceren over legale bedrijfsstructuren."),
]


def units(points: list[tuple[str, str]]) -> list[Unit]:
    make = IdMaker("15571/25", "#")
    return [Unit(make(label, text), label, text, i) for i, (label, text) in enumerate(points)]


def test_unchanged_units_keep_their_ids_and_need_no_move():
    assert match_units(units(POINTS), units(POINTS), "obligation", "x.txt") == []


def test_a_point_inserted_above_renumbers_the_rest_and_each_follows_its_own_text():
    inserted = [("1", "De Raad roept op tot een gecoördineerde aanpak van criminele netwerken in havens.")]
    revised = inserted + [(str(int(label) + 1), text) for label, text in POINTS]
    old, new = units(POINTS), units(revised)
    moves = match_units(old, new, "obligation", "x.txt")
    assert [(m.old_id, m.new_id) for m in moves] == [(o.id, n.id) for o, n in zip(old, new[1:], strict=True)]
    assert all(m.reason.startswith("same text under label") for m in moves)


def test_a_reworded_point_moves_to_its_new_wording_and_a_removed_one_is_orphaned():
    revised = [POINTS[0], ("2", POINTS[1][1].replace("tegen eind 2025", "tegen eind 2026 verder"))]
    old, new = units(POINTS), units(revised)
    moves = {m.old_id: m for m in match_units(old, new, "obligation", "x.txt")}
    assert set(moves) == {old[1].id, old[2].id}
    assert moves[old[1].id].new_id == new[1].id and moves[old[1].id].reason.startswith("similar text (0.9")
    assert moves[old[2].id].new_id is None and "no unit" in moves[old[2].id].reason


def test_a_rewritten_point_is_not_taken_for_another_one():
    rewritten = [POINTS[0], POINTS[1], ("3", "Eurojust organiseert in 2025 een conferentie over witwassen.")]
    moves = match_units(units(POINTS), units(rewritten), "obligation", "x.txt")
    assert [(m.new_id, "no unit" in m.reason) for m in moves] == [(None, True)]


def test_two_old_units_never_land_on_one_new_unit():
    text = "De lidstaten zullen hun gegevens met Europol delen, zoals afgesproken in het actieplan."
    old = units([("4", text), ("5", text)])
    assert old[1].id == f"15571/25#5#{fingerprint(text)}"
    new = units([("4", text)])
    moves = match_units(old, new, "obligation", "x.txt")
    assert [(m.old_id, m.new_id) for m in moves] == [(old[1].id, None)]


def test_short_texts_need_the_same_text():
    old, new = units([("h", "Actie 4: Europol")]), units([("h", "Actie 5: Europol")])
    assert [m.new_id for m in match_units(old, new, "passage", "x.txt")] == [None]


def test_equal_texts_keep_apart_by_a_counter():
    make = IdMaker("x.txt", ":")
    first, second = make("p", "Zie hieronder."), make("p", "Zie hieronder.")
    assert second == f"{first}~2"

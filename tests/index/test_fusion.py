"""Reciprocal rank fusion, checked against the formula by hand."""

import pytest

from index.fusion import min_max_fusion, reciprocal_rank_fusion


def test_single_list_keeps_its_order_with_rrf_scores():
    fused = reciprocal_rank_fusion([["a", "b", "c"]], [1.0], k=60)
    assert [i for i, _ in fused] == ["a", "b", "c"]
    assert fused[0][1] == pytest.approx(1 / 61)
    assert fused[2][1] == pytest.approx(1 / 63)


def test_items_in_both_lists_add_up():
    fused = dict(reciprocal_rank_fusion([["a", "b"], ["b", "c"]], [1.0, 1.0], k=60))
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["a"] == pytest.approx(1 / 61)
    assert max(fused, key=fused.get) == "b"


def test_weights_scale_each_list():
    fused = reciprocal_rank_fusion([["a"], ["b"]], [1.0, 0.5], k=10)
    assert fused == [("a", pytest.approx(1 / 11)), ("b", pytest.approx(0.5 / 11))]


def test_a_duplicate_within_one_list_counts_once_at_its_best_rank():
    fused = dict(reciprocal_rank_fusion([["a", "a", "b"]], k=0))
    assert fused == {"a": pytest.approx(1.0), "b": pytest.approx(0.5)}


def test_ties_keep_first_appearance_order():
    fused = reciprocal_rank_fusion([["a", "b"], ["b", "a"]], [1.0, 1.0])
    assert [i for i, _ in fused] == ["a", "b"]


def test_empty_input_gives_empty_output():
    assert reciprocal_rank_fusion([[], []], [1.0, 1.0]) == []


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="2 weights for 1"):
        reciprocal_rank_fusion([["a"]], [1.0, 1.0])
    with pytest.raises(ValueError, match="k must be"):
        reciprocal_rank_fusion([["a"]], k=-1)



def test_min_max_fusion_scales_each_list_to_its_own_range():
    lexical = [("a", 12.0), ("b", 3.0), ("c", 2.0)]  # "a" far ahead
    semantic = [("c", 0.62), ("b", 0.61), ("a", 0.60)]  # a flat list barely tells them apart
    fused = min_max_fusion([lexical, semantic], [1.0, 0.4])
    assert [item for item, _ in fused] == ["a", "c", "b"]
    assert fused[0][1] == pytest.approx(1.0 / 1.4)  # top of lexical, bottom of semantic
    assert all(0.0 <= score <= 1.0 for _, score in fused)


def test_min_max_fusion_counts_an_absent_item_as_zero_and_a_flat_list_as_one():
    fused = dict(min_max_fusion([[("a", 5.0), ("b", 1.0)], [("c", 0.7)]]))
    assert fused == {"a": pytest.approx(0.5), "b": 0.0, "c": pytest.approx(0.5)}
    assert min_max_fusion([[], []]) == []


def test_min_max_fusion_rejects_bad_weights():
    with pytest.raises(ValueError, match="2 weights for 1"):
        min_max_fusion([[("a", 1.0)]], [1.0, 1.0])
    with pytest.raises(ValueError, match="positive sum"):
        min_max_fusion([[("a", 1.0)]], [0.0])

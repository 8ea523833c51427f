"""Calibration figures of top-1 confidence (signdesk.tools.calibration): exact small cases and bounds."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from signdesk.tools.calibration import (
    BINS,
    expected_calibration_error,
    precision_at,
    precision_threshold,
    reliability,
)


def test_perfectly_calibrated_set_has_zero_ece() -> None:
    # 80 % sure and right 8 times in 10; 30 % sure and right 3 times in 10
    conf = [0.8] * 10 + [0.3] * 10
    correct = [1] * 8 + [0] * 2 + [1] * 3 + [0] * 7
    assert expected_calibration_error(conf, correct) == pytest.approx(0.0, abs=1e-12)


def test_overconfident_set_has_ece_one_half() -> None:
    assert expected_calibration_error([1.0] * 10, [1, 0] * 5) == pytest.approx(0.5)


def test_ece_weighs_each_bin_by_its_share_of_clips() -> None:
    # bin of 0.9: 3 clips, all right (gap 0.1); bin of 0.5: 1 clip, wrong (gap 0.5)
    assert expected_calibration_error([0.9, 0.9, 0.9, 0.5], [1, 1, 1, 0]) == pytest.approx((3 * 0.1 + 0.5) / 4)


def test_reliability_bins_are_equal_width_with_the_upper_edge_inclusive() -> None:
    bins = reliability([0.0, 1 / BINS, 0.5, 1.0, 1.0], [0, 1, 1, 1, 0])
    assert [(b.lo, b.n) for b in bins] == [(0.0, 2), (pytest.approx(7 / BINS), 1), (pytest.approx(14 / BINS), 2)]
    assert all(b.hi == pytest.approx(b.lo + 1 / BINS) for b in bins)
    last = bins[-1]
    assert last.hi == 1.0 and last.accuracy == 0.5 and last.confidence == 1.0
    assert bins[0].to_json() == {"lo": 0.0, "hi": pytest.approx(1 / BINS), "n": 2, "accuracy": 0.5,
                                 "confidence": pytest.approx(0.5 / BINS)}


def test_ece_of_nothing_is_nan_and_mismatched_inputs_are_refused() -> None:
    assert math.isnan(expected_calibration_error([], []))
    with pytest.raises(ValueError):
        expected_calibration_error([0.5, 0.6], [1])


@given(st.lists(st.tuples(st.floats(0.0, 1.0), st.booleans()), min_size=1, max_size=60))
def test_ece_lies_between_the_overall_gap_and_the_per_clip_gap(pairs: list[tuple[float, bool]]) -> None:
    """Binning can only hide miscalibration, never invent it: |mean conf − acc| ≤ ECE ≤ mean |conf − correct|."""
    conf = np.array([c for c, _ in pairs])
    hit = np.array([h for _, h in pairs], dtype=float)
    ece = expected_calibration_error(conf, hit)
    assert abs(conf.mean() - hit.mean()) - 1e-9 <= ece <= np.abs(conf - hit).mean() + 1e-9
    assert sum(b.n for b in reliability(conf, hit)) == len(pairs)


def test_threshold_is_the_smallest_that_keeps_95_percent_precision() -> None:
    conf = [0.97] * 10 + [0.8] * 10 + [0.5] * 10
    correct = [1] * 10 + [1] * 9 + [0] + [1] * 5 + [0] * 5
    t = precision_threshold(conf, correct)
    assert t == 0.8  # 19 of 20 right at >= 0.8; 24 of 30 at >= 0.5
    assert precision_at(conf, correct, t) == (pytest.approx(0.95), pytest.approx(2 / 3))


def test_threshold_is_not_the_first_crossing_from_the_top() -> None:
    # the most confident answer is wrong, yet 30 of 31 right above 0.9 is enough
    conf = [0.99] + [0.9] * 30
    correct = [0] + [1] * 30
    assert precision_threshold(conf, correct) == 0.9


def test_clips_of_equal_confidence_are_kept_together() -> None:
    # a cut inside the 0.9 run (after its one right answer) would read 19/19; the threshold keeps all three
    conf = [1.0] * 18 + [0.9] * 3
    correct = [1] * 18 + [1, 0, 0]
    assert precision_threshold(conf, correct) == 1.0
    assert precision_at(conf, correct, 1.0) == (1.0, pytest.approx(18 / 21))


def test_no_threshold_when_95_percent_is_never_reached() -> None:
    assert precision_threshold([0.9, 0.8, 0.7, 0.6], [0, 1, 0, 1]) is None
    assert precision_threshold([], []) is None
    assert precision_threshold([0.99] * 20, [1] * 18 + [0] * 2) is None  # 90 %
    assert precision_at([0.4, 0.3], [1, 1], 0.5) == (None, 0.0)

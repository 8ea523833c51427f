"""Fill-cost measurement on a real live-extracted KArSL clip (signdesk.train.fillcost)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from signdesk.tools.datasets import ClipRef, Example
from signdesk.landmarks import RIGHT_IRIS_ROWS
from signdesk.train.fillcost import (
    VARIANTS,
    iris_cost,
    model_cost,
    pose_visibility_cost,
)


def test_iris_fill_error_is_small_and_the_measure_sees_a_wrong_iris(karsl_features: np.ndarray) -> None:
    cost = iris_cost([karsl_features])
    assert {"xy_abs", "z_abs", "eye_widths", "eye_widths_p95", "motion_xy", "within_clip_std_xy"} <= cost.keys()
    assert cost["frames"] > 10
    assert 0 < cost["eye_widths"] < 0.2  # the fill lands within a fifth of an eye width on average
    assert 0 < cost["xy_abs"] < 0.1  # in inter-ocular distances
    assert cost["motion_xy"] > 0
    # Real right iris shifted sideways by its own diameter (~0.4 eye widths): a larger error.
    moved = karsl_features.copy()
    rows = list(RIGHT_IRIS_ROWS)
    diameter = np.abs(moved[:, rows[0], 0] - moved[:, rows[2], 0])
    moved[:, rows, 0] += diameter[:, None] * (moved[:, rows, 0] != 0)
    assert iris_cost([moved])["eye_widths"] > cost["eye_widths"] + 0.05


def test_pose_visibility_fill_is_close_to_mediapipe(karsl_features: np.ndarray) -> None:
    cost = pose_visibility_cost([karsl_features])
    assert set(cost) == {"abs", "off_by_0_2", "real_mean", "filled_mean"}
    assert 0 <= cost["abs"] < 0.25
    assert 0 < cost["real_mean"] <= 1 and 0 < cost["filled_mean"] <= 1


def test_model_cost_scores_every_variant_on_the_same_clips(fixture_model: Path, karsl_features: np.ndarray) -> None:
    from signdesk.recognizer import Recognizer

    ref = ClipRef("clip-a", "0002", "karsl-01", "test", Path("clip-a.mp4"))
    examples = [Example(ref, karsl_features), Example(ClipRef("clip-b", "0003", "karsl-01", "test",
                                                              Path("clip-b.mp4")), karsl_features[::2])]
    out = model_cost(Recognizer(fixture_model), examples, "karsl", exclude={"karsl:clip-b"})
    assert list(out) == list(VARIANTS)
    assert all(r["n"] == 1 for r in out.values())  # the excluded (training) clip is never scored
    assert out["real"]["changed"] == 0

"""Bundled-sign practice references: the time-aligned average, its refusals, the shipped file."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest
from conftest import GISLR, MPDATA, REPO, need

from signdesk.files import write_npz
from signdesk.landmarks import LEFT_HAND_ROWS, RIGHT_HAND_ROWS
from signdesk.practice.reference import (
    FPS_KEY,
    REFERENCES_FILE,
    average_reference,
    bundled_reference,
    to_body_frame,
)
from signdesk.practice.session import default_reference_source
from signdesk.recognizer import Label, ModelInfo
from signdesk.train.references import spread, usable

_rng = np.random.default_rng(7)
HAND_SHAPE = _rng.normal(0, 0.08, (21, 2))  # one fixed handshape (body-frame offsets from the hand centre)
FACE = _rng.normal((0, -1.0), 0.2, (136, 2))  # a still face above the shoulders


def motion(s: np.ndarray) -> np.ndarray:
    """Right-hand centre (body frame) along the sign, s in [0, 1]: an arc across the chest."""
    return np.stack([-0.2 + 0.6 * s, -0.3 - 0.5 * np.sin(np.pi * s)], axis=-1)


def clip(s: np.ndarray, mid=(0.5, 0.6), width=0.3, left_hand: bool = False) -> np.ndarray:
    """Raw (T, 184, 4) landmarks of one person (shoulders at ``mid``, ``width`` apart) at phases ``s``."""
    t = len(s)
    body = np.zeros((t, 184, 4))
    body[:, 0, :2], body[:, 1, :2] = (0.5, 0), (-0.5, 0)  # left / right shoulder
    body[:, 2, :2], body[:, 4, :2] = (0.7, 0.8), (0.6, 1.4)  # left elbow, left wrist (resting)
    centre = motion(s)
    body[:, 3, :2] = (centre + (-0.5, 0)) / 2  # right elbow
    body[:, 5, :2] = centre + HAND_SHAPE[0]  # right wrist = hand point 0
    body[:, 0:6, 3] = 0.9
    body[:, 6:142, :2], body[:, 6:142, 3] = FACE, 1.0
    body[:, RIGHT_HAND_ROWS, :2] = centre[:, None] + HAND_SHAPE
    body[:, RIGHT_HAND_ROWS, 3] = 1.0
    if left_hand:
        body[:, LEFT_HAND_ROWS, :2] = np.array((0.6, 1.4)) - HAND_SHAPE[0] + HAND_SHAPE
        body[:, LEFT_HAND_ROWS, 3] = 1.0
    raw = body.copy()
    seen = np.any(body != 0, axis=-1)
    raw[..., :2] = np.where(seen[..., None], np.asarray(mid) + body[..., :2] * width, 0.0)
    return raw.astype(np.float32)


PEOPLE = [((0.45, 0.55), 0.25), ((0.5, 0.6), 0.3), ((0.55, 0.62), 0.35), ((0.4, 0.5), 0.28), ((0.6, 0.7), 0.32)]


def canonical(s: np.ndarray) -> np.ndarray:
    """The motion as the average should place it: at the people's median shoulders."""
    mid = np.median([m for m, _ in PEOPLE], axis=0)
    return clip(s, mid, float(np.median([w for _, w in PEOPLE])))


def test_clips_at_different_speeds_and_sizes_average_back_to_the_motion():
    lengths = [24, 27, 30, 33, 36]
    clips = [clip(np.linspace(0, 1, n), m, w) for n, (m, w) in zip(lengths, PEOPLE)]
    ref = average_reference(clips, [30.0] * 5, ["a", "b", "c", "d", "e"])
    assert ref.shape == (30, 184, 4) and ref.dtype == np.float32
    expected = canonical(np.linspace(0, 1, 30))
    assert np.abs(ref - expected).max() < 0.01


def test_time_shifted_copies_average_back_to_one_motion():
    """The same motion started 0-8 frames later (held still before and after): DTW undoes the shift,
    so the average is the motion itself; a plain frame-by-frame mean would smear it."""
    def shifted(k: int, person: int) -> np.ndarray:
        s = np.clip((np.arange(30) - k) / 19, 0, 1)  # hold, 20 frames of motion, hold
        return clip(s, *PEOPLE[person])

    shifts = [0, 2, 4, 6, 8]
    clips = [shifted(k, i) for i, k in enumerate(shifts)]
    ref = average_reference(clips, [30.0] * 5, ["a", "b", "c", "d", "e"])
    errors = {k: np.abs(ref - canonical(np.clip((np.arange(30) - k) / 19, 0, 1))).max() for k in shifts}
    assert min(errors.values()) < 1e-3, errors  # exactly one of the copies (the medoid's timing)
    plain = np.mean([to_body_frame(c)[0] for c in clips], axis=0)
    best = min(shifts, key=errors.get)
    medoid_body = to_body_frame(canonical(np.clip((np.arange(30) - best) / 19, 0, 1)))[0]
    assert np.abs(plain - medoid_body)[:, RIGHT_HAND_ROWS, :2].max() > 0.1  # what alignment avoids


@pytest.mark.parametrize(("n_with", "present"), [(2, False), (3, True), (4, True)])
def test_a_part_seen_in_fewer_than_half_the_clips_stays_absent(n_with, present):
    s = np.linspace(0, 1, 30)
    people = PEOPLE + [PEOPLE[0]]
    clips = [clip(s, m, w, left_hand=i < n_with) for i, (m, w) in enumerate(people)]
    ref = average_reference(clips, [30.0] * 6, list("abcdef"))
    left = ref[:, LEFT_HAND_ROWS]
    if present:  # the mean over the clips that see it, placed at everyone's median shoulders
        mid, width = np.median([m for m, _ in people], axis=0), float(np.median([w for _, w in people]))
        assert np.abs(left - clip(s, mid, width, left_hand=True)[:, LEFT_HAND_ROWS]).max() < 0.01
    else:
        assert not left.any()
    assert np.all(np.any(ref[:, RIGHT_HAND_ROWS] != 0, axis=(1, 2)))


def test_left_dominant_clips_are_mirrored_to_the_right_hand():
    from signdesk.practice.body import mirror

    s = np.linspace(0, 1, 30)
    clips = [clip(s, m, w) for m, w in PEOPLE]
    clips[1], clips[3] = mirror(clips[1]), mirror(clips[3])
    ref = average_reference(clips, [30.0] * 5, list("abcde"))
    assert np.abs(ref - canonical(s)).max() < 0.01


def test_refuses_too_few_clips_or_people():
    s = np.linspace(0, 1, 30)
    clips = [clip(s, m, w) for m, w in PEOPLE]
    with pytest.raises(ValueError, match="at least 5 clips"):
        average_reference(clips[:4], [30.0] * 4, list("abcd"))
    with pytest.raises(ValueError, match="at least 5 clips"):
        average_reference(clips[:4], [30.0] * 4, list("abcd"), min_clips=2)  # the floor is not lowered
    with pytest.raises(ValueError, match="at least 2 people"):
        average_reference(clips, [30.0] * 5, ["one"] * 5)
    no_shoulders = [c.copy() for c in clips]
    no_shoulders[2][:, 0:2] = 0
    with pytest.raises(ValueError, match="shoulders"):
        average_reference(no_shoulders, [30.0] * 5, list("abcde"))


def test_clip_choice_spreads_over_people_and_drops_unusable_clips():
    s = np.linspace(0, 1, 30)
    good = clip(s)
    pool = [(f"k{i}", "many", good) for i in range(30)] + [("x", "other", good), ("y", "third", good)]
    chosen = spread(pool, 5, seed=1)
    assert len(chosen) == 5 and {"other", "third"} <= {p for _, p, _ in chosen}
    no_hand = good.copy()
    no_hand[:, RIGHT_HAND_ROWS] = 0
    kept, dropped = usable([("a", "p", good), ("b", "p", no_hand), ("c", "p", good[:3]), ("d", "p", good)])
    assert [k for k, _, _ in kept] == ["a", "d"] and sum(dropped.values()) == 2


# --- the shipped file ----------------------------------------------------------------------------


def model_info(folder: Path) -> ModelInfo:
    return ModelInfo("test", folder / "model.onnx", folder / "labels.json", None)


def test_bundled_reference_round_trip(tmp_path):
    ref = clip(np.linspace(0, 1, 30))
    write_npz(tmp_path / REFERENCES_FILE, **{FPS_KEY: np.float32(25.0), "hello": ref.astype(np.float16)})
    got = bundled_reference(model_info(tmp_path), Label("hello", "hello", "hello"))
    assert got is not None
    arr, fps = got
    assert arr.dtype == np.float32 and arr.shape == ref.shape and fps == 25.0
    assert np.abs(arr - ref).max() < 1e-3  # float16 storage
    assert bundled_reference(model_info(tmp_path), Label("thank you", "thank you", "thankyou")) is None
    assert bundled_reference(model_info(tmp_path / "nowhere"), Label("hello", "", "hello")) is None


@pytest.mark.parametrize("damage", ["garbage", "shape", "no fps"])
def test_damaged_references_file_gives_none_and_a_warning(tmp_path, caplog, damage):
    path = tmp_path / REFERENCES_FILE
    if damage == "garbage":
        path.write_bytes(b"PK\x03\x04 not really a zip file")
    elif damage == "shape":
        write_npz(path, **{FPS_KEY: np.float32(30), "hello": np.zeros((30, 10), np.float16)})
    else:
        write_npz(path, hello=np.zeros((30, 184, 4), np.float16))
    with caplog.at_level(logging.WARNING, logger="signdesk.practice.reference"):
        assert bundled_reference(model_info(tmp_path), Label("hello", "", "hello")) is None
    assert "unreadable practice references" in caplog.text


def test_default_lookup_prefers_the_custom_reference(tmp_path):
    bundled = clip(np.linspace(0, 1, 30))
    write_npz(tmp_path / REFERENCES_FILE, **{FPS_KEY: np.float32(30), "hello": bundled.astype(np.float16)})
    own = (np.ones((10, 184, 4), np.float32), 15.0)
    source = default_reference_source(model_info(tmp_path), lambda lab: own if lab.name == "mine" else None)
    assert source(Label("mine", "", "hello")) is own
    got = source(Label("hello", "", "hello"))
    assert got is not None and got[0].shape == (30, 184, 4)
    assert source(Label("hello", "", "custom:hello")) is None  # a custom sign never gets a bundled one


@pytest.mark.parametrize("model", ["asl-basics", "karsl-arabic"])
def test_shipped_references_follow_the_rule(model):
    """Every shipped reference is an average over >= 5 clips of >= 2 people, as its summary says."""
    folder = REPO / "models" / model
    summary = json.loads((folder / "references.json").read_text(encoding="utf-8"))
    with np.load(folder / REFERENCES_FILE, allow_pickle=False) as z:
        keys = set(z.files) - {FPS_KEY}
    assert keys == set(summary["with_reference"]) and keys
    for label in keys:
        entry = summary["signs"][label]
        assert entry["clips"] >= 5 and entry["people"] >= 2, (label, entry)
    for label, entry in summary["signs"].items():
        assert (label in keys) != ("skipped" in entry)
    assert (folder / REFERENCES_FILE).stat().st_size < 1_000_000


# --- on real data ---------------------------------------------------------------------------------


def test_hello_reference_is_closer_to_held_out_hello_than_to_thankyou():
    """Held-out clips (not in training_clips.json) of hello and thank you, every 4th of each source,
    scored by feedback.py against the shipped hello and thank-you references: each reference finds
    fewer problems, on average, in its own sign (left-dominant signers set left-handed, as they would)."""
    from signdesk.practice.feedback import feedback
    from signdesk.practice.reference import _dominant_is_left
    from signdesk.recognizer import bundled_models
    from signdesk.tools.datasets import open_dataset

    folders = [need(MPDATA), need(GISLR)]
    info = {m.name: m for m in bundled_models()}["asl-basics"]
    trained = set(json.loads((REPO / "models/asl-basics/training_clips.json").read_text())["clips"])
    held: dict[str, list[np.ndarray]] = {"hello": [], "thankyou": []}
    for folder in folders:
        ds = open_dataset(folder)
        refs = [c for c in ds.clips() if f"{ds.family}:{c.clip_id}" not in trained and c.label in held][::4]
        for e in ds.load(refs, progress=False).examples:
            held[e.ref.label].append(e.frames)
    assert min(len(v) for v in held.values()) >= 20
    for sign, other in (("hello", "thankyou"), ("thankyou", "hello")):
        got = bundled_reference(info, Label(sign, sign, sign))
        assert got is not None
        ref, fps = got

        def problems(clips: list[np.ndarray], ref: np.ndarray = ref, fps: float = fps) -> float:
            return float(np.mean([sum(not i.ok for i in feedback(a, ref, 30.0, fps, _dominant_is_left(a)))
                                  for a in clips]))

        own, wrong = problems(held[sign]), problems(held[other])
        assert own < wrong, (sign, own, wrong)

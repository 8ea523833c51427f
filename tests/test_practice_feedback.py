"""Feedback measures on real KArSL clips (landmarks from the cache under cache/landmarks).

Signer karsl-01 signs with the left hand dominant; each clip is cut to its longest attempt as
the app cuts attempts live, and compared with repeat 0 of a sign as the reference.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import KARSL_WALEAD, need

from signdesk.clips import cut_attempts, longest_attempt
from signdesk.practice.body import Hand, hand_shape, mirror
from signdesk.practice.feedback import ALL_GOOD, Measure, feedback, summary_lines

SIGNER = "karsl-01"
SIGNS = ("0072", "0074", "0078", "0081", "0082")
REPEATS = 5
FPS = 30.0


@pytest.fixture(scope="module")
def reps() -> dict[str, list[np.ndarray]]:
    """Raw attempts of five signs by one signer, five repeats each: sign id → [(T, 184, 4)]."""
    from signdesk.tools.datasets import open_dataset

    ds = open_dataset(need(KARSL_WALEAD))
    chosen = {s: [c for c in ds.clips() if c.label == s and c.signer == SIGNER][:REPEATS] for s in SIGNS}
    loaded = ds.load([c for cs in chosen.values() for c in cs], progress=False)
    by_id = {e.ref.clip_id: e.frames for e in loaded.examples}
    out = {}
    for sign, clips in chosen.items():
        attempts = []
        for c in clips:
            a = longest_attempt(cut_attempts(by_id[c.clip_id], FPS))
            attempts.append(a.raw if a is not None else by_id[c.clip_id])
        out[sign] = attempts
    return out


def not_ok(items, *measures: Measure):
    return [i for i in items if not i.ok and (not measures or i.measure in measures)]


def test_repeats_of_one_sign_match_their_reference(reps):
    for sign in ("0074", "0078", "0082"):
        ref = reps[sign][0]
        for att in reps[sign][1:]:
            items = feedback(att, ref, FPS, FPS)
            assert not_ok(items, *(set(Measure) - {Measure.DURATION})) == [], (sign, summary_lines(items))
    items = feedback(reps["0078"][1], reps["0078"][0], FPS, FPS)
    assert summary_lines(items) == [ALL_GOOD]


def test_a_different_sign_gets_location_movement_or_handshape_feedback(reps):
    body = {Measure.LOCATION, Measure.MOVEMENT, Measure.DIRECTION, Measure.HANDSHAPE, Measure.HANDS}
    for target in SIGNS:
        for other in SIGNS:
            if other != target:
                items = feedback(reps[other][0], reps[target][0], FPS, FPS)
                assert not_ok(items, *body), (other, "as", target, summary_lines(items, 10))


def test_location_says_which_way(reps):
    """Pharynx (0081) is signed at the face, liver (0082) low on the body."""
    items = feedback(reps["0081"][1], reps["0082"][0], FPS, FPS)
    loc = not_ok(items, Measure.LOCATION)
    assert loc and loc[0].hand is Hand.LEFT
    assert loc[0].message.startswith("Your left hand was higher than the reference: bring it down to")
    assert loc[0].values["up"] > loc[0].values["reference_up"] + 0.5
    items = feedback(reps["0082"][1], reps["0081"][0], FPS, FPS)
    assert "lower than the reference: bring it up to" in not_ok(items, Measure.LOCATION)[0].message


def test_one_hand_zeroed_says_use_both_hands(reps):
    ref = reps["0078"][0]
    att = reps["0078"][1].copy()
    att[:, Hand.RIGHT.rows] = 0
    items = feedback(att, ref, FPS, FPS)
    hands = not_ok(items, Measure.HANDS)
    assert hands and hands[0].message == "Use both hands: the sign is made with two hands, you used one."
    assert items[0].measure is Measure.HANDS  # the most important item comes first


def test_hand_out_of_view_for_part_of_the_sign(reps):
    ref = reps["0078"][0]
    att = reps["0078"][1].copy()
    n = len(att)
    gone = slice(n // 3, n // 3 + round(0.4 * n))
    att[gone, Hand.RIGHT.rows] = 0
    items = feedback(att, ref, FPS, FPS)
    out = not_ok(items, Measure.OUT_OF_VIEW)
    frac = out[0].values["fraction"]
    assert out and out[0].hand is Hand.RIGHT and 0.35 <= frac <= 0.45
    assert out[0].message == f"Your right hand was out of view for {frac:.0%} of the sign."


def test_a_still_hand_is_told_to_move_more(reps):
    ref = reps["0078"][0]
    att = reps["0078"][1].copy()
    for hand in Hand:
        seen = np.flatnonzero(np.any(att[:, hand.rows] != 0, axis=(1, 2)))
        att[seen, hand.rows] = att[seen[0], hand.rows]
    items = feedback(att, ref, FPS, FPS)
    moves = not_ok(items, Measure.MOVEMENT)
    assert moves and all(m.message.startswith("Move more: your") for m in moves)
    assert all(m.values["ratio"] < 0.2 for m in moves)


def test_handshape_names_bent_fingers(reps):
    """Sign 0075's left hand is a bent handshape; 0082's is a flat hand."""
    from signdesk.tools.datasets import open_dataset

    ds = open_dataset(need(KARSL_WALEAD))
    clip = next(c for c in ds.clips() if c.label == "0075" and c.signer == SIGNER)
    bent = ds.load([clip], progress=False).examples[0].frames
    items = feedback(bent, reps["0082"][0], FPS, FPS)
    shape = not_ok(items, Measure.HANDSHAPE)
    assert shape and shape[0].message.startswith("Handshape of the left hand differs from the reference (fingers "
                                                 "more bent")
    ext, spread = hand_shape(bent[np.any(bent[:, Hand.LEFT.rows] != 0, axis=(1, 2))][:, Hand.LEFT.rows, :3])
    assert ext.shape[1] == 5 and np.all((ext > 0) & (ext <= 1.0 + 1e-6)) and np.all(spread >= 0)


def test_duration_too_short_and_too_long(reps):
    ref = reps["0078"][0]
    short = feedback(ref, ref, FPS * 3, FPS)
    d = not_ok(short, Measure.DURATION)[0]
    assert d.message == f"Too short: the sign took {len(ref) / 90:.1f} s, the reference {len(ref) / 30:.1f} s."
    assert not_ok(feedback(ref, ref, FPS / 2, FPS), Measure.DURATION)[0].message.startswith("Too long:")
    assert not not_ok(feedback(ref, ref, FPS, FPS))


def test_left_handed_mirror_gives_the_same_feedback(reps):
    for sign in ("0072", "0078", "0081"):
        ref = reps[sign][0]
        for att in (reps[sign][1], reps["0082"][2]):
            plain = feedback(att, ref, FPS, FPS)
            mirrored = feedback(mirror(att), ref, FPS, FPS, left_handed=True)
            assert [(i.measure, i.hand, i.ok, i.message) for i in plain] == \
                   [(i.measure, i.hand, i.ok, i.message) for i in mirrored]
            for a, b in zip(plain, mirrored):
                assert a.values.keys() == b.values.keys()
                for k in a.values:
                    assert a.values[k] == pytest.approx(b.values[k], abs=1e-4), k


def test_mirrored_attempt_without_left_handed_uses_the_wrong_hand(reps):
    items = feedback(mirror(reps["0082"][1]), reps["0082"][0], FPS, FPS)
    assert not_ok(items, Measure.HANDS)[0].message == ("Use your left hand: the reference signs with it, "
                                                       "you used your right.")


def test_no_shoulders_says_what_was_not_compared(reps):
    att = reps["0078"][1].copy()
    att[:, 0:6] = 0
    items = feedback(att, reps["0078"][0], FPS, FPS)
    assert items[0].measure is Measure.VIEW and not items[0].ok
    assert "your shoulders were not seen" in items[0].message


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match=r"\(T, 184, 4\)"):
        feedback(np.zeros((10, 183, 4)), np.zeros((10, 184, 4)), FPS, FPS)

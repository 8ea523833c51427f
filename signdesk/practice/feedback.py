"""Plain-language feedback on one attempt: its raw landmarks compared with a reference's.

Every measure works on raw (T, 184, 4) landmarks (see ``signdesk.landmarks``), never on the
model's normalized window, so what it says is about the body: which hands, where, how far,
which handshape, how long. Positions are in *shoulder widths* from the shoulder midpoint, in
the signer's own directions: the camera picture is not mirrored, so the signer's right is
image-left and ``lateral > 0`` means toward the signer's right; ``up > 0`` is up.

Each measure returns a :class:`FeedbackItem` (values, an ok flag, one short sentence);
:func:`feedback` runs them all and orders them by importance, and :func:`summary_lines` gives
the sentences to show. Each sentence is also given as a message id (a key of :data:`MESSAGES`)
and its parameters, so that an interface can say it in another language; the CLI and the JSON
keep the English sentence.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from signdesk.practice.body import (
    FINGER_NAMES,
    Body,
    Hand,
    HandTrack,
    body_of,
    mirror,
    present,
    track_of,
)

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

# --- thresholds ------------------------------------------------------------------------------

#: A hand's seen-share must also differ from the reference's by this much before "one hand /
#: two hands" is said: a resting hand in view is seen 20-60% of the time from one repeat to the
#: next (KArSL, one signer), which would otherwise flip the count on the 30% line.
HAND_USED_MARGIN = 0.3
#: How far (shoulder widths) the mean wrist position may lie from the reference's. Repeats
#: of one sign by one signer differ by about 0.1-0.3; a different place (chin vs chest) by
#: more than 0.5.
LOCATION_TOLERANCE = 0.4
#: Path-length ratio (attempt / reference) still counted as the same amount of movement:
#: repeats of one sign vary by up to about 1.5x either way.
MOVEMENT_RATIO_RANGE = (0.55, 1.8)
#: ...and the paths must differ by at least this much (shoulder widths): between short paths a
#: large ratio is mostly tracking jitter.
MOVEMENT_MIN_DIFFERENCE = 0.3
#: Below this path (shoulder widths) a hand counts as held still: its ratio is not judged.
STILL_PATH = 0.3
#: A reference's net displacement (shoulder widths) large enough to have a main direction.
DIRECTION_MIN_DISPLACEMENT = 0.35
#: Cosine between the attempt's and the reference's net displacement below which the main
#: direction counts as different (about 70 degrees apart).
DIRECTION_MIN_COSINE = 0.35
#: Finger extension (tip distance over finger length, 1 = straight) may differ by this much,
#: averaged over the five fingers: repeats differ by about 0.05, a fist vs a flat hand by 0.4.
BEND_TOLERANCE = 0.12
#: One finger's extension difference that names that finger when the mean stays small.
FINGER_TOLERANCE = 0.25
#: Mean angle between neighbouring fingers (degrees) may differ by this much: spread fingers
#: open about 15-25 degrees more than closed ones.
SPREAD_TOLERANCE_DEG = 10.0
#: Duration ratio (attempt / reference) outside 1 ± this is too short or too long: signing
#: speed varies between people by about a third.
DURATION_TOLERANCE = 0.4
#: Share of the signing frames in which a hand the sign needs may be missing while the other
#: hand is seen: a few frames of tracking loss are normal, a quarter is not.
OUT_OF_VIEW_MAX = 0.25
#: ...and it must exceed the reference's own share by this much: a passive hand resting low is
#: lost as often in the reference, which is then not the learner's fault.
OUT_OF_VIEW_MARGIN = 0.2


class Measure(enum.Enum):
    """What an item is about, in order of importance (the order :func:`feedback` sorts by)."""

    VIEW = "view"
    HANDS = "hands"
    OUT_OF_VIEW = "out_of_view"
    LOCATION = "location"
    HANDSHAPE = "handshape"
    DIRECTION = "direction"
    MOVEMENT = "movement"
    DURATION = "duration"


_ORDER = {m: i for i, m in enumerate(Measure)}


#: The English sentence of each message id. Word parameters (hand, level, side, times,
#: direction, count, kinds) hold the English words this module chooses, numbers are numbers;
#: a tuple parameter is a list of words (joined with ", ").
MESSAGES: dict[str, str] = {
    "hands.same": "Hands: {count} used, as in the reference.",
    "hands.none": "No hand was seen signing: raise your hands into view of the camera.",
    "hands.both": "Use both hands: the sign is made with two hands, you used one.",
    "hands.one": "Use one hand: the sign is made with your {hand} hand only, you used two.",
    "hands.other": "Use your {hand} hand: the reference signs with it, you used your {used}.",
    "view.ok": "Your {hand} hand stayed in view.",
    "view.out": "Your {hand} hand was out of view for {fraction:.0%} of the sign.",
    "location.ok": "Your {hand} hand was in the right place.",
    "location.low": "Your {hand} hand was lower than the reference: bring it up to {level}.",
    "location.high": "Your {hand} hand was higher than the reference: bring it down to {level}.",
    "location.side": "Your {hand} hand was too far to your {away}: move it toward your {toward}, {side}.",
    "movement.ok": "Your {hand} hand moved about as much as in the reference.",
    "movement.more": "Move more: your {hand} hand travelled {times} as in the reference.",
    "movement.less": "Move less: your {hand} hand travelled {times} as in the reference.",
    "direction.ok": "Your {hand} hand moved the right way.",
    "direction.off": "Move your {hand} hand {wanted}: in the reference it ends {wanted} from where it starts; "
                     "yours moved {mine}.",
    "handshape.ok": "Handshape of the {hand} hand matches the reference.",
    "handshape.off": "Handshape of the {hand} hand differs from the reference ({kinds}).",
    "duration.ok": "Timing: {seconds:.1f} s, the reference {reference_seconds:.1f} s.",
    "duration.short": "Too short: the sign took {seconds:.1f} s, the reference {reference_seconds:.1f} s.",
    "duration.long": "Too long: the sign took {seconds:.1f} s, the reference {reference_seconds:.1f} s.",
    "body.you": "Place, movement and handshape were not compared: your shoulders were not seen. "
                "Sit so that your upper body is in view.",
    "body.reference": "Place, movement and handshape were not compared: the reference's shoulders were not "
                      "seen. Sit so that your upper body is in view.",
    "no_reference": "No reference is available for this sign yet, so only whether it was recognized is shown; "
                    "record a reference take to get feedback on hands, place and movement.",
    "all_good": "Close to the reference: hands, place, movement, handshape and timing all match.",
}

Param = str | float | int | tuple[str, ...]


def english(key: str, params: dict[str, Param]) -> str:
    """The English sentence of message ``key`` with ``params`` (word lists joined with ", ")."""
    return MESSAGES[key].format(**{k: ", ".join(v) if isinstance(v, tuple) else v for k, v in params.items()})


@dataclass(frozen=True)
class FeedbackItem:
    """One measure's outcome: the numbers, whether they are close enough, and one sentence.

    ``key`` and ``params`` say the sentence again as data (see :data:`MESSAGES`), for a
    translated interface; they are not in the JSON, whose ``message`` stays English.
    """

    measure: Measure
    ok: bool
    message: str
    hand: Hand | None = None
    values: dict[str, float | int | None] = field(default_factory=dict)
    severity: float = 0.0  # how far beyond its tolerance (0 when ok); orders items of one measure
    key: str = ""
    params: dict[str, Param] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"measure": self.measure.value, "ok": self.ok, "message": self.message,
                "hand": self.hand.value if self.hand else None,
                "values": {k: (round(v, 3) if isinstance(v, float) else v) for k, v in self.values.items()}}


def _item(measure: Measure, ok: bool, key: str, params: dict[str, Param] | None = None,
          hand: Hand | None = None, values: dict[str, float | int | None] | None = None,
          severity: float = 0.0) -> FeedbackItem:
    """An item whose English sentence is made from its message id and parameters."""
    params = params or {}
    return FeedbackItem(measure, ok, english(key, params), hand, values or {}, severity, key, params)


# --- the measures ---------------------------------------------------------------------------


def _count(n: int) -> str:
    return {0: "none", 1: "one", 2: "two"}[n]


def hands_used(att: dict[Hand, HandTrack], ref: dict[Hand, HandTrack]) -> FeedbackItem:
    """One hand or two: a hand counts when seen in at least :data:`HAND_USED_FRACTION` of frames."""
    a = [h for h in Hand if att[h].used]
    r = [h for h in Hand if ref[h].used]
    values = {"attempt_hands": len(a), "reference_hands": len(r),
              **{f"attempt_{h.value}_seen": att[h].fraction for h in Hand}}
    clear = any(abs(att[h].fraction - ref[h].fraction) >= HAND_USED_MARGIN for h in Hand)
    if set(a) == set(r) or not r or not clear:
        return _item(Measure.HANDS, True, "hands.same", {"count": _count(len(a))}, values=values)
    params: dict[str, Param] = {}
    if not a:
        key = "hands.none"
    elif len(r) == 2:
        key = "hands.both"
    elif len(a) == 2:
        key, params = "hands.one", {"hand": r[0].value}
    else:
        key, params = "hands.other", {"hand": r[0].value, "used": a[0].value}
    return _item(Measure.HANDS, False, key, params, values=values, severity=float(abs(len(r) - len(a)) + 1))


def missing_share(raw: NDArray, hand: Hand) -> float:
    """Share of signing frames (a hand seen) in which ``hand`` is missing while the other is seen."""
    mine, other = present(raw, hand.rows), present(raw, hand.other.rows)
    signing = mine | other
    return float((other & ~mine).sum() / signing.sum()) if signing.any() else 1.0


def out_of_view(att_raw: NDArray, ref_raw: NDArray, hand: Hand) -> FeedbackItem:
    """:func:`missing_share` of ``hand`` against the reference's own (a passive hand is lost there too)."""
    frac, ref_frac = missing_share(att_raw, hand), missing_share(ref_raw, hand)
    ok = frac <= max(OUT_OF_VIEW_MAX, ref_frac + OUT_OF_VIEW_MARGIN)
    key, params = ("view.ok", {"hand": hand.value}) if ok else ("view.out", {"hand": hand.value, "fraction": frac})
    return _item(Measure.OUT_OF_VIEW, ok, key, params, hand, {"fraction": frac, "reference_fraction": ref_frac},
                 0.0 if ok else frac - OUT_OF_VIEW_MAX)


def _side(lateral: float) -> str:
    if lateral > 0.35:
        return "in front of your right side"
    if lateral < -0.35:
        return "in front of your left side"
    return "in front of the middle of your body"


def location(att: HandTrack, ref: HandTrack, att_body: Body, ref_body: Body, hand: Hand) -> FeedbackItem:
    """Mean wrist position against the reference's, in shoulder widths (relative to each body)."""
    a, r = att.position, ref.position
    d = a - r
    dist = float(np.hypot(*d))
    values = {"lateral": float(a[0]), "up": float(a[1]), "reference_lateral": float(r[0]),
              "reference_up": float(r[1]), "up_from_face": float(a[1] - att_body.centre),
              "reference_up_from_face": float(r[1] - ref_body.centre), "distance": dist}
    if dist <= LOCATION_TOLERANCE:
        return _item(Measure.LOCATION, True, "location.ok", {"hand": hand.value}, hand, values)
    if abs(d[1]) >= abs(d[0]):
        key = "location.low" if d[1] < 0 else "location.high"
        params: dict[str, Param] = {"hand": hand.value, "level": ref_body.level(float(r[1]))}
    else:
        toward = "left" if d[0] > 0 else "right"
        away = "right" if d[0] > 0 else "left"
        key, params = "location.side", {"hand": hand.value, "away": away, "toward": toward,
                                        "side": _side(float(r[0]))}
    return _item(Measure.LOCATION, False, key, params, hand, values, dist - LOCATION_TOLERANCE)


def _times(ratio: float) -> str:
    """A ratio in words: 'about half as far', 'about twice as far'."""
    for limit, words in ((0.3, "about a quarter as far"), (0.42, "about a third as far"),
                         (0.62, "about half as far"), (0.85, "about two thirds as far"),
                         (1.25, "about as far"), (1.75, "about one and a half times as far"),
                         (2.5, "about twice as far"), (3.5, "about three times as far")):
        if ratio < limit:
            return words
    return "many times as far"


def movement(att: HandTrack, ref: HandTrack, hand: Hand) -> FeedbackItem:
    """Wrist path length against the reference's (smoothed, gaps not bridged)."""
    a, r = att.path, ref.path
    ratio = a / r if r > 1e-9 else (1.0 if a < STILL_PATH else float("inf"))
    values = {"path": a, "reference_path": r, "ratio": ratio}
    lo, hi = MOVEMENT_RATIO_RANGE
    if max(a, r) < STILL_PATH or abs(a - r) < MOVEMENT_MIN_DIFFERENCE or lo <= ratio <= hi:
        return _item(Measure.MOVEMENT, True, "movement.ok", {"hand": hand.value}, hand, values)
    if ratio < lo:
        key, severity = "movement.more", lo / max(ratio, 1e-3) - 1
    else:
        key, severity = "movement.less", min(ratio / hi - 1, 10.0)
    return _item(Measure.MOVEMENT, False, key, {"hand": hand.value, "times": _times(ratio)}, hand, values, severity)


def direction_words(v: NDArray) -> str:
    """A displacement (lateral, up) in the signer's words: 'up', 'down and to your left'."""
    lat, up = float(v[0]), float(v[1])
    vertical = "up" if up > 0 else "down"
    sideways = "to your right" if lat > 0 else "to your left"
    if abs(up) >= 2 * abs(lat):
        return vertical
    if abs(lat) >= 2 * abs(up):
        return sideways
    return f"{vertical} and {sideways}"


def direction(att: HandTrack, ref: HandTrack, hand: Hand) -> FeedbackItem:
    """Main direction (net displacement first → last seen frame) against the reference's."""
    a, r = att.displacement, ref.displacement
    na, nr = float(np.hypot(*a)), float(np.hypot(*r))
    cos = float(np.dot(a, r) / (na * nr)) if na > 1e-9 and nr > 1e-9 else 0.0
    values = {"displacement": na, "reference_displacement": nr, "cosine": cos}
    if nr < DIRECTION_MIN_DISPLACEMENT or (cos >= DIRECTION_MIN_COSINE and na >= STILL_PATH / 2):
        return _item(Measure.DIRECTION, True, "direction.ok", {"hand": hand.value}, hand, values)
    mine = direction_words(a) if na >= STILL_PATH / 2 else "hardly at all"
    return _item(Measure.DIRECTION, False, "direction.off",
                 {"hand": hand.value, "wanted": direction_words(r), "mine": mine}, hand, values, (1 - cos) / 2)


def handshape(att: HandTrack, ref: HandTrack, hand: Hand) -> FeedbackItem:
    """Time-averaged finger extension and spread against the reference's."""
    d_ext = att.extension - ref.extension
    d_spread = att.spread - ref.spread
    bend = float(d_ext.mean())
    distance = float(np.sqrt((d_ext ** 2).mean()))
    values = {"distance": distance, "bend": bend, "spread_deg": d_spread,
              "landmark_distance": float(np.linalg.norm(att.points - ref.points, axis=-1).mean()),
              **{f"extension_{name.split()[0]}": float(v) for name, v in zip(FINGER_NAMES, att.extension)}}
    worst = int(np.argmax(np.abs(d_ext)))
    kinds = []
    if bend < -BEND_TOLERANCE:
        kinds.append("fingers more bent")
    elif bend > BEND_TOLERANCE:
        kinds.append("fingers straighter")
    elif abs(d_ext[worst]) > FINGER_TOLERANCE:
        kinds.append(f"{FINGER_NAMES[worst]} {'more bent' if d_ext[worst] < 0 else 'straighter'}")
    if d_spread > SPREAD_TOLERANCE_DEG:
        kinds.append("fingers more spread")
    elif d_spread < -SPREAD_TOLERANCE_DEG:
        kinds.append("fingers closer together")
    if not kinds:
        return _item(Measure.HANDSHAPE, True, "handshape.ok", {"hand": hand.value}, hand, values)
    severity = max(abs(bend) / BEND_TOLERANCE, abs(d_ext[worst]) / FINGER_TOLERANCE,
                   abs(d_spread) / SPREAD_TOLERANCE_DEG) - 1
    return _item(Measure.HANDSHAPE, False, "handshape.off", {"hand": hand.value, "kinds": tuple(kinds)}, hand, values,
                 float(severity))


def duration(frames: int, fps: float, reference_frames: int, reference_fps: float) -> FeedbackItem:
    """How long the sign took against the reference, beyond ± :data:`DURATION_TOLERANCE`."""
    a, r = frames / fps, reference_frames / reference_fps
    ratio = a / r if r > 0 else 1.0
    values = {"seconds": a, "reference_seconds": r, "ratio": ratio}
    params: dict[str, Param] = {"seconds": a, "reference_seconds": r}
    if abs(ratio - 1) <= DURATION_TOLERANCE:
        return _item(Measure.DURATION, True, "duration.ok", params, values=values)
    return _item(Measure.DURATION, False, "duration.short" if ratio < 1 else "duration.long", params,
                 values=values, severity=abs(ratio - 1) - DURATION_TOLERANCE)


# --- all together -------------------------------------------------------------------------------


def _check(raw: NDArray, what: str) -> NDArray:
    arr = np.nan_to_num(np.asarray(raw, dtype=np.float32), nan=0.0, posinf=0.0, neginf=0.0)
    if arr.ndim != 3 or arr.shape[1:] != (184, 4) or len(arr) == 0:
        raise ValueError(f"{what}: expected raw landmarks of shape (T, 184, 4), got {arr.shape}")
    return arr


def feedback(attempt_raw: NDArray, reference_raw: NDArray, fps_attempt: float, fps_reference: float,
             left_handed: bool = False) -> list[FeedbackItem]:
    """Every measure of an attempt against a reference, not-ok items first, most important first.

    ``left_handed`` mirrors the attempt first, so a left-handed signer is compared with a
    right-handed reference (and told about the hand they used, as the reference names it).
    """
    att_raw = _check(attempt_raw, "attempt")
    ref_raw = _check(reference_raw, "reference")
    if left_handed:
        att_raw = mirror(att_raw)
    att_body, ref_body = body_of(att_raw), body_of(ref_raw)
    items = [duration(len(att_raw), fps_attempt, len(ref_raw), fps_reference)]
    if att_body is None or ref_body is None:
        items.append(_item(Measure.VIEW, False, "body.you" if att_body is None else "body.reference", severity=1.0))
        return order(items)
    att = {h: track_of(att_raw, h, att_body) for h in Hand}
    ref = {h: track_of(ref_raw, h, ref_body) for h in Hand}
    items.append(hands_used(att, ref))
    for hand in Hand:
        if not ref[hand].used:
            continue
        if att[hand].enough:
            items.append(out_of_view(att_raw, ref_raw, hand))
        if att[hand].enough and ref[hand].enough:
            items += [location(att[hand], ref[hand], att_body, ref_body, hand),
                      handshape(att[hand], ref[hand], hand),
                      direction(att[hand], ref[hand], hand),
                      movement(att[hand], ref[hand], hand)]
    return order(items)


def order(items: list[FeedbackItem]) -> list[FeedbackItem]:
    """Not-ok first; then by measure importance; then the larger miss first."""
    return sorted(items, key=lambda i: (i.ok, _ORDER[i.measure], -i.severity))


def no_reference() -> list[FeedbackItem]:
    """The one item shown when there is nothing to compare with."""
    return [_item(Measure.VIEW, False, "no_reference")]


#: What :func:`summary_lines` says when every measure is within its tolerance.
ALL_GOOD = MESSAGES["all_good"]


def summary_items(items: list[FeedbackItem], limit: int = 3) -> list[FeedbackItem]:
    """The items to show: the first ``limit`` problems, or one (ok) item saying all is well."""
    problems = [i for i in order(items) if not i.ok]
    return problems[:limit] if problems else [_item(Measure.VIEW, True, "all_good")]


def summary_lines(items: list[FeedbackItem], limit: int = 3) -> list[str]:
    """The sentences to show: the first ``limit`` problems, or one line saying all is well."""
    return [i.message for i in summary_items(items, limit)]

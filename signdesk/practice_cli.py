"""``signdesk practice SIGN CLIP``: score every attempt in a clip as practice of one sign.

Each attempt (cut as the app cuts them live) gets the verdict (was it SIGN, how sure, what
it looked like instead) and feedback against SIGN's reference. A custom sign's reference take
is its reference; a bundled sign's reference is the average of many training clips of several
people shipped beside the model (:mod:`signdesk.practice.reference`); a sign without either
gets the verdict and a line saying feedback needs a reference (nothing is invented from a
single dataset clip).
"""

from __future__ import annotations

import argparse
import difflib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from signdesk.cli import CLIError, _add_model_arguments
from signdesk.custom import fold_name

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

    from signdesk.custom import CustomSign
    from signdesk.recognizer import Label


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("sign", metavar="SIGN", help="the sign to practise: its id, name or gloss")
    p.add_argument("clip", type=Path, metavar="CLIP",
                   help="video file, or .npz of landmarks from signdesk extract (read without MediaPipe)")
    p.add_argument("--json", action="store_true", help="print one JSON object per attempt")
    p.add_argument("--left-handed", action="store_true", help="compare the mirror image of your signing")
    p.add_argument("--no-custom", action="store_true", help="rank only the model's signs, not your custom signs")
    p.add_argument("--record", action="store_true", help="keep the attempts in your practice history")
    _add_model_arguments(p)


def find_target(text: str, labels: Sequence[Label]) -> Label:
    """The label named ``text`` (id, name or gloss), or :class:`CLIError` listing close matches."""
    key = fold_name(text)
    for field in ("id", "name", "gloss"):
        for lab in labels:
            if fold_name(getattr(lab, field)) == key and key:
                return lab
    words = {fold_name(v): lab for lab in labels for v in (lab.name, lab.gloss, lab.id) if v}
    close = difflib.get_close_matches(key, list(words), n=5, cutoff=0.5)
    close += [w for w in words if key and key in w and w not in close][:5 - len(close)]
    hint = ("; did you mean: " + ", ".join(dict.fromkeys(words[w].display for w in close))) if close else ""
    raise CLIError(f"{text!r} is not a sign this model knows ({len(labels)} signs){hint}")


def reference_source(signs: Sequence[CustomSign]):
    """``reference_for(label)``: the reference take of the custom sign that is ``label`` (or a version of it)."""
    from signdesk.custom import CUSTOM_PREFIX

    def reference_for(label: Label) -> tuple[NDArray, float] | None:
        for sign in signs:
            if label.id == CUSTOM_PREFIX + sign.id or sign.matches(label.name) or (label.gloss and
                                                                                  sign.matches(label.gloss)):
                take = sign.reference_take
                if take is not None:
                    return take.landmarks, take.fps
        return None

    return reference_for


def run(args: argparse.Namespace) -> int:
    from signdesk.clips import ClipError, cut_attempts, read_clip
    from signdesk.custom import CustomStore
    from signdesk.pipeline import AttemptResult
    from signdesk.practice.session import PracticeSession, default_reference_source
    from signdesk.recognizer import Prediction, Recognizer
    from signdesk.windowing import to_window

    recognizer = Recognizer(args.model, providers=[args.provider])
    signs = [] if args.no_custom else CustomStore().load()
    ranked = recognizer
    if signs:
        from signdesk.custom_cli import custom_recognizer

        ranked = custom_recognizer(recognizer, signs)
    labels = list(ranked.labels)
    target = find_target(args.sign, labels)
    try:
        clip = read_clip(args.clip)
    except ClipError as exc:
        raise CLIError(str(exc)) from None
    attempts = cut_attempts(clip.landmarks, clip.fps, clip.times)
    if not attempts:
        raise CLIError(f"{args.clip.name}: no sign found (no hand was raised long enough to count as a sign)")
    store = None
    if args.record:
        from signdesk.practice.progress import ProgressStore

        store = ProgressStore()
        if store.problem:
            print(f"signdesk: {store.problem}")
    references = default_reference_source(recognizer.info, reference_source(signs))
    session = PracticeSession(labels, references, store, model=recognizer.name, left_handed=args.left_handed)
    session.choose([target])
    try:
        for attempt in attempts:
            window = to_window(attempt.frames)
            if hasattr(ranked, "scores"):
                probs, emb, labels = ranked.scores(window)
            else:
                probs, emb = ranked.run(window)
            p = probs[0]
            order = p.argsort()[::-1][:5]
            result = AttemptResult(attempt, Prediction([(labels[i], float(p[i])) for i in order], emb[0]), 0.0)
            scored = session.score(result, p, labels, fps=clip.fps)
            rec = {"clip": str(args.clip), "start": round(attempt.start_time, 3), "end": round(attempt.end_time, 3),
                   **scored.to_json()}
            _print(rec, args.json)
        if not args.json:
            s = session.summary()
            review = f"; {s.to_review} signs due for review" if store is not None else ""
            print(f"{s.correct} of {s.attempts} attempts correct{review}")
    finally:
        if store is not None:
            store.close()
    return 0


def _print(rec: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(rec, ensure_ascii=False), flush=True)
        return
    t = rec["target"]
    word = "correct" if rec["correct"] else "not yet"
    rank = f"rank {rec['target_rank']}" if rec["target_rank"] else "not ranked"
    print(f"[{rec['start']:.2f}-{rec['end']:.2f} s] {word}: {t['name']} {rec['target_confidence'] * 100:.1f}% "
          f"({rank}); seen as {rec['predicted']['name']} {rec['predicted_confidence'] * 100:.1f}%", flush=True)
    for line in rec["feedback"]:
        print(f"    {line}", flush=True)

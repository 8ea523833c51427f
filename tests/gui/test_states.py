"""The states and their words (signdesk.gui.states): no Qt, no window."""

from __future__ import annotations

import io
import tokenize
from pathlib import Path

import numpy as np
import pytest

import signdesk
from fakes import NOBODY, REST, SIGN, FakeExtractor, signer_landmarks
from signdesk.gui import states
from signdesk.gui.states import (
    NO_PICTURE,
    NO_SIGN_IN_VIDEO,
    PAUSED,
    RAISE_HANDS,
    STARTING_TRACKER,
    VIDEO_ENDED,
    SignState,
    SourceState,
    badge_for,
    problem_text,
    sign_hint,
)
from signdesk.landmarks import Detection, detection_of
from signdesk.pipeline import FrameResult, Pipeline

PACKAGE = Path(signdesk.__file__).resolve().parent
PROBLEMS = [SourceState.NO_CAMERA, SourceState.CAMERA_FAILED, SourceState.CAMERA_LOST, SourceState.FILE_FAILED]


def test_exactly_the_problem_states_replace_the_picture():
    assert [s for s in SourceState if s.is_problem] == PROBLEMS
    assert {s for s in SourceState if s.waits_for_user} == {SourceState.NO_CAMERA, SourceState.CAMERA_FAILED}
    assert SourceState("camera-lost") is SourceState.CAMERA_LOST and f"{SourceState.PLAYING}" == "playing"


@pytest.mark.parametrize("state", PROBLEMS)
def test_every_problem_state_has_a_title_and_an_explanation(state):
    title, text = problem_text(state, "camera 2 could not be opened (in use)")
    assert title.strip() and text.strip() and title != text
    assert title[0].isupper() and not title.endswith(".")
    assert "{" not in text and "}" not in text  # every placeholder was filled
    if state is not SourceState.NO_CAMERA:  # only "no camera" has no detail of its own to show
        assert text.startswith("camera 2 could not be opened (in use)\n\n")
    assert len({problem_text(s)[0] for s in PROBLEMS}) == len(PROBLEMS)  # each says something different


def _frame(raw: np.ndarray, hand_up: bool, signing: bool, detection: Detection | None = None) -> FrameResult:
    return FrameResult(0, 0.0, raw, detection or detection_of(raw), hand_up, signing)


def test_sign_state_of_crafted_frames():
    nobody = np.zeros((184, 4), np.float32)
    resting = signer_landmarks(REST)
    up = signer_landmarks(SIGN, 5, 30)
    assert SignState.of(_frame(nobody, hand_up=False, signing=False)) is SignState.NOBODY
    assert SignState.of(_frame(resting, hand_up=False, signing=False)) is SignState.RESTING
    assert SignState.of(_frame(up, hand_up=True, signing=False)) is SignState.STARTING
    assert SignState.of(_frame(up, hand_up=True, signing=True)) is SignState.SIGNING
    # A hand lost for a moment inside an attempt: still signing (the attempt is open).
    assert SignState.of(_frame(resting, hand_up=False, signing=True)) is SignState.SIGNING
    only_face = Detection(pose=False, face=True, right_hand=False, left_hand=False)
    assert SignState.of(_frame(nobody, hand_up=False, signing=False, detection=only_face)) is SignState.RESTING


def test_the_fake_signer_goes_through_every_sign_state_in_order():
    extractor = FakeExtractor([(NOBODY, 3), (REST, 3), (SIGN, 8), (REST, 4)], loop=False)
    pipeline = Pipeline(None, extractor)
    image = np.zeros((8, 8, 3), np.uint8)
    seen = [SignState.of(pipeline.process_frame(i, i / 30, image)[0]) for i in range(len(extractor))]
    assert seen == [SignState.NOBODY] * 3 + [SignState.RESTING] * 3 + [SignState.STARTING] \
        + [SignState.SIGNING] * 7 + [SignState.SIGNING] * 2 + [SignState.RESTING] * 2
    # (the 2 hand-down frames that do not close the attempt yet still belong to it)


def test_sign_hints():
    assert sign_hint(SignState.RESTING, live_source=True) == RAISE_HANDS == "Raise your hands to sign"
    assert sign_hint(SignState.RESTING, live_source=False) == RAISE_HANDS
    assert sign_hint(SignState.NOBODY, live_source=True) == "No one in view — step in front of the camera"
    assert sign_hint(SignState.NOBODY, live_source=False) == "No one in view"  # nobody to ask to step in
    assert sign_hint(SignState.STARTING, True) == sign_hint(SignState.SIGNING, True) == ""


def test_badges():
    assert badge_for(SourceState.ENDED, paused=False) == VIDEO_ENDED
    assert badge_for(SourceState.ENDED, paused=True) == VIDEO_ENDED  # the end outranks a pause
    assert badge_for(SourceState.PLAYING, paused=True) == PAUSED
    assert badge_for(SourceState.PLAYING, paused=False) == ""


def _literals(path: Path) -> list[str]:
    """Every string literal in a Python file (comments are not wording the user sees)."""
    kinds = {tokenize.STRING} | ({tokenize.FSTRING_MIDDLE} if hasattr(tokenize, "FSTRING_MIDDLE") else set())
    with path.open(encoding="utf-8") as fh:
        return [t.string for t in tokenize.generate_tokens(io.StringIO(fh.read()).readline) if t.type in kinds]


def _files_spelling(wording: str) -> list[str]:
    """Package files (relative paths) that spell ``wording`` out: in a string literal, or anywhere in a text file."""
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        if path.suffix == ".py":
            hit = any(wording in literal for literal in _literals(path))
        elif path.suffix in {".md", ".txt", ".json", ".qss", ".css", ".html", ".toml"}:
            hit = wording in path.read_text(encoding="utf-8", errors="replace")
        else:
            continue
        if hit:
            found.append(path.relative_to(PACKAGE).as_posix())
    return found


def test_the_sign_hint_wording_is_written_once():
    assert _files_spelling("Raise your hands to sign") == ["gui/states.py"]


_WORDINGS = [STARTING_TRACKER, VIDEO_ENDED, NO_PICTURE, NO_SIGN_IN_VIDEO, "No one in view"] + [
    problem_text(s)[0] for s in PROBLEMS]


@pytest.mark.parametrize("wording", _WORDINGS)
def test_every_state_wording_is_written_once_in_states_py(wording):
    assert wording in "\n".join(_literals(Path(states.__file__)))
    assert _files_spelling(wording) == ["gui/states.py"]

"""Words shown in Arabic though their source is Qt-free English: practice feedback, capture errors, states."""

from __future__ import annotations

import re

import numpy as np
import pytest

from signdesk.gui.feedback_text import CONTEXTS, SENTENCES, WORDS, feedback_text
from signdesk.gui.i18n import Language, install_language, translate
from signdesk.gui.source_errors import localized_error
from signdesk.gui.states import SourceState, problem_text, takes_summary
from signdesk.practice import feedback as fb
from signdesk.practice.body import FINGER_NAMES, Body

SAMPLES: dict[str, fb.Param] = {
    "hand": "left", "used": "right", "count": "two", "level": "chin height", "away": "right", "toward": "left",
    "side": "in front of the middle of your body", "times": "about half as far", "wanted": "up and to your left",
    "mine": "hardly at all", "kinds": ("fingers more bent", "thumb straighter"), "fraction": 0.456,
    "seconds": 1.234, "reference_seconds": 2.0}
LATIN = re.compile(r"[A-Za-z]")


def _items() -> list[fb.FeedbackItem]:
    """One item of every message id, its parameters from SAMPLES."""
    return [fb._item(fb.Measure.VIEW, False, key, {n: SAMPLES[n] for n in re.findall(r"\{(\w+)", text)})
            for key, text in fb.MESSAGES.items()]


@pytest.fixture(autouse=True)
def english_again(qapp):
    yield
    install_language(Language.ENGLISH)


def test_every_feedback_message_has_a_sentence_that_says_the_same_in_english():
    assert set(SENTENCES) == set(fb.MESSAGES)
    for item in _items():
        assert feedback_text(item) == item.message


def test_every_word_the_feedback_core_can_choose_is_marked_for_translation():
    body = Body(np.zeros(2), 1.0, chin=0.3, centre=0.6, forehead=0.9)
    chosen = {("FeedbackCount", fb._count(n)) for n in (0, 1, 2)}
    chosen |= {("FeedbackLevel", body.level(up)) for up in np.linspace(-3, 3, 601)}
    chosen |= {("FeedbackPlace", fb._side(lat)) for lat in np.linspace(-2, 2, 41)}
    chosen |= {("FeedbackTimes", fb._times(r)) for r in np.linspace(0, 5, 501)}
    chosen |= {("FeedbackDirection", fb.direction_words(np.array([np.cos(a), np.sin(a)])))
               for a in np.linspace(0, 2 * np.pi, 73)} | {("FeedbackDirection", "hardly at all")}
    chosen |= {("FeedbackHandshape", f"{f} {how}") for f in FINGER_NAMES + ("fingers",)
               for how in ("more bent", "straighter")}
    chosen |= {("FeedbackHandshape", w) for w in ("fingers more spread", "fingers closer together")}
    chosen |= {(c, w) for c in ("FeedbackHand", "FeedbackSide") for w in ("left", "right")}
    source = open(fb.__file__.replace("practice/feedback.py", "gui/feedback_text.py"), encoding="utf-8").read()
    marked = set(re.findall(r'QT_TRANSLATE_NOOP\("(\w+)", "([^"]+)"\)', source))
    assert len(marked) == len(WORDS) and chosen == marked
    assert {c for c, _ in marked} == set(CONTEXTS.values())


def test_feedback_capture_errors_and_state_words_come_in_arabic(qapp):
    install_language(Language.ARABIC)
    for item in _items():
        assert not LATIN.search(feedback_text(item)), item.key
    assert translate("FeedbackHand", "left") != translate("FeedbackSide", "left")
    detail = localized_error("camera 2 could not be opened (in use by another program, or it cannot capture)")
    assert not LATIN.search(detail) and "2" in detail
    assert localized_error("/videos/a b.mp4: no such file").startswith("/videos/a b.mp4: ")
    assert localized_error("something new went wrong") == "something new went wrong"
    title, text = problem_text(SourceState.CAMERA_FAILED, "camera 0 could not be opened (not connected, in use "
                                                          "by another program, or camera permission denied)")
    assert not LATIN.search(title) and "0" in text and not LATIN.search(text.replace("signdesk", ""))
    assert not LATIN.search(takes_summary(1, 2))


def test_capture_errors_stay_as_they_are_in_english():
    message = "permission denied: this user may not open /dev/video0 (on Linux, join the 'video' group)"
    assert localized_error(f"camera 0 could not be opened ({message})") == f"camera 0 could not be opened ({message})"


def test_the_reasons_capture_gives_are_the_ones_translated(qapp, monkeypatch):
    from signdesk import capture

    install_language(Language.ARABIC)
    reasons = [capture.why_camera_failed(99)]
    monkeypatch.setattr(capture.platform, "system", lambda: "Windows")
    reasons.append(capture.why_camera_failed(99))
    for reason in reasons:
        shown = localized_error(f"camera 99 could not be opened ({reason})")
        assert not LATIN.search(shown.replace("/dev/video99", "")), shown


def test_a_broken_off_video_is_explained_in_arabic(qapp):
    install_language(Language.ARABIC)
    shown = localized_error("/v/a.mp4: the video breaks off after frame 12 of 40 (damaged or incomplete file)")
    assert shown.startswith("/v/a.mp4: ") and "12" in shown and "40" in shown
    assert not LATIN.search(shown.replace("/v/a.mp4", ""))

"""The presenter view (signdesk.gui.presenter_view): the word huge, a transcript, quiz, clear and freeze.

The real window on the fakes; finished attempts are handed to the session directly, with the
top sign chosen. Keys are sent to the view as a teacher presses them (Space and C mean other
things elsewhere in the window: the presenter must get them first).
"""

from __future__ import annotations

import numpy as np
from fakes import fixture_labels, signer_landmarks
from PySide6.QtCore import Qt

from signdesk.gui.presenter_view import MIN_WORD_SHARE, TRANSCRIPT_LENGTH
from signdesk.gui.settings import Settings
from signdesk.gui.states import (
    PRESENTER_IDLE,
    PRESENTER_NOT_SURE,
    QUIZ_HIDDEN,
    ViewKind,
)
from signdesk.pipeline import AttemptResult
from signdesk.recognizer import Prediction
from signdesk.windowing import Attempt


def attempt_of(top: str, p: float = 0.9) -> AttemptResult:
    labels = fixture_labels()
    first = next(lab for lab in labels if lab.id == top)
    rest = [lab for lab in labels if lab is not first][:2]
    raw = np.stack([signer_landmarks("sign", k, 20) for k in range(20)])
    return AttemptResult(Attempt(0, 19, 0.0, 0.6, raw, raw),
                         Prediction([(first, p)] + [(lab, (1 - p) / 2) for lab in rest], np.zeros(8)), 1.0)


def presenter(qtbot, make_window, settings: Settings | None = None, **kwargs):
    window = make_window(settings=settings or Settings(threshold=0.5, picture=False), **kwargs)
    window.show_view(ViewKind.PRESENTER, fullscreen=False)
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.presenter.isVisible())
    return window, window.presenter


def key(qtbot, view, which: Qt.Key) -> None:
    qtbot.keyClick(view, which)


def test_the_word_is_huge_with_its_gloss_and_goes_in_the_transcript(qtbot, make_window):
    window, view = presenter(qtbot, make_window)
    assert view.word_text() == PRESENTER_IDLE
    assert not window.menuBar().isVisible() and not window.toolbar.isVisible()  # nothing but the view
    assert not view.video.picture  # the Picture setting is respected: skeleton only
    window.session.attempt_result.emit(attempt_of("0002"))
    assert view.word_text() == "واحد" and view.gloss_label.text() == "one"
    assert view.word_pixel_size() >= view.height() * MIN_WORD_SHARE
    for top in ("hello", "yes"):
        window.session.attempt_result.emit(attempt_of(top))
    assert view.transcript_label.text().splitlines() == ["yes", "hello", "واحد (one)"]


def test_an_unsure_sign_is_not_transcribed(qtbot, make_window):
    window, view = presenter(qtbot, make_window)
    window.session.attempt_result.emit(attempt_of("hello", 0.3))
    assert view.word_text() == PRESENTER_NOT_SURE and view.transcript_label.text() == ""


def test_the_transcript_keeps_the_last_signs(qtbot, make_window):
    window, view = presenter(qtbot, make_window)
    for _ in range(TRANSCRIPT_LENGTH + 3):
        window.session.attempt_result.emit(attempt_of("no"))
    assert len(view.transcript_label.text().splitlines()) == TRANSCRIPT_LENGTH


def test_quiz_hides_the_answer_until_space_reveals_it(qtbot, make_window):
    window, view = presenter(qtbot, make_window)
    key(qtbot, view, Qt.Key.Key_Q)
    assert view.quiz
    window.session.attempt_result.emit(attempt_of("thankyou", 0.87))
    assert view.word_text() == QUIZ_HIDDEN and "thank you" not in view.transcript_label.text()
    assert not window.acts.pause.isChecked()
    key(qtbot, view, Qt.Key.Key_Space)
    assert not window.acts.pause.isChecked()  # Space revealed; it did not pause the camera
    assert view.word_text() == "thank you" and "87%" in view.gloss_label.text()
    assert view.transcript_label.text() == "thank you"


def test_c_clears_and_f_freezes(qtbot, make_window):
    window, view = presenter(qtbot, make_window)
    window.session.attempt_result.emit(attempt_of("yes"))
    key(qtbot, view, Qt.Key.Key_F)
    assert view.frozen
    window.session.attempt_result.emit(attempt_of("no"))
    assert view.word_text() == "yes" and view.transcript_label.text() == "yes"
    key(qtbot, view, Qt.Key.Key_F)
    window.session.attempt_result.emit(attempt_of("no"))
    assert view.word_text() == "no"
    key(qtbot, view, Qt.Key.Key_C)
    assert view.transcript_label.text() == "" and view.word_text() == PRESENTER_IDLE


def test_escape_goes_back_to_the_view_it_came_from(qtbot, make_window):
    window = make_window()
    window.show_view(ViewKind.PRACTICE)
    window.show_view(ViewKind.PRESENTER, fullscreen=False)
    qtbot.waitUntil(lambda: window.presenter.isVisible())
    key(qtbot, window.presenter, Qt.Key.Key_Escape)
    assert window.views.currentWidget() is window.practice
    assert window.menuBar().isVisible() and window.toolbar.isVisible()


def test_present_on_is_offered_only_with_two_screens(qtbot, make_window):
    window = make_window()
    window.menus.show_screens(["HDMI-1"])
    assert not window.menus.present_menu.menuAction().isVisible()
    window.menus.show_screens(["eDP-1", "HDMI-1"])
    assert window.menus.present_menu.menuAction().isVisible()
    assert [a.text() for a in window.menus.present_menu.actions()][1].endswith("(second screen)")

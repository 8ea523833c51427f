"""The recognition view: the live picture on the left, the recognized sign on the right.

One view subscribed to the :class:`~signdesk.gui.session.RecognitionSession`: it paints what
the session hands over and never touches threads. A problem with the source (no camera, a
busy or unplugged camera, an unreadable video) replaces the picture by a panel with a plain
explanation and the buttons that get the user going again.
"""

from __future__ import annotations

import time
from typing import Callable, Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QSplitter, QStackedWidget, QWidget

from signdesk.gui.i18n import tr
from signdesk.gui.result_panel import ResultPanel
from signdesk.gui.session import RecognitionSession
from signdesk.gui.settings import Settings
from signdesk.gui.speech import Speaker
from signdesk.gui.state_panel import StatePanel
from signdesk.gui.states import (
    NO_PICTURE,
    NO_SIGN_IN_VIDEO,
    RAISE_HANDS,
    STARTING_TRACKER,
    SignState,
    SourceState,
    badge_for,
    problem_text,
    sign_hint,
)
from signdesk.gui.status import clock_text
from signdesk.gui.video_view import VideoView
from signdesk.gui.workers import FramePacket, Processed
from signdesk.pipeline import AttemptResult
from signdesk.recognizer import Prediction, Recognizer


class RecognitionView(QSplitter):
    """Picture (or a state panel) beside the result panel."""

    result_shown = Signal(object)  # AttemptResult: an attempt's result was put on screen (at hands down)
    attempt_shown = Signal(object)  # AttemptResult, confirmed: on screen, in the history, spoken
    model_wanted = Signal()  # the user asked to open a model file (from the no-model notice)

    def __init__(
        self,
        session: RecognitionSession,
        settings: Settings,
        speaker: Speaker,
        problem_actions: Callable[[SourceState], Sequence[QAction]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.session = session
        self.settings = settings
        self.speaker = speaker
        self._problem_actions = problem_actions
        self._early: AttemptResult | None = None  # shown at hands down, awaiting confirmation
        self.video = VideoView(self)
        self.video.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.state_panel = StatePanel(self)
        self.left = QStackedWidget(self)
        self.left.addWidget(self.video)
        self.left.addWidget(self.state_panel)
        self.result = ResultPanel(settings.threshold, self)
        self.result.threshold_changed.connect(self._threshold_changed)
        self.addWidget(self.left)
        self.addWidget(self.result)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
        self.setChildrenCollapsible(False)
        self.video.set_state(mirror=settings.mirror, overlay=settings.overlay, picture=settings.picture)

        session.picture.connect(self._on_picture)
        session.frame_processed.connect(self._on_frame_processed)
        session.live_prediction.connect(self._on_live)
        session.attempt_scored.connect(self._on_scored)
        session.attempt_result.connect(self._on_attempt)
        session.state_changed.connect(self._on_state)
        session.stream_finished.connect(self._on_stream_finished)
        session.recognizer_changed.connect(self._on_recognizer)
        session.analysis_failed.connect(lambda message: self.result.show_notice(tr("Recognition is off"), message))

    # --- from the session ----------------------------------------------------------------

    @Slot(object)
    def _on_picture(self, packet: FramePacket) -> None:
        self.video.set_image(packet.preview)
        if not self.session.is_analysing:
            self.video.set_state(hint=STARTING_TRACKER)

    @Slot(object)
    def _on_frame_processed(self, item: Processed) -> None:
        frame = item.frame
        ended = self.session.state is SourceState.ENDED
        self.video.set_landmarks(frame.raw)
        hint = "" if ended else sign_hint(SignState.of(frame), self.session.live)
        self.video.set_state(hint=hint, signing=frame.signing and not ended)

    @Slot(object)
    def _on_live(self, prediction: Prediction) -> None:
        self.result.show_prediction(prediction, final=False)

    @Slot(object)
    def _on_scored(self, result: AttemptResult) -> None:
        self._early = result
        self.result.show_prediction(result.prediction, final=True)
        self.result_shown.emit(result)

    @Slot(object)
    def _on_attempt(self, result: AttemptResult) -> None:
        early, self._early = self._early, None
        if early is not None and early.prediction is result.prediction:
            confident = self.result.is_confident(result.prediction)  # on screen since the hands went down
        else:  # not scored early (the end of a video), or scored again after a hand came back
            confident = self.result.show_prediction(result.prediction, final=True)
            self.result_shown.emit(result)
        label, p = result.prediction.best
        if confident:
            when = time.strftime("%H:%M:%S") if self.session.live else clock_text(result.attempt.start_time)
            self.result.add_history(when, label, p)
            if self.settings.voice:
                self.speaker.say(label)
        self.attempt_shown.emit(result)

    @Slot(object, str)
    def _on_state(self, state: SourceState, detail: str) -> None:
        if state is SourceState.OPENING:
            self.video.clear(tr("Opening %1…", self.session.spec.label))
            self.result.show_idle(tr(RAISE_HANDS))
        elif state is SourceState.CAMERA_LOST:
            self.video.set_landmarks(None)
            self.result.drop_live(tr(RAISE_HANDS))  # the sign in progress is abandoned
        elif state is SourceState.ENDED:
            self.video.set_state(hint="", signing=False)
        if state.is_problem:
            title, text = problem_text(state, detail)
            self.state_panel.show_state(state, title, text, self._problem_actions(state))
            self.left.setCurrentWidget(self.state_panel)
            if not self.result.has_result():
                self.result.show_idle(tr(NO_PICTURE))
        else:
            self.left.setCurrentWidget(self.video)
        self.video.set_state(badge=badge_for(state, self.session.paused))

    @Slot()
    def _on_stream_finished(self) -> None:
        self.result.drop_live(tr(RAISE_HANDS))  # a guess whose sign never finished is not a result
        if not self.result.has_result():
            self.result.show_idle(tr(NO_SIGN_IN_VIDEO))

    @Slot(object, str)
    def _on_recognizer(self, recognizer: Recognizer | None, problem: str) -> None:
        if recognizer is not None:
            self.result.hide_notice()
        else:
            self.result.show_notice(
                tr("No sign model loaded"),
                problem or tr("signdesk found no installed sign model, so it cannot recognize signs yet. "
                              "The picture and landmarks still work."),
                tr("Open model…"), self.model_wanted.emit)

    # --- from the user -------------------------------------------------------------------

    def show_paused(self, paused: bool) -> None:
        if self.session.state is SourceState.PLAYING:
            self.video.set_state(badge=badge_for(SourceState.PLAYING, paused))

    def set_mirror(self, on: bool) -> None:
        self.settings.mirror = on
        self.video.set_state(mirror=on)

    def set_overlay(self, on: bool) -> None:
        self.settings.overlay = on
        self.video.set_state(overlay=on)

    def set_picture(self, on: bool) -> None:
        self.settings.picture = on
        self.video.set_state(picture=on)

    def set_zoom(self, zoom: float) -> None:
        self.result.set_zoom(zoom)
        self.video.set_state(zoom=zoom)
        self.state_panel.set_zoom(zoom)

    def nudge_threshold(self, delta: float) -> None:
        self.result.set_threshold(round(self.result.threshold + delta, 2))
        self._threshold_changed(self.result.threshold)

    def _threshold_changed(self, threshold: float) -> None:
        self.settings.threshold = threshold

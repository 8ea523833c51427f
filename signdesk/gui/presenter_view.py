"""The presenter view: the recognized word huge, for a projector and a class at the back of a room.

White on near-black, the word's own-language name in a font at least a sixth of the view's
height, its gloss under it, the camera picture (or only the skeleton, by the Picture setting)
and the last signs as a running transcript. Keys: C clears the transcript, F freezes it, Q
toggles Quiz mode (the teacher signs; the answer stays hidden until Space reveals it), Esc goes
back. The view takes these keys before the window's shortcuts (Space and C mean other things there).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from signdesk.gui.session import RecognitionSession
from signdesk.gui.settings import Settings
from signdesk.gui.states import (
    FROZEN,
    PRESENTER_IDLE,
    PRESENTER_KEYS,
    PRESENTER_NOT_SURE,
    QUIZ_HIDDEN,
    QUIZ_HINT,
    RECENT,
    SourceState,
)
from signdesk.gui.video_view import VideoView

if TYPE_CHECKING:  # pragma: no cover
    from signdesk.gui.workers import FramePacket, Processed
    from signdesk.pipeline import AttemptResult
    from signdesk.recognizer import Label

#: Signs kept in the running transcript.
TRANSCRIPT_LENGTH = 8
#: The word's font height as a share of the view's height (the brief: at least 1/6).
WORD_SHARE = 0.2
MIN_WORD_SHARE = 1 / 6
BACKGROUND = QColor(12, 12, 14)
TEXT = QColor(255, 255, 255)
DIM = QColor(175, 175, 180)
QUIZ = QColor(255, 210, 80)


@dataclass
class Shown:
    """One recognized sign in the transcript (hidden until revealed in Quiz mode)."""

    label: Label
    confidence: float
    hidden: bool = False
    sure: bool = True  # at or above the threshold (else shown as "Not sure", not transcribed)


class PresenterView(QWidget):
    """The word, the picture and the transcript, in high contrast."""

    back_wanted = Signal()  # Esc
    shown = Signal(object)  # Shown: a sign was put on screen (hidden or not)

    def __init__(self, session: RecognitionSession, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.quiz = False
        self.frozen = False
        self.current: Shown | None = None
        self.transcript: deque[Shown] = deque(maxlen=TRANSCRIPT_LENGTH)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, BACKGROUND)
        palette.setColor(QPalette.ColorRole.WindowText, TEXT)
        self.setPalette(palette)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.word_label = self._label(Qt.AlignmentFlag.AlignCenter, TEXT)
        self.word_label.setWordWrap(True)
        self.gloss_label = self._label(Qt.AlignmentFlag.AlignCenter, DIM)
        self.note_label = self._label(Qt.AlignmentFlag.AlignCenter, QUIZ)
        self.video = VideoView(self)
        self.video.set_state(mirror=settings.mirror, overlay=True, picture=settings.picture)
        self.transcript_label = self._label(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, TEXT)
        self.transcript_label.setWordWrap(True)
        self.keys_label = self._label(Qt.AlignmentFlag.AlignRight, DIM)
        self.keys_label.setText(PRESENTER_KEYS)
        self.recent_label = self._label(Qt.AlignmentFlag.AlignLeft, DIM)
        self.recent_label.setText(RECENT)
        for label in (self.note_label, self.keys_label, self.recent_label):  # one line each, always shown
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        lower = QHBoxLayout()
        lower.addWidget(self.video, 3)
        column = QVBoxLayout()
        column.addWidget(self.recent_label)
        column.addWidget(self.transcript_label, 1)
        lower.addLayout(column, 2)
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 12, 24, 8)
        box.addWidget(self.word_label, 5)
        box.addWidget(self.gloss_label, 1)
        box.addWidget(self.note_label)
        box.addLayout(lower, 5)
        box.addWidget(self.keys_label)
        self._show_word()
        self._show_transcript()

        session.attempt_result.connect(self._on_attempt)
        session.picture.connect(self._on_picture)
        session.frame_processed.connect(self._on_frame_processed)
        session.state_changed.connect(self._on_state)

    def _label(self, align: Qt.AlignmentFlag, color: QColor) -> QLabel:
        label = QLabel(self)
        label.setAlignment(align)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        label.setStyleSheet(f"color: {color.name()}; background: transparent;")
        return label

    # --- from the session ----------------------------------------------------------------------

    @Slot(object)
    def _on_attempt(self, result: AttemptResult) -> None:
        if self.frozen or not self.isVisible():
            return
        label, confidence = result.prediction.best
        self.current = Shown(label, confidence, hidden=self.quiz, sure=confidence >= self.settings.threshold)
        if self.current.sure:
            self.transcript.append(self.current)
        self._show_word()
        self._show_transcript()
        self.shown.emit(self.current)

    @Slot(object)
    def _on_picture(self, packet: FramePacket) -> None:
        if self.isVisible() and not self.frozen:
            self.video.set_image(packet.preview)

    @Slot(object)
    def _on_frame_processed(self, item: Processed) -> None:
        if self.isVisible() and not self.frozen:
            self.video.set_landmarks(item.frame.raw)
            self.video.set_state(signing=item.frame.signing)

    @Slot(object, str)
    def _on_state(self, state: SourceState, detail: str) -> None:
        if state.is_problem:
            self.video.clear(detail or state.value)

    # --- what is shown ---------------------------------------------------------------------------

    def word_text(self) -> str:
        """The word as on screen (for tests and the screenshot's log line)."""
        return self.word_label.text()

    def _show_word(self) -> None:
        shown = self.current
        if shown is None:
            word, gloss = PRESENTER_IDLE, ""
        elif shown.hidden:
            word, gloss = QUIZ_HIDDEN, ""
        elif not shown.sure:
            word, gloss = PRESENTER_NOT_SURE, f"{shown.label.display}?"
        else:
            word = shown.label.name
            gloss = shown.label.gloss if shown.label.gloss != shown.label.name else ""
            if self.quiz:
                gloss = f"{gloss}  {shown.confidence:.0%}".strip()
        self.word_label.setText(word)
        self.gloss_label.setText(gloss)
        notes = [QUIZ_HINT] if self.quiz else []
        notes += [FROZEN] if self.frozen else []
        self.note_label.setText(" · ".join(notes))
        self._fit_fonts()

    def _show_transcript(self) -> None:
        lines = [QUIZ_HIDDEN if s.hidden else s.label.display for s in reversed(self.transcript)]
        self.transcript_label.setText("\n".join(lines))

    def _fit_fonts(self) -> None:
        """The word at WORD_SHARE of the height, smaller (down to MIN_WORD_SHARE) when it is too wide."""
        h = max(1, self.height())
        font = QFont(self.font())
        font.setBold(True)
        size = int(h * WORD_SHARE)
        width = max(1, self.width() - 60)
        while size > h * MIN_WORD_SHARE:
            font.setPixelSize(size)
            if QFontMetrics(font).horizontalAdvance(self.word_label.text()) <= width:
                break
            size -= 2
        font.setPixelSize(max(size, int(h * MIN_WORD_SHARE) + 1))
        self.word_label.setFont(font)
        for label, share, bold in ((self.gloss_label, 0.06, False), (self.note_label, 0.03, True),
                                   (self.transcript_label, 0.045, False), (self.recent_label, 0.025, True),
                                   (self.keys_label, 0.02, False)):
            small = QFont(self.font())
            small.setPixelSize(max(10, int(h * share)))
            small.setBold(bold)
            label.setFont(small)

    def word_pixel_size(self) -> int:
        return self.word_label.font().pixelSize()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)
        self._fit_fonts()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)
        self.video.set_state(picture=self.settings.picture, mirror=self.settings.mirror)
        self.setFocus()

    # --- from the user -----------------------------------------------------------------------------

    def clear(self) -> None:
        """C: empty the transcript and the word."""
        self.transcript.clear()
        self.current = None
        self._show_word()
        self._show_transcript()

    def set_frozen(self, on: bool) -> None:
        """F: keep the word, transcript and picture as they are (new signs are ignored)."""
        self.frozen = on
        self._show_word()

    def set_quiz(self, on: bool) -> None:
        """Q: hide each recognized sign until Space reveals it."""
        self.quiz = on
        self._show_word()

    def reveal(self) -> None:
        """Space (Quiz mode): show the hidden answer, with its confidence."""
        if self.current is not None and self.current.hidden:
            self.current.hidden = False
            self._show_word()
            self._show_transcript()

    def set_picture(self, on: bool) -> None:
        self.video.set_state(picture=on)

    def set_mirror(self, on: bool) -> None:
        self.video.set_state(mirror=on)

    _KEYS = frozenset({Qt.Key.Key_C, Qt.Key.Key_F, Qt.Key.Key_Q, Qt.Key.Key_Space, Qt.Key.Key_Escape})

    def event(self, event: QEvent) -> bool:
        """Take the presenter's keys before the window's shortcuts (Space pauses, C switches camera there)."""
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.key() in self._KEYS and not event.modifiers():
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if event.modifiers() or key not in self._KEYS:
            super().keyPressEvent(event)
            return
        if key == Qt.Key.Key_C:
            self.clear()
        elif key == Qt.Key.Key_F:
            self.set_frozen(not self.frozen)
        elif key == Qt.Key.Key_Q:
            self.set_quiz(not self.quiz)
        elif key == Qt.Key.Key_Space:
            self.reveal()
        else:
            self.back_wanted.emit()

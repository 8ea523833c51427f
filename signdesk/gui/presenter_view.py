"""The presenter view: a projector screen for a teacher and a class, readable from the back of a room.

White on near-black, the word's own-language name in a font at least a sixth of the view's
height and its gloss under it. Four activities (:class:`~signdesk.gui.presenter_activity.Activity`):

* **Live**: the recognized word, the camera picture (or only the skeleton, by the Picture
  setting) and the last signs as a running transcript; C clears it, F freezes it.
* **Quiz the class**: the same, but each answer shows as "?" until Space reveals it.
* **Show the sign**: a sign's reference plays large as a skeleton for the class to copy; S
  slows it down, the strip mirrors it; Right/Left step through the chosen list.
* **Class practice**: the sign to make is shown huge; whoever signs gets the verdict on the big
  screen, with a running class score; Right (or Space) moves to the next sign.

Keys 1-4 (:mod:`signdesk.gui.presenter_keys`) or the control strip switch activity; the strip
moves to a console on the laptop screen when the view is presented on a projector
(:mod:`signdesk.gui.presenter_screens`).
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHideEvent, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from signdesk.gui.i18n import QT_TR_NOOP, tr
from signdesk.gui.source_errors import localized_error
from signdesk.gui.presenter_activity import (
    Activity,
    Shown,
    SignCursor,
    model_categories,
    recognized_word,
    sign_lists,
)
from signdesk.gui.presenter_controls import PresenterControls, speed_text
from signdesk.gui.presenter_keys import KEY_HINTS, PRESENTER_KEYS, press_key
from signdesk.gui.presenter_practice import PracticePanel, judge
from signdesk.gui.presenter_screens import ScreenList, StripPlacement, qt_screens
from signdesk.gui.presenter_show import ReferenceLoader, ShowPanel
from signdesk.gui.session import RecognitionSession
from signdesk.gui.settings import Settings
from signdesk.gui.skeleton import SKELETON_SPEEDS
from signdesk.gui.states import (
    FROZEN,
    QUIZ_HIDDEN,
    QUIZ_HINT,
    RECENT,
    SourceState,
    problem_text,
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
NO_SIGNS = QT_TR_NOOP("No signs in this list")


class PresenterView(QWidget):
    """The word huge, and under it what the activity needs: picture and transcript, a reference, a verdict."""

    back_wanted = Signal()  # Esc
    shown = Signal(object)  # a recognized Shown, a class practice Verdict, or a Label whose reference plays

    def __init__(self, session: RecognitionSession, settings: Settings, parent: QWidget | None = None, *,
                 screens: ScreenList = qt_screens) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.activity = Activity.LIVE
        self.frozen = False
        self.current: Shown | None = None
        self.transcript: deque[Shown] = deque(maxlen=TRANSCRIPT_LENGTH)
        self.cursor = SignCursor()
        self.speed = 1.0
        self._categories: dict[str, str] = {}
        self.references = ReferenceLoader(session, self)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, BACKGROUND)
        palette.setColor(QPalette.ColorRole.WindowText, TEXT)
        self.setPalette(palette)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._build()
        self.placement = StripPlacement(self, self.controls, self.box, screens, self.handle_key)
        self.controls.mirror_box.setChecked(settings.mirror)
        self.controls.show_speed(self.speed)
        self._rebuild_lists()
        self.set_activity(Activity.LIVE)

        session.attempt_result.connect(self._on_attempt)
        session.picture.connect(self._on_picture)
        session.frame_processed.connect(self._on_frame_processed)
        session.state_changed.connect(self._on_state)
        session.recognizer_changed.connect(lambda *_: self._rebuild_lists(forget=True))
        session.custom_signs_changed.connect(lambda *_: self._rebuild_lists(forget=True))

    def _build(self) -> None:
        self.word_label = self._label(Qt.AlignmentFlag.AlignCenter, TEXT)
        self.word_label.setWordWrap(True)
        self.gloss_label = self._label(Qt.AlignmentFlag.AlignCenter, DIM)
        self.note_label = self._label(Qt.AlignmentFlag.AlignCenter, QUIZ)
        self.video = VideoView(self)
        self.video.set_state(mirror=self.settings.mirror, overlay=True, picture=self.settings.picture)
        self.transcript_label = self._label(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, TEXT)
        self.transcript_label.setWordWrap(True)
        self.recent_label = self._label(Qt.AlignmentFlag.AlignLeft, DIM)
        self.recent_label.setText(tr(RECENT))
        for label in (self.note_label, self.recent_label):  # one line each, always shown
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        live = QWidget(self)
        lower = QHBoxLayout(live)
        lower.setContentsMargins(0, 0, 0, 0)
        lower.addWidget(self.video, 3)
        column = QVBoxLayout()
        column.addWidget(self.recent_label)
        column.addWidget(self.transcript_label, 1)
        lower.addLayout(column, 2)
        self.show_panel = ShowPanel(BACKGROUND, self)
        self.show_panel.set_mirror(self.settings.mirror)
        practice_video = VideoView(self)
        practice_video.set_state(mirror=self.settings.mirror, overlay=True, picture=self.settings.picture)
        self.practice_panel = PracticePanel(practice_video, self)
        self.stack = QStackedWidget(self)
        self._pages = {Activity.LIVE: live, Activity.QUIZ: live, Activity.SHOW: self.show_panel,
                       Activity.PRACTICE: self.practice_panel}
        for page in (live, self.show_panel, self.practice_panel):
            self.stack.addWidget(page)
        self.controls = PresenterControls(self)
        self.controls.activity_picked.connect(self.set_activity)
        self.controls.list_picked.connect(self.set_list)
        self.controls.sign_picked.connect(self.set_sign)
        self.controls.step.connect(self.step)
        self.controls.speed_picked.connect(self.set_speed)
        self.controls.mirror_toggled.connect(self.set_reference_mirror)
        self.controls.reveal_wanted.connect(self.reveal)
        self.controls.present_wanted.connect(self.present_on)
        self.controls.search_left.connect(self.setFocus)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(24, 12, 24, 0)
        self.box.addWidget(self.word_label, 5)
        self.box.addWidget(self.gloss_label, 1)
        self.box.addWidget(self.note_label)
        self.box.addWidget(self.stack, 5)
        self.box.addWidget(self.controls)

    def _label(self, align: Qt.AlignmentFlag, color: QColor) -> QLabel:
        label = QLabel(self)
        label.setAlignment(align)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        label.setStyleSheet(f"color: {color.name()}; background: transparent;")
        return label

    # --- activities ------------------------------------------------------------------------------

    @property
    def quiz(self) -> bool:
        return self.activity is Activity.QUIZ

    def set_activity(self, activity: Activity) -> None:
        """Switch what the presenter does; the word, the lower half and the strip follow."""
        self.activity = Activity(activity)
        self.stack.setCurrentWidget(self._pages[self.activity])
        big = 3 if self.activity.uses_list else 5  # a class activity gives the lower half more room
        self.box.setStretch(0, big)
        self.box.setStretch(3, 10 - big)
        self.controls.show_activity(self.activity)
        self.controls.set_keys(tr(KEY_HINTS[self.activity]))
        self._show_sign()

    def set_quiz(self, on: bool) -> None:
        """Q: hide each recognized sign until Space reveals it (off: back to Live)."""
        self.set_activity(Activity.QUIZ if on else Activity.LIVE)

    def start(self, activity: Activity, sign: str = "") -> bool:
        """Open ``activity`` on the sign named ``sign`` (id, name or gloss) of all signs; False when unknown."""
        found = self.cursor.find(sign) if sign else True
        self._show_lists()
        self.set_activity(activity)
        return found

    # --- lists of signs ----------------------------------------------------------------------------

    def signs(self) -> tuple[Label, ...]:
        return self.cursor.signs()

    def sign(self) -> Label | None:
        return self.cursor.sign()

    def _rebuild_lists(self, forget: bool = False) -> None:
        """New model or custom signs: new lists, keeping the chosen list and sign where they still exist."""
        if forget:
            self.references.forget()
        recognizer = self.session.recognizer
        labels = list(getattr(recognizer, "labels", []) or [])
        before = self.sign()
        self.cursor.replace(sign_lists(labels, self.session.custom_signs, self._categories))
        self._show_lists()
        info = getattr(recognizer, "info", None)
        if forget and info is not None:
            self.session.run_in_background(lambda: model_categories(info.labels), self._on_categories, owner=self)
        if self.sign() != before or (forget and self.activity is Activity.SHOW):  # else a verdict stays
            self._show_sign()
        else:
            self._show_word()

    def _show_lists(self) -> None:
        self.controls.set_lists(self.cursor.lists, self.cursor.list_index)
        self.controls.set_signs(self.signs(), self.cursor.sign_index)

    def _on_categories(self, categories: dict[str, str] | None, error: BaseException | None) -> None:
        if categories and categories != self._categories:
            self._categories = categories
            self._rebuild_lists()

    def set_list(self, index: int) -> None:
        """Step through another list, from its first sign."""
        if self.cursor.choose_list(index):
            self._show_lists()
            self._show_sign()

    def set_sign(self, index: int) -> None:
        if self.cursor.choose(index):
            self._show_sign()
        self.setFocus()

    def step(self, by: int) -> None:
        """The next (``by`` = 1) or previous (-1) sign of the list, round the end."""
        if self.activity.uses_list:
            self.cursor.step(by)
            self._show_sign()

    def _show_sign(self) -> None:
        """Put the activity's sign on screen (and start its reference in Show the sign)."""
        self.controls.show_sign(self.cursor.sign_index)
        if self.activity is Activity.PRACTICE:
            self.practice_panel.show_waiting()
        if self.activity is Activity.SHOW:
            label = self.sign()
            if label is None:
                self.show_panel.show_reference(None)
            else:
                known, ref = self.references.cached(label)
                self.show_panel.show_reference(ref, known)
                if not known:
                    self.references.lookup(label, self._on_reference)
                elif ref is not None:
                    self.shown.emit(label)
        self._show_word()

    def _on_reference(self, label: Label, ref: Any) -> None:
        if self.activity is Activity.SHOW and self.sign() == label:
            self.show_panel.show_reference(ref)
            if ref is not None:
                self.shown.emit(label)

    # --- from the session ----------------------------------------------------------------------

    @Slot(object)
    def _on_attempt(self, result: AttemptResult) -> None:
        if self.frozen or not self.isVisible():
            return
        if self.activity is Activity.PRACTICE:
            target = self.sign()
            if target is not None:
                verdict = judge(result, target)
                self.practice_panel.show_verdict(verdict, len(result.prediction.top))
                self.shown.emit(verdict)
            return
        if self.activity is Activity.SHOW:
            return  # the teacher demonstrating is not an answer
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
            self.practice_panel.video.set_image(packet.preview)

    @Slot(object)
    def _on_frame_processed(self, item: Processed) -> None:
        if self.isVisible() and not self.frozen:
            for video in (self.video, self.practice_panel.video):
                video.set_landmarks(item.frame.raw)
                video.set_state(signing=item.frame.signing)

    @Slot(object, str)
    def _on_state(self, state: SourceState, detail: str) -> None:
        if state.is_problem:
            for video in (self.video, self.practice_panel.video):
                video.clear(localized_error(detail) or problem_text(state, detail)[0])  # the problem's title, never the enum value

    # --- what is shown ---------------------------------------------------------------------------

    def word_text(self) -> str:
        """The word as on screen (for tests and the screenshot's log line)."""
        return self.word_label.text()

    def _show_word(self) -> None:
        if self.activity.uses_list:
            word, gloss, notes = self._sign_word()
        else:
            word, gloss = recognized_word(self.current, self.quiz)
            notes = [tr(QUIZ_HINT)] if self.quiz else []
        notes += [tr(FROZEN)] if self.frozen else []
        self.word_label.setText(word)
        self.gloss_label.setText(gloss)
        self.note_label.setText(" · ".join(notes))
        self._fit_fonts()

    def _sign_word(self) -> tuple[str, str, list[str]]:
        label = self.sign()
        if label is None:
            return tr(NO_SIGNS), "", [self.activity.title]
        gloss = label.gloss if label.gloss != label.name else ""
        notes = [self.activity.title, tr("sign %1 of %2", self.cursor.sign_index + 1, len(self.signs())),
                 tr(self.cursor.title)]
        if self.activity is Activity.SHOW:
            notes += [tr("%1 speed", speed_text(self.speed))] if self.speed != 1.0 else []
            notes += [tr("mirrored")] if self.show_panel.mirror else []
            notes += [tr("paused (Space)")] if not self.show_panel.playing else []
        return label.name, gloss, notes

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
                                   (self.transcript_label, 0.045, False), (self.recent_label, 0.025, True)):
            small = QFont(self.font())
            small.setPixelSize(max(10, int(h * share)))
            small.setBold(bold)
            label.setFont(small)
        self.practice_panel.fit(h, self.font())
        if not self.placement.on_console:  # on the projector's screen the strip grows with it, a little
            strip = QFont(self.font())
            strip.setPixelSize(max(12, int(h * 0.016)))
            self.controls.setFont(strip)

    def word_pixel_size(self) -> int:
        return self.word_label.font().pixelSize()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)
        self._fit_fonts()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)
        for video in (self.video, self.practice_panel.video):
            video.set_state(picture=self.settings.picture, mirror=self.settings.mirror)
        self.placement.refresh()
        self.setFocus()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if not event.spontaneous():  # the presenter was left (not the window minimized)
            self.placement.leave()

    # --- from the user -----------------------------------------------------------------------------

    def clear(self) -> None:
        """C: empty the transcript and the word (in class practice: a new class score)."""
        if self.activity is Activity.PRACTICE:
            self.practice_panel.reset_score()
            return
        self.transcript.clear()
        self.current = None
        self._show_word()
        self._show_transcript()

    def set_frozen(self, on: bool) -> None:
        """F: keep the word, transcript and picture as they are (new signs are ignored)."""
        self.frozen = on
        self._show_word()

    def reveal(self) -> None:
        """Space (Quiz mode): show the hidden answer, with its confidence."""
        if self.current is not None and self.current.hidden:
            self.current.hidden = False
            self._show_word()
            self._show_transcript()

    def set_speed(self, speed: float) -> None:
        """Play the reference at ``speed`` × (slower for a class copying a sign)."""
        self.speed = speed
        self.show_panel.set_speed(speed)
        self.controls.show_speed(speed)
        self._show_word()

    def slower(self) -> None:
        """S: the next slower speed, round to full speed after the slowest."""
        speeds = sorted(SKELETON_SPEEDS, reverse=True)
        index = speeds.index(self.speed) if self.speed in speeds else 0
        self.set_speed(speeds[(index + 1) % len(speeds)])

    def set_reference_mirror(self, on: bool) -> None:
        self.show_panel.set_mirror(on)
        self.controls.show_mirror(on)
        self._show_word()

    def set_picture(self, on: bool) -> None:
        for video in (self.video, self.practice_panel.video):
            video.set_state(picture=on)

    def set_mirror(self, on: bool) -> None:
        """The window's Mirror: the camera picture and the reference both."""
        for video in (self.video, self.practice_panel.video):
            video.set_state(mirror=on)
        self.set_reference_mirror(on)

    # --- screens -----------------------------------------------------------------------------------

    def present_on(self, index: int | None = None) -> int:
        """Full screen on screen ``index`` (None: the projector when one is attached); returns the index.

        On a screen other than the first (the laptop's), the control strip moves to a console
        window on the first screen, so the class sees nothing but the view.
        """
        return self.placement.present_on(index)

    @property
    def screen_index(self) -> int:
        return self.placement.screen_index

    # --- keys ----------------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        """Take the presenter's keys before the window's shortcuts (Space pauses, C switches camera there)."""
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.key() in PRESENTER_KEYS and not event.modifiers():
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.handle_key(event):
            super().keyPressEvent(event)

    def handle_key(self, event: QKeyEvent) -> bool:
        """Do what a presenter key means in the current activity; False for any other key."""
        if event.modifiers() or event.key() not in PRESENTER_KEYS:
            return False
        press_key(self, Qt.Key(event.key()))
        return True

    def toggle_playing(self) -> None:
        """Space in Show the sign: pause or play the reference."""
        self.show_panel.set_playing(not self.show_panel.playing)
        self._show_word()

"""Teach a sign: name it, record 3-10 takes at the camera (or import videos), keep the good ones, save.

The dialog uses the window's own recognition session: the camera is already running, and each
take is a sign attempt exactly as the session cuts it for recognition (hands up → hands down),
so what is taught is what will be recognized. Record shows a 3-2-1 countdown over the picture;
the next attempt the session reports becomes a take. Every take loops as a skeleton to be kept
or discarded. Saving runs in the session's background thread, then the session enrols the
sign and the main view recognizes it. Nothing recorded is dropped without the user saying so.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from signdesk.gui.i18n import tr
from signdesk.capture import VIDEO_SUFFIXES
from signdesk.clips import take_from_clip
from signdesk.custom import CustomSign, CustomSignError, Take, check_name, fold_name
from signdesk.gui import states as words
from signdesk.gui.session import RecognitionSession
from signdesk.gui.settings import Settings
from signdesk.gui.skeleton import SKELETON_SPEEDS
from signdesk.gui.states import SourceState, TakeState, TeachState
from signdesk.gui.style import ALERT, set_font
from signdesk.gui.take_widgets import CountdownView, TakeCard, label, lay_out
from signdesk.gui.workers import FramePacket, Processed
from signdesk.pipeline import AttemptResult

#: What "Import video files…" offers: videos, and landmarks saved by ``signdesk extract``.
CLIP_PATTERNS = " ".join(f"*{s}" for s in (*VIDEO_SUFFIXES, ".npz"))


class TeachDialog(QDialog):
    """Record a new sign, or record a saved one again (``sign``: its takes are replaced on saving)."""

    saved = Signal(object)  # the CustomSign as stored

    def __init__(self, session: RecognitionSession, settings: Settings, parent: QWidget | None = None, *,
                 sign: CustomSign | None = None, countdown_ms: int = 1000, wait_s: float = 8.0) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.sign = sign
        self.state = TeachState.READY
        self.cards: list[TakeCard] = []
        self.errors: list[str] = []
        self._taken = 0  # takes numbered so far (numbers are never reused)
        self._importing = 0
        self._signing = False
        self._saved = False
        self.setWindowTitle(words.rerecord_title(sign.name) if sign else tr(words.TEACH_TITLE))
        self.resize(1040, 680)

        self.name_edit = QLineEdit(sign.name if sign else "", self)
        self.name_edit.setPlaceholderText(tr(words.NAME_PLACEHOLDER))
        self.gloss_edit = QLineEdit(sign.gloss if sign else "", self)
        self.gloss_edit.setPlaceholderText(tr(words.GLOSS_PLACEHOLDER))
        self.name_note = label("", self)
        form = QFormLayout()
        form.addRow(tr("&Name:"), self.name_edit)
        form.addRow(tr("&Gloss:"), self.gloss_edit)
        form.addRow("", self.name_note)

        self.view = CountdownView(self)
        self.view.setMinimumSize(360, 270)
        self.view.set_state(mirror=settings.mirror, overlay=True, picture=settings.picture)
        self.no_camera = label(TeachState.NO_CAMERA.hint, self, 1.2)
        self.no_camera.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture = QStackedWidget(self)
        self.picture.addWidget(self.view)
        self.picture.addWidget(self.no_camera)
        self.record_button = QPushButton(tr("● &Record"), self)
        set_font(self.record_button, 1.2, bold=True)
        self.record_button.clicked.connect(self.record)
        self.import_button = QPushButton(tr("&Import video files…"), self)
        self.import_button.clicked.connect(lambda: self.import_files())
        self.hint = label("", self, 1.1)
        self.error_label = label("", self)
        self.error_label.setStyleSheet(f"color: {ALERT.name()}")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        controls = lay_out(QHBoxLayout(), self.record_button, self.import_button, None)
        left = lay_out(QVBoxLayout(), self.picture, controls, self.hint, self.error_label)
        left.setStretch(0, 1)

        self.summary = label("", self, bold=True)
        self.list_widget = QWidget(self)
        self.list_layout = QVBoxLayout(self.list_widget)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.list_widget)
        scroll.setMinimumWidth(430)
        self.speed_combo = QComboBox(self)
        for speed in reversed(SKELETON_SPEEDS):
            self.speed_combo.addItem(tr("As recorded") if speed == 1 else tr("%1× speed", format(speed, "g")), speed)
        self.speed_combo.currentIndexChanged.connect(self._apply_preview_options)
        self.mirror_box = QCheckBox(tr("Mirror"), self)
        self.mirror_box.setChecked(settings.mirror)
        self.mirror_box.toggled.connect(self._apply_preview_options)
        options = lay_out(QHBoxLayout(), QLabel(tr("Replay:"), self), self.speed_combo, self.mirror_box, None)
        right = lay_out(QVBoxLayout(), self.summary, scroll, options)
        right.setStretch(1, 1)

        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(form)
        outer.addLayout(body, 1)
        outer.addWidget(self.buttons)

        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(countdown_ms)
        self._tick_timer.timeout.connect(self._count_down)
        self._wait_timer = QTimer(self)
        self._wait_timer.setSingleShot(True)
        self._wait_timer.setInterval(int(wait_s * 1000))
        self._wait_timer.timeout.connect(self._wait_over)
        self.name_edit.textChanged.connect(self._check_name)
        self.gloss_edit.textChanged.connect(self._check_name)
        session.picture.connect(self._on_picture)
        session.frame_processed.connect(self._on_frame)
        session.attempt_result.connect(self._on_attempt)
        session.state_changed.connect(self._on_source_state)
        session.custom_signs_changed.connect(self._check_name)
        self._check_name()
        self._set_state(TeachState.READY if self.camera_ready() else TeachState.NO_CAMERA)

    # --- state -----------------------------------------------------------------------------

    def camera_ready(self) -> bool:
        """A live camera is playing in the session: takes can be recorded."""
        return self.session.live and self.session.state in (SourceState.PLAYING, SourceState.OPENING)

    def kept(self) -> list[TakeCard]:
        return [c for c in self.cards if c.state is TakeState.KEPT]

    def has_unsaved(self) -> bool:
        """Takes were recorded (kept or not yet reviewed) and are not saved."""
        return bool(self.cards) and not self._saved

    def _set_state(self, state: TeachState, hint: str = "") -> None:
        if state in (TeachState.READY, TeachState.NO_SIGN) and len(self.cards) >= words.TAKES_MAX:
            state = TeachState.FULL
        if state in (TeachState.READY, TeachState.NO_SIGN, TeachState.FULL) and not self.camera_ready():
            state = TeachState.NO_CAMERA
        if state is TeachState.READY and self._importing:
            state = TeachState.IMPORTING
        self.state = state
        self.hint.setText(hint or state.hint)
        self.picture.setCurrentWidget(self.view if self.camera_ready() else self.no_camera)
        busy = state in (TeachState.COUNTDOWN, TeachState.WAITING, TeachState.SAVING)
        self.record_button.setEnabled(state.can_record)
        self.record_button.setText(tr("● &Record") if not busy or state is TeachState.SAVING else tr("Recording…"))
        self.import_button.setEnabled(not busy and len(self.cards) < words.TAKES_MAX)
        if state not in (TeachState.COUNTDOWN, TeachState.WAITING):
            self._tick_timer.stop()
            self._wait_timer.stop()
            self.view.countdown = 0
            self.view.update()
        self._update_summary()

    def _update_summary(self) -> None:
        kept = len(self.kept())
        new = len(self.cards) - kept
        unnamed = kept and not self.name_edit.text().strip()
        self.summary.setText(words.takes_summary(kept, new) + ("\n" + tr(words.NAME_IT) if unnamed else ""))
        name_ok = not self.name_note.property("blocking")
        self.save_button.setEnabled(kept >= 1 and new == 0 and name_ok and self.state is not TeachState.SAVING
                                    and not self._importing)

    @Slot()
    def _check_name(self, *_: object) -> None:
        """Validate the name as typed; say when it is a bundled sign's or one of the user's own."""
        text = self.name_edit.text()  # (a line edit shows right-to-left text from the right by itself)
        note, blocking = "", True
        try:
            name = check_name(text)
        except CustomSignError as exc:
            note = "" if not text.strip() else str(exc).capitalize() + "."
        else:
            mine = any(s.matches(name) and (self.sign is None or s.id != self.sign.id)
                       for s in self.session.custom_signs)
            note = words.name_note(name, known_as=self._bundled_name(name), mine=mine)
            blocking = mine
        self.name_note.setText(note)
        self.name_note.setVisible(bool(note))
        self.name_note.setProperty("blocking", blocking)
        self.name_note.setStyleSheet(f"color: {ALERT.name()}" if blocking and note else "")
        self._update_summary()

    def _bundled_name(self, name: str) -> str:
        """The model's sign that ``name`` (or the gloss) names, as "name (gloss)", or ''."""
        model = self.session.recognizer
        keys = {fold_name(name), fold_name(self.gloss_edit.text())} - {""}
        for sign in (model.labels if model is not None else []):
            if keys & {fold_name(sign.name), fold_name(sign.gloss), fold_name(sign.id)}:
                return sign.name + (f", {sign.gloss}" if sign.gloss and sign.gloss != sign.name else "")
        return ""

    # --- recording -------------------------------------------------------------------------

    def record(self) -> None:
        """Count down 3-2-1 over the picture, then wait for the next sign attempt."""
        if not self.state.can_record:
            return
        self.view.countdown = 3
        self.view.update()
        self._set_state(TeachState.COUNTDOWN, f"{TeachState.COUNTDOWN.hint} 3")
        self._tick_timer.start()

    def _count_down(self) -> None:
        self.view.countdown -= 1
        self.view.update()
        if self.view.countdown > 0:
            self.hint.setText(f"{TeachState.COUNTDOWN.hint} {self.view.countdown}")
            return
        self._tick_timer.stop()
        self._set_state(TeachState.WAITING)
        self._wait_timer.start()

    def _wait_over(self) -> None:
        if self._signing:  # mid-sign: give the sign time to end
            self._wait_timer.start(1000)
            return
        self._set_state(TeachState.NO_SIGN)

    @Slot(object)
    def _on_picture(self, packet: FramePacket) -> None:
        if self.session.live:
            self.view.set_image(packet.preview)

    @Slot(object)
    def _on_frame(self, item: Processed) -> None:
        self._signing = item.frame.signing
        if self.session.live:
            self.view.set_landmarks(item.frame.raw)
            self.view.set_state(signing=item.frame.signing and self.state is TeachState.WAITING)

    @Slot(object)
    def _on_attempt(self, result: AttemptResult) -> None:
        if self.state is not TeachState.WAITING or not self.session.live:
            return
        if result.attempt.raw is None:
            self._set_state(TeachState.NO_SIGN, tr(words.NO_TAKE_IN_ATTEMPT))
            return
        info = self.session.source_info
        aspect = info.size[0] / info.size[1] if info is not None and info.size else None
        take = Take(result.attempt.raw.copy(), result.attempt.fps(info.fps if info else 30.0), "camera")
        card = self.add_take(take, aspect)
        self._set_state(TeachState.READY, words.take_added(card.number))

    @Slot(object, str)
    def _on_source_state(self, state: SourceState, detail: str) -> None:
        if self.state in (TeachState.COUNTDOWN, TeachState.WAITING) and not self.camera_ready():
            self._set_state(TeachState.NO_CAMERA)
        elif self.state in (TeachState.NO_CAMERA, TeachState.READY, TeachState.FULL):
            self._set_state(TeachState.READY)
        if state is SourceState.OPENING:
            self.view.clear(tr("Opening %1…", self.session.spec.label))

    # --- takes -----------------------------------------------------------------------------

    def add_take(self, take: Take, aspect: float | None = None) -> TakeCard:
        """Put a take in the list, to be kept or discarded."""
        self._taken += 1
        card = TakeCard(self._taken, take, aspect, self.list_widget)
        card.keep_clicked.connect(self.keep)
        card.discard_clicked.connect(self.discard)
        card.preview.set_speed(self.speed_combo.currentData())
        card.preview.set_mirror(self.mirror_box.isChecked())
        self.cards.append(card)
        self.list_layout.insertWidget(self.list_layout.count() - 1, card)
        self._update_summary()
        return card

    def keep(self, card: TakeCard) -> None:
        card.set_state(TakeState.KEPT)
        self._update_summary()

    def discard(self, card: TakeCard) -> None:
        self.cards.remove(card)
        card.hide()
        card.deleteLater()
        if self.state in (TeachState.FULL, TeachState.READY, TeachState.NO_SIGN):
            self._set_state(TeachState.READY)
        self._update_summary()

    def _apply_preview_options(self, *_: object) -> None:
        for card in self.cards:
            card.preview.set_speed(self.speed_combo.currentData())
            card.preview.set_mirror(self.mirror_box.isChecked())

    # --- video files -----------------------------------------------------------------------

    def import_files(self, paths: list[str | Path] | None = None) -> None:
        """Each file's sign becomes a take, found by MediaPipe in the session's background thread."""
        if paths is None:
            chosen, _ = QFileDialog.getOpenFileNames(self, tr("Import video files of the sign"),
                                                     self.settings.last_folder,
                                                     tr("Videos and landmarks (%1);;All files (*)", CLIP_PATTERNS))
            paths = list(chosen)
        room = words.TAKES_MAX - len(self.cards) - self._importing
        if not paths:
            return
        if len(paths) > room:
            fit = tr("Only 1 more take fits;") if room == 1 else tr("Only %1 more takes fit;", room)
            self._show_errors([fit + " " + tr("%1 file(s) were not imported.", len(paths) - room)])
        self.settings.last_folder = str(Path(paths[0]).parent)
        for path in paths[:max(0, room)]:
            self._importing += 1
            self.session.run_in_background(lambda p=Path(path): take_from_clip(p),
                                           lambda take, error, p=Path(path): self._on_imported(p, take, error),
                                           owner=self)
        self._set_state(TeachState.IMPORTING)

    def _on_imported(self, path: Path, take: Take | None, error: BaseException | None) -> None:
        self._importing -= 1
        if error is not None:
            self._show_errors([str(error) if path.name in str(error) else f"{path.name}: {error}"])
        elif take is not None:
            self.add_take(take)
        if not self._importing:
            self._set_state(TeachState.READY)

    def _show_errors(self, lines: list[str]) -> None:
        self.errors += lines
        self.error_label.setText("\n".join(self.errors[-4:]))
        self.error_label.show()

    # --- saving and closing ----------------------------------------------------------------

    def save(self) -> None:
        """Save the kept takes as the sign (after a warning if there are fewer than three)."""
        try:
            name = check_name(self.name_edit.text())
        except CustomSignError as exc:
            self.name_note.setText(str(exc).capitalize() + ".")
            self.name_note.show()
            self.name_edit.setFocus()
            return
        kept = self.kept()
        if not kept or not self.save_button.isEnabled():
            return
        if len(kept) < words.TAKES_WANTED:
            title, text = words.few_takes_question(len(kept))
            answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Save
                                          | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Save:
                return
        takes = [c.take for c in kept]
        gloss = self.gloss_edit.text()
        sign = (replace(self.sign, name=name, gloss=gloss, takes=takes, reference=0) if self.sign
                else CustomSign(name=name, gloss=gloss, takes=takes))
        store = self.session.store
        self._set_state(TeachState.SAVING)
        self.session.run_in_background(lambda: store.save(sign), self._on_saved, owner=self)

    def _on_saved(self, stored: CustomSign | None, error: BaseException | None) -> None:
        if error is not None or stored is None:
            self._set_state(TeachState.READY)
            box = QMessageBox(QMessageBox.Icon.Critical, tr("The sign could not be saved"),
                              f"{error}\n\n" + tr("Your takes are still here: free some space or fix the problem, "
                                                   "then press Save again."), QMessageBox.StandardButton.Ok, self)
            box.open()
            return
        self._saved = True
        self.session.reload_custom_signs()
        self.saved.emit(stored)
        self.accept()

    def reject(self) -> None:
        """Cancel or Esc: ask before unsaved takes are thrown away."""
        if self.state is TeachState.SAVING:
            return
        if self.has_unsaved():
            title, text = words.discard_question(len(self.cards), self.name_edit.text().strip())
            answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Discard
                                          | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return
        self._saved = True  # discarded on purpose: nothing left to ask about
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.reject()
        if self.isVisible():
            event.ignore()

    def done(self, result: int) -> None:
        self._tick_timer.stop()
        self._wait_timer.stop()
        for signal, slot in ((self.session.picture, self._on_picture), (self.session.frame_processed, self._on_frame),
                             (self.session.attempt_result, self._on_attempt),
                             (self.session.state_changed, self._on_source_state),
                             (self.session.custom_signs_changed, self._check_name)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):  # already disconnected
                pass
        super().done(result)

"""The practice view: pick a sign, watch its reference, sign it, and see at once how it went.

A :class:`~signdesk.practice.session.PracticeSession` (headless, shared with ``signdesk practice``)
holds the targets and the score; this view only shows it, through its parts: the
:class:`~signdesk.gui.practice_picker.TargetPicker` and
:class:`~signdesk.gui.practice_picker.TargetPanel` on the left, the camera and the
:class:`~signdesk.gui.practice_attempt.AttemptPanel` on the right. Every finished attempt of the
shared :class:`~signdesk.gui.session.RecognitionSession` is scored in the slot (the verdict is a
lookup in the attempt's top-k, feedback is cheap numpy on ~50 frames) and shown at once; the
progress database is opened, written and read in the session's background thread, never on the
UI thread. **Progress…** opens the progress page (:mod:`signdesk.gui.progress_view`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QMessageBox, QSplitter, QVBoxLayout, QWidget

from signdesk.gui.i18n import tr
from signdesk.gui.practice_attempt import AttemptPanel
from signdesk.gui.practice_picker import (
    DRILL_SIZE,
    TargetPanel,
    TargetPicker,
    find_reference,
)
from signdesk.gui.progress_view import ProgressDialog
from signdesk.gui.session import RecognitionSession
from signdesk.gui.settings import Settings
from signdesk.gui.states import (
    NO_REFERENCE,
    NOTHING_DUE,
    PracticeState,
    SignState,
    SourceState,
    practice_summary_text,
    problem_text,
    progress_failed,
    progress_problem,
    sign_hint,
)
from signdesk.gui.style import ALERT
from signdesk.gui.video_view import VideoView
from signdesk.practice import schedule
from signdesk.practice.categories import sign_categories
from signdesk.practice.progress import ProgressStore
from signdesk.practice.session import (
    PracticeSession,
    Scored,
    SessionSummary,
    TargetMode,
    sign_key,
)

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

    from signdesk.gui.workers import FramePacket, Processed
    from signdesk.pipeline import AttemptResult
    from signdesk.recognizer import Label


class PracticeView(QSplitter):
    """Target picker and reference on the left; the camera and each attempt's verdict on the right."""

    scored = Signal(object)  # Scored: an attempt's verdict and feedback are on screen
    recorded = Signal(object)  # Scored: the attempt is in the progress store
    summary_shown = Signal(object)  # SessionSummary
    store_opened = Signal(object)  # ProgressStore

    def __init__(self, session: RecognitionSession, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.session = session
        self.settings = settings
        self.practice: PracticeSession | None = None
        self.store: ProgressStore | None = None
        self.state = PracticeState.NO_MODEL
        self.last: Scored | None = None
        self.summary_box: QMessageBox | None = None
        self.progress_dialog: ProgressDialog | None = None
        self._refs: dict[str, Any] = {}  # sign key → (raw, fps) or None, once looked up
        self._pending: list[tuple[Label, Scored]] = []  # scored before the store was open
        self._store_error = ""  # why the store could not be opened
        self._signing = False  # an attempt is open at the camera now
        self._stale = False  # the open attempt began before the current target was chosen
        self._stale_ended = False  # ...and its hands have gone down since
        self.addWidget(self._build_left())
        self.addWidget(self._build_right())
        self.setStretchFactor(0, 2)
        self.setStretchFactor(1, 3)
        self.setChildrenCollapsible(False)

        session.picture.connect(self._on_picture)
        session.frame_processed.connect(self._on_frame_processed)
        session.attempt_result.connect(self._on_attempt)
        session.state_changed.connect(self._on_state)
        session.recognizer_changed.connect(lambda *_: self._rebuild())
        session.custom_signs_changed.connect(lambda *_: self._rebuild(forget_references=True))
        session.run_in_background(ProgressStore, self._on_store_opened, owner=self)
        self._rebuild()

    def _build_left(self) -> QWidget:
        left = QWidget(self)
        box = QVBoxLayout(left)
        self.picker = TargetPicker(left)
        self.picker.search_changed.connect(self.search)
        self.picker.category_picked.connect(self.category)
        self.picker.all_wanted.connect(self.show_all)
        self.picker.drill_wanted.connect(lambda: self.drill())
        self.picker.due_wanted.connect(self.due)
        self.picker.row_picked.connect(self._row_picked)
        self.target = TargetPanel(self.settings.mirror, self.settings.left_handed, left)
        self.target.mirror_toggled.connect(self.set_reference_mirror)
        self.target.left_handed_toggled.connect(self.set_left_handed)
        self.target.next_wanted.connect(self.next_target)
        box.addWidget(self.picker, 2)
        box.addWidget(self.target, 3)
        return left

    def _build_right(self) -> QWidget:
        right = QWidget(self)
        box = QVBoxLayout(right)
        self.video = VideoView(right)
        self.video.set_state(mirror=self.settings.mirror, overlay=self.settings.overlay,
                             picture=self.settings.picture)
        self.problem_label = QLabel(right)
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(f"color: {ALERT.name()};")
        self.problem_label.hide()
        self.feedback = AttemptPanel(self.settings.mirror, right)
        self.feedback.summary_wanted.connect(self.show_summary)
        self.feedback.progress_wanted.connect(self.show_progress)
        box.addWidget(self.problem_label)
        box.addWidget(self.video, 4)
        box.addWidget(self.feedback, 3)
        self.feedback.show_score(self.practice)
        return right

    def shown_text(self) -> str:
        """The verdict on screen, or what the view invites to do (for the screenshot log)."""
        return self.feedback.verdict_label.text() or self.feedback.hint_label.text() or "no verdict"

    # --- the practice session ----------------------------------------------------------------

    def _labels(self) -> list[Label]:
        model = self.session.custom_recognizer or self.session.recognizer
        return list(model.labels) if model is not None else []

    def _rebuild(self, forget_references: bool = False) -> None:
        """A new model or new custom signs: new labels, the same score and (if it is still known) target."""
        if forget_references:
            self._refs.clear()
        old, labels = self.practice, self._labels()
        if not labels:
            self.practice = None
            self.picker.set_targets([], None)
            self._show_target(None)
            return
        recognizer = self.session.recognizer
        info = getattr(recognizer, "info", None)
        categories = sign_categories(labels, getattr(info, "labels", None), self.session.custom_signs)
        self.practice = PracticeSession(labels, self._reference_for, None, model=getattr(recognizer, "name", ""),
                                        categories=categories, threshold=self.settings.threshold,
                                        left_handed=self.settings.left_handed)
        if old is not None:
            for name in ("attempts", "correct", "streak", "best_streak"):
                setattr(self.practice, name, getattr(old, name))
        keep = sign_key(old.current) if old is not None and old.current is not None else self.settings.practice_target
        self.picker.set_categories(sorted(set(categories.values()), key=str.casefold))
        self.practice.choose(labels)
        self._show_targets(keep)
        self.feedback.show_score(self.practice)

    def _show_targets(self, keep: str | None = None) -> None:
        """List the session's targets and select ``keep`` (a sign key; default the sign picked last) or the first."""
        keep = self.settings.practice_target if keep is None else keep
        targets = self.practice.targets if self.practice is not None else []
        row = next((i for i, lab in enumerate(targets) if sign_key(lab) == keep), 0)
        self.picker.set_targets(targets, row if targets else None)
        if targets:
            self._row_picked(row)
        else:
            self._show_target(None)

    # --- choosing targets (from the user) ------------------------------------------------------

    def search(self, text: str) -> None:
        """Signs whose name, meaning or id holds ``text``; all of them when it is empty."""
        if self.practice is None:
            return
        if text.strip():
            self.practice.search(text)
        else:
            self.practice.choose(self.practice.labels)
        self._show_targets()

    def show_all(self) -> None:
        self.picker.clear_search()
        self.picker.category_combo.setCurrentIndex(0)
        self.search("")

    def category(self, name: str) -> None:
        """The signs of one category ("" for all)."""
        if self.practice is not None:
            self.practice.category(name) if name else self.practice.choose(self.practice.labels)
            self._show_targets()

    def drill(self, seed: int | None = None) -> None:
        """Ten signs at random, one after another (Next sign, or automatically after a correct one)."""
        if self.practice is not None:
            self.practice.drill(DRILL_SIZE, seed)
            self._show_targets(keep="")

    def due(self) -> None:
        """The signs due for review: the schedule is read from the store in the background."""
        store = self.store
        if self.practice is None or store is None:
            return
        self.session.run_in_background(lambda: schedule.due(store), self._on_due, owner=self)

    def _on_due(self, ids: list[str] | None, error: BaseException | None) -> None:
        if self.practice is None or error is not None:
            return
        by_key = {sign_key(lab): lab for lab in self.practice.labels}
        self.practice.choose([by_key[i] for i in ids or [] if i in by_key])
        self.practice.mode = TargetMode.DUE
        self._show_targets(keep="")
        if not self.practice.targets:
            self.feedback.hint_label.setText(tr(NOTHING_DUE))

    def select(self, key: str) -> bool:
        """Practise the sign with this id (or name) next; False when the list does not hold it."""
        targets = self.practice.targets if self.practice is not None else []
        row = next((i for i, lab in enumerate(targets) if key in (sign_key(lab), lab.name)), None)
        if row is None:
            return False
        self.picker.target_list.setCurrentRow(row)
        return True

    def next_target(self) -> None:
        if self.practice is not None and self.practice.targets:
            self.picker.target_list.setCurrentRow((self.practice.index + 1) % len(self.practice.targets))

    @Slot(int)
    def _row_picked(self, row: int) -> None:
        if self.practice is None or not 0 <= row < len(self.practice.targets):
            return
        self.practice.index = row
        self._show_target(self.practice.current)

    def _show_target(self, label: Label | None) -> None:
        self.target.show_label(label)
        self.last = None
        self.feedback.clear()
        if label is None:
            self._show_reference(None, "")
            self._set_state(PracticeState.NO_TARGET if self.practice is not None else PracticeState.NO_MODEL)
            return
        self.settings.practice_target = sign_key(label)
        self._set_state(PracticeState.WAITING)
        self._stale, self._stale_ended = self._signing, False  # a sign already under way is not at this target
        key = sign_key(label)
        if key in self._refs:
            self._show_reference(self._refs[key], tr(NO_REFERENCE))
            return
        self._show_reference(None, "…")
        session = self.session
        self.session.run_in_background(lambda: find_reference(session, label),
                                       lambda ref, error: self._on_reference(key, ref), owner=self)

    def _on_reference(self, key: str, ref: Any) -> None:
        self._refs[key] = ref
        current = self.practice.current if self.practice is not None else None
        if current is not None and sign_key(current) == key:
            self._show_reference(ref, tr(NO_REFERENCE))

    def _reference_for(self, label: Label) -> tuple[NDArray, float] | None:
        return self._refs.get(sign_key(label))

    def _show_reference(self, ref: Any, placeholder: str) -> None:
        view = self.target.reference_view
        view.set_placeholder(placeholder)
        view.set_take(*ref) if ref is not None else view.set_take(None)
        self.feedback.show_reference(ref, placeholder)

    def set_reference_mirror(self, on: bool) -> None:
        self.target.reference_view.set_mirror(on)
        self.feedback.set_mirror(on)

    def set_left_handed(self, on: bool) -> None:
        self.settings.left_handed = on
        if self.practice is not None:
            self.practice.left_handed = on

    # --- attempts ----------------------------------------------------------------------------

    @Slot(object)
    def _on_attempt(self, result: AttemptResult) -> None:
        """Score a finished attempt at the current target (only while this view is shown)."""
        if self._stale:
            self._stale = False
            return
        if not self.isVisible() or self.practice is None or self.practice.current is None:
            return
        target = self.practice.current
        scored = self.practice.score(result)
        self.show_scored(scored, result)
        self._record(target, scored)

    def show_scored(self, scored: Scored, result: AttemptResult) -> None:
        """Verdict, standing, feedback, the attempt's skeleton and the score."""
        self.last = scored
        self._set_state(PracticeState.CORRECT if scored.verdict.correct else PracticeState.WRONG)
        self.feedback.show_scored(scored, result)
        self.feedback.show_score(self.practice)
        self.scored.emit(scored)

    def _set_state(self, state: PracticeState) -> None:
        self.state = state
        self.feedback.show_state(state, self.practice.current if self.practice is not None else None)

    # --- the progress store (background) --------------------------------------------------------

    def _on_store_opened(self, store: ProgressStore | None, error: BaseException | None) -> None:
        if error is not None or store is None:
            self._store_error = str(error)
            self._show_problem(progress_failed(error))
            return
        self.store = store
        if store.problem:
            self._show_problem(progress_problem(store.problem))
        pending, self._pending = self._pending, []
        for target, scored in pending:
            self._record(target, scored)
        self.store_opened.emit(store)

    def _show_problem(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problem_label.show()

    def _record(self, target: Label, scored: Scored) -> None:
        store, v = self.store, scored.verdict
        if store is None:
            if not self._store_error:
                self._pending.append((target, scored))
            return
        model = self.practice.model if self.practice is not None else ""

        def write() -> None:
            store.record(sign_key(target), target.name, v.correct, v.target_confidence, model=model,
                         rank=v.target_rank, predicted=v.predicted.name, feedback=scored.lines)

        def done(_: object, error: BaseException | None) -> None:
            if error is not None:
                self._show_problem(progress_failed(error))
            else:
                self.recorded.emit(scored)

        self.session.run_in_background(write, done, owner=self)

    def show_summary(self) -> None:
        """Attempts, correct and best streak of this session; mastered and due from the store."""
        if self.practice is None:
            return
        here, store = self.practice.summary(), self.store

        def counts() -> tuple[int, int]:
            return (len(store.mastered()), len(schedule.due(store))) if store is not None else (0, 0)

        def done(result: tuple[int, int] | None, error: BaseException | None) -> None:
            mastered, to_review = result if result is not None else (0, 0)
            self._show_summary(replace(here, mastered=mastered, to_review=to_review))

        self.session.run_in_background(counts, done, owner=self)

    def _show_summary(self, summary: SessionSummary) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, tr("Practice summary"),
                          practice_summary_text(summary.attempts, summary.correct, summary.best_streak,
                                                summary.mastered, summary.to_review),
                          QMessageBox.StandardButton.Ok, self)
        box.open()
        self.summary_box = box
        self.summary_shown.emit(summary)

    def show_progress(self) -> ProgressDialog:
        """Open the progress page (or bring it to the front); it follows every recorded attempt."""
        dialog = self.progress_dialog
        if dialog is not None:
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        dialog = ProgressDialog(self.session, self.settings, self.store, self)
        self.store_opened.connect(dialog.set_store)
        self.recorded.connect(dialog.refresh)
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(lambda _: setattr(self, "progress_dialog", None))
        self.progress_dialog = dialog
        if self._store_error:
            dialog.show_failure(self._store_error)
        dialog.show()
        return dialog

    def close_store(self) -> None:
        """Close the database (after the background thread has stopped)."""
        if self.store is not None:
            self.store.close()

    # --- the live picture ------------------------------------------------------------------------

    @Slot(object)
    def _on_picture(self, packet: FramePacket) -> None:
        if self.isVisible():
            self.video.set_image(packet.preview)

    @Slot(object)
    def _on_frame_processed(self, item: Processed) -> None:
        signing = bool(item.frame.signing)
        if self._stale:
            if not signing:
                self._stale_ended = True
            elif self._stale_ended:  # a new attempt began: the stale one's result came or never will
                self._stale = False
        self._signing = signing
        if self.isVisible():
            self.video.set_landmarks(item.frame.raw)
            live = self.session.live
            self.video.set_state(hint=sign_hint(SignState.of(item.frame), live), signing=item.frame.signing)

    @Slot(object, str)
    def _on_state(self, state: SourceState, detail: str) -> None:
        if state.is_problem:
            title, _ = problem_text(state, detail)
            self.video.clear(title)
        elif state is SourceState.OPENING and self.session.spec is not None:
            self.video.clear(tr("Opening %1…", self.session.spec.label))

    def set_picture(self, on: bool) -> None:
        self.video.set_state(picture=on)

    def set_mirror(self, on: bool) -> None:
        self.video.set_state(mirror=on)

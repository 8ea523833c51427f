"""The practice view: pick a sign, watch its reference, sign it, and see at once how it went.

A :class:`~signdesk.practice.session.PracticeSession` (headless, shared with ``signdesk practice``)
holds the targets and the score; this view only shows it. Every finished attempt of the shared
:class:`~signdesk.gui.session.RecognitionSession` is scored in the slot (the verdict is a lookup in
the attempt's top-k, feedback is cheap numpy on ~50 frames) and shown at once; the progress
database is opened, written and read in the session's background thread, never on the UI thread.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from signdesk.gui.session import RecognitionSession
from signdesk.gui.settings import Settings
from signdesk.gui.skeleton import SkeletonView
from signdesk.gui.states import (
    ALL_CATEGORIES,
    NO_REFERENCE,
    NOTHING_DUE,
    PROGRESS_FAILED,
    REFERENCE,
    SEARCH_PLACEHOLDER,
    YOUR_ATTEMPT,
    PracticeState,
    SignState,
    SourceState,
    practice_summary_text,
    problem_text,
    progress_problem,
    score_text,
    sign_hint,
    standing_text,
    verdict_text,
)
from signdesk.gui.style import ALERT, CONFIDENT, scaled_font
from signdesk.gui.video_view import VideoView
from signdesk.practice import schedule
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

log = logging.getLogger(__name__)

#: Signs in one "Drill" round.
DRILL_SIZE = 10
#: Reference playback speeds offered (slower first: a learner copies a sign at half speed).
REFERENCE_SPEEDS = (0.5, 1.0)


def find_reference(session: RecognitionSession, label: Label) -> tuple[NDArray, float] | None:
    """The reference take of ``label``: a custom sign's reference take, else the bundled reference.

    Runs in the background thread (the bundled lookup may read files). The bundled lookup
    (:mod:`signdesk.practice.reference`) is used only where that module is installed.
    """
    from signdesk.practice_cli import reference_source

    ref = reference_source(session.custom_signs)(label)
    if ref is not None:
        return ref
    recognizer = session.recognizer
    try:
        from signdesk.practice.reference import bundled_reference  # type: ignore[import-not-found]
    except ImportError:
        return None
    if recognizer is None:
        return None
    try:
        return bundled_reference(recognizer.info, label)
    except Exception as exc:  # noqa: BLE001  (a missing or broken reference only costs the feedback)
        log.info("no reference for %s: %s", label.name, exc)
        return None


class PracticeView(QSplitter):
    """Target picker and reference on the left; the camera and each attempt's verdict on the right."""

    scored = Signal(object)  # Scored: an attempt's verdict and feedback are on screen
    recorded = Signal(object)  # Scored: the attempt is in the progress store
    summary_shown = Signal(object)  # SessionSummary

    def __init__(self, session: RecognitionSession, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.session = session
        self.settings = settings
        self.practice: PracticeSession | None = None
        self.store: ProgressStore | None = None
        self.state = PracticeState.NO_MODEL
        self.last: Scored | None = None
        self.summary_box: QMessageBox | None = None
        self._refs: dict[str, Any] = {}  # sign key → (raw, fps) or None, once looked up
        self._pending: list[tuple[Label, Scored]] = []  # scored before the store was open
        self._store_failed = False
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

    # --- building --------------------------------------------------------------------------

    def _build_left(self) -> QWidget:
        left = QWidget(self)
        box = QVBoxLayout(left)
        self.search_edit = QLineEdit(left)
        self.search_edit.setPlaceholderText(SEARCH_PLACEHOLDER)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.search)
        self.category_combo = QComboBox(left)
        self.category_combo.activated.connect(lambda _: self._category_picked())
        row = QHBoxLayout()
        self.all_button = QPushButton("All signs", left)
        self.drill_button = QPushButton(f"Drill {DRILL_SIZE}", left)
        self.due_button = QPushButton("Due for review", left)
        self.all_button.clicked.connect(self.show_all)
        self.drill_button.clicked.connect(lambda: self.drill())
        self.due_button.clicked.connect(self.due)
        for button in (self.all_button, self.drill_button, self.due_button):
            row.addWidget(button)
        self.target_list = QListWidget(left)
        self.target_list.currentRowChanged.connect(self._row_picked)
        self.name_label = QLabel(left)
        self.name_label.setFont(scaled_font(2.8, bold=True))
        self.name_label.setWordWrap(True)
        self.gloss_label = QLabel(left)
        self.gloss_label.setFont(scaled_font(1.4))
        for label in (self.name_label, self.gloss_label):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.reference_view = SkeletonView(left)
        self.reference_view.setMinimumHeight(200)
        self.reference_view.set_mirror(self.settings.mirror)
        controls = QHBoxLayout()
        self.speed_group = QButtonGroup(self)
        for speed in REFERENCE_SPEEDS:
            button = QPushButton(f"{speed:g}×", left)
            button.setCheckable(True)
            button.setChecked(speed == 1.0)
            button.setToolTip("Play the reference at this speed")
            self.speed_group.addButton(button)
            button.clicked.connect(lambda _=False, s=speed: self.set_reference_speed(s))
            controls.addWidget(button)
        self.mirror_box = QCheckBox("Mirror", left)
        self.mirror_box.setChecked(self.settings.mirror)
        self.mirror_box.toggled.connect(self.set_reference_mirror)
        self.left_handed_box = QCheckBox("Left-handed", left)
        self.left_handed_box.setToolTip("Compare the mirror image of your signing with the reference")
        self.left_handed_box.setChecked(self.settings.left_handed)
        self.left_handed_box.toggled.connect(self.set_left_handed)
        self.next_button = QPushButton("Next sign", left)
        self.next_button.clicked.connect(self.next_target)
        for widget in (self.mirror_box, self.left_handed_box):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.next_button)
        for widget in (self.search_edit, self.category_combo):
            box.addWidget(widget)
        box.addLayout(row)
        box.addWidget(self.target_list, 1)
        box.addWidget(self.name_label)
        box.addWidget(self.gloss_label)
        box.addWidget(self.reference_view, 3)
        box.addLayout(controls)
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
        self.hint_label = QLabel(right)
        self.hint_label.setWordWrap(True)
        self.verdict_label = QLabel(right)
        self.verdict_label.setFont(scaled_font(2.4, bold=True))
        self.verdict_label.setWordWrap(True)
        self.standing_label = QLabel(right)
        self.feedback_label = QLabel(right)
        self.feedback_label.setWordWrap(True)
        self.feedback_label.setFont(scaled_font(1.15))
        self.feedback_label.setTextFormat(Qt.TextFormat.PlainText)
        grid = QGridLayout()
        self.attempt_view = SkeletonView(right)
        self.attempt_view.set_mirror(self.settings.mirror)
        self.compare_view = SkeletonView(right)  # the reference again, beside the attempt
        self.compare_view.set_mirror(self.settings.mirror)
        self.compare_caption = QLabel(REFERENCE, right)
        for col, (caption, view) in enumerate(((QLabel(YOUR_ATTEMPT, right), self.attempt_view),
                                               (self.compare_caption, self.compare_view))):
            grid.addWidget(caption, 0, col)
            grid.addWidget(view, 1, col)
        bottom = QHBoxLayout()
        self.score_label = QLabel(right)
        self.score_label.setFont(scaled_font(1.2, bold=True))
        self.summary_button = QPushButton("Summary", right)
        self.summary_button.clicked.connect(self.show_summary)
        bottom.addWidget(self.score_label, 1)
        bottom.addWidget(self.summary_button)
        box.addWidget(self.problem_label)
        box.addWidget(self.video, 4)
        for widget in (self.hint_label, self.verdict_label, self.standing_label, self.feedback_label):
            box.addWidget(widget)
        box.addLayout(grid, 2)
        box.addLayout(bottom)
        self._show_score()
        return right

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
            self.target_list.clear()
            self._set_state(PracticeState.NO_MODEL)
            return
        recognizer = self.session.recognizer
        self.practice = PracticeSession(labels, self._reference_for, None, model=getattr(recognizer, "name", ""),
                                        categories=self._categories(labels), threshold=self.settings.threshold,
                                        left_handed=self.settings.left_handed)
        if old is not None:
            for name in ("attempts", "correct", "streak", "best_streak"):
                setattr(self.practice, name, getattr(old, name))
        keep = sign_key(old.current) if old is not None and old.current is not None else self.settings.practice_target
        self._fill_categories()
        self.practice.choose(labels)
        self._show_targets(keep)

    @staticmethod
    def _categories(labels: list[Label]) -> dict[str, str]:
        """Sign key → category, where the labels carry one (today's models do not)."""
        return {sign_key(lab): lab.category for lab in labels if getattr(lab, "category", "")}

    def _fill_categories(self) -> None:
        names = sorted(set(self.practice.categories.values()))
        self.category_combo.clear()
        self.category_combo.addItem(ALL_CATEGORIES, "")
        for name in names:
            self.category_combo.addItem(name, name)
        self.category_combo.setVisible(bool(names))

    def _show_targets(self, keep: str | None = None) -> None:
        """List the session's targets and select ``keep`` (a sign key; default the sign picked last) or the first."""
        keep = self.settings.practice_target if keep is None else keep
        targets = self.practice.targets if self.practice is not None else []
        self.target_list.blockSignals(True)
        self.target_list.clear()
        for label in targets:
            self.target_list.addItem(label.display)
        self.target_list.blockSignals(False)
        row = next((i for i, lab in enumerate(targets) if sign_key(lab) == keep), 0)
        if targets:
            self.target_list.setCurrentRow(row)
            self._row_picked(row)
        else:
            self._show_target(None)

    # --- choosing targets (from the user) ------------------------------------------------------

    def search(self, text: str) -> None:
        if self.practice is None:
            return
        if text.strip():
            self.practice.search(text)
        else:
            self.practice.choose(self.practice.labels)
        self._show_targets()

    def show_all(self) -> None:
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.search("")

    def _category_picked(self) -> None:
        name = self.category_combo.currentData()
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
            self.hint_label.setText(NOTHING_DUE)

    def select(self, key: str) -> bool:
        """Practise the sign with this id (or name) next; False when the list does not hold it."""
        targets = self.practice.targets if self.practice is not None else []
        row = next((i for i, lab in enumerate(targets) if key in (sign_key(lab), lab.name)), None)
        if row is None:
            return False
        self.target_list.setCurrentRow(row)
        return True

    def next_target(self) -> None:
        if self.practice is not None and self.practice.targets:
            self.target_list.setCurrentRow((self.practice.index + 1) % len(self.practice.targets))

    @Slot(int)
    def _row_picked(self, row: int) -> None:
        if self.practice is None or not 0 <= row < len(self.practice.targets):
            return
        self.practice.index = row
        self._show_target(self.practice.current)

    def _show_target(self, label: Label | None) -> None:
        self.name_label.setText(label.name if label else "")
        self.gloss_label.setText(label.gloss if label and label.gloss != label.name else "")
        self.gloss_label.setToolTip(f"Sign id {label.id}" if label and label.id else "")
        self._clear_attempt()
        if label is None:
            self._show_reference(None, "")
            self._set_state(PracticeState.NO_TARGET if self.practice is not None else PracticeState.NO_MODEL)
            return
        self.settings.practice_target = sign_key(label)
        self._set_state(PracticeState.WAITING)
        key = sign_key(label)
        if key in self._refs:
            self._show_reference(self._refs[key], NO_REFERENCE)
            return
        self._show_reference(None, "…")
        session = self.session
        self.session.run_in_background(lambda: find_reference(session, label),
                                       lambda ref, error: self._on_reference(key, ref), owner=self)

    def _on_reference(self, key: str, ref: Any) -> None:
        self._refs[key] = ref
        current = self.practice.current if self.practice is not None else None
        if current is not None and sign_key(current) == key:
            self._show_reference(ref, NO_REFERENCE)

    def _reference_for(self, label: Label) -> tuple[NDArray, float] | None:
        return self._refs.get(sign_key(label))

    def _show_reference(self, ref: Any, placeholder: str) -> None:
        for view in (self.reference_view, self.compare_view):
            view.set_placeholder(placeholder)
            view.set_take(*ref) if ref is not None else view.set_take(None)
        for widget in (self.compare_view, self.compare_caption):  # said once, on the left, when missing
            widget.setVisible(ref is not None)

    def set_reference_speed(self, speed: float) -> None:
        self.reference_view.set_speed(speed)
        for button in self.speed_group.buttons():
            button.setChecked(button.text() == f"{speed:g}×")

    def set_reference_mirror(self, on: bool) -> None:
        for view in (self.reference_view, self.compare_view, self.attempt_view):
            view.set_mirror(on)

    def set_left_handed(self, on: bool) -> None:
        self.settings.left_handed = on
        if self.practice is not None:
            self.practice.left_handed = on

    # --- attempts ----------------------------------------------------------------------------

    @Slot(object)
    def _on_attempt(self, result: AttemptResult) -> None:
        """Score a finished attempt at the current target (only while this view is shown)."""
        if not self.isVisible() or self.practice is None or self.practice.current is None:
            return
        target = self.practice.current
        scored = self.practice.score(result)
        self.show_scored(scored, result)
        self._record(target, scored)

    def show_scored(self, scored: Scored, result: AttemptResult) -> None:
        """Verdict, standing, feedback, the attempt's skeleton and the score."""
        v = scored.verdict
        self.last = scored
        self._set_state(PracticeState.CORRECT if v.correct else PracticeState.WRONG)
        self.verdict_label.setText(verdict_text(v.correct, v.predicted.display))
        color = CONFIDENT if v.correct else ALERT
        self.verdict_label.setStyleSheet(f"color: {color.name()};")
        self.standing_label.setText(standing_text(v.target_confidence, v.target_rank, len(result.prediction.top)))
        self.feedback_label.setText("\n".join(f"• {line}" for line in scored.lines))
        raw = result.attempt.raw
        if raw is not None and len(raw):
            from signdesk.practice.session import attempt_fps

            self.attempt_view.set_take(raw, attempt_fps(result))
        self._show_score()
        self.scored.emit(scored)

    def _clear_attempt(self) -> None:
        self.last = None
        for label in (self.verdict_label, self.standing_label, self.feedback_label):
            label.clear()
        self.attempt_view.set_take(None)

    def _show_score(self) -> None:
        p = self.practice
        self.score_label.setText(score_text(p.correct, p.attempts, p.streak) if p is not None else "")

    def _set_state(self, state: PracticeState) -> None:
        self.state = state
        self.hint_label.setText(state.hint)

    # --- the progress store (background) --------------------------------------------------------

    def _on_store_opened(self, store: ProgressStore | None, error: BaseException | None) -> None:
        if error is not None or store is None:
            self._store_failed = True
            self._show_problem(PROGRESS_FAILED.format(why=error))
            return
        self.store = store
        if store.problem:
            self._show_problem(progress_problem(store.problem))
        pending, self._pending = self._pending, []
        for target, scored in pending:
            self._record(target, scored)

    def _show_problem(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problem_label.show()

    def _record(self, target: Label, scored: Scored) -> None:
        store, v = self.store, scored.verdict
        if store is None:
            if not self._store_failed:
                self._pending.append((target, scored))
            return
        model = self.practice.model if self.practice is not None else ""

        def write() -> None:
            store.record(sign_key(target), target.name, v.correct, v.target_confidence, model=model,
                         rank=v.target_rank, predicted=v.predicted.name, feedback=scored.lines)

        def done(_: object, error: BaseException | None) -> None:
            if error is not None:
                self._show_problem(PROGRESS_FAILED.format(why=error))
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
        box = QMessageBox(QMessageBox.Icon.Information, "Practice summary",
                          practice_summary_text(summary.attempts, summary.correct, summary.best_streak,
                                                summary.mastered, summary.to_review),
                          QMessageBox.StandardButton.Ok, self)
        box.open()
        self.summary_box = box
        self.summary_shown.emit(summary)

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
            self.video.clear(f"Opening {self.session.spec.label}…")

    def set_picture(self, on: bool) -> None:
        self.video.set_state(picture=on)

    def set_mirror(self, on: bool) -> None:
        self.video.set_state(mirror=on)

"""The practice view's attempt panel: the invitation, each attempt's verdict and feedback, the score.

Before the first attempt at a sign it only invites ("Sign *X* when ready"); the verdict, the
target's standing, the feedback sentences and the attempt's skeleton fill in once an attempt
is scored, and clear again when the target changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from signdesk.gui.feedback_text import feedback_lines
from signdesk.gui.i18n import tr
from signdesk.gui.skeleton import SkeletonView
from signdesk.gui.states import (
    REFERENCE,
    YOUR_ATTEMPT,
    PracticeState,
    practice_invite,
    score_text,
    standing_text,
    verdict_text,
)
from signdesk.gui.style import ALERT, CONFIDENT, scaled_font
from signdesk.practice.feedback import summary_items

if TYPE_CHECKING:  # pragma: no cover
    from signdesk.pipeline import AttemptResult
    from signdesk.practice.session import PracticeSession, Scored
    from signdesk.recognizer import Label


class AttemptPanel(QWidget):
    """Hint or invitation, verdict, standing, feedback, attempt beside reference, score."""

    summary_wanted = Signal()
    progress_wanted = Signal()

    def __init__(self, mirror: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scored = False  # an attempt is shown
        self._has_reference = False
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.hint_label = QLabel(self)
        self.hint_label.setWordWrap(True)
        self.hint_label.setFont(scaled_font(1.4))
        self.hint_label.setTextFormat(Qt.TextFormat.RichText)
        self.verdict_label = QLabel(self)
        self.verdict_label.setFont(scaled_font(2.4, bold=True))
        self.verdict_label.setWordWrap(True)
        self.standing_label = QLabel(self)
        self.feedback_label = QLabel(self)
        self.feedback_label.setWordWrap(True)
        self.feedback_label.setFont(scaled_font(1.15))
        self.feedback_label.setTextFormat(Qt.TextFormat.PlainText)
        grid = QGridLayout()
        self.attempt_view = SkeletonView(self)
        self.compare_view = SkeletonView(self)  # the reference again, beside the attempt
        for view in (self.attempt_view, self.compare_view):
            view.set_mirror(mirror)
        self.attempt_caption = QLabel(tr(YOUR_ATTEMPT), self)
        self.compare_caption = QLabel(tr(REFERENCE), self)
        for col, (caption, view) in enumerate(((self.attempt_caption, self.attempt_view),
                                               (self.compare_caption, self.compare_view))):
            grid.addWidget(caption, 0, col)
            grid.addWidget(view, 1, col)
        bottom = QHBoxLayout()
        self.score_label = QLabel(self)
        self.score_label.setFont(scaled_font(1.2, bold=True))
        self.progress_button = QPushButton(tr("Progress…"), self)
        self.progress_button.setToolTip(tr("Your practice over the days, sign by sign, and export as CSV"))
        self.progress_button.clicked.connect(self.progress_wanted)
        self.summary_button = QPushButton(tr("Summary"), self)
        self.summary_button.clicked.connect(self.summary_wanted)
        bottom.addWidget(self.score_label, 1)
        bottom.addWidget(self.progress_button)
        bottom.addWidget(self.summary_button)
        for widget in (self.hint_label, self.verdict_label, self.standing_label, self.feedback_label):
            box.addWidget(widget)
        box.addLayout(grid, 1)
        box.addLayout(bottom)

    def show_state(self, state: PracticeState, target: Label | None) -> None:
        """The hint for ``state``; while waiting for an attempt at ``target``, the invitation."""
        if state is PracticeState.WAITING and target is not None:
            self.hint_label.setText(practice_invite(target.name))
        else:
            self.hint_label.setText(state.hint)
        self.hint_label.setVisible(bool(self.hint_label.text()))
        self._scored = state in (PracticeState.CORRECT, PracticeState.WRONG)
        self._show_skeletons()

    def show_scored(self, scored: Scored, result: AttemptResult) -> None:
        """Verdict, standing, feedback and the attempt's skeleton."""
        v = scored.verdict
        self.verdict_label.setText(verdict_text(v.correct, v.predicted.display))
        self.verdict_label.setStyleSheet(f"color: {(CONFIDENT if v.correct else ALERT).name()};")
        self.standing_label.setText(standing_text(v.target_confidence, v.target_rank, len(result.prediction.top)))
        # the same sentences as scored.lines (stored in the history in English), in the interface language
        items = summary_items(scored.feedback) if scored.has_reference else scored.feedback
        self.feedback_label.setText("\n".join(f"• {line}" for line in feedback_lines(items)))
        raw = result.attempt.raw
        if raw is not None and len(raw):
            self.attempt_view.set_take(raw, result.attempt.fps())

    def clear(self) -> None:
        """No attempt yet: nothing in the verdict area."""
        for label in (self.verdict_label, self.standing_label, self.feedback_label):
            label.clear()
        self.attempt_view.set_take(None)

    def show_reference(self, ref: Any, placeholder: str) -> None:
        """The reference beside the attempt, or nothing (the left side says when there is none)."""
        self.compare_view.set_placeholder(placeholder)
        self.compare_view.set_take(*ref) if ref is not None else self.compare_view.set_take(None)
        self._has_reference = ref is not None
        self._show_skeletons()

    def _show_skeletons(self) -> None:
        """The attempt beside the reference once there is an attempt (the reference only if there is one)."""
        for widget in (self.attempt_caption, self.attempt_view):
            widget.setVisible(self._scored)
        for widget in (self.compare_caption, self.compare_view):
            widget.setVisible(self._scored and self._has_reference)

    def show_score(self, practice: PracticeSession | None) -> None:
        """The session's score and streak, once there is an attempt."""
        p = practice
        self.score_label.setText(score_text(p.correct, p.attempts, p.streak) if p is not None and p.attempts else "")

    def set_mirror(self, on: bool) -> None:
        for view in (self.attempt_view, self.compare_view):
            view.set_mirror(on)

"""Class practice: the sign to make is on the big screen; whoever signs gets the verdict there.

The verdict is the practice mode's own (:func:`signdesk.practice.verdict.verdict_of_prediction`:
the target must be the top sign at :data:`~signdesk.practice.verdict.CORRECT_THRESHOLD` or more),
shown in words a class reads from the back: right or not, the target's confidence and what the
attempt was taken for. The class score counts every attempt at any sign of the round.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from signdesk.gui.i18n import QT_TR_NOOP, tr
from signdesk.gui.video_view import VideoView
from signdesk.practice.verdict import Verdict, verdict_of_prediction

if TYPE_CHECKING:  # pragma: no cover
    from signdesk.pipeline import AttemptResult
    from signdesk.recognizer import Label

RIGHT = QColor(90, 225, 120)
WRONG = QColor(255, 120, 95)
WAITING = QColor(175, 175, 180)
YOUR_TURN = QT_TR_NOOP("Your turn: sign it!")


@dataclass
class ClassScore:
    """The class's running score over a round of class practice."""

    attempts: int = 0
    correct: int = 0

    def add(self, verdict: Verdict) -> None:
        self.attempts += 1
        self.correct += int(verdict.correct)

    def text(self) -> str:
        return tr("Class score %1 / %2", self.correct, self.attempts)


def judge(result: AttemptResult, target: Label) -> Verdict:
    """The verdict on one attempt at ``target``, exactly as the practice view gives it."""
    return verdict_of_prediction(result.prediction, target)


def verdict_lines(v: Verdict, ranked: int) -> tuple[str, str]:
    """The headline and the line under it, for the big screen (the sign's name is already above them).

    The line starts with English words so it reads left to right even around a right-to-left sign
    name; ``ranked`` is how many signs the attempt's ranking held.
    """
    if v.correct:
        return tr("✓ Correct!"), tr("Confidence %1", format(v.target_confidence, ".0%"))
    taken = tr("Taken for %1, %2", v.predicted.display, format(v.predicted_confidence, ".0%"))
    if v.target_rank is None:
        return tr("✗ Not quite"), taken + "\n" + tr("This sign: not in the top %1", ranked)
    this = tr("This sign: %1, ranked #%2", format(v.target_confidence, ".0%"), v.target_rank)
    return tr("✗ Not quite"), taken + "\n" + this


class PracticePanel(QWidget):
    """The class's camera picture (or skeleton) beside the verdict and the class score."""

    def __init__(self, video: VideoView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.video = video
        self.verdict: Verdict | None = None
        self.score = ClassScore()
        self.headline = self._label(WAITING, bold=True)
        self.detail = self._label(WAITING)
        self.score_label = self._label(QColor(255, 255, 255), bold=True)
        column = QVBoxLayout()
        column.addStretch(1)
        column.addWidget(self.headline)
        column.addWidget(self.detail)
        column.addStretch(1)
        column.addWidget(self.score_label)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(video, 3)
        row.addLayout(column, 3)
        self.show_waiting()

    def _label(self, color: QColor, bold: bool = False) -> QLabel:
        label = QLabel(self)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        label.setProperty("bold", bold)
        self._color(label, color)
        return label

    @staticmethod
    def _color(label: QLabel, color: QColor) -> None:
        label.setStyleSheet(f"color: {color.name()}; background: transparent;")

    def show_waiting(self) -> None:
        """A new sign: no verdict yet."""
        self.verdict = None
        self.headline.setText(tr(YOUR_TURN))
        self._color(self.headline, WAITING)
        self.detail.setText("")
        self.score_label.setText(self.score.text())

    def show_verdict(self, v: Verdict, ranked: int) -> None:
        """Count the attempt and put its verdict on screen (``ranked``: signs in the attempt's ranking)."""
        self.verdict = v
        self.score.add(v)
        headline, detail = verdict_lines(v, ranked)
        self.headline.setText(headline)
        self.detail.setText(detail)
        self._color(self.headline, RIGHT if v.correct else WRONG)
        self._color(self.detail, QColor(235, 235, 235))
        self.score_label.setText(self.score.text())

    def reset_score(self) -> None:
        self.score = ClassScore()
        self.show_waiting()

    def fit(self, height: int, base: QFont) -> None:
        """Fonts as shares of the presenter's height: the verdict reads from the back of a room."""
        for label, share in ((self.headline, 0.085), (self.detail, 0.04), (self.score_label, 0.045)):
            font = QFont(base)
            font.setPixelSize(max(12, int(height * share)))
            font.setBold(bool(label.property("bold")))
            label.setFont(font)

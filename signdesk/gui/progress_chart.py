"""A small chart of practice over days, drawn with QPainter (no plotting library in the bundle).

Bars are the accuracy of each day with attempts (left axis, 0-100 %), the line is how many signs
were mastered by the end of that day (right axis). Text and grid take the palette's colours, so
the chart reads in the light and the dark theme; the two series keep accent colours that read
on both.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from signdesk.gui.i18n import QT_TR_NOOP, tr
from signdesk.gui.style import CONFIDENT, blend, is_dark, muted
from signdesk.practice.overview import DayPoint

#: Days shown at most (the latest ones): more bars than this get too thin to read.
MAX_DAYS = 30
#: The mastered-signs line: a blue that reads on light and dark backgrounds.
MASTERED_COLOR = QColor(64, 140, 255)
ACCURACY_COLOR = CONFIDENT
ACCURACY_TITLE = QT_TR_NOOP("Accuracy per day")
MASTERED_TITLE = QT_TR_NOOP("Signs mastered")


def day_text(point: DayPoint) -> str:
    """A short date that needs no locale: "3 Dec"."""
    return f"{point.day.day} {point.day.strftime('%b')}"


def _nice_top(value: int) -> tuple[int, int]:
    """The right axis' top and step for counts up to ``value`` (whole signs, about four steps)."""
    step = max(1, math.ceil(value / 4))
    return max(step, step * math.ceil(value / step)), step


class ProgressChart(QWidget):
    """Accuracy per day (bars) and signs mastered so far (line), with axes, titles and dates."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: list[DayPoint] = []
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_days(self, days: Sequence[DayPoint]) -> None:
        """Show these days (only the latest :data:`MAX_DAYS`)."""
        self.days = list(days)[-MAX_DAYS:]
        first_last = tr("%1 to %2", day_text(self.days[0]), day_text(self.days[-1])) if self.days else tr("no days")
        self.setAccessibleName(tr("Practice chart, %1 days, %2", len(self.days), first_last))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.days:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        palette = self.palette()
        text, soft = palette.color(QPalette.ColorRole.WindowText), muted(palette)
        fm = QFontMetrics(self.font())
        line = fm.height()
        top_max, step = _nice_top(max(p.mastered for p in self.days))
        left = fm.horizontalAdvance("100%") + 10
        right = fm.horizontalAdvance(str(top_max)) + 12
        plot = QRectF(left, line * 2 + 4, self.width() - left - right, self.height() - line * 4 - 16)
        if plot.width() < 40 or plot.height() < 40:
            return

        # titles, each in its series' colour, over its axis
        painter.setPen(ACCURACY_COLOR.lighter(120) if is_dark(palette) else ACCURACY_COLOR.darker(115))
        painter.drawText(QRectF(0, 0, self.width() / 2, line + 4), Qt.AlignmentFlag.AlignLeft,
                         "▮ " + tr(ACCURACY_TITLE))
        painter.setPen(MASTERED_COLOR)
        painter.drawText(QRectF(self.width() / 2, 0, self.width() / 2, line + 4), Qt.AlignmentFlag.AlignRight,
                         tr(MASTERED_TITLE) + " ●")

        # grid and the left axis (accuracy)
        for pct in (0, 25, 50, 75, 100):
            y = plot.bottom() - plot.height() * pct / 100
            painter.setPen(QPen(blend(palette, 0.35 if pct == 0 else 0.12), 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(soft)
            painter.drawText(QRectF(0, y - line / 2, left - 6, line), Qt.AlignmentFlag.AlignRight, f"{pct}%")
        # the right axis (signs mastered)
        for value in range(0, top_max + 1, step):
            y = plot.bottom() - plot.height() * value / top_max
            painter.drawText(QRectF(plot.right() + 6, y - line / 2, right - 6, line), Qt.AlignmentFlag.AlignLeft,
                             str(value))

        slot = plot.width() / len(self.days)
        bar = min(slot * 0.6, 48.0)
        small = QFontMetrics(painter.font())
        count_fits = bar >= small.horizontalAdvance("999") + 2
        label_every = max(1, math.ceil((fm.horizontalAdvance("30 Sep") + 10) / slot))
        points = []
        for i, p in enumerate(self.days):
            x = plot.left() + slot * (i + 0.5)
            height = plot.height() * p.accuracy
            painter.fillRect(QRectF(x - bar / 2, plot.bottom() - height, bar, height), ACCURACY_COLOR)
            if count_fits:  # how many attempts the day's accuracy is of, over its bar
                painter.setPen(soft)
                painter.drawText(QRectF(x - slot / 2, plot.bottom() - height - line, slot, line),
                                 Qt.AlignmentFlag.AlignHCenter, str(p.attempts))
            if (len(self.days) - 1 - i) % label_every == 0:  # the latest day always has its date
                painter.setPen(text)
                painter.drawText(QRectF(x - slot * label_every / 2, plot.bottom() + 4, slot * label_every, line),
                                 Qt.AlignmentFlag.AlignHCenter, day_text(p))
            points.append(QPointF(x, plot.bottom() - plot.height() * p.mastered / top_max))

        painter.setPen(QPen(MASTERED_COLOR, 2.5))
        painter.drawPolyline(points)
        painter.setBrush(MASTERED_COLOR)
        for point in points:
            painter.drawEllipse(point, 3.5, 3.5)
        painter.setPen(soft)
        caption = (tr("Bars: share of the day's attempts recognized (attempts over each bar) · Line: signs mastered "
                      "at the end of the day") if count_fits else
                   tr("Bars: share of the day's attempts recognized · Line: signs mastered at the end of the day"))
        painter.drawText(QRectF(0, self.height() - line - 2, self.width(), line), Qt.AlignmentFlag.AlignHCenter,
                         caption)


"""Python's cycle collector runs on the UI thread only.

CPython collects reference cycles in whichever thread crosses the allocation threshold; in
signdesk that is usually a worker (capture, analysis and background jobs allocate on every
frame). A cycle that holds a Qt object then destroys it there, and ``~QObject`` takes Qt's
connection lock and then waits for the GIL, while the UI thread, holding the GIL, waits for
that lock to connect a signal: the app hangs (seen in a test run: a window under construction
stuck in ``QComboBox::setModel`` while a background job's collection sat in ``~QObject``).
So automatic collection is switched off and a UI-thread timer runs it by CPython's own
thresholds, the approach calibre, pyqtgraph and novelWriter take.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

#: How often the UI thread checks whether a collection is due.
INTERVAL_MS = 500


class UiThreadCollector(QObject):
    """Disables automatic collection and collects, when due, from the thread it lives in."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    @staticmethod
    def collect_due() -> int:
        """Collect the oldest generation whose count passed its threshold, as CPython would."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if thresholds[generation] and counts[generation] > thresholds[generation]:
                return gc.collect(generation)
        return 0

    def stop(self) -> None:
        """Back to automatic collection (after a final one here)."""
        self._timer.stop()
        gc.collect()
        gc.enable()


_installed: UiThreadCollector | None = None


def install(app: QObject) -> UiThreadCollector:
    """Run collection on ``app``'s (the UI) thread from now on; idempotent."""
    global _installed
    if _installed is None:
        _installed = UiThreadCollector(app)
    return _installed

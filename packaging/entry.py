"""Entry point of the PyInstaller bundle: the same ``signdesk`` command as a pip install.

Cold-start measurement (packaging/README.md): with ``SIGNDESK_MEASURE_START`` set to the launch
moment in seconds since the epoch (``SIGNDESK_MEASURE_START=$(date +%s.%N) signdesk --source
clip.mp4``), the app prints how long after that moment the first video frame was painted in the
window, then closes. The same script runs from a source checkout (``python packaging/entry.py``),
so the bundle and a venv are measured the same way.
"""

import multiprocessing
import os
import sys

MEASURE_ENV = "SIGNDESK_MEASURE_START"


def measure_first_frame(launched: float) -> None:
    """Report the first paint of the video view after the first frame arrived, then close.

    The same definition as ``signdesk bench --ui`` (signdesk.gui.measure): a paint event of
    ``window.view`` once the session has delivered a picture.
    """
    import time

    from PySide6.QtCore import QEvent, QObject, QTimer

    from signdesk.gui.main_window import MainWindow

    original_start = MainWindow.start

    class FirstFrame(QObject):
        def __init__(self, window: MainWindow) -> None:
            super().__init__(window)
            self.window = window
            self.arrived = False
            self.done = False

        def picture(self, _packet: object) -> None:
            self.arrived = True

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if self.arrived and not self.done and event.type() == QEvent.Type.Paint:
                self.done = True
                print(f"signdesk: first frame painted {time.time() - launched:.2f} s after launch",
                      file=sys.stderr, flush=True)
                QTimer.singleShot(0, self.window.close)
            return False

    def start(self: MainWindow, source: str | None = None) -> None:
        clock = FirstFrame(self)
        self.session.picture.connect(clock.picture)
        self.view.installEventFilter(clock)
        original_start(self, source)

    MainWindow.start = start


if __name__ == "__main__":
    multiprocessing.freeze_support()
    if os.environ.get(MEASURE_ENV):
        measure_first_frame(float(os.environ[MEASURE_ENV]))
    from signdesk.cli import main

    sys.exit(main())

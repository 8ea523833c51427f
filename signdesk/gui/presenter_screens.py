"""Which screen the presenter goes full screen on, and the console that keeps its controls on the laptop.

A class sees the projector, the teacher the laptop: with a second screen attached, the
presenter goes full screen there and its control strip moves to a small console window on the
primary screen, so nothing but the sign shows on the projector. With one screen the presenter
stays on it and the strip stays at the bottom of the view.

The screen list is a function (``QGuiApplication.screens`` by default) so tests can hand in
two screens where the offscreen platform has one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from signdesk.gui.i18n import tr


class ScreenLike(Protocol):
    """What the presenter needs of a screen (QScreen has it; a test's fake too)."""

    def geometry(self) -> QRect: ...

    def name(self) -> str: ...


ScreenList = Callable[[], Sequence[ScreenLike]]


def qt_screens() -> list[ScreenLike]:
    """The attached screens, the primary one first (QGuiApplication lists it first on most platforms)."""
    screens = list(QGuiApplication.screens())
    primary = QGuiApplication.primaryScreen()
    if primary in screens:
        screens.remove(primary)
        screens.insert(0, primary)
    return screens


def choose_screen(screens: Sequence[ScreenLike], wanted: int | None = None) -> int:
    """The index of the screen to present on: ``wanted`` when it exists, else the second screen
    when one is attached (the projector), else the first (primary)."""
    if wanted is not None and 0 <= wanted < len(screens):
        return wanted
    return 1 if len(screens) >= 2 else 0


def place_full_screen(window: QWidget, screen: ScreenLike) -> None:
    """Put ``window`` on ``screen`` and make it full screen there.

    The window is moved onto the screen's geometry first: window managers (and Qt on X11)
    make a window full screen on the screen it is on.
    """
    if window.isFullScreen():
        window.showNormal()
    handle = window.windowHandle()
    if handle is not None and isinstance(screen, QScreen):
        handle.setScreen(screen)
    window.setGeometry(screen.geometry())
    window.showFullScreen()


def screen_names(screens: Sequence[ScreenLike]) -> list[str]:
    """Names to offer, e.g. "1: eDP-1 (this screen)", "2: HDMI-1 (projector)"."""
    names = []
    for i, screen in enumerate(screens):
        role = " (laptop)" if i == 0 and len(screens) > 1 else " (projector)" if i == 1 else ""
        names.append(f"{i + 1}: {screen.name() or 'screen'}{role}")
    return names


class ControlConsole(QWidget):
    """A small window on the laptop screen holding the presenter's control strip.

    Keys pressed here go to the presenter (``key_pressed``), so the teacher can drive the
    class screen from the laptop without touching the projector's window.
    """

    key_pressed = Signal(object)  # QKeyEvent
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(tr("signdesk · presenter controls"))
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(8, 8, 8, 8)

    def hold(self, strip: QWidget, screen: ScreenLike) -> None:
        """Take ``strip`` and show near the bottom of ``screen``."""
        self.box.addWidget(strip)
        strip.show()
        area = screen.geometry()
        width = min(area.width() - 40, max(900, strip.sizeHint().width() + 16))
        height = strip.sizeHint().height() + 16
        self.setGeometry(area.left() + (area.width() - width) // 2, area.bottom() - height - 80, width, height)
        self.show()
        self.raise_()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.key_pressed.emit(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)


class StripPlacement:
    """Where the presenter's control strip lives: under the view, or in a console on the laptop screen."""

    def __init__(self, view: QWidget, strip: QWidget, home: QBoxLayout, screens: ScreenList,
                 on_key: Callable[[QKeyEvent], object]) -> None:
        self.view = view
        self.strip = strip
        self.home = home
        self.screens = screens
        self.on_key = on_key
        self.screen_index = 0
        self.hidden = False
        self.console: ControlConsole | None = None
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenAdded.connect(self.refresh)
            app.screenRemoved.connect(self.refresh)

    def refresh(self, *_: object) -> None:
        """Offer the screens attached now in the strip."""
        screens = list(self.screens())
        self.screen_index = min(self.screen_index, max(0, len(screens) - 1))
        self.strip.set_screens(screen_names(screens), self.screen_index)

    def present_on(self, index: int | None = None) -> int:
        """The view's window full screen on screen ``index`` (None: see :func:`choose_screen`)."""
        screens = list(self.screens())
        if not screens:
            return -1
        self.screen_index = choose_screen(screens, index)
        place_full_screen(self.view.window(), screens[self.screen_index])
        if self.screen_index > 0:
            if self.console is None:
                self.console = ControlConsole(self.view)
                self.console.key_pressed.connect(self.on_key)
                self.console.closed.connect(self.dock)
            self.console.hold(self.strip, screens[0])
        else:
            self.dock()
        self.strip.set_screens(screen_names(screens), self.screen_index)
        return self.screen_index

    def next_screen(self) -> int:
        """O: present on the next screen, round to the first."""
        count = len(self.screens())
        return self.present_on((self.screen_index + 1) % count if count else None)

    def dock(self) -> None:
        """The strip back under the view (one screen, or leaving the presenter)."""
        if self.strip.parent() is not self.view:
            self.home.addWidget(self.strip)
        if self.console is not None:
            self.console.hide()
        self.strip.setVisible(not self.hidden)

    def leave(self) -> None:
        """The presenter was left: the strip back home, and the window back on the laptop screen
        (once the main window has left full screen), where the teacher is."""
        self.dock()
        screens = list(self.screens())
        if self.screen_index > 0 and screens:
            self.screen_index = 0
            QTimer.singleShot(0, lambda: self._move_home(screens[0]))

    def _move_home(self, screen: ScreenLike) -> None:
        window = self.view.window()
        handle = window.windowHandle()
        if handle is not None and isinstance(screen, QScreen):
            handle.setScreen(screen)
        window.move(screen.geometry().topLeft() + QPoint(40, 40))

    @property
    def on_console(self) -> bool:
        return self.console is not None and self.console.isVisible() and self.strip.parent() is self.console

    def toggle(self) -> None:
        """H: hide or show the strip under the view (the console's stays)."""
        self.hidden = not self.hidden
        if not self.on_console:
            self.strip.setVisible(not self.hidden)

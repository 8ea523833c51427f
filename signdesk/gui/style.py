"""Look-and-feel helpers: text direction, font scaling, theme colours.

Sizes are multiples of the system font, so text follows the user's font-size setting; the
window multiplies them further by the user's text zoom and, on big windows (a projector),
by the available width.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QLabel, QWidget


def is_rtl(text: str) -> bool:
    """True if the first strongly directional character is right-to-left (Arabic, Hebrew)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def set_directional_text(label: QLabel, text: str, centered: bool = False) -> None:
    """Show ``text`` with the alignment and layout direction its script needs."""
    rtl = is_rtl(text)
    label.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
    horizontal = Qt.AlignmentFlag.AlignHCenter if centered else (
        Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
    label.setAlignment(horizontal | Qt.AlignmentFlag.AlignVCenter)
    label.setText(text)


def base_point_size() -> float:
    size = QGuiApplication.font().pointSizeF()
    return size if size > 0 else 10.0


def scaled_font(factor: float, bold: bool = False) -> QFont:
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(base_point_size() * factor)
    font.setBold(bold)
    return font


def set_font(widget: QWidget, factor: float, bold: bool = False) -> None:
    widget.setFont(scaled_font(factor, bold))


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def blend(palette: QPalette, amount: float) -> QColor:
    """The background moved ``amount`` (0..1) of the way to the text colour; reads in both themes."""
    text = palette.color(QPalette.ColorRole.WindowText)
    back = palette.color(QPalette.ColorRole.Window)
    return QColor(*(round(b + (t - b) * amount) for t, b in zip(text.getRgb()[:3], back.getRgb()[:3])))


def muted(palette: QPalette) -> QColor:
    """Secondary text colour: the text colour halfway to the background."""
    return blend(palette, 0.5)


#: Accent colours that read on both light and dark backgrounds.
CONFIDENT = QColor(46, 160, 67)
UNSURE = QColor(210, 153, 34)
ALERT = QColor(218, 54, 51)

#: Overlay colours per body part (drawn on the camera image, whatever the theme).
POSE_COLOR = QColor(255, 255, 255, 220)
FACE_COLOR = QColor(120, 220, 255, 150)
RIGHT_HAND_COLOR = QColor(255, 166, 0)
LEFT_HAND_COLOR = QColor(80, 230, 120)


def dark_palette() -> QPalette:
    """A dark Fusion palette, for platforms that do not switch themes themselves."""
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: QColor(37, 37, 40),
        QPalette.ColorRole.WindowText: QColor(232, 232, 232),
        QPalette.ColorRole.Base: QColor(28, 28, 30),
        QPalette.ColorRole.AlternateBase: QColor(45, 45, 49),
        QPalette.ColorRole.ToolTipBase: QColor(50, 50, 54),
        QPalette.ColorRole.ToolTipText: QColor(232, 232, 232),
        QPalette.ColorRole.PlaceholderText: QColor(140, 140, 140),
        QPalette.ColorRole.Text: QColor(232, 232, 232),
        QPalette.ColorRole.Button: QColor(50, 50, 54),
        QPalette.ColorRole.ButtonText: QColor(232, 232, 232),
        QPalette.ColorRole.BrightText: QColor(255, 90, 90),
        QPalette.ColorRole.Link: QColor(88, 166, 255),
        QPalette.ColorRole.Highlight: QColor(31, 111, 235),
        QPalette.ColorRole.HighlightedText: QColor(255, 255, 255),
        QPalette.ColorRole.Light: QColor(70, 70, 75),
        QPalette.ColorRole.Midlight: QColor(60, 60, 64),
        QPalette.ColorRole.Mid: QColor(45, 45, 48),
        QPalette.ColorRole.Dark: QColor(25, 25, 27),
        QPalette.ColorRole.Shadow: QColor(0, 0, 0),
    }
    for role, color in roles.items():
        pal.setColor(role, color)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(120, 120, 120))
    return pal


def apply_theme(theme: str) -> None:
    """Follow the system ("system"), or force "light" or "dark".

    Platforms that can switch (Windows, macOS, GNOME/KDE) do it natively; where the platform
    ignores the request, the Fusion palette is set here instead.
    """
    app = QGuiApplication.instance()
    hints = QGuiApplication.styleHints()
    wanted = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(theme, Qt.ColorScheme.Unknown)
    hints.setColorScheme(wanted)
    dark = wanted == Qt.ColorScheme.Dark or (wanted == Qt.ColorScheme.Unknown
                                               and hints.colorScheme() == Qt.ColorScheme.Dark)
    if is_dark(app.palette()) != dark:
        app.setPalette(dark_palette() if dark else app.style().standardPalette())

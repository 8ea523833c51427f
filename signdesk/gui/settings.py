"""The window's settings, kept between runs with QSettings.

Values read back are checked and clamped: a hand-edited or stale settings file gives the
defaults, never a crash or an impossible state (a 300 % threshold, a stride of 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "signdesk"
APPLICATION = "signdesk"

#: Inference strides offered (run the model every K frames while signing).
STRIDES = (1, 2, 3, 5, 10)
#: Playback speeds offered for video files.
SPEEDS = (0.25, 0.5, 1.0)
THEMES = ("system", "light", "dark")


def open_settings() -> QSettings:
    """The app's settings store (an INI file in the user's config folder)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


@dataclass
class Settings:
    threshold: float = 0.5  # below it a prediction shows as "not sure"
    camera: int = 0  # OpenCV index of the last camera used
    resolution: str = "1280x720"
    mirror: bool = True
    overlay: bool = True
    picture: bool = True  # show the camera image (off: landmarks only, e.g. on a projector)
    stride: int = 5
    voice: bool = False
    text_zoom: float = 1.0
    speed: float = 1.0
    every_frame: bool = False
    theme: str = "system"
    left_handed: bool = False  # practice feedback compares the mirror image of the signing
    practice_target: str = ""  # id (or name) of the sign practised last, picked again next time
    model: str = ""  # bundled name or .onnx path chosen in the window; "" = the default
    last_folder: str = ""
    geometry: QByteArray = field(default_factory=QByteArray)
    splitter: QByteArray = field(default_factory=QByteArray)

    @classmethod
    def load(cls, store: QSettings) -> Settings:
        s = cls()
        for f in fields(cls):
            default = getattr(s, f.name)
            if not store.contains(f.name):
                continue
            try:
                value = store.value(f.name, default, type=type(default))
            except (TypeError, ValueError):
                continue
            if value is not None:
                setattr(s, f.name, value)
        s.threshold = _clamp(float(s.threshold), 0.0, 1.0)
        s.text_zoom = _clamp(float(s.text_zoom), 0.6, 3.0)
        if s.stride not in STRIDES:
            s.stride = cls.stride
        if s.speed not in SPEEDS:
            s.speed = cls.speed
        if s.theme not in THEMES:
            s.theme = cls.theme
        s.camera = max(s.camera, 0)
        return s

    def save(self, store: QSettings) -> None:
        for f in fields(self):
            store.setValue(f.name, getattr(self, f.name))
        store.sync()

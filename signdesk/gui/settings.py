"""The window's settings, kept between runs with QSettings.

Values read back are checked and clamped: a hand-edited, stale or damaged settings file
gives the defaults, never a crash or an impossible state (a 300 % threshold, a stride of 0,
a NaN threshold, camera number 10^29). Every value that could be read is kept, so saving
writes back what was valid; what was reset is listed in :attr:`Settings.problems`.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field, fields

from PySide6.QtCore import QByteArray, QSettings

from signdesk.recognizer import NOT_SURE_THRESHOLD

ORGANIZATION = "signdesk"
APPLICATION = "signdesk"

#: Inference strides offered (run the model every K frames while signing).
STRIDES = (1, 2, 3, 5, 10)
#: Playback speeds offered for video files.
SPEEDS = (0.25, 0.5, 1.0)
THEMES = ("system", "light", "dark")
#: Camera numbers beyond this are no camera (a damaged file, not a 65th webcam)
MAX_CAMERA = 63

log = logging.getLogger(__name__)


def open_settings() -> QSettings:
    """The app's settings store (an INI file in the user's config folder)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


@dataclass
class Settings:
    threshold: float = NOT_SURE_THRESHOLD  # below it a prediction shows as "not sure"
    camera: int = 0  # number of the last camera used (signdesk.capture.list_cameras)
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
    language: str = ""  # interface language code ("en", "ar"); "" = the system's
    welcomed: bool = False  # the first-run welcome was completed: never shown again by itself
    last_folder: str = ""
    geometry: QByteArray = field(default_factory=QByteArray)
    splitter: QByteArray = field(default_factory=QByteArray)
    #: what :meth:`load` could not use and reset to its default, one line each (not saved)
    problems: list[str] = field(default_factory=list, compare=False, metadata={"saved": False})

    @classmethod
    def load(cls, store: QSettings) -> Settings:
        s = cls()
        for f in _saved_fields():
            default = getattr(s, f.name)
            if not store.contains(f.name):
                continue
            try:
                value = store.value(f.name, default, type=type(default))
            except (TypeError, ValueError, OverflowError):
                value = None
            if value is None or (isinstance(value, float) and not math.isfinite(value)):
                s.problems.append(f"{f.name}: unreadable value, default used")
            else:
                setattr(s, f.name, value)
        s.threshold = _clamp(float(s.threshold), 0.0, 1.0)
        s.text_zoom = _clamp(float(s.text_zoom), 0.6, 3.0)
        for name, ok in (("stride", s.stride in STRIDES), ("speed", s.speed in SPEEDS), ("theme", s.theme in THEMES),
                         ("camera", 0 <= s.camera <= MAX_CAMERA)):
            if not ok:
                s.problems.append(f"{name}: {getattr(s, name)!r} is not possible, default used")
                setattr(s, name, getattr(cls, name))
        if store.status() == QSettings.Status.FormatError:
            s.problems.insert(0, "the file is damaged; what could be read is kept")
        if s.problems:
            log.warning("settings file %s: %s", store.fileName(), "; ".join(s.problems))
        return s

    def save(self, store: QSettings) -> None:
        for f in _saved_fields():
            store.setValue(f.name, getattr(self, f.name))
        store.sync()


def _saved_fields() -> list:
    """The fields kept in the settings file (not :attr:`Settings.problems`)."""
    return [f for f in fields(Settings) if f.metadata.get("saved", True)]

"""Placeholders for modules that a dependency imports at load time but signdesk never uses.

MediaPipe's package runs ``import matplotlib.pyplot as plt`` when it is imported
(``mediapipe.python.solutions.drawing_utils``), for a plotting helper signdesk never calls.
That import costs ~34 MB of memory and 1-2 s of every start, and the bundle leaves matplotlib
out altogether. :func:`defer_matplotlib` puts placeholders in ``sys.modules``: the first real
use of one (``signdesk evaluate``'s confusion matrix) imports the real module and hands it on;
where matplotlib is not installed (the bundle), that use raises ImportError, which callers
that can do without it already handle.

The same module imports OpenCV (``import cv2``) for drawing helpers signdesk never calls either.
Where OpenCV is not installed (the bundles, which capture through Qt Multimedia), ``cv2`` gets
a placeholder too, so MediaPipe still loads; any real use of it raises ImportError.
"""

from __future__ import annotations

import importlib
import sys
import types

#: the modules MediaPipe imports for nothing; a parent before its children
MATPLOTLIB = ("matplotlib", "matplotlib.pyplot")
OPENCV = "cv2"


class Placeholder(types.ModuleType):
    """Stands in for a module until one of its attributes is asked for."""

    def __getattr__(self, name: str) -> object:
        if name.startswith("__") and name != "__path__":  # __path__: importing a submodule of it
            raise AttributeError(name)
        try:
            real = _import_real(self.__name__)
        except ImportError as exc:
            raise ImportError(f"{self.__name__}.{name}: {self.__name__.partition('.')[0]} "
                              f"is not installed ({exc})") from exc
        return getattr(real, name)


def _import_real(name: str) -> types.ModuleType:
    for placeholder in (*MATPLOTLIB, OPENCV):
        if isinstance(sys.modules.get(placeholder), Placeholder):
            del sys.modules[placeholder]
    return importlib.import_module(name)


def defer_matplotlib() -> None:
    """Install the placeholders, unless matplotlib (or a placeholder) is already imported.

    OpenCV gets one only where it is not installed (see the module docstring).
    """
    from signdesk.capture import opencv_available

    if OPENCV not in sys.modules or sys.modules[OPENCV] is None:  # None: an import blocked on purpose
        if not opencv_available():
            sys.modules[OPENCV] = Placeholder(OPENCV)
    if MATPLOTLIB[0] in sys.modules:
        return
    parent, child = (Placeholder(name) for name in MATPLOTLIB)
    parent.pyplot = child  # what `import matplotlib.pyplot as plt` binds
    sys.modules.update({parent.__name__: parent, child.__name__: child})


def is_placeholder(module: object) -> bool:
    """True while ``module`` is a placeholder that nothing has used yet."""
    return isinstance(module, Placeholder) and sys.modules.get(module.__name__) is module

"""PyInstaller runtime hook: matplotlib is left out of the bundle, yet MediaPipe imports it.

``import mediapipe`` imports ``mediapipe.python.solutions.drawing_utils``, which runs
``import matplotlib.pyplot as plt`` at module level but uses ``plt`` only in
``plot_landmarks()``, which signdesk never calls. matplotlib (with its fonts, Pillow and
fontTools) adds about 60 MB to the bundle and 1-2 s to every start, so the spec excludes it and
this hook puts a placeholder in its place. Any real use of it raises ImportError, which callers
that can do without it already handle (``signdesk evaluate`` skips its confusion-matrix PNG).
"""

import importlib.util
import sys
import types


class _NotBundled(types.ModuleType):
    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        raise ImportError(f"{self.__name__}.{name}: matplotlib is not part of the signdesk bundle")


def _install() -> None:
    if "matplotlib" in sys.modules or importlib.util.find_spec("matplotlib") is not None:
        return  # the real one is there (a build that kept it): use it
    parent, pyplot = _NotBundled("matplotlib"), _NotBundled("matplotlib.pyplot")
    parent.__path__ = []  # a package, so that `import matplotlib.pyplot` resolves to the placeholder
    parent.pyplot = pyplot
    sys.modules["matplotlib"] = parent
    sys.modules["matplotlib.pyplot"] = pyplot


_install()

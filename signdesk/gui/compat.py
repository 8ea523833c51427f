"""Refuse, with a clear message, a PySide6 build that would crash the app.

PySide6 6.12.0's bindings drop one reference to ``None`` on every call of a Qt method that
returns nothing (``setText``, ``update``...). On Python 3.12+ ``None`` is immortal and nothing
happens; on 3.11 its count reaches zero after a few thousand calls and Python aborts with
"none_dealloc: deallocating None" within seconds of a live window. 6.11 does not have the bug,
and pyproject.toml pins ``PySide6-Essentials<6.12``; this check catches an environment that
got 6.12 some other way.
"""

from __future__ import annotations

import sys


class BrokenQtError(RuntimeError):
    """The installed PySide6 is known to crash this Python."""


def void_calls_drop_none(calls: int = 200) -> bool:
    """True if calling a void Qt method loses references to ``None`` (the 6.12 bug)."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(calls):
        probe.setObjectName("probe")
    return sys.getrefcount(None) <= before - calls // 2


def check_pyside() -> None:
    """Raise :class:`BrokenQtError` if this PySide6 would crash this interpreter."""
    if sys.version_info >= (3, 12) or not void_calls_drop_none():
        return
    from PySide6 import __version__

    raise BrokenQtError(
        f"PySide6 {__version__} crashes Python {sys.version.split()[0]} (it drops references to None); "
        "install a working version: pip install 'PySide6-Essentials<6.12' 'PySide6-Addons<6.12'"
    )

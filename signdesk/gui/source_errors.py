"""The camera and video errors of :mod:`signdesk.capture`, in the interface language.

capture.py is Qt-free (the CLI uses it) and words its errors in English; the window shows them
in the user's language by matching those sentences here, at display time. Each English pattern
below is the source text of its translation: ``%1``, ``%2`` stand for the parts that vary (a
camera number, a file path, a nested reason, which is translated in its turn). A message that
matches no pattern is shown as it is.
"""

from __future__ import annotations

import re
from functools import cache

from signdesk.gui.i18n import QT_TR_NOOP, tr

#: English sentences of capture.py's errors, as translation sources.
PATTERNS = (
    QT_TR_NOOP("camera %1 could not be opened (%2)"),
    QT_TR_NOOP("not connected, in use by another program, or camera permission denied"),
    QT_TR_NOOP("not connected: %1 does not exist"),
    QT_TR_NOOP("permission denied: this user may not open %1 (on Linux, join the 'video' group)"),
    QT_TR_NOOP("in use by another program, or it cannot capture"),
    QT_TR_NOOP("%1 stopped sending frames (unplugged or taken by another program)"),
    QT_TR_NOOP("%1 is closed"),
    QT_TR_NOOP("%1: no such file"),
    QT_TR_NOOP("%1: is a folder, not a video file"),
    QT_TR_NOOP("%1: cannot read (%2)"),
    QT_TR_NOOP("%1: not a readable video (unknown format or damaged file)"),
    QT_TR_NOOP("%1: the video has no readable frames"),
    QT_TR_NOOP("%1: the video breaks off after frame %2 of %3 (damaged or incomplete file)"),
)
#: Parts that are themselves sentences of this list (translated in their turn).
_NESTED = {PATTERNS[0]: (2,)}


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    """``pattern`` as a regular expression, each ``%n`` a group (the whole message must match)."""
    parts = re.split(r"(%\d)", pattern)
    return re.compile("".join("(.+?)" if re.fullmatch(r"%\d", p) else re.escape(p) for p in parts), re.S)


def localized_error(message: str) -> str:
    """``message`` in the interface language when it is one of :data:`PATTERNS`, else itself."""
    for pattern in PATTERNS:
        m = _regex(pattern).fullmatch(message)
        if m is None:
            continue
        nested = _NESTED.get(pattern, ())
        args = [localized_error(g) if i in nested else g for i, g in enumerate(m.groups(), start=1)]
        return tr(pattern, *args)
    return message

"""The bounded hand-over between threads, without Qt: shared by the app and ``signdesk bench``.

A :class:`Mailbox` holds one item and a new item replaces an unread one (latest frame wins):
when MediaPipe is slower than the camera, frames are dropped instead of queued, so memory
stays bounded and the picture never lags behind the camera. :class:`PlaybackClock` paces a
video file at its own speed, as a camera would deliver it.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable


class Mailbox:
    """A one-slot, thread-safe hand-over: the newest item replaces an unread one.

    ``dropped`` counts replaced items. The reader calls :meth:`done` after handling what it
    took, so a writer that must not drop (every-frame playback, end of a file) can
    :meth:`wait_idle` first.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._item: Any = None
        self._busy = False
        self._closed = False
        self._nudged = False
        self.dropped = 0

    def put(self, item: Any) -> bool:
        """Leave ``item`` for the reader; True if the slot was empty (the reader needs a nudge)."""
        with self._cond:
            empty = self._item is None
            if not empty:
                self.dropped += 1
            self._item = item
            self._cond.notify_all()
            return empty

    def take(self, timeout: float = 0.0) -> Any:
        """The waiting item (or None), waiting up to ``timeout`` seconds for one or a :meth:`nudge`."""
        with self._cond:
            if self._item is None and timeout > 0:
                self._cond.wait_for(lambda: self._item is not None or self._closed or self._nudged, timeout)
            self._nudged = False
            return self._pop()

    def take_if(self, wanted: Callable[[Any], bool]) -> Any:
        """The waiting item if there is one and ``wanted(item)``, else None (it stays); no wait."""
        with self._cond:
            return self._pop() if self._item is not None and wanted(self._item) else None

    def _pop(self) -> Any:
        """Hand the waiting item (or None) to the reader, who is busy with it until :meth:`done`."""
        item, self._item = self._item, None
        self._busy = item is not None
        return item

    def nudge(self) -> None:
        """Wake the reader's :meth:`take` (or its next one) without an item: it has other work."""
        with self._cond:
            self._nudged = True
            self._cond.notify_all()

    def done(self) -> None:
        with self._cond:
            self._busy = False
            self._cond.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until the reader has taken and handled the last item; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._closed or (self._item is None and not self._busy), timeout)

    def close(self) -> None:
        """Wake every waiter for good (shutdown)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()


class PlaybackClock:
    """When each frame of a file is due, so a video plays at its own speed (times ``speed``).

    After a pause, or when decoding or every-frame analysis falls behind, the clock re-anchors
    instead of rushing through frames to catch up.
    """

    MAX_LAG_S = 0.25

    def __init__(self, speed: float = 1.0) -> None:
        self.speed = speed
        self._origin: float | None = None

    def due(self, position: float) -> float:
        now = time.monotonic()
        if self._origin is None:
            self._origin = now - position / self.speed
        deadline = self._origin + position / self.speed
        if now - deadline > self.MAX_LAG_S:
            self._origin += now - deadline
            deadline = now
        return deadline

    def hold(self) -> None:
        """Forget the anchor (pause, speed change): the next frame plays at once."""
        self._origin = None

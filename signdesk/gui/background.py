"""Slow jobs of the views (store reads, embedding takes, MediaPipe on imported videos, packs)
run one after another in one background thread, never on the UI thread.

A job is a plain callable; its ``done(result, error)`` comes back on the UI thread, unless the
object that asked (``owner``) was deleted meanwhile or the jobs were stopped. A long job
(a pack import) checks :attr:`BackgroundJobs.stopping` between its steps, so closing the
window need not wait for all of it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any, "BaseException | None"], None]


class _Runner(QObject):
    """Lives in the background thread: its event loop turns queued calls into jobs, in order."""

    done = Signal(int, object, object)  # token, result, exception (None when the job succeeded)

    @Slot(int, object)
    def run_job(self, token: int, job: Callable[[], Any]) -> None:
        try:
            result, error = job(), None
        except Exception as exc:
            log.debug("background job failed", exc_info=True)
            result, error = None, exc
        self.done.emit(token, result, error)


class BackgroundJobs(QObject):
    """The queue of background jobs and the thread that runs them."""

    _wanted = Signal(int, object)  # to the background thread: token, job

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: dict[int, tuple[Done | None, QObject | None]] = {}
        self._serial = 0
        self._stopped = False
        #: set by :meth:`stop`: a job in hand that can stop between steps should do so now
        self.stopping = threading.Event()
        self._runner = _Runner()
        self.thread = QThread()
        self.thread.setObjectName("signdesk-background")
        self._runner.moveToThread(self.thread)
        self._wanted.connect(self._runner.run_job)
        self._runner.done.connect(self._on_done)
        self.thread.start()

    def submit(self, job: Callable[[], Any], done: Done | None = None, owner: QObject | None = None) -> None:
        """Run ``job()`` after the jobs already asked for; ``done`` follows on this thread."""
        if self._stopped:
            return
        self._serial += 1
        self._pending[self._serial] = (done, owner)
        self._wanted.emit(self._serial, job)

    @property
    def pending(self) -> int:
        """Jobs asked for whose ``done`` has not been called yet."""
        return len(self._pending)

    def stop(self) -> None:
        """Ask the job in hand to stop early (:attr:`stopping`), drop the others; the caller
        waits on :attr:`thread`."""
        self._stopped = True
        self.stopping.set()
        self.thread.quit()

    @Slot(int, object, object)
    def _on_done(self, token: int, result: Any, error: BaseException | None) -> None:
        done, owner = self._pending.pop(token, (None, None))
        if done is None or self._stopped or (owner is not None and not shiboken6.isValid(owner)):
            return
        done(result, error)

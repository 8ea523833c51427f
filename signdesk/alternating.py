"""Holistic graphs kept busy: frames overlap within a graph and across graphs, results in order.

One Holistic call takes ~40 ms of wall time but ~60 ms of CPU on two cores, so a serial
pipeline leaves part of a 2-core laptop idle while Holistic waits on itself. Two ways to fill
it, which combine:

- ``depth``: a graph gets the next frame while the previous one is in its later stages
  (:mod:`signdesk.holistic_stream`); its tracking goes frame after frame as before, so the
  landmarks are exactly those of the serial pipeline, for the memory of one graph;
- ``n`` graphs on alternate frames (MediaPipe releases the GIL while a graph runs), each
  keeping its own tracking state (it sees every n-th frame); each costs ~210 MB.

Everything after extraction (normalization, the window, attempts, the model) is the same
single path as before, since results come back in the order the frames went in.
"""

from __future__ import annotations

import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

    from signdesk.landmarks import LandmarkExtractor


class _InOwnThread:
    """Gives an extractor that has only ``process`` the submit/ready/result of a real one.

    Its frames run one after the other in a thread of its own (so several such extractors
    still overlap), in the order they were submitted.
    """

    def __init__(self, extractor: Any, pool: ThreadPoolExecutor) -> None:
        self.extractor = extractor
        self._pool = pool
        self._futures: dict[int, Future] = {}
        self._tickets = 0

    def submit(self, image: NDArray, on_done: Callable[[], None] | None = None) -> int:
        self._tickets += 1
        future = self._pool.submit(self.extractor.process, image)
        if on_done is not None:
            future.add_done_callback(lambda _: on_done())
        self._futures[self._tickets] = future
        return self._tickets

    def ready(self, ticket: int) -> bool:
        return self._futures[ticket].done()

    def result(self, ticket: int) -> NDArray:
        return self._futures.pop(ticket).result()

    def run(self, method: str, *args: Any) -> Any:
        """Call one of the extractor's methods in its thread (after what is queued there)."""
        return self._pool.submit(getattr(self.extractor, method), *args).result()


#: frames in flight in each Holistic graph of the app (measured: 2 gives ~10-15 % more frames/s
#: than 1, 3 no more than 2; docs/benchmarks.md)
PIPELINE_DEPTH = 2


@dataclass
class _Job:
    item: Any
    graph: int
    ticket: int
    started: float = field(default_factory=time.perf_counter)


class AlternatingExtractor:
    """``n`` extractors fed frames in turn, up to ``depth`` frames in flight in each."""

    def __init__(self, factory: Callable[[], LandmarkExtractor], n: int = 2,
                 on_done: Callable[[], None] | None = None, depth: int = 1) -> None:
        """``on_done`` is called (in a graph's thread) whenever a frame's extraction ends.

        ``depth`` > 1 needs extractors that take a frame before the last is done
        (:meth:`~signdesk.landmarks.LandmarkExtractor.submit`); one that has only ``process``
        runs its frames one by one in a thread of its own, the next ones queued.
        """
        if n < 1 or depth < 1:
            raise ValueError("at least one extractor and one frame in flight are needed")
        self._pools: list[ThreadPoolExecutor] = []
        self._extractors: list[Any] = []
        try:
            for i in range(n):
                extractor = factory()
                if not hasattr(extractor, "submit"):
                    self._pools.append(ThreadPoolExecutor(1, thread_name_prefix=f"signdesk-holistic-{i}"))
                    extractor = _InOwnThread(extractor, self._pools[-1])
                self._extractors.append(extractor)
        except BaseException:
            self._close_extractors()
            raise
        self._depth = depth
        self._jobs: deque[_Job] = deque()
        self._turn = 0
        self._on_done = on_done

    @property
    def size(self) -> int:
        return len(self._extractors)

    @property
    def in_flight(self) -> int:
        return len(self._jobs)

    @property
    def full(self) -> bool:
        """Every graph is busy: collect the oldest result before submitting another frame."""
        return len(self._jobs) >= len(self._extractors) * self._depth

    @property
    def oldest_ready(self) -> bool:
        """The oldest frame's extraction has ended: :meth:`collect` will not wait."""
        return bool(self._jobs) and self._extractors[self._jobs[0].graph].ready(self._jobs[0].ticket)

    @property
    def oldest(self) -> Any:
        """The item of the oldest frame in flight (the next :meth:`collect`), or None."""
        return self._jobs[0].item if self._jobs else None

    def submit(self, item: Any, image: NDArray) -> None:
        """Start extracting ``image`` on the next graph in turn; ``item`` comes back with it."""
        if self.full:
            raise RuntimeError("every extractor is busy; collect a result first")
        i = self._turn
        self._turn = (self._turn + 1) % len(self._extractors)
        self._jobs.append(_Job(item, i, self._extractors[i].submit(image, self._on_done)))

    def collect(self) -> tuple[Any, NDArray, float]:
        """The oldest frame's (item, raw landmarks, milliseconds from submit to result).

        Waits for it; re-raises what its extractor raised (the frame is then dropped).
        """
        job = self._jobs.popleft()
        raw = self._extractors[job.graph].result(job.ticket)
        return job.item, raw, (time.perf_counter() - job.started) * 1000

    def reset(self) -> None:
        """Clip boundary: drop frames in flight and forget every graph's tracking."""
        self._drop_in_flight()
        for extractor in self._extractors:
            self._call(extractor, "reset")
        self._turn = 0

    def warm_up(self, image: NDArray) -> None:
        """Load every graph's models now rather than on the first real frame."""
        for extractor in self._extractors:
            self._call(extractor, "process", image)
        self.reset()

    def close(self) -> None:
        self._drop_in_flight()
        self._close_extractors()

    def _drop_in_flight(self) -> None:
        while self._jobs:
            job = self._jobs.popleft()
            try:
                self._extractors[job.graph].result(job.ticket)  # wait for it; its result is not wanted
            except Exception:  # noqa: BLE001 - a failed frame that nobody wants any more
                pass

    @staticmethod
    def _call(extractor: Any, method: str, *args: Any) -> Any:
        if isinstance(extractor, _InOwnThread):
            return extractor.run(method, *args)
        return getattr(extractor, method)(*args)

    def _close_extractors(self) -> None:
        for extractor in self._extractors:
            try:
                self._call(extractor, "close")
            except RuntimeError:  # the interpreter is exiting and its pools take no more work
                (extractor.extractor if isinstance(extractor, _InOwnThread) else extractor).close()
        for pool in self._pools:
            pool.shutdown(wait=True)

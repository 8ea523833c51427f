"""Two MediaPipe Holistic graphs on alternate frames, overlapping, results in frame order.

One Holistic call takes ~45 ms of wall time but ~60 ms of CPU on two cores, so a serial
pipeline leaves part of a 2-core laptop idle while Holistic waits on itself, and analyses ~21
frames/s of a 30 frames/s camera. MediaPipe releases the GIL while its graph runs, so two
graphs in two threads overlap: frame k goes to graph k mod 2 while the other graph still works
on frame k - 1. Each graph keeps its own tracking state (it sees every other frame), each is
only ever called from its own thread, and the results come back in the order the frames went
in, so everything after extraction (normalization, the window, attempts, the model) is the
same single path as before.
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


@dataclass
class _Job:
    item: Any
    future: Future
    started: float = field(default_factory=time.perf_counter)


class AlternatingExtractor:
    """``n`` extractors, each in its own thread, fed frames in turn; at most ``n`` in flight."""

    def __init__(self, factory: Callable[[], LandmarkExtractor], n: int = 2,
                 on_done: Callable[[], None] | None = None) -> None:
        """``on_done`` is called (in a graph's thread) whenever a frame's extraction ends."""
        if n < 1:
            raise ValueError("at least one extractor is needed")
        self._pools = [ThreadPoolExecutor(1, thread_name_prefix=f"signdesk-holistic-{i}") for i in range(n)]
        try:
            # Each graph is created in the thread that will run it: MediaPipe's state stays there.
            self._extractors = [pool.submit(factory).result() for pool in self._pools]
        except BaseException:
            self._shutdown_pools()
            raise
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
        return len(self._jobs) >= len(self._extractors)

    @property
    def oldest_ready(self) -> bool:
        """The oldest frame's extraction has ended: :meth:`collect` will not wait."""
        return bool(self._jobs) and self._jobs[0].future.done()

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
        future = self._pools[i].submit(self._extractors[i].process, image)
        if self._on_done is not None:
            future.add_done_callback(lambda _: self._on_done())
        self._jobs.append(_Job(item, future))

    def collect(self) -> tuple[Any, NDArray, float]:
        """The oldest frame's (item, raw landmarks, milliseconds from submit to result).

        Waits for it; re-raises what its extractor raised (the frame is then dropped).
        """
        job = self._jobs.popleft()
        raw = job.future.result()
        return job.item, raw, (time.perf_counter() - job.started) * 1000

    def reset(self) -> None:
        """Clip boundary: drop frames in flight and forget every graph's tracking."""
        while self._jobs:
            self._jobs.popleft().future.exception()  # wait for it; its result is not wanted
        for pool, extractor in zip(self._pools, self._extractors):
            pool.submit(extractor.reset).result()
        self._turn = 0

    def warm_up(self, image: NDArray) -> None:
        """Load every graph's models now rather than on the first real frame."""
        for pool, extractor in zip(self._pools, self._extractors):
            pool.submit(extractor.process, image).result()
        self.reset()

    def close(self) -> None:
        while self._jobs:
            self._jobs.popleft().future.exception()
        for pool, extractor in zip(self._pools, self._extractors):
            try:
                pool.submit(extractor.close).result()
            except RuntimeError:  # the interpreter is exiting and its pools take no more work
                extractor.close()
        self._shutdown_pools()

    def _shutdown_pools(self) -> None:
        for pool in self._pools:
            pool.shutdown(wait=True)

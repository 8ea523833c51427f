"""One Holistic graph fed the next frame before the previous one is finished.

MediaPipe's ``SolutionBase.process`` adds a frame to the graph and waits until the whole graph
is idle, so a graph works on one frame at a time, and the stages of a frame (pose first, then
face and hands) leave part of a 2-core machine idle. The graph orders frames by their
timestamps and carries its tracking state from one frame to the next by itself, so adding
frame k + 1 while frame k is still in its later stages gives the very same landmarks (checked
on a real clip in ``tests/test_holistic_stream.py``), and more frames per second for the
memory of one graph (``docs/benchmarks.md``).

This uses two attributes of mediapipe 0.10.21's ``SolutionBase`` (the version is pinned):
``_graph`` and the ``_graph_outputs`` mapping that its output callbacks, registered with
timestamp bounds, write every stream's packet (or an empty one) into, once per frame.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Callable

from mediapipe.python import packet_creator
from mediapipe.python._framework_bindings import image_frame

from signdesk.landmarks import ExtractorError

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

#: microseconds between frames; MediaPipe's own process() steps its timestamps the same way
FRAME_STEP_US = 33_333
#: longest wait for one frame's landmarks before MediaPipe is taken to have stopped
RESULT_TIMEOUT_S = 30.0
#: no packet from the graph for this long while a frame waits: it is settled by running dry
STALL_S = 0.25
#: streams that stay silent, without even a timestamp bound, while no person is found
POSE_STREAMS = frozenset({"pose_landmarks", "pose_world_landmarks"})


_ABSENT = object()


@dataclass
class _Frame:
    on_done: Callable[[], None] | None
    submitted: float = field(default_factory=time.perf_counter)
    packets: dict[str, Any] = field(default_factory=dict)
    finished: float | None = None


class _Outputs(dict):
    """Takes the place of SolutionBase's output dict: files each packet under its frame."""

    def __init__(self, stream: HolisticStream) -> None:
        super().__init__()
        self._stream = stream

    def __setitem__(self, name: str, packet: Any) -> None:  # called in MediaPipe's threads
        self._stream._arrived(name, packet)


class HolisticStream:
    """Frames in with :meth:`submit`, landmarks out with :meth:`result`, in any overlap."""

    def __init__(self, solution: Any) -> None:
        """``solution``: a started ``mediapipe.python.solutions.holistic.Holistic``."""
        self._solution = solution
        self._input = next(iter(solution._input_stream_type_info))
        self._types = dict(solution._output_stream_type_info)
        self._cond = threading.Condition()
        self._frames: dict[int, _Frame] = {}
        self._timestamp = 0
        self._arrivals = 0  # packets received, to tell a stalled graph from a busy one
        solution._graph_outputs = _Outputs(self)

    @property
    def in_flight(self) -> int:
        with self._cond:
            return len(self._frames)

    def submit(self, rgb: NDArray, on_done: Callable[[], None] | None = None) -> int:
        """Add an RGB frame; returns its ticket. ``on_done`` is called, in one of MediaPipe's
        threads, once the frame's landmarks are in.

        The packet owns a copy of the pixels: the frame outlives this call inside the graph,
        and MediaPipe's by-reference mode would read memory the caller may have freed.
        """
        packet = packet_creator.create_image_frame(rgb, image_format=image_frame.ImageFormat.SRGB, copy=True)
        with self._cond:
            self._timestamp += FRAME_STEP_US
            ticket = self._timestamp
            self._frames[ticket] = _Frame(on_done)
        try:
            self._solution._graph.add_packet_to_input_stream(stream=self._input, packet=packet.at(ticket))
        except Exception as exc:
            with self._cond:
                self._frames.pop(ticket, None)
            raise ExtractorError(f"MediaPipe did not take the frame: {exc}") from exc
        return ticket

    def ready(self, ticket: int) -> bool:
        """The frame's landmarks are in, or all but a pose that will not come (no person):
        :meth:`result` will not wait, or only for the graph to run dry."""
        with self._cond:
            frame = self._frames.get(ticket)
            return frame is not None and (frame.finished is not None or self._pose_silent(ticket))

    def result(self, ticket: int, timeout_s: float = RESULT_TIMEOUT_S) -> tuple[SimpleNamespace, float]:
        """The frame's outputs (``pose_landmarks``, ``face_landmarks``, … or None each) and the
        milliseconds from submit to their arrival. Waits for them; each ticket once."""
        graph = self._solution._graph
        deadline = time.monotonic() + timeout_s
        with self._cond:
            if ticket not in self._frames:
                raise KeyError(f"no frame in flight with ticket {ticket}")
            seen = -1
            while self._frames[ticket].finished is None:
                if graph.has_error():
                    self._frames.pop(ticket)
                    raise ExtractorError(f"MediaPipe stopped: {graph.get_combined_error_message()}")
                if ticket == self._timestamp or self._pose_silent(ticket) or seen == self._arrivals:
                    # A stream with nothing to say may stay silent until the next frame, or
                    # for good (no person: no pose): let the graph run dry, as MediaPipe's
                    # process() does, and what has not come is None.
                    self._cond.release()
                    try:
                        graph.wait_until_idle()
                    finally:
                        self._cond.acquire()
                    self._settle(ticket, None)
                    break
                if time.monotonic() > deadline:
                    self._frames.pop(ticket)
                    raise ExtractorError(f"MediaPipe gave no landmarks for the frame within {timeout_s:.0f} s")
                seen = self._arrivals
                self._cond.wait(STALL_S)  # woken by every packet; no packet at all: stalled
            frame = self._frames.pop(ticket)
        outputs = SimpleNamespace(**{
            name: None if frame.packets.get(name) is None else self._solution._get_packet_content(kind, frame.packets[name])
            for name, kind in self._types.items()})
        return outputs, (frame.finished - frame.submitted) * 1000

    def drain(self) -> None:
        """Wait for every frame in flight and drop its results."""
        with self._cond:
            tickets = list(self._frames)
        for ticket in tickets:
            try:
                self.result(ticket)
            except (ExtractorError, KeyError):
                pass

    def reset(self) -> None:
        """Forget tracking (a clip boundary): frames in flight are dropped first."""
        self.drain()
        self._solution.reset()

    def _arrived(self, name: str, packet: Any) -> None:
        """A packet of one output stream: the frame of its timestamp gets it, and every earlier
        frame still without one in that stream gets nothing (a stream's packets come in order;
        an empty packet is a timestamp bound: nothing more up to its timestamp)."""
        with self._cond:
            done = self._settle(packet.timestamp.value, name, packet)
        for callback in done:
            callback()

    def _pose_silent(self, ticket: int) -> bool:
        """Every stream of the frame is in but the pose ones, and its face is empty.

        The face and hands are found from the pose, so they come after it; an empty face
        then most likely means no person, whose pose streams say nothing until a person is
        found. (A pose found with no face also ends here; running dry gives it all the same.)
        """
        packets = self._frames[ticket].packets
        missing = self._types.keys() - packets.keys()
        face = packets.get("face_landmarks", _ABSENT)
        return bool(missing) and missing <= POSE_STREAMS and (face is None or face.is_empty())

    def _settle(self, up_to: int, name: str | None, packet: Any = None) -> list[Callable[[], None]]:
        """Fill ``name`` (every stream if None) of the frames up to ``up_to``; holds the lock.

        Returns the ``on_done`` callbacks of the frames this finished, to call without it.
        """
        done = []
        if name is not None:
            self._arrivals += 1
        for ticket, frame in self._frames.items():  # in submit order, which is timestamp order
            if ticket > up_to:
                break
            if frame.finished is not None:
                continue
            for stream in (self._types if name is None else (name,)):
                frame.packets.setdefault(stream, packet if ticket == up_to else None)
            if len(frame.packets) == len(self._types):
                frame.finished = time.perf_counter()
                if frame.on_done is not None:
                    done.append(frame.on_done)
        self._cond.notify_all()  # a waiting result() looks again: finished, or only the pose left
        return done

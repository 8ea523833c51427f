"""The recognition session on its own, with no window: what any view gets from it."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QImage

from fakes import EMBEDDING_DIM, FakeExtractor, FakeRecognizer, fixture_labels
from gui.fakes import FakeCatalog
from signdesk.gui.session import RecognitionSession
from signdesk.gui.settings import Settings
from signdesk.gui.states import SourceState
from signdesk.gui.workers import FramePacket, Processed
from signdesk.landmarks import N_CHANNELS, N_LANDMARKS
from signdesk.pipeline import AttemptResult
from signdesk.recognizer import Prediction

WAIT_MS = 30000


class FutureView(QObject):
    """Stands for a view that does not exist yet (practice, presenter): it only subscribes."""

    def __init__(self, session: RecognitionSession) -> None:
        super().__init__()
        self.attempts: list[AttemptResult] = []
        self.states: list[SourceState] = []
        session.attempt_result.connect(self.on_attempt)
        session.state_changed.connect(self.on_state)

    @Slot(object)
    def on_attempt(self, result: AttemptResult) -> None:
        self.attempts.append(result)

    @Slot(object, str)
    def on_state(self, state: SourceState, detail: str) -> None:
        self.states.append(state)


@pytest.fixture
def make_session(qtbot):
    """Sessions on the fakes; each is shut down at teardown and must have joined its threads."""
    sessions = []

    def make(catalog: FakeCatalog, extractor: FakeExtractor | None = None, **settings) -> RecognitionSession:
        session = RecognitionSession(Settings(**{"threshold": 0.0, **settings}), catalog=catalog,
                                     extractor_factory=extractor if extractor is not None else FakeExtractor(),
                                     retry_s=0.2)
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        session.shutdown()
        assert all(t.isFinished() for t in session.threads())


def _first(events: list[tuple[str, object]], kind: str, value: object = None) -> int:
    return next(i for i, (k, v) in enumerate(events) if k == kind and (value is None or v == value))


def test_the_session_alone_emits_typed_signals_in_order_and_shuts_down_within_a_second(
        qtbot, make_session, camera_device):
    extractor = FakeExtractor()
    session = make_session(FakeCatalog(camera_device), extractor=extractor)
    model = FakeRecognizer()
    session.set_recognizer(model)
    events: list[tuple[str, object]] = []
    session.state_changed.connect(lambda state, detail: events.append(("state", state)))
    for kind in ("picture", "frame_processed", "live_prediction", "attempt_result"):
        getattr(session, kind).connect(lambda value, kind=kind: events.append((kind, value)))
    view = FutureView(session)  # a second subscriber, added without touching the session

    with qtbot.waitSignal(session.attempt_result, timeout=WAIT_MS):
        session.start(None)  # the usual camera: the fake one

    opening, playing = _first(events, "state", SourceState.OPENING), _first(events, "state", SourceState.PLAYING)
    picture, frame = _first(events, "picture"), _first(events, "frame_processed")
    live, attempt = _first(events, "live_prediction"), _first(events, "attempt_result")
    assert opening < playing < min(picture, frame)
    assert frame < live < attempt
    assert session.state is SourceState.PLAYING and session.live and session.is_analysing

    packet = events[picture][1]
    assert isinstance(packet, FramePacket) and isinstance(packet.preview, QImage)
    assert (packet.preview.width(), packet.preview.height()) == (320, 240)
    processed = events[frame][1]
    assert isinstance(processed, Processed) and processed.latency_ms >= 0
    assert processed.frame.raw.shape == (N_LANDMARKS, N_CHANNELS) and processed.frame.detection.person
    guess = events[live][1]
    assert isinstance(guess, Prediction) and guess.best[0] in fixture_labels()

    result = events[attempt][1]
    assert isinstance(result, AttemptResult)
    top = result.prediction.top
    assert isinstance(top, list) and len(top) == 5
    assert [p for _, p in top] == sorted((p for _, p in top), reverse=True) and 0 < top[0][1] <= 1
    assert len(result.prediction.embedding) == EMBEDDING_DIM == model.embedding_dim
    assert result.attempt.frames.shape == (30, N_LANDMARKS, N_CHANNELS)  # the script's 30-frame sign
    assert np.isfinite(result.attempt.frames).all()

    assert view.attempts == [value for kind, value in events if kind == "attempt_result"]
    assert view.attempts[0] is result  # the very same result object, not a copy
    assert view.states[:2] == [SourceState.OPENING, SourceState.PLAYING]

    t0 = time.monotonic()
    assert session.shutdown(timeout=1.0) is True
    assert time.monotonic() - t0 < 1.0
    assert [t.objectName() for t in session.threads() if not t.isFinished()] == []
    assert camera_device.opened == camera_device.closed == 1  # the camera was released
    assert extractor.closed


def test_the_session_drops_a_model_that_fails_and_says_why(qtbot, make_session, camera_device):
    session = make_session(FakeCatalog(camera_device))
    changes: list[tuple[object, str]] = []
    session.recognizer_changed.connect(lambda recognizer, problem: changes.append((recognizer, problem)))
    model = FakeRecognizer(fail_after=1)
    session.set_recognizer(model)
    assert changes == [(model, "")] and session.recognizer is model
    with qtbot.waitSignal(session.model_failed, timeout=WAIT_MS) as failed:
        session.start(None)
    assert session.recognizer is None
    assert changes[-1] == (None, failed.args[0]) and "recognition is off" in failed.args[0]
    frames = []
    session.frame_processed.connect(frames.append)
    qtbot.waitUntil(lambda: len(frames) >= 5, timeout=WAIT_MS)  # analysis goes on without the model
    assert model.calls == 1


def test_results_of_a_source_the_user_left_are_not_emitted(qtbot, make_session, camera_device, fake_video):
    """Switching from the camera to a video mid-sign: nothing of the camera's arrives afterwards."""
    session = make_session(FakeCatalog(camera_device), every_frame=True)
    session.set_recognizer(FakeRecognizer())
    with qtbot.waitSignal(session.live_prediction, timeout=WAIT_MS):
        session.start(None)  # the camera, mid-sign
    after: list[tuple[str, object]] = []
    session.picture.connect(lambda packet: after.append(("picture", packet.serial)))
    session.attempt_result.connect(lambda result: after.append(("attempt", result)))
    with qtbot.waitSignal(session.stream_finished, timeout=WAIT_MS):
        session.open_file(fake_video)
    serial = session._serial
    assert {value for kind, value in after if kind == "picture"} == {serial}
    attempts = [value for kind, value in after if kind == "attempt"]
    assert len(attempts) == 1 and len(attempts[0].attempt.frames) == 30  # the video's one sign, nothing else


def test_every_frame_mode_analyses_the_first_frame_of_a_video_opened_while_the_camera_runs(
        qtbot, make_session, camera_device, fake_video):
    session = make_session(FakeCatalog(camera_device), every_frame=True)
    session.set_recognizer(FakeRecognizer())
    with qtbot.waitSignal(session.live_prediction, timeout=WAIT_MS):
        session.start(None)
    attempts = []
    session.attempt_result.connect(attempts.append)
    with qtbot.waitSignal(session.stream_finished, timeout=WAIT_MS):
        session.open_file(fake_video)
    assert [(a.attempt.start_frame, a.attempt.end_frame) for a in attempts] == [(10, 39)]  # as on its own

"""One recognition session shared by every view: camera or video → MediaPipe → model → signals.

The session owns the capture worker of the current source, the one processing worker, the
mailboxes between them (latest frame wins), the source serials and the shutdown. It has no
widgets: views (recognition today; practice, presenter and recording next) subscribe to its
typed signals, so a new view needs no change here. Everything it emits belongs to the source
that is current when it arrives: results of a source the user has left are dropped here, once,
instead of in every view.

The session also owns the user's custom signs (:class:`~signdesk.custom.CustomStore`): every
model it is given is wrapped in a :class:`~signdesk.fewshot.CustomRecognizer`, and reading the
store, embedding takes and any other slow job of the dialogs (MediaPipe on imported videos,
packs) run one after another in a background thread, never on the UI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot

from signdesk.capture import CameraInfo
from signdesk.custom import CustomSign, CustomStore
from signdesk.fewshot import CustomRecognizer
from signdesk.gui.background import BackgroundJobs
from signdesk.gui.i18n import tr
from signdesk.gui.settings import Settings
from signdesk.gui.sources import CameraCatalog, SourceSpec, file_spec, parse_resolution
from signdesk.gui.states import SourceState
from signdesk.gui.analysis import ProcessingWorker
from signdesk.gui.workers import CaptureWorker, FramePacket, Processed, SourceInfo, worker_thread
from signdesk.handover import Mailbox
from signdesk.landmarks import LandmarkExtractor
from signdesk.pipeline import AttemptResult
from signdesk.recognizer import Prediction, Recognizer

log = logging.getLogger(__name__)

#: How often the camera list is re-read while no camera is found (seconds).
CAMERA_POLL_S = 3.0
#: A playing camera that gives no picture for this long is reported and reopened (seconds): a
#: driver stuck inside read() would otherwise freeze the picture with no word to the user.
CAMERA_STALL_S = 3.0
#: ONNX Runtime threads for the model. One is enough for a window every few frames, and it
#: leaves the other cores to MediaPipe, capture and painting instead of spinning on them.
ONNX_THREADS = 1
#: Where take embeddings are cached, inside the store's folder (a dot folder: never read as a sign).
EMBEDDINGS_FOLDER = ".embeddings"


class RecognitionSession(QObject):
    """The camera, the analysis and the model, for every view at once."""

    #: A captured frame for painting (FramePacket: ``preview`` QImage, ``time``, ``captured``).
    picture = Signal(object)
    #: One analysed frame (Processed: ``frame`` with raw landmarks, detection, signing; latency).
    frame_processed = Signal(object)
    #: A provisional prediction on the sliding window while someone signs (Prediction).
    live_prediction = Signal(object)
    #: The hands went down: the attempt scored at once, to be shown without waiting for the end
    #: rule (AttemptResult). ``attempt_result`` confirms it; if a hand comes back it is replaced.
    attempt_scored = Signal(object)
    #: A finished sign attempt (AttemptResult: the attempt's frames, its top-k, its embedding).
    attempt_result = Signal(object)
    #: The source's state changed: (SourceState, detail text).
    state_changed = Signal(object, str)
    #: A source opened and plays (SourceInfo).
    source_opened = Signal(object)
    #: The camera list was read again (list of CameraInfo).
    cameras_changed = Signal(list)
    #: The end of a video file has been analysed (every attempt in it was reported).
    stream_finished = Signal()
    #: The model in use changed (Recognizer or None) with the reason when it is None.
    recognizer_changed = Signal(object, str)
    #: MediaPipe started: frames are being analysed.
    analysis_ready = Signal()
    #: MediaPipe could not start (recognition is off for this run).
    analysis_failed = Signal(str)
    #: The model failed while recognizing; it was dropped.
    model_failed = Signal(str)
    #: One frame could not be analysed (the next one is tried).
    frame_error = Signal(str)
    #: The custom signs were read again and (with a model) enrolled: list of CustomSign. From now
    #: on the model recognizes exactly these; ``custom_problems`` lists entries that were skipped.
    custom_signs_changed = Signal(list)
    #: Custom signs cannot be recognized with the current model, or enrolling failed (why).
    custom_signs_failed = Signal(str)

    def __init__(
        self,
        settings: Settings,
        *,
        catalog: CameraCatalog | None = None,
        extractor_factory: Callable[[], LandmarkExtractor] = LandmarkExtractor,
        provider: str = "cpu",
        retry_s: float = 2.0,
        graphs: int | None = None,
        store: CustomStore | None = None,
        stall_s: float | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.store = store if store is not None else CustomStore()
        #: ``recognizer`` with the custom signs: what the processing worker runs (None: no model,
        #: or custom signs are off with it, ``custom_problem`` says why)
        self.custom_recognizer: CustomRecognizer | None = None
        self.custom_problem = ""
        self.custom_signs: list[CustomSign] = []
        self.custom_problems: list[str] = []
        self._model_serial = 0
        self.catalog = catalog or CameraCatalog()
        self.provider = provider
        self._retry_s = retry_s
        self.recognizer: Recognizer | None = None
        self.cameras: list[CameraInfo] = []
        self.spec: SourceSpec | None = None
        self.source_info: SourceInfo | None = None
        self.state = SourceState.IDLE
        self.detail = ""
        self.paused = False
        self._serial = 0
        self._shut_down = False
        self._stalled = False
        self._captures: list[tuple[QThread, CaptureWorker]] = []
        self.to_pipeline, self.to_preview, self.results = Mailbox(), Mailbox(), Mailbox()
        self._ready = threading.Event()
        self._analysis_down = False

        self._background = BackgroundJobs(self)

        self.processing = ProcessingWorker(self.to_pipeline, self.results, None, settings.stride, extractor_factory,
                                           graphs)
        self._processing_thread = worker_thread(self.processing, "signdesk-processing")
        self.processing.ready.connect(self._ready.set, Qt.ConnectionType.DirectConnection)
        self.processing.failed.connect(self._ready.set, Qt.ConnectionType.DirectConnection)
        self.processing.ready.connect(self.analysis_ready)
        self.processing.failed.connect(self._on_analysis_failed)
        self.processing.model_failed.connect(self._on_model_failed)
        self.processing.error.connect(self.frame_error)
        self.processing.frame_done.connect(self._on_frame_done)
        self.processing.live.connect(self._on_live)
        self.processing.early.connect(self._on_early)
        self.processing.attempt.connect(self._on_attempt)
        self.processing.stream_done.connect(self._on_stream_done)
        self._processing_thread.start()

        self._camera_poll = QTimer(self)
        self._camera_poll.timeout.connect(self._poll_cameras)
        self._camera_poll.start(int(CAMERA_POLL_S * 1000))
        self._stall_s = CAMERA_STALL_S if stall_s is None else stall_s
        self._watchdog = QTimer(self)
        self._watchdog.timeout.connect(self._check_stall)
        self._watchdog.start(max(50, int(self._stall_s * 250)))

    # --- state ---------------------------------------------------------------------------

    @property
    def live(self) -> bool:
        """The current source is a camera."""
        return self.spec is not None and self.spec.live

    @property
    def is_analysing(self) -> bool:
        """MediaPipe has started (or failed to): frames no longer wait for it."""
        return self._ready.is_set()

    def _set_state(self, state: SourceState, detail: str = "") -> None:
        self.state, self.detail = state, detail
        self.state_changed.emit(state, detail)

    # --- the model -----------------------------------------------------------------------

    def set_recognizer(self, recognizer: Recognizer | None, problem: str = "") -> None:
        """Use this model from the next frame on (None: landmarks only, ``problem`` says why).

        It is wrapped at once in a CustomRecognizer without signs, so enrolling never swaps the
        model under an open attempt; the signs join it a moment later (custom_signs_changed).
        """
        self.recognizer = recognizer
        self.custom_recognizer, self.custom_problem = None, ""
        if recognizer is not None:
            try:
                self.custom_recognizer = CustomRecognizer(recognizer, (), cache_dir=self.embeddings_dir)
            except Exception as exc:  # noqa: BLE001  (a model without a file or embedding: recognition goes on)
                log.info("custom signs are off with %s: %s", getattr(recognizer, "name", recognizer), exc)
                self.custom_problem = tr("your own signs cannot be recognized with this model (%1)", exc)
        self._model_serial += 1
        self.processing.configure(recognizer=self.custom_recognizer or recognizer)
        self.recognizer_changed.emit(recognizer, problem)
        self.reload_custom_signs()

    def load_model(self, name_or_path: str | Path) -> Recognizer:
        """Load and use a bundled model by name or a .onnx file; raises ModelError naming the problem."""
        recognizer = Recognizer(name_or_path, providers=[self.provider], threads=ONNX_THREADS)
        self.set_recognizer(recognizer)
        self.settings.model = str(name_or_path)
        return recognizer

    def set_stride(self, stride: int) -> None:
        self.settings.stride = stride
        self.processing.configure(stride=stride)

    @Slot(str)
    def _on_analysis_failed(self, message: str) -> None:
        self._analysis_down = True
        self.to_pipeline.close()  # nobody will read it: a capture waiting for the reader goes on
        self.analysis_failed.emit(message)

    @Slot(str)
    def _on_model_failed(self, message: str) -> None:
        self.recognizer = None
        self.custom_recognizer = None
        self._model_serial += 1
        self.recognizer_changed.emit(None, message)
        self.model_failed.emit(message)

    # --- custom signs and background jobs ---------------------------------------------------

    @property
    def embeddings_dir(self) -> Path:
        return self.store.root / EMBEDDINGS_FOLDER

    def reload_custom_signs(self) -> None:
        """Read the store again and enrol its signs, in the background; custom_signs_changed follows.

        CustomRecognizer.set_signs swaps the enrolled signs in as one object: recognition never waits.
        """
        serial, wrapper, store = self._model_serial, self.custom_recognizer, self.store

        def enrol() -> tuple[list[CustomSign], list[str]]:
            signs = store.load()
            problems = list(store.problems)
            if wrapper is not None:
                wrapper.set_signs(signs)
            return signs, problems

        self.run_in_background(enrol, lambda result, error: self._on_enrolled(serial, result, error))

    def _on_enrolled(self, serial: int, result: tuple | None, error: BaseException | None) -> None:
        if serial != self._model_serial:
            return  # the model changed meanwhile: a newer enrolment is on its way
        if error is not None:
            self.custom_signs_failed.emit(tr("your own signs could not be prepared for recognition (%1)", error))
            return
        self.custom_signs, self.custom_problems = result
        if self.custom_problem and self.custom_signs:
            self.custom_signs_failed.emit(self.custom_problem)
        self.custom_signs_changed.emit(self.custom_signs)

    def run_in_background(self, job: Callable[[], Any], done: Callable[[Any, BaseException | None], None] | None = None,
                          owner: QObject | None = None) -> None:
        """Run ``job()`` in the background thread, after the jobs already asked for.

        ``done(result, error)`` follows on the UI thread unless ``owner`` was deleted meanwhile.
        At shutdown a running job is waited for and the others are dropped.
        """
        self._background.submit(job, done, owner)

    @property
    def background_stopping(self) -> threading.Event:
        """Set once shutdown begins: a long background job checks it to stop between steps."""
        return self._background.stopping

    @property
    def background_jobs(self) -> int:
        """Jobs asked for whose ``done`` has not been called yet."""
        return self._background.pending

    # --- sources -------------------------------------------------------------------------

    def start(self, source: str | None = None) -> None:
        """Open what the command line asked for: a camera index, a video path, or the usual camera."""
        self.refresh_cameras(auto_start=False)
        if source is not None and not source.strip().isdigit():
            self.open_file(source)
        elif source is not None:
            index = int(source)
            self.open_camera(next((c for c in self.cameras if c.index == index), CameraInfo(index, tr("Camera %1", index))))
        else:
            self.use_camera()

    def refresh_cameras(self, auto_start: bool = True) -> None:
        """Read the camera list again; with ``auto_start``, a camera that appeared is opened."""
        try:
            self.cameras = list(self.catalog.list())
        except Exception as exc:  # noqa: BLE001  (a broken camera driver must not take the app down)
            log.warning("could not list cameras: %s", exc)
            self.cameras = []
        self.cameras_changed.emit(self.cameras)
        if auto_start and self.state is SourceState.NO_CAMERA and self.cameras:
            self.use_camera()
        elif self.state in (SourceState.NO_CAMERA, SourceState.CAMERA_LOST, SourceState.CAMERA_FAILED):
            self._set_state(self.state, self.detail)  # the ways forward depend on the cameras found

    def _poll_cameras(self) -> None:
        if self.state is SourceState.NO_CAMERA:
            self.refresh_cameras()

    def use_camera(self) -> None:
        """Open the camera used last time (or the first one); no camera → the no-camera state."""
        if not self.cameras:
            self._stop_captures()
            self.spec = None
            self.cameras_changed.emit(self.cameras)
            self._set_state(SourceState.NO_CAMERA)
            return
        self.open_camera(next((c for c in self.cameras if c.index == self.settings.camera), self.cameras[0]))

    def next_camera(self) -> None:
        if not self.cameras:
            self.refresh_cameras()
            return
        current = self.spec.index if self.live else None
        indices = [c.index for c in self.cameras]
        pos = (indices.index(current) + 1) % len(indices) if current in indices else 0
        self.open_camera(self.cameras[pos])

    def open_camera(self, camera: CameraInfo) -> None:
        self.settings.camera = camera.index
        self._start(self.catalog.spec(camera, parse_resolution(self.settings.resolution)))

    def open_file(self, path: str | Path) -> None:
        path = Path(path).expanduser()
        self.settings.last_folder = str(path.parent)
        self._start(file_spec(path))

    def replay(self) -> None:
        if self.spec is not None and not self.spec.live:
            self._start(self.spec)

    def set_resolution(self, text: str) -> None:
        """Use this camera resolution ("1280x720"); the open camera is reopened with it."""
        self.settings.resolution = text
        if self.live:
            camera = next((c for c in self.cameras if c.index == self.spec.index),
                          CameraInfo(self.spec.index, self.spec.label))
            self.open_camera(camera)

    def set_paused(self, paused: bool) -> None:
        self.paused = paused
        worker = self._current_capture()
        if worker is not None:
            worker.set_paused(paused)

    def set_playback(self, speed: float, every_frame: bool) -> None:
        """Video files: play at ``speed`` × real time; ``every_frame`` analyses every frame."""
        self.settings.speed, self.settings.every_frame = speed, every_frame
        worker = self._current_capture()
        if worker is not None:
            worker.set_playback(speed, every_frame)

    def _start(self, spec: SourceSpec, state: SourceState = SourceState.OPENING, detail: str = "") -> None:
        """Stop the current source (without waiting) and start a capture thread for ``spec``."""
        self._stop_captures()
        self._serial += 1
        self.spec = spec
        self.source_info = None
        self.paused = False
        self._stalled = False  # set by the watchdog: PLAYING again only once a picture arrives
        self._set_state(state, detail)
        worker = CaptureWorker(spec, self._serial, self.to_pipeline, self.to_preview,
                               speed=self.settings.speed, every_frame=self.settings.every_frame,
                               retry_s=self._retry_s, gate=self._ready)
        thread = worker_thread(worker, f"signdesk-capture-{self._serial}")
        worker.opened.connect(self._on_opened)
        worker.failed.connect(self._on_failed)
        worker.lost.connect(self._on_lost)
        worker.ended.connect(self._on_ended)
        worker.frame_ready.connect(self._on_frame_ready)
        worker.bad_frame.connect(self._on_bad_frame)
        self._captures.append((thread, worker))
        thread.start()
        self.cameras_changed.emit(self.cameras)

    def _stop_captures(self) -> None:
        for _, worker in self._captures:
            worker.stop()
        self._captures = [(t, w) for t, w in self._captures if not t.isFinished()]

    def _current_capture(self) -> CaptureWorker | None:
        return next((w for _, w in self._captures if w.serial == self._serial), None)

    def _check_stall(self) -> None:
        """A playing camera silent for ``stall_s``: say so and reopen it in a new capture thread.

        One stuck capture at a time: while the last one is still blocked in its driver, the new
        one is not replaced again. The state stays CAMERA_LOST until a picture really arrives.
        """
        worker = self._current_capture()
        if worker is None or not self.live or not (self.state is SourceState.PLAYING or (
                self._stalled and self.state is SourceState.CAMERA_LOST)):
            return
        quiet = time.monotonic() - worker.last_frame_at
        if quiet > self._stall_s and all(t.isFinished() for t, w in self._captures if w is not worker):
            log.warning("%s: no picture for %.1f s; reopening it", self.spec.label, quiet)
            seconds = f"{quiet:.0f}"
            self._start(self.spec, SourceState.CAMERA_LOST,
                        tr("%1 stopped sending pictures (none for %2 s); reconnecting", self.spec.label, seconds))
            self._stalled = True

    # --- from the workers (each checks that it is about the current source) ----------------

    @Slot(int, object)
    def _on_opened(self, serial: int, info: SourceInfo) -> None:
        if serial == self._serial:
            self.source_info = info
            self.source_opened.emit(info)
            if not self._stalled:
                self._set_state(SourceState.PLAYING)

    @Slot(int, str)
    def _on_failed(self, serial: int, message: str) -> None:
        if serial == self._serial:
            self._set_state(SourceState.CAMERA_FAILED if self.live else SourceState.FILE_FAILED, message)

    @Slot(int, str)
    def _on_lost(self, serial: int, message: str) -> None:
        if serial == self._serial:
            self.refresh_cameras(auto_start=False)
            self._set_state(SourceState.CAMERA_LOST, message)

    @Slot(int, str)
    def _on_bad_frame(self, serial: int, message: str) -> None:
        if serial == self._serial:
            self.frame_error.emit(message)

    @Slot(int)
    def _on_ended(self, serial: int) -> None:
        if serial == self._serial:
            self._set_state(SourceState.ENDED)
            if self._analysis_down:
                self.stream_finished.emit()  # no analysis will report the end of this file

    @Slot(int)
    def _on_stream_done(self, serial: int) -> None:
        if serial == self._serial:
            self.stream_finished.emit()

    @Slot()
    def _on_frame_ready(self) -> None:
        packet: FramePacket | None = self.to_preview.take()
        if packet is not None and packet.serial == self._serial:
            if self._stalled:
                self._stalled = False
                self._set_state(SourceState.PLAYING)
            self.picture.emit(packet)

    @Slot()
    def _on_frame_done(self) -> None:
        item: Processed | None = self.results.take()
        if item is not None and item.serial == self._serial \
                and self.state in (SourceState.PLAYING, SourceState.ENDED):
            self.frame_processed.emit(item)

    @Slot(int, object)
    def _on_live(self, serial: int, prediction: Prediction) -> None:
        if serial == self._serial:
            self.live_prediction.emit(prediction)

    @Slot(int, object)
    def _on_early(self, serial: int, result: AttemptResult) -> None:
        if serial == self._serial:
            self.attempt_scored.emit(result)

    @Slot(int, object)
    def _on_attempt(self, serial: int, result: AttemptResult) -> None:
        if serial == self._serial:
            self.attempt_result.emit(result)

    # --- closing -------------------------------------------------------------------------

    @property
    def frames_analysed(self) -> int:
        return self.processing.processed

    @property
    def frames_skipped(self) -> int:
        """Frames replaced before the analysis took them (latest frame wins)."""
        return self.to_pipeline.dropped

    def threads(self) -> list[QThread]:
        return [self._processing_thread, self._background.thread] + [t for t, _ in self._captures]

    def shutdown(self, timeout: float = 1.0, grace: float = 15.0) -> bool:
        """Stop every worker and join every thread; True if all ended within ``timeout`` seconds.

        A thread that cannot stop in time (MediaPipe still loading its models, a camera driver
        stuck in a read) is waited for up to ``grace`` more seconds: a QThread destroyed while
        running would abort the process.
        """
        if self._shut_down:
            return all(t.isFinished() for t in self.threads())
        self._shut_down = True
        self._camera_poll.stop()
        self._watchdog.stop()
        for _, worker in self._captures:
            worker.stop()
        self.processing.stop()
        self._background.stop()  # after the job in hand, if any; queued ones are dropped
        for box in (self.to_pipeline, self.to_preview, self.results):
            box.close()
        deadline = time.monotonic() + timeout
        ok = True
        for thread in self.threads():
            ok = thread.wait(max(0, int((deadline - time.monotonic()) * 1000))) and ok
        if not ok:
            stuck = ", ".join(t.objectName() for t in self.threads() if not t.isFinished())
            log.info("still finishing after %.1f s: %s", timeout, stuck)
            for thread in self.threads():
                thread.wait(int(grace * 1000))
        return ok

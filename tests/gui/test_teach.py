"""Teach a sign (signdesk.gui.teach): record takes at the shared session's camera, review, save, recognize.

Fast tests run the real window on the fakes (a FakeCameraDevice, the scripted FakeExtractor, a
FakeRecognizer given a model file so custom signs can be enrolled with it). One end-to-end test
records three takes from a fake camera playing real KArSL clips through MediaPipe and the bundled
model, saves them, and checks that the model then ranks the new sign for a fourth clip.
Custom signs live in ``tmp_path`` (``SIGNDESK_DATA_DIR``), never in the user's folder.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from conftest import KARSL_WALEAD, need  # tests/conftest.py
from fakes import FakeExtractor, FakeRecognizer, signer_landmarks
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox
from test_clips import sign_stream, write_clip  # tests/test_clips.py

from gui.fakes import FakeCameraDevice, FakeCatalog
from signdesk.custom import CUSTOM_PREFIX, CustomSign, CustomStore, Take
from signdesk.fewshot import CustomRecognizer
from signdesk.gui.settings import Settings
from signdesk.gui.states import TakeState, TeachState
from signdesk.gui.teach import TeachDialog
from signdesk.recognizer import ModelInfo

WAIT_MS = 30000
REAL_WAIT_MS = 120000  # MediaPipe on two shared cores


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user data folder of this test (custom signs, embedding cache)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("SIGNDESK_DATA_DIR", str(folder))
    return folder


class Answers:
    """Stands in for QMessageBox.question: records what was asked, answers ``reply``."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []
        self.reply = QMessageBox.StandardButton.Cancel

    def __call__(self, parent, title, text, *args) -> QMessageBox.StandardButton:
        self.asked.append((title, text))
        return self.reply


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    answers = Answers()
    monkeypatch.setattr(QMessageBox, "question", answers)
    return answers


def enrollable(folder: Path, **kwargs) -> FakeRecognizer:
    """A FakeRecognizer with a model file on disk, so its embeddings are cached by file hash like a real model's."""
    model = FakeRecognizer(**kwargs)
    folder.mkdir(parents=True, exist_ok=True)
    onnx = folder / "fake-model.onnx"
    onnx.write_bytes(b"not really onnx, but a file to hash")
    model.info = ModelInfo(model.info.name, onnx, folder / "labels.json", None)
    return model


def some_take(seed: int = 0, frames: int = 24) -> Take:
    """The synthetic signer's sign, jittered by ``seed``."""
    raw = np.stack([signer_landmarks("sign", k, frames) for k in range(frames)])
    raw[..., :2] += np.random.default_rng(seed).normal(0, 0.003, raw[..., :2].shape).astype(np.float32)
    return Take(raw, 30.0, "camera")


@pytest.fixture
def camera_window(qtbot, make_window, tmp_path):
    """A window on a fake camera with the scripted signer, whose model can take custom signs."""

    def make(extractor: FakeExtractor | None = None, start: bool = True):
        window = make_window(catalog=FakeCatalog(FakeCameraDevice()), model=enrollable(tmp_path / "model"),
                             extractor=extractor)
        settle(qtbot, window)
        if start:
            with qtbot.waitSignal(window.session.frame_processed, timeout=WAIT_MS):
                window.start(None)
        return window

    return make


def record_take(qtbot, dialog: TeachDialog, timeout: int) -> None:
    """Press Record, wait for the take, keep it."""
    count = len(dialog.cards)
    dialog.record()
    qtbot.waitUntil(lambda: len(dialog.cards) > count, timeout=timeout)
    dialog.keep(dialog.cards[-1])


def settle(qtbot, window) -> None:
    """Wait until the session's background jobs (reading and enrolling the custom signs) are done."""
    qtbot.waitUntil(lambda: window.session.background_jobs == 0, timeout=WAIT_MS)


def teach(qtbot, window, **kwargs) -> TeachDialog:
    dialog = TeachDialog(window.session, window.settings, window, **{"countdown_ms": 30, **kwargs})
    dialog.show()
    return dialog


def test_record_counts_down_then_the_next_sign_becomes_a_take(qtbot, camera_window):
    window = camera_window()
    dialog = teach(qtbot, window, countdown_ms=150)
    assert dialog.state is TeachState.READY and dialog.record_button.isEnabled()
    dialog.record()
    assert dialog.state is TeachState.COUNTDOWN and dialog.view.countdown == 3
    assert dialog.hint.text().endswith("3") and not dialog.record_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.view.countdown == 2, timeout=2000)
    qtbot.waitUntil(lambda: dialog.state is TeachState.WAITING, timeout=2000)
    assert dialog.view.countdown == 0 and "Sign now" in dialog.hint.text()
    qtbot.waitUntil(lambda: len(dialog.cards) == 1, timeout=WAIT_MS)
    card = dialog.cards[0]
    assert card.state is TakeState.NEW and card.title.text() == "Take 1"
    assert card.take.landmarks.shape[1:] == (184, 4) and len(card.take.landmarks) >= 6
    assert card.take.source == "camera" and 1 <= card.take.fps <= 240
    assert card.preview.frames == len(card.take.landmarks)
    assert dialog.state is TeachState.READY and "Take 1 added" in dialog.hint.text()
    assert not dialog.save_button.isEnabled()  # a new take is reviewed first
    dialog.keep(card)
    assert card.state is TakeState.KEPT and "1 kept" in dialog.summary.text()
    dialog._saved = True  # (nothing to ask at teardown)


def test_no_sign_within_the_wait_says_so(qtbot, camera_window):
    window = camera_window(extractor=FakeExtractor([("rest", 20)]))  # someone there, hands down
    dialog = teach(qtbot, window, wait_s=0.3)
    dialog.record()
    qtbot.waitUntil(lambda: dialog.state is TeachState.NO_SIGN, timeout=5000)
    assert dialog.hint.text().startswith("No sign seen — raise your hands into view")
    assert dialog.record_button.isEnabled() and dialog.cards == []


def test_keep_discard_and_when_save_is_possible(qtbot, camera_window, answers, data_dir):
    window = camera_window(start=False)
    dialog = teach(qtbot, window)
    cards = [dialog.add_take(some_take(i)) for i in range(4)]
    dialog.name_edit.setText("wave")
    assert not dialog.save_button.isEnabled()  # four takes to review
    for card in cards[:3]:
        dialog.keep(card)
    assert not dialog.save_button.isEnabled() and "3 kept, 1 to review" in dialog.summary.text()
    dialog.discard(cards[3])
    dialog.discard(cards[2])
    assert [c.number for c in dialog.cards] == [1, 2] and dialog.save_button.isEnabled()
    assert "record 1 more" in dialog.summary.text()
    dialog.save()  # two takes: a warning first, answered Cancel
    assert answers.asked and answers.asked[-1][0] == "Save with only 2 takes?"
    assert dialog.isVisible() and CustomStore().load() == []
    answers.reply = QMessageBox.StandardButton.Save
    with qtbot.waitSignal(window.session.custom_signs_changed, timeout=WAIT_MS):
        dialog.save()
    assert not dialog.isVisible()
    (sign,) = CustomStore(data_dir / "custom").load()
    assert sign.name == "wave" and len(sign.takes) == 2
    np.testing.assert_allclose(sign.takes[0].landmarks, cards[0].take.landmarks)
    assert [s.name for s in window.session.custom_signs] == ["wave"]
    labels = window.session.custom_recognizer.labels
    assert labels[-1].id == CUSTOM_PREFIX + sign.id  # the model now knows it


def test_the_name_is_checked_as_typed(qtbot, camera_window, data_dir):
    CustomStore(data_dir / "custom").save(CustomSign("mine already", [some_take()]))
    window = camera_window(start=False)
    assert [s.name for s in window.session.custom_signs] == ["mine already"]
    dialog = teach(qtbot, window)
    dialog.keep(dialog.add_take(some_take()))
    dialog.name_edit.setText("   ")
    assert not dialog.save_button.isEnabled() and "name to save" in dialog.summary.text()
    dialog.name_edit.setText("bad\x07name")
    assert "control characters" in dialog.name_note.text() and not dialog.save_button.isEnabled()
    dialog.name_edit.setText("Mine  Already")
    assert "You already have a sign called" in dialog.name_note.text() and not dialog.save_button.isEnabled()
    dialog.name_edit.setText("hello")  # a sign of the (fake) model
    assert "your own version" in dialog.name_note.text() and dialog.save_button.isEnabled()
    dialog.name_edit.setText("شكرا")  # any script; right to left is shown from the right
    assert dialog.name_note.text() == "" and dialog.save_button.isEnabled()
    image = dialog.name_edit.grab().toImage()
    inked = [x for x in range(image.width()) if any(QColor(image.pixel(x, y)).lightness() < 100
                                                       for y in range(4, image.height() - 4))]
    assert inked and min(inked) > image.width() / 2
    dialog.gloss_edit.setText("one")  # a gloss of the model's sign واحد
    assert "واحد" in dialog.name_note.text()
    dialog._saved = True


def test_closing_with_unsaved_takes_asks_first(qtbot, camera_window, answers):
    window = camera_window(start=False)
    dialog = window.teach_sign()
    dialog.add_take(some_take())
    dialog.reject()  # Cancel or Esc
    assert answers.asked[-1][0] == "Discard the takes?" and dialog.isVisible()
    window.close()  # the main window asks too, and stays open
    assert len(answers.asked) == 2 and window.isVisible()
    answers.reply = QMessageBox.StandardButton.Discard
    dialog.close()
    assert not dialog.isVisible()
    window.close()
    assert not window.isVisible()


def test_without_a_camera_takes_come_from_video_files(qtbot, make_window, tmp_path):
    window = make_window(model=enrollable(tmp_path / "model"))
    window.start(None)  # no camera at all
    qtbot.waitUntil(lambda: window.session.state.value == "no-camera", timeout=WAIT_MS)
    dialog = teach(qtbot, window)
    assert dialog.state is TeachState.NO_CAMERA and not dialog.record_button.isEnabled()
    assert dialog.picture.currentWidget() is dialog.no_camera and "No camera is running" in dialog.no_camera.text()
    assert dialog.import_button.isEnabled()
    good = [write_clip(tmp_path / f"take{i}.npz", sign_stream(20, noise=0.004, seed=i)) for i in range(2)]
    empty = write_clip(tmp_path / "nothing.npz", sign_stream())  # no sign in it
    dialog.import_files([*good, empty])
    assert dialog.state is TeachState.IMPORTING and not dialog.save_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.state is TeachState.NO_CAMERA, timeout=WAIT_MS)
    assert [c.take.source for c in dialog.cards] == ["npz:take0.npz", "npz:take1.npz"]
    assert "nothing.npz" in dialog.error_label.text() and "no sign" in dialog.error_label.text()
    assert window.settings.last_folder == str(tmp_path)
    dialog._saved = True


def test_a_failed_save_keeps_every_take(qtbot, camera_window, monkeypatch, data_dir):
    window = camera_window(start=False)
    dialog = teach(qtbot, window)
    for i in range(3):
        dialog.keep(dialog.add_take(some_take(i)))
    dialog.name_edit.setText("kept safe")

    def full_disk(sign):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(window.session.store, "save", full_disk)
    dialog.save()
    assert dialog.state is TeachState.SAVING and not dialog.save_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.state is not TeachState.SAVING, timeout=WAIT_MS)
    box = next(w for w in dialog.findChildren(QMessageBox) if w.isVisible())
    assert "No space left" in box.text() and "still here" in box.text()
    box.close()
    assert dialog.isVisible() and len(dialog.kept()) == 3 and dialog.has_unsaved()
    monkeypatch.undo()
    monkeypatch.setenv("SIGNDESK_DATA_DIR", str(data_dir))
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save()
    assert [s.name for s in CustomStore(data_dir / "custom").load()] == ["kept safe"]


def test_enrolling_runs_off_the_ui_thread_and_the_main_view_recognizes_the_sign(
        qtbot, camera_window, monkeypatch, data_dir):
    threads: list[threading.Thread] = []
    original = CustomRecognizer.set_signs

    def spy(self, signs):
        threads.append(threading.current_thread())
        original(self, signs)

    monkeypatch.setattr(CustomRecognizer, "set_signs", spy)
    window = camera_window()
    dialog = teach(qtbot, window)
    for _ in range(3):
        record_take(qtbot, dialog, WAIT_MS)
    dialog.name_edit.setText("circle")
    threads.clear()
    with qtbot.waitSignal(window.session.custom_signs_changed, timeout=WAIT_MS):
        dialog.save()
    assert threads and all(t is not threading.main_thread() for t in threads)
    results = []
    window.session.attempt_result.connect(results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    names = [label.name for label, _ in results[-1].prediction.top]
    assert "circle" in names  # the next sign of the same kind is ranked as the new sign


def test_record_again_replaces_the_takes_of_the_same_sign(qtbot, camera_window, data_dir):
    store = CustomStore(data_dir / "custom")
    old = store.save(CustomSign("old", [some_take(1)], gloss="OLD"))
    window = camera_window(start=False)
    dialog = teach(qtbot, window, sign=old)
    assert dialog.windowTitle() == "Record old again" and dialog.name_edit.text() == "old"
    assert dialog.gloss_edit.text() == "OLD" and dialog.name_note.text() == ""  # its own name is no clash
    for i in range(3):
        dialog.keep(dialog.add_take(some_take(10 + i)))
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save()
    (sign,) = store.load()
    assert sign.id == old.id and len(sign.takes) == 3 and sign.gloss == "OLD"


# --- end to end, with MediaPipe and the bundled model ---------------------------------------


def _frames_of(clips: list[Path]) -> list[np.ndarray]:
    """The clips one after another, each between a few empty frames (the hands go down)."""
    from signdesk.capture import VideoFile

    blank = np.full((256, 256, 3), 40, np.uint8)
    frames: list[np.ndarray] = []
    for clip in clips:
        with VideoFile(clip) as video:
            frames += [blank] * 6 + [f.image for f in video] + [blank] * 6
    return frames


def test_three_takes_at_a_camera_make_a_sign_the_model_then_ranks(qtbot, make_window, data_dir):
    """Real KArSL clips of sign 0075 played by a fake camera, through MediaPipe and karsl-arabic."""
    clips = sorted(need(KARSL_WALEAD / "01-test-mp4s").glob("*_0075_*.mp4"))
    assert len(clips) >= 4
    device = FakeCameraDevice(frames=_frames_of(clips[:3]), fps=10.0)  # slow enough for MediaPipe on 2 cores
    window = make_window(catalog=FakeCatalog(device), settings=Settings(threshold=0.0, every_frame=True,
                                                                         picture=False), real=True, graphs=1)
    assert window.session.custom_recognizer is not None
    with qtbot.waitSignal(window.session.frame_processed, timeout=REAL_WAIT_MS):
        window.start(None)
    dialog = teach(qtbot, window, wait_s=30)
    for _ in range(3):
        record_take(qtbot, dialog, REAL_WAIT_MS)
    assert all(len(c.take.landmarks) >= 6 for c in dialog.cards)
    dialog.name_edit.setText("my sign")
    with qtbot.waitSignal(window.session.custom_signs_changed, timeout=REAL_WAIT_MS):
        dialog.save()
    (sign,) = CustomStore(data_dir / "custom").load()
    assert len(sign.takes) == 3 and {t.source for t in sign.takes} == {"camera"}
    assert any((data_dir / "custom" / ".embeddings").glob("*.npz"))  # embeddings cached for next time

    shown = []
    window.attempt_shown.connect(shown.append)
    with qtbot.waitSignal(window.stream_finished, timeout=REAL_WAIT_MS):
        window.open_file(clips[-1])  # a fourth clip of the same sign
    assert shown
    names = [label.name for label, _ in shown[-1].prediction.top]
    assert "my sign" in names, names

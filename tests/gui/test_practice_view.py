"""The practice view (signdesk.gui.practice_view): pick a target, sign, see the verdict and feedback.

Fast tests run the real window on the fakes and hand the session finished attempts directly (an
AttemptResult whose top sign is chosen), or let the fake camera's scripted signer make one. The
progress database lives in this test's private SIGNDESK_DATA_DIR (tests/conftest.py). One
end-to-end test plays real KArSL clips of sign 0074 through MediaPipe and the bundled model.
"""

from __future__ import annotations

import numpy as np
from conftest import KARSL_WALEAD, need  # tests/conftest.py
from fakes import FakeExtractor, FakeRecognizer, fixture_labels, signer_landmarks
from PySide6.QtWidgets import QMessageBox

from gui.fakes import FakeCameraDevice, FakeCatalog
from signdesk.gui.settings import Settings
from signdesk.gui.states import PracticeState, ViewKind
from signdesk.pipeline import AttemptResult
from signdesk.practice.progress import ProgressStore
from signdesk.practice.verdict import CORRECT_THRESHOLD
from signdesk.recognizer import Prediction
from signdesk.resources import user_data_dir
from signdesk.windowing import Attempt

WAIT_MS = 30000
REAL_WAIT_MS = 180000  # MediaPipe on two shared cores


def practice_window(qtbot, make_window, **kwargs):
    """A window showing the practice view, with its progress store open."""
    window = make_window(**kwargs)
    window.show_view(ViewKind.PRACTICE)
    qtbot.waitUntil(lambda: window.session.background_jobs == 0 and window.practice.store is not None,
                    timeout=WAIT_MS)
    return window


def attempt_of(top: str, p: float = 0.9, frames: int = 24) -> AttemptResult:
    """A finished attempt whose prediction ranks the sign with id ``top`` first, at ``p``."""
    labels = fixture_labels()
    first = next(lab for lab in labels if lab.id == top)
    rest = [lab for lab in labels if lab is not first][:4]
    share = (1 - p) / len(rest)
    raw = np.stack([signer_landmarks("sign", k, frames) for k in range(frames)])
    attempt = Attempt(0, frames - 1, 0.0, (frames - 1) / 30, raw.copy(), raw)
    return AttemptResult(attempt, Prediction([(first, p)] + [(lab, share) for lab in rest], np.zeros(8)), 1.0)


def records() -> list:
    with ProgressStore(user_data_dir() / "progress.sqlite3") as store:
        return store.history()


def test_search_picks_a_target_and_shows_its_name_gloss_and_no_reference(qtbot, make_window):
    window = practice_window(qtbot, make_window)
    view = window.practice
    assert window.views.currentWidget() is view and view.state is PracticeState.WAITING
    view.picker.search_edit.setText("thank")
    assert [view.picker.target_list.item(i).text() for i in range(view.picker.target_list.count())] == ["thank you"]
    assert view.target.name_label.text() == "thank you" and view.practice.current.id == "thankyou"
    qtbot.waitUntil(lambda: view.target.reference_view.placeholder.startswith("No reference"), timeout=WAIT_MS)
    assert window.settings.practice_target == "thankyou"
    view.show_all()
    assert view.picker.target_list.count() == len(fixture_labels())
    assert view.practice.current.id == "thankyou"  # the pick is kept when the list grows back


def test_a_recognized_attempt_shows_the_verdict_and_is_recorded(qtbot, make_window):
    window = practice_window(qtbot, make_window)
    view = window.practice
    assert view.select("0003")
    with qtbot.waitSignal(view.recorded, timeout=WAIT_MS):
        window.session.attempt_result.emit(attempt_of("0003", 0.92))
    assert view.feedback.verdict_label.text() == "✓ Recognized" and view.state is PracticeState.CORRECT
    assert "92%" in view.feedback.standing_label.text() and "#1" in view.feedback.standing_label.text()
    assert "No reference" in view.feedback.feedback_label.text()  # the fake model's signs have no reference
    assert view.feedback.attempt_view.frames == 24  # the attempt plays as a skeleton
    assert view.feedback.score_label.text() == "Score 1/1 · streak 1"
    (record,) = records()
    assert (record.sign_id, record.correct, round(record.confidence, 2)) == ("0003", True, 0.92)


def test_an_attempt_taken_for_another_sign_says_which(qtbot, make_window):
    window = practice_window(qtbot, make_window)
    view = window.practice
    view.select("0003")
    for top in ("0003", "hello"):
        with qtbot.waitSignal(view.recorded, timeout=WAIT_MS):
            window.session.attempt_result.emit(attempt_of(top, 0.8))
    assert view.feedback.verdict_label.text() == "✗ Taken for hello"
    assert view.state is PracticeState.WRONG
    assert view.feedback.score_label.text() == "Score 1/2 · streak 0"
    assert [r.correct for r in records()] == [True, False]


def test_a_custom_signs_reference_take_gives_feedback(qtbot, make_window, tmp_path):
    """A custom sign's reference take plays on the left and feedback compares the attempt with it."""
    from gui.test_teach import enrollable, some_take
    from signdesk.custom import CustomSign, CustomStore

    CustomStore(user_data_dir() / "custom").save(CustomSign("wave", [some_take()], gloss="WAVE"))
    window = make_window(model=enrollable(tmp_path / "model"))
    qtbot.waitUntil(lambda: window.session.custom_signs != [], timeout=WAIT_MS)
    window.show_view(ViewKind.PRACTICE)
    view = window.practice
    assert view.picker.categories() == ["My signs"]  # a custom sign without a category of its own
    assert view.select("wave")
    qtbot.waitUntil(lambda: view.target.reference_view.frames == 24, timeout=WAIT_MS)
    label = view.practice.current
    result = attempt_of("0002")
    result = AttemptResult(result.attempt, Prediction([(label, 0.95)] + result.prediction.top[1:], np.zeros(8)), 1.0)
    with qtbot.waitSignal(view.scored, timeout=WAIT_MS):
        window.session.attempt_result.emit(result)
    assert view.feedback.verdict_label.text() == "✓ Recognized"
    assert view.last.has_reference and view.feedback.feedback_label.text().startswith("• ")
    assert "No reference" not in view.feedback.feedback_label.text()


def test_attempts_are_only_scored_while_practising(qtbot, make_window):
    window = practice_window(qtbot, make_window)
    window.show_view(ViewKind.RECOGNIZE)
    window.session.attempt_result.emit(attempt_of("0002"))
    assert window.practice.practice.attempts == 0


def test_the_fake_signer_at_the_camera_is_scored(qtbot, make_window):
    window = practice_window(qtbot, make_window, catalog=FakeCatalog(FakeCameraDevice()),
                             extractor=FakeExtractor(), model=FakeRecognizer())
    view = window.practice
    with qtbot.waitSignal(view.recorded, timeout=WAIT_MS):
        window.start(None)
    assert view.feedback.verdict_label.text().startswith(("✓", "✗"))
    assert len(records()) == 1


def test_summary_counts_attempts_correct_and_best_streak(qtbot, make_window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "open", lambda self: None)
    window = practice_window(qtbot, make_window)
    view = window.practice
    view.select("0002")
    for top in ("0002", "0002", "no", "0002"):
        with qtbot.waitSignal(view.recorded, timeout=WAIT_MS):
            window.session.attempt_result.emit(attempt_of(top, max(CORRECT_THRESHOLD, 0.95)))
    with qtbot.waitSignal(view.summary_shown, timeout=WAIT_MS) as shown:
        view.feedback.summary_button.click()
    summary = shown.args[0]
    assert (summary.attempts, summary.correct, summary.best_streak) == (4, 3, 2)
    assert (summary.mastered, summary.to_review) == (0, 0)  # read from the store: nothing due yet
    text = view.summary_box.text()
    assert "Attempts: 4" in text and "Best streak: 2" in text


def test_a_damaged_progress_file_is_set_aside_and_said(qtbot, make_window):
    folder = user_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "progress.sqlite3").write_bytes(b"this is not a database" * 100)
    window = practice_window(qtbot, make_window)
    assert window.practice.store.problem
    assert not window.practice.problem_label.isHidden()
    assert "set aside" in window.practice.problem_label.text()


def test_left_handed_passes_through_to_the_session(qtbot, make_window):
    window = practice_window(qtbot, make_window, settings=Settings(threshold=0.0, left_handed=True))
    view = window.practice
    assert view.target.left_handed_box.isChecked() and view.practice.left_handed
    view.target.left_handed_box.setChecked(False)
    assert not window.settings.left_handed and not view.practice.left_handed


def _clip_frames(clips) -> list:
    from signdesk.capture import VideoFile

    frames = []
    for clip in clips:
        with VideoFile(clip) as video:
            images = [f.image for f in video]
        blank = np.zeros_like(images[0])
        frames += [blank] * 6 + images + [blank] * 6
    return frames


def test_real_clips_of_the_target_sign_are_recognized(qtbot, make_window):
    """A fake camera plays real KArSL clips of sign 0074; MediaPipe and karsl-arabic score them."""
    folder = need(KARSL_WALEAD / "01-test-mp4s")
    clips = sorted(folder.glob("*_*_0074_*.mp4"))[:2]
    assert clips, f"no clip of sign 0074 in {folder}"
    device = FakeCameraDevice(frames=_clip_frames(clips), fps=10.0)  # slow enough for MediaPipe on 2 cores
    window = make_window(catalog=FakeCatalog(device), settings=Settings(threshold=0.0, every_frame=True,
                                                                         picture=False), real=True, graphs=1)
    window.show_view(ViewKind.PRACTICE)
    view = window.practice
    view.picker.search_edit.setText("0074")
    assert view.practice.current is not None and view.practice.current.id == "0074"
    with qtbot.waitSignal(view.scored, timeout=REAL_WAIT_MS) as first:
        window.start(None)
    verdict = first.args[0].verdict
    assert verdict.correct, verdict
    assert view.feedback.verdict_label.text() == "✓ Recognized"
    assert view.feedback.attempt_view.frames > 0


def test_before_the_first_attempt_the_view_invites_and_shows_no_verdict(qtbot, make_window):
    window = practice_window(qtbot, make_window)
    view, panel = window.practice, window.practice.feedback
    target = view.practice.current
    assert view.state is PracticeState.WAITING
    assert f"Sign <b>{target.name}</b> when ready" in panel.hint_label.text()
    assert [lab.text() for lab in (panel.verdict_label, panel.standing_label, panel.feedback_label)] == ["", "", ""]
    assert panel.attempt_view.isHidden() and panel.compare_view.isHidden()  # nothing to compare yet
    assert view.shown_text() == panel.hint_label.text()
    with qtbot.waitSignal(view.recorded, timeout=WAIT_MS):
        window.session.attempt_result.emit(attempt_of(target.id, 0.9))
    assert panel.verdict_label.text() == "✓ Recognized" and not panel.attempt_view.isHidden()
    assert panel.hint_label.isHidden()
    view.target.next_button.click()  # a new target: invited again, the old verdict gone
    assert view.practice.current is not target and panel.verdict_label.text() == ""
    assert f"Sign <b>{view.practice.current.name}</b>" in panel.hint_label.text() and panel.attempt_view.isHidden()


def test_the_category_filter_lists_the_signs_of_one_category(qtbot, make_window, tmp_path):
    """Categories come from the labels file beside the model; a model without them hides the filter."""
    import json
    from dataclasses import replace

    from fakes import FakeRecognizer

    from signdesk.practice.categories import MY_SIGNS

    model = FakeRecognizer()
    path = tmp_path / "labels.json"
    kinds = {"0002": "Numbers", "0003": "Numbers", "hello": "Greetings", "thankyou": "Greetings"}
    path.write_text(json.dumps({"labels": [{"name": lab.name, "gloss": lab.gloss, "id": lab.id,
                                            "category": kinds.get(lab.id, "")} for lab in model.labels]}),
                    encoding="utf-8")
    model.info = replace(model.info, labels=path)
    window = practice_window(qtbot, make_window, model=model)
    picker = window.practice.picker
    assert not picker.category_combo.isHidden() and picker.categories() == ["Greetings", "Numbers"]
    assert MY_SIGNS not in picker.categories()  # no custom signs here
    picker.pick_category("Numbers")
    assert [lab.id for lab in window.practice.practice.targets] == ["0002", "0003"]
    assert picker.items() == ["واحد (one)", "اثنان (two)"]
    picker.all_button.click()
    assert picker.target_list.count() == len(model.labels) and picker.category_combo.currentIndex() == 0


def test_a_model_without_categories_hides_the_filter(qtbot, make_window):
    window = practice_window(qtbot, make_window)
    assert window.practice.picker.category_combo.isHidden() and window.practice.picker.categories() == []


def test_a_sign_under_way_when_the_target_changes_is_not_scored_against_the_new_target(qtbot, make_window):
    from signdesk.gui.workers import Processed
    from signdesk.landmarks import detection_of
    from signdesk.pipeline import FrameResult

    def frame(signing: bool) -> Processed:
        raw = signer_landmarks("sign" if signing else "rest", 0, 24)
        return Processed(0, FrameResult(0, 0.0, raw, detection_of(raw), signing, signing), 1.0, 1)

    window = practice_window(qtbot, make_window)
    view = window.practice
    assert view.select("0002")
    window.session.frame_processed.emit(frame(True))  # the learner is signing 0002...
    assert view.select("0003")  # ...and picks the next sign before the hands are down
    window.session.frame_processed.emit(frame(False))
    window.session.attempt_result.emit(attempt_of("0002", 0.9))
    assert view.last is None and view.state is PracticeState.WAITING  # not an attempt at 0003
    window.session.frame_processed.emit(frame(True))  # a new attempt, begun at 0003
    window.session.frame_processed.emit(frame(False))
    with qtbot.waitSignal(view.recorded, timeout=WAIT_MS):
        window.session.attempt_result.emit(attempt_of("0003", 0.9))
    assert view.state is PracticeState.CORRECT and [r.sign_id for r in records()] == ["0003"]

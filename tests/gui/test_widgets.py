"""Widgets on their own: mirrored picture and overlay, right-to-left text, dialogs, voice, settings."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QColor, QImage

from fakes import FakeRecognizer  # tests/fakes.py
from signdesk.gui.dialogs import AboutDialog, VocabularyTab
from signdesk.gui.result_panel import ResultPanel
from signdesk.gui.settings import Settings
from signdesk.gui.speech import Speaker
from signdesk.gui.style import is_rtl, set_directional_text
from signdesk.gui.video_view import VideoView
from signdesk.landmarks import N_CHANNELS, N_LANDMARKS, RIGHT_HAND_ROWS
from signdesk.recognizer import Label, Prediction

RED, BLUE = QColor(255, 0, 0), QColor(0, 0, 255)


def _half_red_half_blue(w: int = 200, h: int = 120) -> QImage:
    image = QImage(w, h, QImage.Format.Format_RGB888)
    image.fill(BLUE)
    for x in range(w // 2):
        for y in range(h):
            image.setPixelColor(x, y, RED)
    return image


def _near(color: QColor, target: QColor) -> bool:
    return abs(color.red() - target.red()) < 40 and abs(color.blue() - target.blue()) < 40 \
        and abs(color.green() - target.green()) < 40


@pytest.mark.parametrize("mirror", [False, True])
def test_mirroring_flips_the_picture_and_the_overlay_together(qtbot, mirror):
    view = VideoView()
    qtbot.addWidget(view)
    view.resize(400, 240)  # same aspect as the image: the picture fills the widget
    view.set_image(_half_red_half_blue())
    raw = np.zeros((N_LANDMARKS, N_CHANNELS), np.float32)
    hand = RIGHT_HAND_ROWS.start
    raw[hand: hand + 21, :2] = (0.1, 0.5)  # a hand squeezed into a point on the image's left side
    raw[hand + 5, :2] = (0.1, 0.3)
    raw[hand: hand + 21, 3] = 1.0
    view.set_landmarks(raw)
    view.set_state(mirror=mirror)
    shot = view.grab().toImage()
    left, right = shot.pixelColor(QPoint(60, 150)), shot.pixelColor(QPoint(340, 150))
    assert _near(left, BLUE if mirror else RED) and _near(right, RED if mirror else BLUE)
    hand_x = 360 if mirror else 40  # x = 0.1 of 400 px (on the red half), or its mirror image
    assert not _near(shot.pixelColor(QPoint(hand_x, 96)), RED)  # the overlay is drawn over the hand
    assert _near(shot.pixelColor(QPoint(400 - hand_x, 96)), BLUE)  # and not on the other side
    view.set_state(overlay=False)
    assert _near(view.grab().toImage().pixelColor(QPoint(hand_x, 96)), RED)


def test_a_hidden_picture_shows_only_the_landmarks(qtbot):
    view = VideoView()
    qtbot.addWidget(view)
    view.resize(400, 240)
    view.set_image(_half_red_half_blue())
    raw = np.zeros((N_LANDMARKS, N_CHANNELS), np.float32)
    hand = RIGHT_HAND_ROWS.start
    raw[hand: hand + 21, :2] = (0.1, 0.5)
    raw[hand + 5, :2] = (0.1, 0.3)
    raw[hand: hand + 21, 3] = 1.0
    view.set_landmarks(raw)
    view.set_state(mirror=False, overlay=False, picture=False)
    shot = view.grab().toImage()
    for point in (QPoint(60, 150), QPoint(340, 150), QPoint(200, 20)):  # no pixel of the image is shown
        assert _near(shot.pixelColor(point), VideoView.HIDDEN_PICTURE)
    assert not _near(shot.pixelColor(QPoint(40, 96)), VideoView.HIDDEN_PICTURE)  # the landmarks still are


def test_arabic_text_is_laid_out_right_to_left(qtbot):
    from PySide6.QtWidgets import QLabel

    assert is_rtl("هيكل عظمي") and is_rtl("  ج") and not is_rtl("hello") and not is_rtl("800")
    label = QLabel()
    qtbot.addWidget(label)
    set_directional_text(label, "هيكل عظمي")
    assert label.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert label.alignment() & Qt.AlignmentFlag.AlignRight
    set_directional_text(label, "thank you")
    assert label.layoutDirection() == Qt.LayoutDirection.LeftToRight


def _prediction(*pairs: tuple[str, str, float]) -> Prediction:
    return Prediction([(Label(n, g, str(i)), p) for i, (n, g, p) in enumerate(pairs)], np.zeros(4, np.float32))


def test_result_panel_shows_sign_gloss_candidates_and_not_sure(qtbot):
    panel = ResultPanel(threshold=0.5)
    qtbot.addWidget(panel)
    pred = _prediction(("هيكل عظمي", "Skeleton", 0.81), ("جمجة", "skull", 0.1), ("وجه", "Face", 0.05),
                       ("كبد", "liver", 0.02), ("رئتان", "lungs", 0.01), ("بلعوم", "pharynx", 0.01))
    assert panel.show_prediction(pred, final=True) is True
    assert panel.shown_text() == "هيكل عظمي" and panel.gloss.text() == "Skeleton"
    assert [r.name.text() for r in panel.rows] == ["جمجة", "وجه", "كبد", "رئتان"]
    assert all(r.name.alignment() & Qt.AlignmentFlag.AlignRight for r in panel.rows)
    panel.add_history("12:00:01", *pred.best)
    item = panel.history.item(0, 1)
    assert item.text() == "هيكل عظمي" and item.textAlignment() & Qt.AlignmentFlag.AlignRight
    panel.set_threshold(0.9)
    assert panel.shown_text() == "Not sure" and "90%" in panel.caption.text()
    assert panel.rows[0].name.text() == "هيكل عظمي"  # the closest sign is listed, not announced
    live = _prediction(("hello", "hello", 0.95), ("thank you", "thank you", 0.05))
    panel.show_prediction(live, final=False)
    assert panel.caption.text().startswith("Signing")
    assert panel.rows[1].name.text() == "" and panel.rows[1].bar.value is None  # blank, not stale
    panel.drop_live("Raise your hands to sign")  # the camera was lost mid-sign: the guess goes
    assert not panel.has_result() and panel.gloss.text() == "Raise your hands to sign"
    panel.set_threshold(0.5)
    panel.show_prediction(pred, final=True)
    panel.drop_live("Raise your hands to sign")  # a final result stays
    assert panel.shown_text() == "هيكل عظمي"


def test_text_grows_with_the_zoom_and_the_system_font(qtbot):
    from PySide6.QtWidgets import QApplication

    panel = ResultPanel(threshold=0.5)
    qtbot.addWidget(panel)
    base = panel.sign.font().pointSizeF()
    panel.set_zoom(1.5)
    assert panel.sign.font().pointSizeF() == pytest.approx(base * 1.5, rel=0.01)
    app_font = QApplication.font()
    bigger = type(app_font)(app_font)
    bigger.setPointSizeF(app_font.pointSizeF() * 2)
    QApplication.setFont(bigger)
    try:
        panel.set_zoom(1.5)
        assert panel.sign.font().pointSizeF() == pytest.approx(base * 3.0, rel=0.01)
    finally:
        QApplication.setFont(app_font)


def test_vocabulary_is_searchable_and_the_model_card_is_shown(qtbot, tmp_path):
    card = tmp_path / "MODEL_CARD.md"
    card.write_text("# The fixture model\n\nTrained on nothing at all: a test double.\n", encoding="utf-8")
    recognizer = FakeRecognizer(card=card)  # the fixture labels, named "fixture-fake"
    tab = VocabularyTab(recognizer)
    qtbot.addWidget(tab)
    assert tab.filter("") == 6
    assert tab.filter("THANK") == 1
    assert tab.filter("اثنان") == 1
    assert tab.filter("zzz") == 0 and tab.count.text() == "0 of 6 signs match"
    dialog = AboutDialog(recognizer, [("Pause", "Space")])
    qtbot.addWidget(dialog)
    texts = [dialog.tabs.widget(i) for i in range(dialog.tabs.count())]
    assert "fixture-fake" in texts[1].toPlainText() and "Signs: 6" in texts[1].toPlainText()
    assert "Language: test" in texts[1].toPlainText() and "Trained on nothing at all" in texts[1].toPlainText()
    assert "MediaPipe" in texts[3].toPlainText() and "LGPL" in texts[3].toPlainText()
    assert "Space" in texts[0].toPlainText()


def test_the_model_tab_copes_without_a_model_or_a_readable_card(qtbot, tmp_path):
    dialog = AboutDialog(None, [])
    qtbot.addWidget(dialog)
    assert "No model loaded" in dialog.tabs.widget(1).toPlainText()
    assert dialog.vocabulary.filter("") == 0 and dialog.vocabulary.count.text() == "0 signs"
    no_card = AboutDialog(FakeRecognizer(), [])
    qtbot.addWidget(no_card)
    assert "This model has no model card" in no_card.tabs.widget(1).toPlainText()
    gone = tmp_path / "MODEL_CARD.md"  # listed, but deleted since the model was loaded
    unreadable = AboutDialog(FakeRecognizer(card=gone), [])
    qtbot.addWidget(unreadable)
    assert f"The model card {gone} cannot be read" in unreadable.tabs.widget(1).toPlainText()


def test_voice_toggle_is_disabled_with_the_reason_when_speech_is_unavailable(qtbot, make_window):
    window = make_window()
    speaker = window.speaker
    if speaker.available:
        assert window.acts.voice.isEnabled()
        assert speaker.thread is None  # the engine starts only when the voice is turned on
    else:
        assert not window.acts.voice.isEnabled()
        assert window.acts.voice.toolTip() == speaker.reason and speaker.reason.startswith("Voice is unavailable")
        assert speaker.say(Label("hello")) == ""


def test_the_voice_reads_the_sign_in_its_own_language_when_a_voice_exists():
    speaker = Speaker()
    speaker.locales = ["en_US", "de_DE"]
    assert speaker.text_for(Label("هيكل عظمي", "Skeleton")) == ("Skeleton", "en_US")
    assert speaker.text_for(Label("thank you", "thank you")) == ("thank you", "en_US")
    speaker.locales = ["ar_EG", "en_US"]
    assert speaker.text_for(Label("هيكل عظمي", "Skeleton")) == ("هيكل عظمي", "ar_EG")


def test_voice_speaks_each_recognized_sign(qtbot, make_window, fake_video):
    speaker = Speaker(engine="mock")  # Qt's silent test engine
    if not speaker.available:
        pytest.skip(speaker.reason)
    window = make_window(settings=Settings(threshold=0.0, every_frame=True), speaker=speaker)
    window.acts.voice.trigger()
    qtbot.waitUntil(lambda: speaker.ready, timeout=10000)
    spoken: list = []
    speaker._say.connect(lambda text, locale: spoken.append(text))
    shown: list = []
    window.attempt_shown.connect(shown.append)
    with qtbot.waitSignal(window.stream_finished, timeout=60000):
        window.open_file(fake_video)
    assert shown and spoken == [speaker.text_for(a.prediction.best[0])[0] for a in shown]
    assert all(spoken)
    window.close()
    assert speaker.thread.isFinished()


def test_speaker_reports_why_when_qt_speech_cannot_load(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def failing(name, *args, **kwargs):
        if name == "PySide6.QtTextToSpeech":
            raise ImportError("libpulse.so.0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", failing)
    speaker = Speaker()
    assert not speaker.available
    assert "libpulse.so.0" in speaker.reason


def test_settings_from_a_damaged_file_fall_back_to_safe_values(isolated_settings):
    store = QSettings(str(isolated_settings / "damaged.ini"), QSettings.Format.IniFormat)
    for key, value in {"threshold": "3.5", "stride": "0", "speed": "7", "theme": "neon", "mirror": "false",
                       "text_zoom": "-2", "camera": "-4", "resolution": "1920x1080"}.items():
        store.setValue(key, value)
    s = Settings.load(store)
    assert (s.threshold, s.stride, s.speed, s.theme, s.camera) == (1.0, 5, 1.0, "system", 0)
    assert s.mirror is False and s.text_zoom == 0.6 and s.resolution == "1920x1080"


def test_the_installed_pyside_does_not_leak_references_to_none():
    """PySide6 6.12.0 loses a reference to None per void call and crashes Python 3.11."""
    import sys

    from signdesk.gui import compat

    if sys.version_info < (3, 12):
        assert not compat.void_calls_drop_none(), "this PySide6 crashes Python 3.11: pin PySide6<6.12"
    compat.check_pyside()

"""The progress page (signdesk.gui.progress_view): chart over days, per-sign table, CSV export.

The history is made by ``seed_history`` (tests/test_practice_overview.py) through the real
ProgressStore in this test's private user data folder, before the window opens it.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

from fakes import fixture_labels
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFileDialog
from test_practice_overview import seed_history  # tests/test_practice_overview.py

from gui.test_practice_view import WAIT_MS, attempt_of, practice_window
from signdesk.gui.progress_chart import ACCURACY_COLOR, MASTERED_COLOR, ProgressChart
from signdesk.gui.progress_view import EMPTY_TEXT, SIGN_ROLE, ProgressState, due_text
from signdesk.practice.overview import overview
from signdesk.practice.progress import CSV_COLUMNS, ProgressStore
from signdesk.resources import user_data_dir

SIGNS = [(lab.id, lab.name) for lab in fixture_labels()[:4]]  # 0002, 0003, hello, thankyou


def seeded(days: int = 8) -> int:
    with ProgressStore(user_data_dir() / "progress.sqlite3") as store:
        return seed_history(store, SIGNS, days=days, start=datetime.now(UTC) - timedelta(days=days))


def open_page(qtbot, window, state: ProgressState = ProgressState.SHOWN):
    dialog = window.practice.show_progress()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.state is state, timeout=WAIT_MS)
    return dialog


def sign_rows(dialog) -> dict[str, list[str]]:
    table = dialog.sign_table
    return {table.item(r, 0).data(SIGN_ROLE): [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())}


def test_the_page_charts_each_day_and_lists_each_sign(qtbot, make_window):
    n = seeded()
    window = practice_window(qtbot, make_window)
    dialog = open_page(qtbot, window)
    with ProgressStore(user_data_dir() / "progress.sqlite3") as store:
        expected = overview(store)
        per_day = store.per_day()
    assert [(p.day, p.attempts, p.correct) for p in dialog.chart.days] == [
        (d.day, d.attempts, d.correct) for d in per_day]
    assert [p.mastered for p in dialog.chart.days] == [p.mastered for p in expected.days]
    assert dialog.summary_label.text().startswith(f"{n} attempts on {len(per_day)} days")
    rows = sign_rows(dialog)
    assert set(rows) == {s for s, _ in SIGNS}
    for row in expected.signs:  # each sign: its name and meaning from the model, its tally and schedule
        name, attempts, accuracy, _last, streak, due, mastered = rows[row.sign_id]
        label = next(lab for lab in fixture_labels() if lab.id == row.sign_id)
        assert (name, attempts, accuracy, streak) == (label.display, str(row.attempts), f"{row.accuracy:.0%}",
                                                      str(row.streak))
        assert due and mastered == ("✓" if row.mastered else "")
    assert not dialog.stack.currentWidget() is dialog.message_label and dialog.export_button.isEnabled()


def test_picking_a_sign_shows_its_attempts_newest_first(qtbot, make_window):
    seeded()
    window = practice_window(qtbot, make_window)
    dialog = open_page(qtbot, window)
    assert dialog.select_sign("hello")
    attempts = dialog.overview.attempts_of("hello")
    table = dialog.attempts_table
    assert table.rowCount() == len(attempts) > 0
    assert "hello" in dialog.attempts_caption.text()
    for row, record in enumerate(attempts):
        result = table.item(row, 1).text()
        assert result == "✓ Recognized" if record.correct else result.startswith("✗ Taken for")
        assert table.item(row, 2).text() == f"{record.confidence:.0%}"
    dialog.sign_table.selectRow(next(r for r in range(dialog.sign_table.rowCount())
                                     if dialog.sign_table.item(r, 0).data(SIGN_ROLE) == "0002"))
    assert dialog.attempts_table.rowCount() == len(dialog.overview.attempts_of("0002"))


def test_export_csv_writes_every_attempt(qtbot, make_window, tmp_path, monkeypatch):
    n = seeded()
    window = practice_window(qtbot, make_window)
    dialog = open_page(qtbot, window)
    target = tmp_path / "out" / "history.csv"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS):
        dialog.export_button.click()
    with open(target, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == n + 1
    assert {r[1] for r in rows[1:]} == {s for s, _ in SIGNS}
    assert str(target) in dialog.status_label.text() and window.settings.last_folder == str(target.parent)
    assert [p.name for p in target.parent.iterdir()] == ["history.csv"]  # no temporary file left


def test_with_no_attempts_the_page_says_so_instead_of_an_empty_chart(qtbot, make_window):
    window = practice_window(qtbot, make_window)
    dialog = open_page(qtbot, window, ProgressState.EMPTY)
    assert dialog.stack.currentWidget() is dialog.message_label and dialog.message_label.text() == EMPTY_TEXT
    assert not dialog.export_button.isEnabled() and dialog.chart.days == []


def test_the_page_follows_each_recorded_attempt(qtbot, make_window):
    window = practice_window(qtbot, make_window)
    dialog = open_page(qtbot, window, ProgressState.EMPTY)
    view = window.practice
    view.select("0003")
    with qtbot.waitSignal(view.recorded, timeout=WAIT_MS):
        window.session.attempt_result.emit(attempt_of("0003", 0.9))
    qtbot.waitUntil(lambda: dialog.state is ProgressState.SHOWN, timeout=WAIT_MS)
    assert sign_rows(dialog)["0003"][1:3] == ["1", "100%"]
    assert [(p.attempts, p.correct) for p in dialog.chart.days] == [(1, 1)]


def test_view_menu_opens_the_page_once(qtbot, make_window):
    window = practice_window(qtbot, make_window)
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert window.acts.show_progress in view_menu.actions()
    window.acts.show_progress.trigger()
    dialog = window.practice.progress_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    window.practice.feedback.progress_button.click()  # the practice view's button brings the same page up
    assert window.practice.progress_dialog is dialog


def _colours(widget) -> set[tuple[int, int, int]]:
    image = widget.grab().toImage()
    return {QColor(image.pixel(x, y)).getRgb()[:3] for x in range(0, image.width(), 2)
            for y in range(0, image.height(), 2)}


def test_the_chart_draws_both_series_in_the_light_and_the_dark_theme(qtbot):
    with ProgressStore(user_data_dir() / "p.sqlite3") as store:
        seed_history(store, SIGNS, days=12, per_day=20)
        days = overview(store).days
    for window_colour, text_colour in ((QColor("white"), QColor("black")), (QColor(30, 30, 30), QColor(230, 230, 230))):
        chart = ProgressChart()
        qtbot.addWidget(chart)
        palette = chart.palette()
        palette.setColor(QPalette.ColorRole.Window, window_colour)
        palette.setColor(QPalette.ColorRole.WindowText, text_colour)
        chart.setPalette(palette)
        chart.setAutoFillBackground(True)
        chart.resize(900, 320)
        chart.set_days(days)
        colours = _colours(chart)
        assert ACCURACY_COLOR.getRgb()[:3] in colours and MASTERED_COLOR.getRgb()[:3] in colours
        assert text_colour.getRgb()[:3] in colours  # dates and axis labels in the theme's text colour


def test_due_dates_read_as_words():
    now = datetime(2026, 3, 10, 9, 0, tzinfo=UTC).astimezone()
    assert due_text(None, now) == ""
    assert due_text(now - timedelta(hours=1), now) == "now"
    assert due_text(now + timedelta(days=1), now) == "tomorrow"
    assert due_text(now + timedelta(days=5), now) == f"{(now + timedelta(days=5)).day} Mar"


def test_signdesk_view_progress_screenshot_saves_the_page(tmp_path, long_clip):
    """``signdesk --view progress --screenshot OUT.png`` saves the progress page once the history is read."""
    from PySide6.QtGui import QImage

    from gui.test_app import _env, _signdesk

    seeded()
    out = tmp_path / "progress.png"
    proc = _signdesk("--model", "karsl-arabic", "--view", "progress", "--source", str(long_clip), "--screenshot",
                     str(out), env=_env(tmp_path, SIGNDESK_DATA_DIR=str(user_data_dir())))
    assert proc.returncode == 0, proc.stderr
    # (its "saved" line is not checked: MediaPipe's start-up silences descriptor 2 for a moment)
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 760)  # the page, not the 1280×720 window


def test_a_history_that_cannot_be_opened_is_said_on_the_page(qtbot, make_window, monkeypatch):
    from signdesk.gui import practice_view
    from signdesk.practice.progress import ProgressError

    def broken() -> ProgressStore:
        raise ProgressError("/nowhere: cannot create the data folder (read-only)")

    monkeypatch.setattr(practice_view, "ProgressStore", broken)
    window = make_window()
    window.show_view("practice")
    qtbot.waitUntil(lambda: not window.practice.problem_label.isHidden(), timeout=WAIT_MS)
    dialog = window.practice.show_progress()
    qtbot.addWidget(dialog)
    assert dialog.state is ProgressState.FAILED and "read-only" in dialog.message_label.text()
    assert not dialog.export_button.isEnabled()

"""The practice history: SQLite round trip, statistics, CSV export, a damaged file, threads."""

from __future__ import annotations

import csv
import sqlite3
import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from signdesk.practice import schedule
from signdesk.practice.progress import (
    CSV_COLUMNS,
    FILE_NAME,
    MASTERED_STREAK,
    ProgressError,
    ProgressStore,
)
from signdesk.resources import user_data_dir

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_default_location_and_round_trip():
    with ProgressStore() as store:
        assert store.path == user_data_dir() / FILE_NAME and store.problem is None
        store.record("0074", "قفص صدري", True, 0.8, model="karsl-arabic", rank=1, predicted="قفص صدري",
                     feedback=["Close to the reference."], when=T0)
        store.record("hello", "hello", False, 0.2, rank=3, predicted="yes", feedback=[{"measure": "hands"}],
                     when=T0 + timedelta(minutes=1))
    with ProgressStore() as store:  # reopened: everything is on disk
        h = store.history()
        assert [(r.sign_id, r.sign_name, r.correct, r.rank, r.predicted) for r in h] == [
            ("0074", "قفص صدري", True, 1, "قفص صدري"), ("hello", "hello", False, 3, "yes")]
        assert h[0].time == T0 and h[0].model == "karsl-arabic" and h[0].feedback == ["Close to the reference."]
        assert [r.sign_id for r in store.history("hello")] == ["hello"]
        assert set(store.cards()) == {"0074", "hello"} and store.names()["0074"] == "قفص صدري"
    columns = {row[1] for row in sqlite3.connect(user_data_dir() / FILE_NAME).execute("PRAGMA table_info(attempts)")}
    assert not columns & {"landmarks", "video", "frames"}


def test_per_day_and_mastered(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite3")
    for i, ok in enumerate([True, False, True]):
        store.record("a", "a", ok, 0.8, when=T0 + timedelta(minutes=i))
    store.record("b", "b", True, 0.8, when=T0 + timedelta(days=1))
    assert [tuple(d) for d in store.per_day(UTC)] == [(date(2026, 3, 1), 3, 2, pytest.approx(2 / 3)),
                                                      (date(2026, 3, 2), 1, 1, 1.0)]
    assert store.mastered() == []
    for i in range(MASTERED_STREAK):
        store.record("b", "b", True, 0.8, when=T0 + timedelta(days=1, minutes=i + 1))
    assert store.mastered() == ["b"] and store.streak("b") == MASTERED_STREAK + 1
    when = T0
    for _ in range(2):  # easy reviews, each on its due day: stability grows past 21 days
        store.record("c", "c", True, 0.95, when=when)
        when = schedule.due_at(store.card("c"))
    assert "c" in store.mastered() and store.streak("c") == 2
    store.close()


def test_export_csv(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.record("0074", "قفص صدري", True, 0.81234, rank=1, predicted="قفص صدري", feedback=["ok"], when=T0)
    store.record("x", "x", False, 0.1, when=T0)
    out = store.export_csv(tmp_path / "history.csv")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1] == [T0.isoformat(), "0074", "قفص صدري", "", "1", "0.8123", "1", "قفص صدري", '["ok"]']
    assert rows[2][6] == ""
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left
    store.close()


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100,
                                     b"SQLite format 3\x00" + b"\x07" * 4000])
def test_a_corrupt_file_is_set_aside(tmp_path, content):
    path = tmp_path / FILE_NAME
    path.write_bytes(content)
    store = ProgressStore(path)
    assert store.problem and "new history started" in store.problem
    aside = list(tmp_path.glob("progress.corrupt-*.sqlite3"))
    assert len(aside) == 1 and aside[0].read_bytes() == content
    store.record("a", "a", True, 0.8, when=T0)
    assert len(store.history()) == 1
    store.close()
    assert ProgressStore(path).problem is None


def test_a_newer_file_is_refused(tmp_path):
    path = tmp_path / FILE_NAME
    sqlite3.connect(path).execute("PRAGMA user_version = 99").connection.close()
    with pytest.raises(ProgressError, match="newer signdesk"):
        ProgressStore(path)
    assert path.exists() and not list(tmp_path.glob("*.corrupt-*"))


def test_threads_record_and_close(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite3")
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(20):
                store.record(f"s{n}", f"s{n}", i % 2 == 0, 0.7, when=T0 + timedelta(seconds=i))
            store.history()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(store.history()) == 60
    closers = [threading.Thread(target=store.close) for _ in range(2)]
    for t in closers:
        t.start()
    for t in closers:
        t.join()
    with pytest.raises(ProgressError, match="closed"):
        store.history()
    store.close()


def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    """The attempt row is inserted before the card; a failing card write takes the row back with it."""
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.record("a", "a", True, 0.8, when=T0)
    card = store.card("a")
    monkeypatch.setattr(schedule, "review", lambda *a, **k: None)  # the card column refuses NULL
    with pytest.raises(sqlite3.IntegrityError):
        store.record("a", "a", True, 0.8, when=T0)
    assert len(store.history()) == 1 and store.card("a") == card
    store.close()

"""The learner's practice history: one SQLite file in the user data folder.

``<user data>/progress.sqlite3`` holds two tables:

* ``attempts``: one row per scored attempt: UTC time, target sign id and name, model, correct,
  target confidence and rank, predicted sign, and the feedback shown (JSON). Never video and
  never landmarks: the history says how practice went, not what the camera saw.
* ``reviews``: per sign, its FSRS card (JSON, see :mod:`signdesk.practice.schedule`).

Every write (an attempt and its card) is one transaction, so a crash leaves both or neither.
A file that is not a database or is damaged is renamed aside to
``progress.corrupt-<timestamp>.sqlite3`` and a fresh one started; :attr:`ProgressStore.problem`
says so, for the app to tell the learner (their history is kept in the renamed file).
"""

from __future__ import annotations

import contextlib
import csv
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Self

from signdesk.files import atomic_path
from signdesk.practice import schedule

FILE_NAME = "progress.sqlite3"
#: Schema version in ``PRAGMA user_version``; a newer file is refused rather than rewritten.
SCHEMA_VERSION = 1
#: A sign is mastered when FSRS expects recall to last this many days: 21 days is FSRS's (and
#: Anki's) "mature card" line, past which a sign is remembered without regular practice...
MASTERED_STABILITY_DAYS = 21.0
#: ...or when this many latest attempts in a row were correct: a learner who drills a sign in
#: one sitting has shown they can make it even before the schedule has had time to agree.
MASTERED_STREAK = 5

_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,
    sign_id TEXT NOT NULL,
    sign_name TEXT NOT NULL,
    model TEXT NOT NULL,
    correct INTEGER NOT NULL,
    confidence REAL NOT NULL,
    rank INTEGER,
    predicted TEXT NOT NULL,
    feedback TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_sign ON attempts (sign_id, id);
CREATE TABLE IF NOT EXISTS reviews (
    sign_id TEXT PRIMARY KEY,
    sign_name TEXT NOT NULL,
    card TEXT NOT NULL,
    updated TEXT NOT NULL
);
"""

CSV_COLUMNS = ("time", "sign_id", "sign_name", "model", "correct", "confidence", "rank", "predicted", "feedback")


class ProgressError(RuntimeError):
    """The progress file cannot be opened or written (the message says why)."""


@dataclass(frozen=True)
class AttemptRecord:
    """One stored attempt."""

    time: datetime
    sign_id: str
    sign_name: str
    model: str
    correct: bool
    confidence: float
    rank: int | None
    predicted: str
    feedback: list

    @classmethod
    def from_row(cls, row: Sequence) -> AttemptRecord:
        return cls(datetime.fromisoformat(row[0]), row[1], row[2], row[3], bool(row[4]), float(row[5]),
                   None if row[6] is None else int(row[6]), row[7], json.loads(row[8]))


@dataclass(frozen=True)
class DayStats:
    """Attempts on one (local) day."""

    day: date
    attempts: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.attempts if self.attempts else 0.0

    def __iter__(self) -> Iterator:
        """Unpacks as ``(date, attempts, correct, accuracy)``."""
        return iter((self.day, self.attempts, self.correct, self.accuracy))


def _iso(when: datetime | None) -> str:
    when = datetime.now(UTC) if when is None else when
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return when.isoformat(timespec="microseconds")


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")


class ProgressStore:
    """The progress database: record attempts, read history and statistics, export CSV.

    One connection per store, usable from any thread (every call holds one lock), so the
    app's processing thread can record while the view reads.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        if path is None:
            from signdesk.resources import user_data_dir

            path = user_data_dir() / FILE_NAME
        self.path = Path(path)
        #: a message for the learner when the file had to be set aside, else None
        self.problem: str | None = None
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProgressError(f"{self.path.parent}: cannot create the data folder ({exc})") from None
        try:
            self._conn = self._open()
        except sqlite3.DatabaseError as exc:
            self._set_aside(exc)
            self._conn = self._open()

    # --- opening ---------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10)
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise sqlite3.DatabaseError(f"damaged ({check[0] if check else 'no answer'})")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise ProgressError(f"{self.path}: written by a newer signdesk (format {version}); "
                                    "update signdesk to use it")
            conn.executescript("BEGIN;" + _SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
        except BaseException:
            conn.close()
            raise
        return conn

    def _set_aside(self, exc: Exception) -> None:
        aside = self.path.with_name(f"{self.path.stem.split('.')[0]}.corrupt-{_stamp()}.sqlite3")
        try:
            self.path.replace(aside)
            for suffix in ("-journal", "-wal", "-shm"):
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    side.replace(aside.with_name(aside.name + suffix))
        except OSError as err:
            raise ProgressError(f"{self.path}: damaged ({exc}) and cannot be set aside ({err})") from None
        self.problem = (f"Your practice history file was damaged ({exc}); it was kept as {aside.name} and a "
                        "new history started.")

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._conn is None:
                raise ProgressError(f"{self.path}: the progress store is closed")
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self._lock:
            if self._conn is None:
                raise ProgressError(f"{self.path}: the progress store is closed")
            return self._conn.execute(sql, params).fetchall()

    # --- writing ---------------------------------------------------------------------------

    def record(self, sign_id: str, sign_name: str, correct: bool, confidence: float, *, model: str = "",
               rank: int | None = None, predicted: str = "", feedback: Sequence[str | dict] = (),
               when: datetime | None = None) -> str:
        """Store one attempt and move the sign's review card on; returns the new card JSON.

        The attempt row and the card are written in one transaction.
        """
        if not sign_id:
            raise ValueError("an attempt needs the target sign's id")
        time = _iso(when)
        with self._transaction() as conn:
            row = conn.execute("SELECT card FROM reviews WHERE sign_id = ?", (sign_id,)).fetchone()
            card = schedule.review(row[0] if row else None, correct, confidence, datetime.fromisoformat(time))
            conn.execute("INSERT INTO attempts (time, sign_id, sign_name, model, correct, confidence, rank, "
                         "predicted, feedback) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (time, sign_id, sign_name, model, int(bool(correct)), float(confidence), rank, predicted,
                          json.dumps(list(feedback), ensure_ascii=False)))
            conn.execute("INSERT INTO reviews (sign_id, sign_name, card, updated) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (sign_id) DO UPDATE SET sign_name = excluded.sign_name, "
                         "card = excluded.card, updated = excluded.updated", (sign_id, sign_name, card, time))
        return card

    # --- reading ---------------------------------------------------------------------------

    def history(self, sign: str | None = None) -> list[AttemptRecord]:
        """Attempts oldest first; only those at sign id ``sign`` when given."""
        sql = "SELECT time, sign_id, sign_name, model, correct, confidence, rank, predicted, feedback FROM attempts"
        rows = (self._query(sql + " WHERE sign_id = ? ORDER BY id", (sign,)) if sign is not None
                else self._query(sql + " ORDER BY id"))
        return [AttemptRecord.from_row(r) for r in rows]

    def per_day(self, tz: tzinfo | None = None) -> list[DayStats]:
        """Attempts, correct ones and accuracy per day (in ``tz``, default the local time zone), oldest first."""
        days: dict[date, list[int]] = {}
        for time, correct in self._query("SELECT time, correct FROM attempts ORDER BY id"):
            day = datetime.fromisoformat(time).astimezone(tz).date()
            tally = days.setdefault(day, [0, 0])
            tally[0] += 1
            tally[1] += int(correct)
        return [DayStats(day, n, c) for day, (n, c) in sorted(days.items())]

    def cards(self) -> dict[str, str]:
        """Every sign's review card JSON, by sign id."""
        return dict(self._query("SELECT sign_id, card FROM reviews ORDER BY sign_id"))

    def card(self, sign_id: str) -> str | None:
        rows = self._query("SELECT card FROM reviews WHERE sign_id = ?", (sign_id,))
        return rows[0][0] if rows else None

    def names(self) -> dict[str, str]:
        """The last name each practised sign had, by id."""
        return dict(self._query("SELECT sign_id, sign_name FROM reviews ORDER BY sign_id"))

    def streak(self, sign_id: str) -> int:
        """How many latest attempts at a sign in a row were correct."""
        run = 0
        for (correct,) in self._query("SELECT correct FROM attempts WHERE sign_id = ? ORDER BY id DESC",
                                      (sign_id,)):
            if not correct:
                break
            run += 1
        return run

    def mastered(self) -> list[str]:
        """Ids of mastered signs: stability ≥ :data:`MASTERED_STABILITY_DAYS` or the last
        :data:`MASTERED_STREAK` attempts all correct."""
        return [sign for sign, card in self.cards().items()
                if schedule.stability(card) >= MASTERED_STABILITY_DAYS or self.streak(sign) >= MASTERED_STREAK]

    def export_csv(self, path: str | Path) -> Path:
        """Every attempt as CSV (UTF-8 with a byte-order mark, so spreadsheets read Arabic), atomically."""
        path = Path(path)
        records = self.history()
        with atomic_path(path, ".csv") as tmp, open(tmp, "w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow(CSV_COLUMNS)
            for r in records:
                writer.writerow([r.time.isoformat(), r.sign_id, r.sign_name, r.model, int(r.correct),
                                 f"{r.confidence:.4f}", "" if r.rank is None else r.rank, r.predicted,
                                 json.dumps(r.feedback, ensure_ascii=False)])
        return path

    def close(self) -> None:
        """Close the connection (safe to call twice, from any thread)."""
        with self._lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

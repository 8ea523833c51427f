"""Custom signs: named sets of recorded attempts (landmarks only), kept in the user data folder.

A custom sign is what a teacher or learner taught signdesk: an own-language name (any script),
an optional gloss, and 1-10 *takes*, each the raw (T, 184, 4) landmarks of one attempt as the
attempt segmenter cut it (never video). One take is the *reference* shown in practice.

On disk (``<user data>/custom/``), one folder per sign, so a damaged sign never hides the
others::

    custom/<id>/sign.json      name, gloss, takes (file, fps, source), reference, times
    custom/<id>/take-<n>.npz   landmarks (T, 184, 4) float32

``sign.json`` is written last and atomically: it is the commit point of a save. A take file
it does not list is an unfinished save and is ignored (and tidied on the next save); a
missing or unreadable take, or a damaged ``sign.json``, is reported in
:attr:`CustomStore.problems` and that sign is skipped while the rest still loads.

A process killed mid-write leaves hidden leftovers that are never read: temporary files of
atomic writes, ``.removed-<id>-<pid>`` folders of a removal, a folder with takes but no
``sign.json``. :meth:`CustomStore.load` deletes them once their writer is gone (see
:func:`signdesk.files.writer_gone`), and only names of its own making. A sign saved to
replace others (a pack import) lists them in ``sign.json`` (``replaces``); if the importer
died before removing them, the next load removes them, so a sign is never left twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import shutil
import tokenize
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from signdesk.files import remove_stale_temporaries, write_json, write_npz, writer_gone
from signdesk.landmarks import N_CHANNELS, N_LANDMARKS

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

    from signdesk.recognizer import Label

log = logging.getLogger(__name__)

#: ``Label.id`` of a custom sign is this prefix + the sign's id; bundled labels never use it.
CUSTOM_PREFIX = "custom:"
SIGN_FILE = "sign.json"
#: Version of ``sign.json``; a newer one is refused (not guessed at) so nothing is rewritten wrongly.
SIGN_FORMAT = 1
MAX_TAKES = 10
MIN_TAKE_FRAMES = 4
MAX_TAKE_FRAMES = 600
MAX_NAME_LENGTH = 80
#: the folder a removed sign is renamed to before it is deleted
_TRASH = re.compile(r"\.removed-(?P<id>[0-9a-f]+)-(?P<pid>\d+)")
_TAKE_FILE = re.compile(r"take-[0-9a-f]{16}\.npz")


class CustomSignError(ValueError):
    """A custom sign, take or stored entry is not valid (the message says what and where)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_landmarks(landmarks: NDArray, where: str = "take") -> NDArray:
    """``landmarks`` as (T, 184, 4) float32 with finite values, or :class:`CustomSignError`."""
    arr = np.asarray(landmarks)
    if arr.dtype.kind not in "fiu":
        raise CustomSignError(f"{where}: landmarks are {arr.dtype}, not numbers")
    if arr.ndim != 3 or arr.shape[1:] != (N_LANDMARKS, N_CHANNELS):
        raise CustomSignError(f"{where}: landmarks have shape {arr.shape}, expected (frames, {N_LANDMARKS}, "
                              f"{N_CHANNELS})")
    if not MIN_TAKE_FRAMES <= arr.shape[0] <= MAX_TAKE_FRAMES:
        raise CustomSignError(f"{where}: {arr.shape[0]} frames; a take has {MIN_TAKE_FRAMES}-{MAX_TAKE_FRAMES}")
    with np.errstate(over="ignore"):  # a value beyond float32 becomes inf, refused just below
        arr = arr.astype(np.float32)
    if not np.isfinite(arr).all():
        raise CustomSignError(f"{where}: landmarks hold NaN or infinite values")
    return arr


def check_name(name: str) -> str:
    """A sign name trimmed, or :class:`CustomSignError` if empty, too long or with control characters."""
    if not isinstance(name, str):
        raise CustomSignError("a sign name must be text")
    text = " ".join(name.split())
    if not text:
        raise CustomSignError("a sign needs a name")
    if len(text) > MAX_NAME_LENGTH:
        raise CustomSignError(f"a sign name has at most {MAX_NAME_LENGTH} characters ({len(text)} given)")
    # Cc: C0/C1 controls; Cs: lone surrogates, which cannot be written as UTF-8 (sign.json)
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in text):
        raise CustomSignError("a sign name cannot hold control characters or broken (surrogate) text")
    return text


def _check_fps(fps: object, where: str) -> float:
    """``fps`` as a positive finite float (sign.json is JSON: no NaN, no numpy scalars)."""
    try:
        value = float(fps)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise CustomSignError(f"{where}: frame rate {fps!r} is not a number") from None
    if not (math.isfinite(value) and value > 0):
        raise CustomSignError(f"{where}: frame rate {value} is not a positive number")
    return value


@dataclass(frozen=True)
class Take:
    """One recorded attempt: raw landmarks (T, 184, 4) as MediaPipe gave them, not normalized."""

    landmarks: NDArray
    fps: float = 30.0
    source: str = "camera"  # "camera", "video:<file name>", "npz:<file name>", "pack:<pack name>"

    @property
    def digest(self) -> str:
        """sha256 of the landmarks: the key of this take's cached embeddings."""
        arr = np.ascontiguousarray(self.landmarks, dtype=np.float32)
        return hashlib.sha256(arr.tobytes() + str(arr.shape).encode()).hexdigest()

    @property
    def frames(self) -> int:
        return int(self.landmarks.shape[0])


@dataclass
class CustomSign:
    """A sign the user taught: name, gloss, takes and which take is the reference."""

    name: str
    takes: list[Take] = field(default_factory=list)
    gloss: str = ""
    reference: int = 0
    language: str = ""  # the sign language, as the author wrote it (e.g. "ASL", "ArSL")
    category: str = ""
    pack: str = ""  # the pack it came from, if imported
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    created: str = field(default_factory=_now)
    updated: str = field(default_factory=_now)

    @property
    def label(self) -> Label:
        from signdesk.recognizer import Label

        return Label(self.name, self.gloss, CUSTOM_PREFIX + self.id)

    @property
    def reference_take(self) -> Take | None:
        if not self.takes:
            return None
        return self.takes[self.reference if 0 <= self.reference < len(self.takes) else 0]

    def matches(self, text: str) -> bool:
        """Whether ``text`` names this sign (its name or gloss, case- and space-insensitive)."""
        key = fold_name(text)
        return bool(key) and key in {fold_name(self.name), fold_name(self.gloss)}


def fold_name(text: str) -> str:
    """A sign's name as compared everywhere: spaces collapsed, case folded (any script)."""
    return " ".join(str(text).split()).casefold()


def is_custom(label: Label) -> bool:
    return label.id.startswith(CUSTOM_PREFIX)


class CustomStore:
    """The custom signs in one folder (default ``<user data>/custom``): load, save, remove.

    Every write is atomic (temporary file, fsync, rename), and ``sign.json`` goes last, so a
    crash or a full disk in the middle of a save leaves the previous version of the sign whole.
    """

    def __init__(self, root: str | Path | None = None) -> None:
        if root is None:
            from signdesk.resources import user_data_dir

            root = user_data_dir() / "custom"
        self.root = Path(root)
        #: what the last :meth:`load` had to skip, one line each (path: why)
        self.problems: list[str] = []

    # --- reading ---------------------------------------------------------------------------

    def load(self) -> list[CustomSign]:
        """Every readable sign, by name; damaged ones are skipped and listed in :attr:`problems`.

        Leftovers of a killed process are tidied first (see the module's description).
        """
        self.problems = []
        signs: list[CustomSign] = []
        if not self.root.is_dir():
            return signs
        self.tidy()
        replaced: set[str] = set()
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if not (folder / SIGN_FILE).exists():
                continue  # an unfinished first save: nothing was committed
            try:
                sign, replaces = self._read(folder)
            except CustomSignError as exc:
                self.problems.append(str(exc))
                log.warning("skipping a custom sign: %s", exc)
                continue
            signs.append(sign)
            replaced |= replaces
        leftovers = {s.id for s in signs} & replaced
        for sign_id in sorted(leftovers):
            try:
                self.remove(sign_id)
                log.info("removed %s, replaced by an import that was interrupted", sign_id)
            except (OSError, CustomSignError) as exc:
                log.warning("could not remove the replaced sign %s: %s", sign_id, exc)
        return sorted((s for s in signs if s.id not in leftovers), key=lambda s: (fold_name(s.name), s.id))

    def tidy(self) -> list[Path]:
        """Delete what killed writers left behind (never anything a live one may still use).

        Only names this module and :mod:`signdesk.files` make: temporary files of atomic writes,
        ``.removed-*`` folders, and sign folders holding only takes and no ``sign.json``.
        Returns what was deleted.
        """
        removed: list[Path] = []
        try:
            entries = list(os.scandir(self.root))
        except OSError:
            return removed
        for entry in entries:
            path = Path(entry.path)
            try:
                if not entry.is_dir(follow_symlinks=False):
                    continue
                mtime = entry.stat(follow_symlinks=False).st_mtime
            except OSError:
                continue
            trash = _TRASH.fullmatch(entry.name)
            if trash and writer_gone(int(trash["pid"]), mtime):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
            elif not trash and entry.name.startswith("."):
                continue  # not a sign folder (e.g. cached embeddings)
            elif not trash:
                removed += remove_stale_temporaries(path)
                if self._unfinished(path, mtime):
                    shutil.rmtree(path, ignore_errors=True)
                    removed.append(path)
        if removed:
            log.info("tidied %d leftover(s) of an interrupted write in %s", len(removed), self.root)
        return removed

    @staticmethod
    def _unfinished(folder: Path, mtime: float) -> bool:
        """A first save that never committed: takes and no ``sign.json``, untouched long enough."""
        try:
            names = os.listdir(folder)
        except OSError:
            return False
        return (SIGN_FILE not in names and all(_TAKE_FILE.fullmatch(n) for n in names)
                and writer_gone(None, mtime))

    def _read(self, folder: Path) -> tuple[CustomSign, set[str]]:
        """The sign in ``folder`` and the ids of the signs it replaces whose importer is gone."""
        path = folder / SIGN_FILE
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CustomSignError(f"{path}: cannot read ({exc})") from None
        except json.JSONDecodeError as exc:
            raise CustomSignError(f"{path}: damaged ({exc.msg}, line {exc.lineno})") from None
        if not isinstance(doc, dict):
            raise CustomSignError(f"{path}: damaged (not a JSON object)")
        version = doc.get("format")
        if not isinstance(version, int) or isinstance(version, bool):
            raise CustomSignError(f"{path}: damaged (format {version!r} is not a whole number)")
        if version > SIGN_FORMAT:
            raise CustomSignError(f"{path}: format {version!r} is newer than this signdesk reads ({SIGN_FORMAT})")
        try:
            name = check_name(doc["name"])
            entries = doc["takes"]
            if not isinstance(entries, list) or not entries:
                raise CustomSignError("it lists no takes")
            takes = []
            for entry in entries:
                take_path = folder / Path(str(entry["file"])).name
                try:
                    with np.load(take_path, allow_pickle=False) as data:
                        landmarks = check_landmarks(data["landmarks"], str(take_path))
                except CustomSignError:
                    raise
                except (OSError, ValueError, KeyError, EOFError, SyntaxError, zipfile.BadZipFile, zlib.error,
                        tokenize.TokenError) as exc:
                    # a damaged .npz fails inside zipfile, zlib or numpy's header parser, not only with OSError
                    raise CustomSignError(f"{take_path}: cannot read ({exc})") from None
                takes.append(Take(landmarks, float(entry.get("fps", 30.0)), str(entry.get("source", ""))))
            sign = CustomSign(
                name=name, takes=takes, gloss=str(doc.get("gloss", "")), reference=int(doc.get("reference", 0)),
                language=str(doc.get("language", "")), category=str(doc.get("category", "")),
                pack=str(doc.get("pack", "")), id=folder.name, created=str(doc.get("created", "")),
                updated=str(doc.get("updated", "")),
            )
            return sign, _replaced(doc.get("replaces"), path)
        except CustomSignError as exc:
            if str(exc).startswith(str(folder)):
                raise
            raise CustomSignError(f"{path}: {exc}") from None
        except (KeyError, TypeError, ValueError) as exc:
            raise CustomSignError(f"{path}: damaged ({type(exc).__name__}: {exc})") from None

    def find(self, name: str, signs: Iterable[CustomSign] | None = None) -> CustomSign | None:
        """The sign called ``name`` (name or gloss, case-insensitive), or ``None``."""
        for sign in self.load() if signs is None else signs:
            if sign.matches(name):
                return sign
        return None

    # --- writing ---------------------------------------------------------------------------

    def save(self, sign: CustomSign, replaces: Iterable[str] = ()) -> CustomSign:
        """Write ``sign`` (new or changed) atomically; returns it as stored (name checked, time set).

        ``replaces``: ids of signs the caller removes once this save is done; should it die
        first, the next :meth:`load` removes them (``sign.json`` is the commit point of both).
        """
        name = check_name(sign.name)
        if not sign.takes:
            raise CustomSignError(f"{name}: a sign needs at least one take")
        if len(sign.takes) > MAX_TAKES:
            raise CustomSignError(f"{name}: at most {MAX_TAKES} takes ({len(sign.takes)} given)")
        takes = [replace(t, landmarks=check_landmarks(t.landmarks, f"{name}: take {i + 1}"),
                         fps=_check_fps(t.fps, f"{name}: take {i + 1}"))
                 for i, t in enumerate(sign.takes)]
        if not all(c in "0123456789abcdef" for c in sign.id) or not sign.id:
            raise CustomSignError(f"{name}: not a valid sign id {sign.id!r}")
        replaced = sorted({r for r in replaces if r != sign.id})
        if not all(r and set(r) <= set("0123456789abcdef") for r in replaced):
            raise CustomSignError(f"{name}: not valid sign ids to replace {replaced!r}")
        stored = replace(sign, name=name, takes=takes, gloss=" ".join(sign.gloss.split()),
                         reference=sign.reference if 0 <= sign.reference < len(takes) else 0, updated=_now())
        folder = self.root / stored.id
        new_folder = not folder.is_dir()
        folder.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        try:
            entries = []
            for take in takes:
                file = f"take-{take.digest[:16]}.npz"
                if not (folder / file).exists():
                    write_npz(folder / file, landmarks=take.landmarks)
                    written.append(folder / file)
                entries.append({"file": file, "fps": take.fps, "source": str(take.source), "frames": take.frames})
            doc = {
                "format": SIGN_FORMAT, "name": stored.name, "gloss": stored.gloss, "language": stored.language,
                "category": stored.category, "pack": stored.pack, "reference": stored.reference,
                "created": stored.created, "updated": stored.updated, "takes": entries,
            }
            if replaced:
                doc["replaces"] = {"ids": replaced, "pid": os.getpid()}
            write_json(folder / SIGN_FILE, doc)
        except BaseException:
            # sign.json was not replaced, so the previous version stands; tidy what this save added
            # now rather than leave it on a disk that may be full
            for path in written:
                path.unlink(missing_ok=True)
            if new_folder:
                shutil.rmtree(folder, ignore_errors=True)
            raise
        keep = {e["file"] for e in entries} | {SIGN_FILE}
        for extra in folder.glob("take-*.npz"):
            if extra.name not in keep:
                extra.unlink(missing_ok=True)
        return stored

    def rename(self, sign: CustomSign, name: str, gloss: str | None = None) -> CustomSign:
        return self.save(replace(sign, name=name, gloss=sign.gloss if gloss is None else gloss))

    def remove(self, sign: CustomSign | str) -> None:
        """Delete a sign: its folder is first renamed away, so a crash never leaves half a sign."""
        sign_id = sign.id if isinstance(sign, CustomSign) else sign
        folder = self.root / sign_id
        if not folder.is_dir():
            raise CustomSignError(f"no custom sign with id {sign_id}")
        trash = self.root / f".removed-{sign_id}-{os.getpid()}"
        os.replace(folder, trash)
        shutil.rmtree(trash, ignore_errors=True)


def _replaced(entry: object, where: Path) -> set[str]:
    """The ids a ``replaces`` entry of ``sign.json`` names, if the process that wrote it is gone.

    Malformed entries are ignored (logged): the sign itself is fine, only the tidying is lost.
    """
    if entry is None:
        return set()
    try:
        ids, pid = entry["ids"], entry["pid"]  # type: ignore[index]
        if not (isinstance(pid, int) and isinstance(ids, list)
                and all(isinstance(i, str) and i and set(i) <= set("0123456789abcdef") for i in ids)):
            raise TypeError("not a list of sign ids and a pid")
    except (KeyError, TypeError) as exc:
        log.warning("%s: ignoring a damaged 'replaces' entry (%s)", where, exc)
        return set()
    try:
        mtime = where.stat().st_mtime
    except OSError:
        return set()
    return set(ids) if writer_gone(pid, mtime) else set()

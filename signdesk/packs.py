"""Vocabulary packs: custom signs shared as one zip file that a teacher exports and a class imports.

A pack holds landmarks only (never video)::

    manifest.json            what the pack is and which takes each sign has (see below)
    take-<sign>-<take>.npy   one take's raw (T, 184, 4) float32 landmarks (``np.save``)

``manifest.json`` is a JSON object: ``format``, ``signdesk_version``, ``name``, ``language``,
``author``, ``description``, ``created``, ``signs`` (each ``name``, ``gloss``, ``category``,
``reference`` and ``takes``, each take ``file``, ``fps``, ``frames``, ``sha256`` of the file)
and ``checksum``: the sha256 of the manifest without ``checksum`` as canonical JSON (keys
sorted, no spaces, ``ensure_ascii=False``, UTF-8).

A pack comes from someone else, so it is untrusted data. The checksums catch damage and hand
edits, not malice (anyone can recompute them), so :func:`read_pack` checks everything else
too, in memory, before it returns: sizes (zip bombs), member names (zip slip), the schema,
each array's header before its data is read (no pickles, no huge allocations), the values.
Nothing is ever extracted to disk, and :func:`import_pack` (in :mod:`signdesk.pack_import`,
re-exported here) writes only once the whole import is known to be possible.
"""

from __future__ import annotations

import hashlib
import io
import json
import lzma
import math
import numbers
import os
import struct
import tokenize
import unicodedata
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from signdesk import __version__, custom
from signdesk.custom import CustomSign, CustomSignError, Take, fold_name
from signdesk.files import atomic_path, remove_stale_temporaries
from signdesk.landmarks import N_CHANNELS, N_LANDMARKS

PACK_FORMAT = 1
PACK_SUFFIX = ".signpack"
#: what an import dialog offers: packs, and packs a mail program or a browser renamed to .zip
IMPORT_SUFFIXES = (PACK_SUFFIX, ".zip")
MANIFEST = "manifest.json"

# Limits for untrusted packs. Module attributes, read at call time, so tests can lower them.
MAX_SIGNS = 500
MAX_MEMBERS = MAX_SIGNS * custom.MAX_TAKES + 16
#: the largest take (600 frames) is 1.77 MB as .npy; the manifest of 500 signs well under 4 MB
MAX_MEMBER_BYTES = 4 * 1024 * 1024
MAX_PACK_BYTES = 200 * 1024 * 1024
_TEXT_LIMITS = {"name": custom.MAX_NAME_LENGTH, "language": 80, "author": 200, "description": 2000,
                "signdesk_version": 40, "created": 40, "gloss": 200, "category": 80}
_HEX = frozenset("0123456789abcdef")
#: what zipfile and its decompressors raise on a damaged archive
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, EOFError, OSError,
               ValueError, NotImplementedError, RuntimeError, struct.error, OverflowError, IndexError)


class PackError(ValueError):
    """What is wrong with a pack, in one line (the window shows it as it is)."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).splitlines()))  # some library messages span lines


@dataclass(frozen=True)
class Pack:
    """A pack as read and validated: its description and its signs (each with takes in memory)."""

    name: str
    language: str
    author: str
    description: str
    signdesk_version: str
    format: int
    signs: tuple[CustomSign, ...]
    created: str = ""


def export_pack(signs: Sequence[CustomSign], path: str | Path, *, name: str, language: str = "",
                author: str = "", description: str = "") -> Path:
    """Write ``signs`` as a pack at ``path`` (the name as given: no suffix is added), atomically.

    Refuses (:class:`PackError`) what :func:`read_pack` would refuse, so a teacher never hands
    out a pack the class cannot open. ``language`` defaults to the signs' own, if they share one.
    An ``OSError`` (full disk, missing folder) leaves any earlier file at ``path`` as it was.
    """
    if not signs:
        raise PackError("a pack needs at least one sign")
    if len(signs) > MAX_SIGNS:
        raise PackError(f"a pack holds at most {MAX_SIGNS} signs ({len(signs)} given)")
    pack_name = _pack_name(name)
    if not language:
        languages = {s.language for s in signs}
        language = languages.pop() if len(languages) == 1 else ""
    doc: dict[str, Any] = {
        "format": PACK_FORMAT, "signdesk_version": __version__, "name": pack_name,
        "language": _text(language, "language", "language"), "author": _text(author, "author", "author"),
        "description": _text(description, "description", "description", multiline=True),
        "created": datetime.now(UTC).isoformat(timespec="seconds"), "signs": [],
    }
    members: dict[str, bytes] = {}
    seen: set[str] = set()
    for i, sign in enumerate(signs, 1):
        sign_name, checked = _checked(sign, f"sign {i}")
        if fold_name(sign_name) in seen:
            raise PackError(f"two signs are called {sign_name!r}; a pack holds each name once")
        seen.add(fold_name(sign_name))
        takes = []
        for j, take in enumerate(checked, 1):
            buffer = io.BytesIO()
            np.save(buffer, np.ascontiguousarray(take.landmarks, dtype=np.float32), allow_pickle=False)
            file = f"take-{i:03d}-{j:02d}.npy"
            members[file] = buffer.getvalue()
            takes.append({"file": file, "fps": take.fps, "frames": take.frames,
                          "sha256": hashlib.sha256(members[file]).hexdigest()})
        doc["signs"].append({
            "name": sign_name, "gloss": _text(sign.gloss, "gloss", f"{sign_name!r}: gloss"),
            "category": _text(sign.category, "category", f"{sign_name!r}: category"),
            "reference": sign.reference if 0 <= sign.reference < len(takes) else 0, "takes": takes,
        })
    doc["checksum"] = _checksum(doc)
    manifest = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    total = len(manifest) + sum(len(data) for data in members.values())
    if total > MAX_PACK_BYTES:
        raise PackError(f"the pack would be {_mb(total)}; a pack holds at most {_mb(MAX_PACK_BYTES)}")
    path = Path(path)
    remove_stale_temporaries(path.parent, path.name)  # of an export to the same file that was killed
    with atomic_path(path, ".tmp") as tmp, open(tmp, "wb") as fh:
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, manifest)
            for file, data in members.items():
                archive.writestr(file, data)
        fh.flush()
        os.fsync(fh.fileno())
    return path


def read_pack(path: str | Path) -> Pack:
    """The pack at ``path``, validated in full, or :class:`PackError`; reads only, writes nothing."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise PackError(f"{path.name} is not a file")
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise PackError(f"cannot read the pack: {exc.strerror or exc}") from None
    if size > MAX_PACK_BYTES + MAX_MEMBERS * 1024:
        raise PackError(f"the file is {_mb(size)}; a pack holds at most {_mb(MAX_PACK_BYTES)}")
    try:
        with zipfile.ZipFile(path) as archive:
            return _Reader(archive).pack()
    except PackError:
        raise
    except _ZIP_ERRORS as exc:
        if head == b"PK\x03\x04":
            raise PackError(f"the pack is truncated or damaged ({exc})") from None
        raise PackError("not a signdesk pack: the file is not a zip archive") from None


class _Reader:
    """One open pack: its members (checked), the bytes it may still unpack, the take files used."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.members = _check_members(archive.infolist())
        self.budget = MAX_PACK_BYTES
        self.files: set[str] = set()

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """A member's bytes, read with a limit whatever its header declares (CRC checked at the end)."""
        limit = min(MAX_MEMBER_BYTES, self.budget)
        try:
            with self.archive.open(info) as fh:
                data = fh.read(limit + 1)
        except _ZIP_ERRORS as exc:
            raise PackError(f"{info.filename} is damaged ({exc})") from None
        if len(data) > limit:
            raise PackError(f"{info.filename} is too large (over {_mb(limit)})")
        self.budget -= len(data)
        return data

    def pack(self) -> Pack:
        if MANIFEST not in self.members:
            raise PackError(f"not a signdesk pack: it has no {MANIFEST}")
        doc = _parse_manifest(self.read(self.members[MANIFEST]))
        fmt = doc.get("format")
        if not isinstance(fmt, int) or isinstance(fmt, bool):
            raise PackError(f"manifest: 'format' should be a whole number, not {_kind(fmt)}")
        if fmt > PACK_FORMAT:
            raise PackError(f"made by a newer signdesk (pack format {fmt}; this one reads {PACK_FORMAT})")
        if fmt < 1:
            raise PackError(f"manifest: pack format {fmt} does not exist")
        if _get(doc, "checksum", str, "manifest") != _checksum({k: v for k, v in doc.items() if k != "checksum"}):
            raise PackError("manifest: checksum mismatch (the manifest was edited or damaged)")
        name = _pack_name(_get(doc, "name", str, "manifest"))
        meta = {key: _text(_get(doc, key, str, "manifest", ""), key, f"manifest: {key}",
                           multiline=key == "description")
                for key in ("language", "author", "description", "signdesk_version", "created")}
        entries = _get(doc, "signs", list, "manifest")
        if not entries:
            raise PackError("the pack holds no signs")
        if len(entries) > MAX_SIGNS:
            raise PackError(f"the pack has {len(entries)} signs; a pack holds at most {MAX_SIGNS}")
        signs: dict[str, CustomSign] = {}
        for i, entry in enumerate(entries, 1):
            sign = self.sign(entry, f"manifest: sign {i}", name, meta["language"])
            if signs.setdefault(fold_name(sign.name), sign) is not sign:
                raise PackError(f"two signs in the pack are called {sign.name!r}")
        return Pack(name=name, format=fmt, signs=tuple(signs.values()), **meta)

    def sign(self, entry: object, where: str, pack_name: str, language: str) -> CustomSign:
        if not isinstance(entry, dict):
            raise PackError(f"{where} should be an object, not {_kind(entry)}")
        try:
            name = custom.check_name(_get(entry, "name", str, where))
        except CustomSignError as exc:
            raise PackError(f"{where}: {exc}") from None
        where = f"{where} ({name!r})"
        gloss = _text(_get(entry, "gloss", str, where, ""), "gloss", f"{where}: gloss")
        category = _text(_get(entry, "category", str, where, ""), "category", f"{where}: category")
        reference = _get(entry, "reference", int, where, 0)
        entries = _get(entry, "takes", list, where)
        if not 1 <= len(entries) <= custom.MAX_TAKES:
            raise PackError(f"{where}: a sign has 1-{custom.MAX_TAKES} takes ({len(entries)} listed)")
        if not 0 <= reference < len(entries):
            raise PackError(f"{where}: reference take {reference} but the sign has {len(entries)} takes")
        takes = [Take(*self.take(take, f"{where}, take {j}"), f"pack:{pack_name}")
                 for j, take in enumerate(entries, 1)]
        return CustomSign(name=name, takes=takes, gloss=gloss, reference=reference, language=language,
                          category=category, pack=pack_name)

    def take(self, entry: object, where: str) -> tuple[np.ndarray, float]:
        if not isinstance(entry, dict):
            raise PackError(f"{where} should be an object, not {_kind(entry)}")
        file = _get(entry, "file", str, where)
        _check_member_name(file)
        if file in self.files:
            raise PackError(f"{where}: {file} is listed twice")
        self.files.add(file)
        sha = _get(entry, "sha256", str, where)
        if len(sha) != 64 or not set(sha) <= _HEX:
            raise PackError(f"{where}: 'sha256' is not a sha256 hex digest")
        fps = _fps(_get(entry, "fps", (int, float), where, 30.0), where)
        if file not in self.members:
            raise PackError(f"{where}: {file} is missing from the pack")
        data = self.read(self.members[file])
        if hashlib.sha256(data).hexdigest() != sha:
            raise PackError(f"{where}: {file} does not match its sha256 (damaged or changed)")
        landmarks = _load_take(data, f"{where} ({file})")
        frames = _get(entry, "frames", int, where, len(landmarks))
        if frames != len(landmarks):
            raise PackError(f"{where}: the manifest says {frames} frames, {file} has {len(landmarks)}")
        return landmarks, fps


def _check_members(infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    """The archive's files by name, once their count, names and declared sizes are known to be safe."""
    if len(infos) > MAX_MEMBERS:
        raise PackError(f"the pack has {len(infos)} files; a pack holds at most {MAX_MEMBERS}")
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        _check_member_name(name)
        if name in members:
            raise PackError(f"the pack holds {name!r} twice")
        if info.flag_bits & 0x1:
            raise PackError(f"{name} is encrypted; a pack is not")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackError(f"{name} uses an unsupported compression (method {info.compress_type})")
        if info.file_size > MAX_MEMBER_BYTES:
            raise PackError(f"{name} is too large ({_mb(info.file_size)}; at most {_mb(MAX_MEMBER_BYTES)} a file)")
        total += info.file_size
        if total > MAX_PACK_BYTES:
            raise PackError(f"the pack is too large unpacked (over {_mb(MAX_PACK_BYTES)})")
        if not info.is_dir():
            members[name] = info
    return members


def _check_member_name(name: str) -> None:
    """Refuse a name that could point outside the pack if anyone ever extracted it (zip slip)."""
    parts = name.removesuffix("/").split("/")
    why = ("empty or too long" if not name or len(name) > 255
           else "backslash or drive letter" if "\\" in name or ":" in name
           else "absolute path" if name.startswith("/")
           else "'..' or an empty part: outside the pack" if any(p in ("", ".", "..") for p in parts)
           else "control characters" if any(unicodedata.category(c) in ("Cc", "Cs") for c in name)
           else "")
    if why:
        raise PackError(f"unsafe file name {name!r} in the pack ({why})")


def _parse_manifest(raw: bytes) -> dict[str, Any]:
    def no_constants(token: str) -> Any:
        raise ValueError(f"{token} is not a number JSON allows")

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        if len({key for key, _ in pairs}) != len(pairs):
            raise ValueError("a key appears twice")
        return dict(pairs)

    try:
        doc = json.loads(raw.decode("utf-8"), parse_constant=no_constants, object_pairs_hook=no_duplicates)
    except UnicodeDecodeError:
        raise PackError(f"{MANIFEST} is not UTF-8 text") from None
    except (ValueError, RecursionError) as exc:
        raise PackError(f"{MANIFEST} is not valid JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise PackError(f"{MANIFEST} is not a JSON object")
    return doc


def _load_take(data: bytes, where: str) -> np.ndarray:
    """A take's landmarks from .npy bytes; the header is checked before any data is touched."""
    fh = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(fh)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
        else:
            raise ValueError(f".npy version {version[0]}.{version[1]}")
    except (ValueError, EOFError, SyntaxError, TypeError, RecursionError, tokenize.TokenError) as exc:
        raise PackError(f"{where}: not a numpy .npy array ({exc})") from None
    if dtype.hasobject:
        raise PackError(f"{where}: holds Python objects (pickled data); a pack holds only numbers")
    if dtype.kind != "f" or dtype.itemsize != 4:
        raise PackError(f"{where}: landmarks are {dtype}, expected float32")
    if (len(shape) != 3 or tuple(shape[1:]) != (N_LANDMARKS, N_CHANNELS)
            or not custom.MIN_TAKE_FRAMES <= shape[0] <= custom.MAX_TAKE_FRAMES):
        raise PackError(f"{where}: landmarks have shape {shape}, expected ({custom.MIN_TAKE_FRAMES}-{custom.MAX_TAKE_FRAMES}, "
                        f"{N_LANDMARKS}, {N_CHANNELS})")
    body = data[fh.tell():]
    expected = math.prod(shape) * dtype.itemsize
    if len(body) != expected:
        raise PackError(f"{where}: array data is {len(body)} bytes, expected {expected}")
    array = np.frombuffer(body, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    try:
        return np.ascontiguousarray(custom.check_landmarks(array, where), dtype=np.float32)
    except CustomSignError as exc:
        raise PackError(str(exc)) from None


def _checked(sign: CustomSign, where: str) -> tuple[str, list[Take]]:
    """``sign``'s name and takes as the store would accept them, else :class:`PackError`.

    Checked before the first write of an import, since a :class:`Pack` can also be made by hand.
    """
    try:
        name = custom.check_name(sign.name)
        if not 1 <= len(sign.takes) <= custom.MAX_TAKES:
            raise CustomSignError(f"{name!r}: a sign has 1-{custom.MAX_TAKES} takes ({len(sign.takes)} given)")
        takes = [replace(take, landmarks=custom.check_landmarks(take.landmarks, f"{name!r}, take {j}"))
                 for j, take in enumerate(sign.takes, 1)]
    except CustomSignError as exc:
        raise PackError(f"{where}: {exc}") from None
    return name, [replace(t, fps=_fps(t.fps, f"{name!r}, take {j}")) for j, t in enumerate(takes, 1)]


def _checksum(doc: Mapping[str, Any]) -> str:
    try:
        canonical = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    except (ValueError, TypeError) as exc:  # UnicodeEncodeError (a lone surrogate) is a ValueError
        raise PackError(f"manifest: holds values that are not plain JSON text ({exc})") from None


_KINDS = {str: "text", int: "a whole number", list: "a list", dict: "an object", (int, float): "a number",
          float: "a number", bool: "true/false", type(None): "null"}


def _kind(value: object) -> str:
    """How JSON would call ``value``'s type, for messages."""
    return _KINDS.get(type(value), type(value).__name__)


_MISSING = object()


def _get(doc: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str,
         default: Any = _MISSING) -> Any:
    """``doc[key]`` if it has JSON type ``kind`` (a bool is not a number), else :class:`PackError`."""
    if key not in doc:
        if default is _MISSING:
            raise PackError(f"{where}: '{key}' is missing")
        return default
    value = doc[key]
    if isinstance(value, bool) or not isinstance(value, kind):
        raise PackError(f"{where}: '{key}' should be {_KINDS[kind]}, not {_kind(value)}")
    return value


def _text(value: object, kind: str, where: str, multiline: bool = False) -> str:
    """A metadata text trimmed, or :class:`PackError` if too long or holding control characters."""
    if not isinstance(value, str):
        raise PackError(f"{where}: should be text, not {_kind(value)}")
    text = value.replace("\r\n", "\n").strip() if multiline else " ".join(value.split())
    limit = _TEXT_LIMITS[kind]
    if len(text) > limit:
        raise PackError(f"{where}: at most {limit} characters ({len(text)} given)")
    allowed = "\n\t" if multiline else ""
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in allowed for c in text):
        raise PackError(f"{where}: holds control characters")
    return text


def _pack_name(name: object) -> str:
    """A pack name follows the rules of a sign name: it is shown, and it becomes each take's source."""
    text = _text(name, "name", "pack name")
    if not text:
        raise PackError("a pack needs a name")
    return text


def _fps(value: object, where: str) -> float:
    fps = float(value) if isinstance(value, numbers.Real) and not isinstance(value, bool) else math.nan
    if not (math.isfinite(fps) and 0 < fps <= 1000):
        raise PackError(f"{where}: frame rate {value!r} is not a number between 0 and 1000")
    return fps


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"



__all__ = ["IMPORT_SUFFIXES", "MANIFEST", "MAX_MEMBERS", "MAX_MEMBER_BYTES", "MAX_PACK_BYTES", "MAX_SIGNS",
           "PACK_FORMAT", "PACK_SUFFIX", "Clash", "ImportReport", "Pack", "PackError", "clashes", "export_pack",
           "import_pack", "read_pack"]

# the import side lives in its own module (it needs Pack and PackError above); re-exported here
from signdesk.pack_import import Clash, ImportReport, clashes, import_pack

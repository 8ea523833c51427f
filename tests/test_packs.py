"""Vocabulary packs (signdesk.packs): round trip, clash policies, and refusal of damaged or hostile packs.

Landmarks are synthetic (random float32 of shape (T, 184, 4)); no dataset file is used. Bad packs
are built by hand here (zipfile + json), independently of the exporter, checksums included.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import struct
import uuid
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signdesk import __version__, custom, packs
from signdesk.custom import CustomSign, CustomSignError, CustomStore, Take, check_name
from signdesk.packs import MANIFEST, Clash, ImportReport, Pack, PackError, read_pack


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def landmarks(frames: int = 6, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((frames, 184, 4), dtype=np.float32)


def sign(name: str, takes: int = 1, seed: int = 0, frames: int = 5, **kw) -> CustomSign:
    return CustomSign(name, [Take(landmarks(frames + i, seed * 10 + i), 25.0) for i in range(takes)], **kw)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def checksum(doc: dict) -> str:
    """The documented checksum: sha256 of the canonical JSON of the manifest without ``checksum``."""
    body = {k: v for k, v in doc.items() if k != "checksum"}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def members_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_zip(path: Path, members: dict[str, bytes] | list[tuple[str, bytes]]) -> Path:
    """A zip holding exactly ``members`` (names kept as given, even hostile ones)."""
    items = members.items() if isinstance(members, dict) else members
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in items:
            archive.writestr(zipfile.ZipInfo(name), data, zipfile.ZIP_DEFLATED)
    return path


def npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=True)
    return buffer.getvalue()


def npy_header(shape: tuple, descr: object = "<f4") -> bytes:
    """Only the header of a .npy file claiming ``shape``: no data follows unless the caller adds it."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": descr, "fortran_order": False, "shape": shape})
    return buffer.getvalue()


def rebuilt(src: Path, dst: Path, edit_doc=None, edit_members=None, fix_checksum: bool = True) -> Path:
    """``src`` with its manifest and/or members edited, written to ``dst``."""
    members = members_of(src)
    original = members[MANIFEST]
    doc = json.loads(original)
    if edit_doc:
        edit_doc(doc)
    if edit_members:
        edit_members(members, doc)
    if fix_checksum:
        doc["checksum"] = checksum(doc)
    if members.get(MANIFEST) is original:  # an edit may have replaced or removed the manifest itself
        members[MANIFEST] = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    return write_zip(dst, members)


def declare_size(path: Path, name: str, size: int) -> None:
    """Patch the central directory so that member ``name`` claims ``size`` bytes unpacked."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46: at + 46 + length] == name.encode():
            struct.pack_into("<I", data, at + 24, size)
            path.write_bytes(bytes(data))
            return
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{name} not in {path}")


@pytest.fixture
def signs() -> list[CustomSign]:
    return [
        sign("شكرا", takes=3, seed=1, gloss="thank you", reference=2, category="تحيات", language="ArSL"),
        sign("مرحبا", takes=1, seed=2, frames=600, gloss="hello", category="تحيات", language="ArSL"),
        sign("yes", takes=2, seed=3, frames=4, language="ArSL"),
    ]


@pytest.fixture
def pack_path(tmp_path: Path, signs) -> Path:
    return packs.export_pack(signs, tmp_path / f"class{packs.PACK_SUFFIX}", name="الصف الأول", author="Ms. Amal",
                       description="Greetings\nweek 1")


@pytest.fixture
def store(tmp_path: Path) -> CustomStore:
    return CustomStore(tmp_path / "store")


def test_export_read_import_round_trips_bit_for_bit(tmp_path, signs, pack_path, store):
    assert pack_path == tmp_path / "class.signpack" and sorted(p.name for p in tmp_path.iterdir()) == [
        "class.signpack"], "no temporary file is left beside the pack"
    before = snapshot(tmp_path)
    pack = read_pack(pack_path)
    assert snapshot(tmp_path) == before, "reading writes nothing"
    assert (pack.name, pack.language, pack.author, pack.description, pack.format, pack.signdesk_version) == (
        "الصف الأول", "ArSL", "Ms. Amal", "Greetings\nweek 1", packs.PACK_FORMAT, __version__)
    assert [s.name for s in pack.signs] == ["شكرا", "مرحبا", "yes"]
    report = packs.import_pack(store, pack)
    assert report == ImportReport(added=["شكرا", "مرحبا", "yes"])
    loaded = {s.name: s for s in store.load()}
    assert store.problems == [] and set(loaded) == {"شكرا", "مرحبا", "yes"}
    for original in signs:
        got = loaded[original.name]
        assert (got.gloss, got.category, got.reference, got.language, got.pack) == (
            original.gloss, original.category, original.reference, "ArSL", "الصف الأول")
        assert got.id != original.id
        assert [t.landmarks.tobytes() for t in got.takes] == [t.landmarks.tobytes() for t in original.takes]
        assert all(t.source == "pack:الصف الأول" and t.fps == 25.0 for t in got.takes)


def test_the_manifest_follows_the_documented_layout(pack_path):
    members = members_of(pack_path)
    doc = json.loads(members[MANIFEST])
    assert doc["checksum"] == checksum(doc)
    assert set(doc) >= {"format", "signdesk_version", "name", "language", "author", "description", "created",
                        "signs", "checksum"}
    files = [t["file"] for s in doc["signs"] for t in s["takes"]]
    assert sorted(members) == sorted([MANIFEST, *files])
    for s in doc["signs"]:
        for take in s["takes"]:
            assert hashlib.sha256(members[take["file"]]).hexdigest() == take["sha256"]
            array = np.load(io.BytesIO(members[take["file"]]), allow_pickle=False)
            assert array.dtype == np.float32 and array.shape == (take["frames"], 184, 4)


def test_export_writes_the_name_given_and_replaces_atomically(tmp_path, signs, monkeypatch):
    target = packs.export_pack(signs[:1], tmp_path / "week1.zip", name="w1")
    assert target.name == "week1.zip" and read_pack(target).name == "w1"
    before = target.read_bytes()

    def no_space(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", no_space)
    with pytest.raises(OSError):
        packs.export_pack(signs, target, name="w2")
    assert target.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["week1.zip"]


@pytest.mark.parametrize(("make", "message"), [
    (lambda s: [], "at least one sign"),
    (lambda s: [s[0], replace(s[2], name="شكرا ")], "two signs are called"),
    (lambda s: [replace(s[0], takes=[Take(np.full((5, 184, 4), np.nan, np.float32))])], "NaN"),
    (lambda s: [replace(s[0], takes=[])], "1-10 takes"),
    (lambda s: [replace(s[0], name="")], "needs a name"),
    (lambda s: [replace(s[0], takes=[Take(landmarks(), float("inf"))])], "frame rate"),
])
def test_export_refuses_what_no_one_could_import(tmp_path, signs, make, message):
    with pytest.raises(PackError, match=message):
        packs.export_pack(make(signs), tmp_path / "x.signpack", name="x")
    assert list(tmp_path.iterdir()) == []


def test_export_refuses_a_bad_pack_name_and_an_oversize_pack(tmp_path, signs, monkeypatch):
    for name in ("", "   ", "x" * (custom.MAX_NAME_LENGTH + 1), "tab\x00"):
        with pytest.raises(PackError, match="pack name|needs a name"):
            packs.export_pack(signs, tmp_path / "x.signpack", name=name)
    monkeypatch.setattr(packs, "MAX_PACK_BYTES", 100_000)
    with pytest.raises(PackError, match="at most"):
        packs.export_pack(signs, tmp_path / "x.signpack", name="big")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def clash_pack(tmp_path) -> Pack:
    path = packs.export_pack([sign("hello", seed=5, gloss="greeting"), sign("شكرا", seed=6), sign("new", seed=7)],
                       tmp_path / "p.signpack", name="Unit 2")
    return read_pack(path)


@pytest.fixture
def filled(store) -> dict[str, CustomSign]:
    """A store already holding "Hello" and "شكرا" (and an unrelated sign)."""
    return {s.name: store.save(s) for s in [sign("Hello", seed=8, gloss="hi"), sign("شكرا", seed=9),
                                             sign("other", seed=10)]}


def test_clashes_match_names_case_insensitively_and_through_glosses(clash_pack, store, filled):
    pairs = packs.clashes(clash_pack, store.load())
    assert [(new.name, old.name) for new, old in pairs] == [("hello", "Hello"), ("شكرا", "شكرا")]
    glossed = [sign("مرحبا", gloss="HELLO")]
    assert [(a.name, b.name) for a, b in packs.clashes(clash_pack, glossed)] == [("hello", "مرحبا")]
    assert packs.clashes(clash_pack, []) == []


def test_refuse_names_the_clashes_and_leaves_the_store_untouched(clash_pack, store, filled):
    before = snapshot(store.root)
    with pytest.raises(PackError, match="hello, شكرا"):
        packs.import_pack(store, clash_pack)
    with pytest.raises(PackError, match="hello"):
        packs.import_pack(store, clash_pack, Clash.REFUSE)
    assert snapshot(store.root) == before


POLICIES = {
    "replace": (Clash.REPLACE, ["hello", "new", "other", "شكرا"], ImportReport(["new"], ["hello", "شكرا"])),
    "skip": (Clash.SKIP, ["Hello", "new", "other", "شكرا"], ImportReport(["new"], skipped=["hello", "شكرا"])),
    "rename": (Clash.RENAME, ["Hello", "hello (2)", "new", "other", "شكرا", "شكرا (2)"],
               ImportReport(["new"], renamed=[("hello", "hello (2)"), ("شكرا", "شكرا (2)")])),
    "per name": ({"HELLO": Clash.REPLACE, "شكرا": "skip", "unused": Clash.RENAME}, ["hello", "new", "other", "شكرا"],
                 ImportReport(["new"], ["hello"], skipped=["شكرا"])),
}


@pytest.mark.parametrize("policy", POLICIES, ids=list(POLICIES))
def test_clash_policies(clash_pack, store, filled, policy):
    on_clash, names, expected = POLICIES[policy]
    kept = {k: snapshot(store.root / v.id) for k, v in filled.items()}
    assert packs.import_pack(store, clash_pack, on_clash) == expected
    loaded = {s.name: s for s in store.load()}
    assert sorted(loaded) == names
    for new in clash_pack.signs:
        if new.name not in expected.skipped:
            got = loaded[dict(expected.renamed).get(new.name, new.name)]
            assert got.pack == "Unit 2" and got.gloss == new.gloss and got.id not in {s.id for s in filled.values()}
            assert [t.landmarks.tobytes() for t in got.takes] == [t.landmarks.tobytes() for t in new.takes]
    replaced = {old.id for new, old in packs.clashes(clash_pack, filled.values()) if new.name in expected.replaced}
    for name, old in filled.items():  # what was not replaced is untouched, file for file
        assert (store.root / old.id).exists() == (old.id not in replaced)
        if old.id not in replaced:
            assert snapshot(store.root / old.id) == kept[name]


def test_rename_skips_names_already_taken(clash_pack, store, filled):
    store.save(sign("hello (2)", seed=11))
    report = packs.import_pack(store, clash_pack, Clash.RENAME)
    assert report.renamed == [("hello", "hello (3)"), ("شكرا", "شكرا (2)")] and report.added == ["new"]
    names = sorted(s.name for s in store.load())
    assert names == ["Hello", "hello (2)", "hello (3)", "new", "other", "شكرا", "شكرا (2)"]


def test_rename_keeps_a_long_name_within_the_limit(tmp_path, store):
    long = "x" * custom.MAX_NAME_LENGTH
    store.save(sign(long))
    pack = read_pack(packs.export_pack([sign(long, seed=1)], tmp_path / "l.signpack", name="l"))
    [(_, new)] = packs.import_pack(store, pack, Clash.RENAME).renamed
    assert new == "x" * (custom.MAX_NAME_LENGTH - 4) + " (2)" and check_name(new) == new


def test_a_mapping_missing_a_clashing_name_refuses_it(clash_pack, store, filled):
    before = snapshot(store.root)
    with pytest.raises(PackError, match="شكرا") as info:
        packs.import_pack(store, clash_pack, {"HELLO": Clash.REPLACE})
    assert "hello" not in str(info.value)
    assert snapshot(store.root) == before


def test_a_failing_save_undoes_the_import(clash_pack, store, filled, monkeypatch):
    before = snapshot(store.root)
    real, calls = store.save, []

    def save(s, replaces=()):
        calls.append(s.name)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(s, replaces)

    monkeypatch.setattr(store, "save", save)
    with pytest.raises(OSError):
        packs.import_pack(store, clash_pack, Clash.REPLACE)
    assert snapshot(store.root) == before, "the saved sign is removed again, no replaced sign is lost"


def test_replace_saves_before_it_removes(clash_pack, store, filled, monkeypatch):
    def remove(s):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(store, "remove", remove)
    with pytest.raises(OSError):
        packs.import_pack(store, clash_pack, Clash.REPLACE)
    names = [s.name for s in store.load()]
    assert "Hello" in names and "hello" in names, "both versions, never neither"


def test_a_hand_made_pack_with_bad_takes_writes_nothing(store, filled):
    bad = Pack("p", "", "", "", __version__, 1, (sign("fine", seed=3), replace(
        sign("broken"), takes=[Take(np.full((5, 184, 4), np.nan, np.float32))])))
    before = snapshot(store.root)
    with pytest.raises(PackError, match="NaN"):
        packs.import_pack(store, bad)
    with pytest.raises(PackError, match="no signs"):
        packs.import_pack(store, replace(bad, signs=()))
    assert snapshot(store.root) == before
    assert issubclass(PackError, ValueError) and not issubclass(CustomSignError, PackError)


def _set(path: list, value):
    def edit(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        if value is _DELETE:
            del target[path[-1]]
        else:
            target[path[-1]] = value
    return edit


_DELETE = object()

BAD_MANIFESTS = {
    "newer format": (_set(["format"], 2), r"^made by a newer signdesk \(pack format 2; this one reads 1\)$"),
    "format as text": (_set(["format"], "1"), "'format' should be a whole number, not text"),
    "format missing": (_set(["format"], _DELETE), "'format' should be a whole number, not null"),
    "name missing": (_set(["name"], _DELETE), "'name' is missing"),
    "signs not a list": (_set(["signs"], {"a": 1}), "'signs' should be a list, not an object"),
    "no signs": (_set(["signs"], []), "holds no signs"),
    "sign not an object": (_set(["signs", 0], "hello"), "sign 1 should be an object"),
    "sign name missing": (_set(["signs", 0, "name"], _DELETE), "sign 1: 'name' is missing"),
    "sign name a number": (_set(["signs", 1, "name"], 7), "sign 2: 'name' should be text, not a whole number"),
    "sign name control": (_set(["signs", 1, "name"], "a\x1bb"), "control characters"),
    "gloss a list": (_set(["signs", 0, "gloss"], ["x"]), "'gloss' should be text, not a list"),
    "takes missing": (_set(["signs", 0, "takes"], _DELETE), "'takes' is missing"),
    "too many takes": (_set(["signs", 0, "takes"], [{}] * 11), "1-10 takes"),
    "reference out of range": (_set(["signs", 0, "reference"], 3), "reference take 3"),
    "reference true": (_set(["signs", 0, "reference"], True), "'reference' should be a whole number"),
    "fps text": (_set(["signs", 0, "takes", 0, "fps"], "fast"), "'fps' should be a number, not text"),
    "fps zero": (_set(["signs", 0, "takes", 0, "fps"], 0), "frame rate"),
    "frames wrong": (_set(["signs", 0, "takes", 0, "frames"], 99), "says 99 frames"),
    "sha not hex": (_set(["signs", 0, "takes", 0, "sha256"], "z" * 64), "not a sha256"),
    "take missing": (_set(["signs", 0, "takes", 0, "file"], "take-999-01.npy"), "take-999-01.npy is missing"),
    "take listed twice": (lambda d: d["signs"][1]["takes"].append(d["signs"][0]["takes"][0]), "listed twice"),
    "duplicate sign names": (_set(["signs", 2, "name"], "شكرا"), "two signs in the pack are called"),
    "pack name empty": (_set(["name"], " "), "needs a name"),
    "description too long": (_set(["description"], "x" * 5000), "at most 2000 characters"),
    "author with control": (_set(["author"], "a\x00"), "control characters"),
}


@pytest.mark.parametrize("bad", BAD_MANIFESTS, ids=list(BAD_MANIFESTS))
def test_a_manifest_with_the_wrong_schema_is_refused_with_a_clear_message(tmp_path, pack_path, bad):
    edit, message = BAD_MANIFESTS[bad]
    path = rebuilt(pack_path, tmp_path / "bad.signpack", edit)
    with pytest.raises(PackError, match=message):
        read_pack(path)


def test_an_edited_manifest_fails_its_checksum(tmp_path, pack_path):
    path = rebuilt(pack_path, tmp_path / "bad.signpack", _set(["signs", 0, "name"], "edited"), fix_checksum=False)
    with pytest.raises(PackError, match="checksum mismatch"):
        read_pack(path)
    path = rebuilt(pack_path, tmp_path / "bad2.signpack", _set(["checksum"], _DELETE), fix_checksum=False)
    with pytest.raises(PackError, match="'checksum' is missing"):
        read_pack(path)


def _raw_manifest(raw: bytes):
    def edit(members, doc):
        members[MANIFEST] = raw
    return edit


def _replace_take(data: bytes | None = None, array: np.ndarray | None = None, name: str | None = None):
    def edit(members, doc):
        """Point the first sign's first take at member ``name`` holding the payload, sha256 matching."""
        take = doc["signs"][0]["takes"][0]
        members.pop(take["file"])
        take["file"] = name or take["file"]
        members[take["file"]] = npy(array) if array is not None else data
        take["sha256"] = hashlib.sha256(members[take["file"]]).hexdigest()
    return edit


def _flip_a_byte(members, doc):
    file = doc["signs"][0]["takes"][0]["file"]
    data = bytearray(members[file])
    data[-1] ^= 0xFF
    members[file] = bytes(data)


BAD_MEMBERS = {
    "manifest missing": (lambda m, d: m.pop(MANIFEST), "has no manifest.json"),
    "take sha differs": (_flip_a_byte, "does not match its sha256"),
    "take removed": (lambda m, d: m.pop(d["signs"][0]["takes"][0]["file"]), "is missing from the pack"),
    "parent path": (_replace_take(npy(landmarks()), name="../evil.npy"), r"unsafe file name '\.\./evil\.npy'"),
    "inner parent path": (_replace_take(npy(landmarks()), name="a/../../evil.npy"), "unsafe file name"),
    "absolute path": (_replace_take(npy(landmarks()), name="/tmp/evil.npy"), "absolute path"),
    "backslash": (_replace_take(npy(landmarks()), name="..\\evil.npy"), "backslash"),
    "drive letter": (_replace_take(npy(landmarks()), name="C:evil.npy"), "drive letter"),
    "pickled objects": (_replace_take(array=np.array([{"x": 1}], dtype=object)), "pickled"),
    "nan landmarks": (_replace_take(array=np.full((5, 184, 4), np.nan, np.float32)), "NaN"),
    "inf landmarks": (_replace_take(array=np.full((5, 184, 4), -np.inf, np.float32)), "NaN or infinite"),
    "float64": (_replace_take(array=landmarks().astype(np.float64)), "float64, expected float32"),
    "wrong shape": (_replace_take(array=np.zeros((5, 184, 3), np.float32)), "shape"),
    "too many frames": (_replace_take(array=np.zeros((601, 184, 4), np.float32)), "shape"),
    "not npy": (_replace_take(b"plain text, not numpy"), "not a numpy .npy array"),
    "npz not npy": (_replace_take(b"PK\x03\x04" + b"\0" * 40), "not a numpy .npy array"),
    "huge shape claim": (_replace_take(npy_header((10**10, 184, 4)) + bytes(64)), "shape"),
    "huge but valid-looking": (_replace_take(npy_header((600, 184, 4))), "bytes, expected"),
    "structured dtype": (_replace_take(npy_header((5, 184, 4), [("a", "<f4")])), "expected float32"),
    "short data": (_replace_take(npy(landmarks())[:-8]), "bytes, expected"),
    "bad manifest json": (_raw_manifest(b'{"format": 1, "signs": ['), "manifest.json is not valid JSON"),
    "manifest not utf-8": (_raw_manifest(b"\xff\xfe{}"), "not UTF-8"),
    "manifest a list": (_raw_manifest(b"[1, 2]"), "not a JSON object"),
    "manifest NaN": (_raw_manifest(b'{"format": NaN}'), "not valid JSON"),
    "manifest duplicate key": (_raw_manifest(b'{"format": 1, "format": 2}'), "a key appears twice"),
    "manifest deeply nested": (_raw_manifest(b"[" * 100_000 + b"]" * 100_000), "not valid JSON"),
}


@pytest.mark.parametrize("bad", BAD_MEMBERS, ids=list(BAD_MEMBERS))
def test_a_hostile_or_damaged_member_is_refused_with_a_clear_message(tmp_path, pack_path, bad):
    edit, message = BAD_MEMBERS[bad]
    path = rebuilt(pack_path, tmp_path / "bad.signpack", edit_members=edit)
    with pytest.raises(PackError, match=message):
        read_pack(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.signpack", "class.signpack"], "nothing extracted"


def test_a_duplicated_member_name_is_refused(tmp_path, pack_path):
    members = list(members_of(pack_path).items())
    with pytest.warns(UserWarning, match="Duplicate name"):
        write_zip(tmp_path / "dup.signpack", [*members, members[-1]])
    with pytest.raises(PackError, match="twice"):
        read_pack(tmp_path / "dup.signpack")


@pytest.mark.parametrize("data", [b"", b"hello, this is a text file", b"\x89PNG\r\n\x1a\n" + bytes(200)])
def test_a_file_that_is_not_a_zip_is_refused(tmp_path, data):
    (tmp_path / "x.signpack").write_bytes(data)
    with pytest.raises(PackError, match="^not a signdesk pack: the file is not a zip archive$"):
        read_pack(tmp_path / "x.signpack")
    with pytest.raises(PackError, match="cannot read"):
        read_pack(tmp_path / "absent.signpack")
    with pytest.raises(PackError, match="not a file"):
        read_pack(tmp_path)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.999])
def test_a_truncated_pack_is_refused(tmp_path, pack_path, keep):
    data = pack_path.read_bytes()
    pack_path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(PackError, match="truncated or damaged"):
        read_pack(pack_path)


@pytest.mark.parametrize(("size", "message"), [
    (3_000_000_000, r"is too large \(2861\.0 MB"),  # refused from the header, before reading
    (100, "is damaged"),  # a lie the other way: zipfile stops at 100 bytes, then the CRC fails
])
def test_a_member_declaring_a_false_size_is_refused(pack_path, size, message):
    take = json.loads(members_of(pack_path)[MANIFEST])["signs"][0]["takes"][0]["file"]
    declare_size(pack_path, take, size)
    with pytest.raises(PackError, match=f"{take} {message}"):
        read_pack(pack_path)


def test_a_zip_bomb_is_refused(tmp_path, pack_path, monkeypatch):
    members = members_of(pack_path)
    members["padding.bin"] = bytes(20 * 1024 * 1024)  # 20 MB of zeros: about 20 KB deflated
    bomb = write_zip(tmp_path / "bomb.signpack", members)
    assert bomb.stat().st_size < 2 * pack_path.stat().st_size
    with pytest.raises(PackError, match="padding.bin is too large"):
        read_pack(bomb)
    monkeypatch.setattr(packs, "MAX_PACK_BYTES", 1_000_000)
    with pytest.raises(PackError, match="too large unpacked"):
        read_pack(pack_path)


def test_too_many_signs_or_members_are_refused(tmp_path, pack_path, monkeypatch):
    monkeypatch.setattr(packs, "MAX_SIGNS", 2)
    with pytest.raises(PackError, match="3 signs; a pack holds at most 2"):
        read_pack(pack_path)
    monkeypatch.setattr(packs, "MAX_MEMBERS", 3)
    with pytest.raises(PackError, match="files; a pack holds at most 3"):
        read_pack(pack_path)


def test_unknown_extra_members_and_folders_are_ignored(tmp_path, pack_path):
    members = members_of(pack_path)
    members["README.txt"] = b"made in class"
    members["extra/"] = b""
    pack = read_pack(write_zip(tmp_path / "extra.signpack", members))
    assert len(pack.signs) == 3


@pytest.fixture
def small_pack(tmp_path) -> Path:
    return packs.export_pack([sign("a", seed=1, frames=4), sign("ب", takes=2, seed=2, frames=4)], tmp_path / "s.zip",
                       name="small")


@fuzz(150)
@given(data=st.data())
def test_corrupting_a_pack_only_ever_raises_pack_error(tmp_path, small_pack, data):
    """Any damage is either harmless (a timestamp) or a PackError: no other exception, no file written."""
    corrupt = bytearray(small_pack.read_bytes())
    kind = data.draw(st.sampled_from(["flip", "truncate", "splice"]))
    if kind == "flip":
        for _ in range(data.draw(st.integers(1, 8))):
            at = data.draw(st.integers(0, len(corrupt) - 1))
            corrupt[at] = data.draw(st.integers(0, 255))
    elif kind == "truncate":
        corrupt = corrupt[: data.draw(st.integers(0, len(corrupt) - 1))]
    else:
        at = data.draw(st.integers(0, len(corrupt)))
        corrupt[at:at + data.draw(st.integers(0, 64))] = data.draw(st.binary(max_size=64))
    folder = tmp_path / "fuzz"
    folder.mkdir(exist_ok=True)
    path = folder / "p.signpack"
    path.write_bytes(bytes(corrupt))
    try:
        pack = read_pack(path)
    except PackError as exc:
        assert str(exc) and "\n" not in str(exc), "one line"
    else:
        assert [s.name for s in pack.signs] == ["a", "ب"]
    assert [p.name for p in folder.iterdir()] == ["p.signpack"] and path.read_bytes() == bytes(corrupt)


@fuzz(60)
@given(header=st.binary(max_size=200), body=st.binary(max_size=64))
def test_a_forged_npy_with_a_valid_sha_only_ever_raises_pack_error(tmp_path, small_pack, header, body):
    """Past the checksums, a hostile .npy header still meets only numpy's safe parser and our checks."""
    data = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + body
    path = rebuilt(small_pack, tmp_path / "forged.signpack", edit_members=_replace_take(data))
    with pytest.raises(PackError) as info:
        read_pack(path)
    assert "\n" not in str(info.value)


def _valid(name: str) -> bool:
    try:
        check_name(name)
    except CustomSignError:
        return False
    return True


NAMES = st.text(min_size=1, max_size=custom.MAX_NAME_LENGTH).filter(_valid)


@fuzz(30)
@given(names=st.lists(NAMES, min_size=1, max_size=4, unique_by=lambda s: " ".join(s.split()).casefold()),
       frames=st.lists(st.integers(4, 12), min_size=1, max_size=3), seed=st.integers(0, 2**32 - 1))
def test_any_valid_names_and_lengths_round_trip(tmp_path, names, frames, seed):
    rng = np.random.default_rng(seed)
    signs = [CustomSign(name, [Take(rng.standard_normal((t, 184, 4)).astype(np.float32)) for t in frames])
             for name in names]
    pack = read_pack(packs.export_pack(signs, tmp_path / "h.signpack", name="hypothesis"))
    store = CustomStore(tmp_path / uuid.uuid4().hex)
    packs.import_pack(store, pack, Clash.RENAME)
    loaded = {s.name: s for s in store.load() if s.pack == "hypothesis"}
    for original in signs:
        got = loaded[check_name(original.name)]
        assert [t.landmarks.tobytes() for t in got.takes] == [t.landmarks.tobytes() for t in original.takes]

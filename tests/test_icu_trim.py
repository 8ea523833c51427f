"""packaging/icu_trim.py: Qt still collates, case-maps, converts and names time zones with trimmed ICU.

The trimmed copy of PySide6's ``libicudata.so.NN`` is loaded into a fresh Python through
``LD_LIBRARY_PATH`` (it is searched before the ``$ORIGIN`` RUNPATH of Qt's libicuuc), and every
probe is also run against the untouched library as a control. Linux only (the macOS and Windows
wheels carry no ICU); skipped where icupkg (icu-devtools), gcc or readelf is missing.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

ARABIC_WORDS = ["حياتي", "بيت", "إسلام", "مدرسة", "ابن", "علي", "آمن", "حياة", "على", "عليم"]
#: Sorted by ICU 73 with the untrimmed data: Arabic's own tailoring puts ابن before إسلام
#: (the root order has إسلام first), so this shows coll/ar.res is loaded, not just root.
ARABIC_SORTED = ["آمن", "ابن", "إسلام", "بيت", "حياة", "حياتي", "على", "علي", "عليم", "مدرسة"]
ENGLISH_WORDS = ["côté", "Zebra", "cote", "banana", "Côte", "apple", "coté", "Apple", "zoo"]
ENGLISH_SORTED = ["apple", "Apple", "banana", "cote", "coté", "Côte", "côté", "Zebra", "zoo"]
ARABIC_GREETING = "مرحبا بالعالم"

PROBE = textwrap.dedent("""
    import json, sys
    from PySide6.QtCore import (QBuffer, QCollator, QIODevice, QLocale, QStringConverter, QStringDecoder,
                                QStringEncoder, Qt, QTimeZone, QXmlStreamReader)
    from PySide6.QtGui import QTextLayout
    from PySide6.QtWidgets import QApplication, QLabel

    words_ar, words_en, greeting = json.loads(sys.argv[1])
    out = {}
    out["maps"] = sorted({line.split()[-1] for line in open("/proc/self/maps") if "libicudata" in line})

    out["sort_ar"] = sorted(words_ar, key=QCollator(QLocale("ar")).sortKey)
    out["sort_en"] = sorted(words_en, key=QCollator(QLocale("en")).sortKey)
    insensitive = QCollator(QLocale("en"))
    insensitive.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    out["fold_equal"] = insensitive.compare("ÉCOLE Straße", "école straße")
    out["case"] = {
        "en_upper": QLocale("en").toUpper("straße abc"),
        "en_lower": QLocale("en").toLower("ΟΔΟΣ ABC"),
        "ar_upper": QLocale("ar").toUpper("salam سلام"),
        "ar_lower": QLocale("ar").toLower("SALAM سلام"),
        "tr_upper": QLocale("tr").toUpper("istanbul"),
    }

    def read_xml(encoding, payload):
        buffer = QBuffer()
        buffer.setData(f'<?xml version="1.0" encoding="{encoding}"?><a>'.encode() + payload + b"</a>")
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QXmlStreamReader(buffer)
        text = []
        while not reader.atEnd():
            reader.readNext()
            if reader.isCharacters():
                text.append(reader.text())
        return reader.errorString() if reader.hasError() else "".join(text)

    arabic = "مرحبا"
    out["xml"] = {
        "windows-1256": read_xml("windows-1256", arabic.encode("cp1256")),
        "ISO-8859-6": read_xml("ISO-8859-6", arabic.encode("iso8859_6")),
        "IBM720": read_xml("IBM720", arabic.encode("cp720")),
        "windows-1252": read_xml("windows-1252", "café €".encode("cp1252")),
        "Shift_JIS": read_xml("Shift_JIS", "日本".encode("shift_jis")),
    }
    out["valid"] = {name: [QStringDecoder(name).isValid(), QStringEncoder(name).isValid()]
                    for name in ("windows-1256", "ISO-8859-6", "windows-1252", "ISO-8859-15", "Shift_JIS")}
    out["codec_count"] = len(QStringConverter.availableCodecs())

    out["tz"] = {loc: [QTimeZone(zone).displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName,
                                                   QLocale(loc))
                       for zone in (b"Asia/Riyadh", b"Europe/London")]
                 for loc in ("en", "ar", "en_GB", "ar_SA")}

    out["other"] = {
        "sort_sv": sorted(["ö", "z", "a"], key=QCollator(QLocale("sv")).sortKey),
        "tz_de": QTimeZone(b"Europe/Berlin").displayName(QTimeZone.TimeType.StandardTime,
                                                       QTimeZone.NameType.LongName, QLocale("de")),
    }

    app = QApplication([])
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    label = QLabel(greeting)
    label.resize(400, 40)
    label.show()
    app.processEvents()
    image = label.grab().toImage()
    background = image.pixelColor(0, 0)
    ink = [x for x in range(image.width()) for y in range(image.height())
           if image.pixelColor(x, y) != background]
    layout = QTextLayout(greeting, label.font())
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(400)
    layout.endLayout()
    out["label"] = {
        "rtl": label.layoutDirection() == Qt.LayoutDirection.RightToLeft,
        "width": image.width(),
        "ink": [min(ink), max(ink)] if ink else None,
        "first_char_x": line.cursorToX(0)[0],
        "last_char_x": line.cursorToX(len(greeting))[0],
    }
    print(json.dumps(out))
""")


def _load():
    spec = importlib.util.spec_from_file_location("signdesk_packaging_icu_trim", REPO / "packaging" / "icu_trim.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


icu_trim = _load()


def _qt_icu_data() -> Path:
    if not sys.platform.startswith("linux"):
        pytest.skip("only Linux PySide6 wheels bundle ICU")
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not found:
        pytest.skip("this PySide6 has no libicudata.so.* (Qt built without bundled ICU)")
    return found[0]


def _need_tools() -> None:
    for tool in ("icupkg", "gcc", "readelf"):
        try:
            icu_trim._tool(tool)
        except icu_trim.IcuTrimError as exc:
            pytest.skip(f"cannot trim ICU here: {exc}")


@pytest.fixture(scope="module")
def original() -> Path:
    _need_tools()
    return _qt_icu_data()


@pytest.fixture(scope="module")
def trimmed(original, tmp_path_factory) -> tuple[Path, int, int]:
    lib = tmp_path_factory.mktemp("icu") / original.name
    lib.write_bytes(original.read_bytes())
    old, new = icu_trim.trim_icu_data(lib)
    return lib, old, new


def _probe(icu_dir: Path | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("ICU_DATA", "LD_LIBRARY_PATH", "LD_PRELOAD")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    if icu_dir is not None:
        env["LD_LIBRARY_PATH"] = str(icu_dir)
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps([ARABIC_WORDS, ENGLISH_WORDS, ARABIC_GREETING])],
                          check=False, capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def probes(trimmed, original) -> tuple[dict, dict]:
    lib, _, _ = trimmed
    return _probe(lib.parent), _probe(None)


def _items(lib: Path) -> set[str]:
    symbol = icu_trim._data_symbol(lib)
    with open(lib, "rb") as f:
        f.seek(symbol.offset)
        blob = f.read(symbol.size)
    dat = lib.parent / "items.dat"
    dat.write_bytes(blob)
    try:
        return set(icu_trim._list(icu_trim._tool("icupkg"), dat, lib.parent / "items.txt"))
    finally:
        dat.unlink()
        (lib.parent / "items.txt").unlink(missing_ok=True)


def test_trimmed_library_is_much_smaller_and_looks_the_same_to_the_loader(trimmed, original):
    lib, old, new = trimmed
    assert old == original.stat().st_size
    assert new == lib.stat().st_size
    assert new < old / 4, (old, new)
    assert icu_trim._soname(lib) == icu_trim._soname(original)
    before, after = icu_trim._data_symbol(original), icu_trim._data_symbol(lib)
    assert (after.name, after.version) == (before.name, before.version)
    assert after.size < before.size
    assert not [p for p in lib.parent.iterdir() if p.name.startswith(".")]


def test_trimmed_package_keeps_root_english_arabic_and_shared_data(trimmed):
    items = _items(trimmed[0])
    kept = {"root.res", "pool.res", "res_index.res", "en.res", "en_US.res", "en_001.res", "en_GB.res", "ar.res",
            "ar_SA.res", "ar_EG.res", "supplementalData.res", "likelySubtags.res", "keyTypeData.res",
            "zoneinfo64.res", "metaZones.res", "timezoneTypes.res", "windowsZones.res", "numberingSystems.res",
            "coll/root.res", "coll/ucadata.icu", "coll/ar.res", "coll/en_US_POSIX.res", "cnvalias.icu",
            "ibm-9448_X100-2005.cnv", "ibm-1089_P100-1995.cnv", "ibm-5348_P100-1997.cnv", "nfkc.nrm", "uts46.nrm",
            "ulayout.icu", "uemoji.icu", "brkitr/root.res", "brkitr/word.brk", "brkitr/line.brk", "zone/pool.res",
            "zone/ar.res", "zone/en.res", "zone/tzdbNames.res", "lang/ar.res", "region/en.res", "curr/pool.res",
            "curr/supplementalData.res", "unit/ar.res"}
    dropped = {"de.res", "ars.res", "zh_Hant_TW.res", "coll/zh.res", "coll/de__PHONEBOOK.res", "zone/fr.res",
               "brkitr/ja.res", "brkitr/cjdict.dict", "translit/root.res", "unames.icu", "confusables.cfu",
               "rfc3491.spp", "ibm-943_P15A-2003.cnv", "gb18030.cnv"}
    assert kept <= items, kept - items
    assert not dropped & items, dropped & items


def test_qt_loads_the_trimmed_library(probes, trimmed, original):
    trimmed_run, control = probes
    assert trimmed_run["maps"] == [str(trimmed[0].resolve())]
    assert control["maps"] == [str(original.resolve())]


def test_collation_and_case_mapping_in_arabic_and_english(probes):
    trimmed_run, control = probes
    assert trimmed_run["sort_ar"] == ARABIC_SORTED == control["sort_ar"]
    assert trimmed_run["sort_en"] == ENGLISH_SORTED == control["sort_en"]
    assert trimmed_run["fold_equal"] == 0
    assert trimmed_run["case"] == control["case"] == {
        "en_upper": "STRASSE ABC", "en_lower": "οδος abc", "ar_upper": "SALAM سلام", "ar_lower": "salam سلام",
        "tr_upper": "İSTANBUL"}


def test_kept_legacy_encodings_convert_and_dropped_ones_are_invalid(probes):
    """QStringDecoder has no decode() in PySide6, so text goes through QXmlStreamReader, which
    decodes a declared non-UTF encoding with QStringDecoder(name), i.e. ICU."""
    trimmed_run, control = probes
    xml = trimmed_run["xml"]
    assert xml["windows-1256"] == xml["ISO-8859-6"] == xml["IBM720"] == "مرحبا"
    assert xml["windows-1252"] == "café €"
    assert xml["Shift_JIS"] == "Encoding Shift_JIS is unsupported"
    assert control["xml"]["Shift_JIS"] == "日本"
    assert {k: v for k, v in xml.items() if k != "Shift_JIS"} == {
        k: v for k, v in control["xml"].items() if k != "Shift_JIS"}
    assert trimmed_run["valid"] == {**control["valid"], "Shift_JIS": [False, False]}
    assert all(all(valid) for valid in control["valid"].values())
    assert 10 < trimmed_run["codec_count"] < control["codec_count"]


def test_time_zone_names_in_english_and_arabic(probes):
    trimmed_run, control = probes
    assert trimmed_run["tz"] == control["tz"]
    assert trimmed_run["tz"]["en"] == ["Arabian Standard Time", "Greenwich Mean Time"]
    for name in trimmed_run["tz"]["ar"] + trimmed_run["tz"]["ar_SA"]:
        assert "GMT" not in name and any("\u0600" <= c <= "\u06ff" for c in name), name


def test_other_languages_fall_back_to_root_data_without_errors(probes):
    """The trade-off: Swedish sorts ö with o (root order), not after z; names come from a fallback."""
    trimmed_run, control = probes
    assert control["other"]["sort_sv"] == ["a", "z", "ö"]
    assert trimmed_run["other"]["sort_sv"] == ["a", "ö", "z"]
    assert trimmed_run["other"]["tz_de"]


def test_arabic_label_is_laid_out_right_to_left(probes):
    label = probes[0]["label"]
    assert label["rtl"]
    assert label["ink"] is not None, "the label drew nothing"
    assert label["ink"][0] > label["width"] / 2, label
    assert label["first_char_x"] > label["last_char_x"], label


def test_command_line_reports_sizes_and_trimming_again_changes_nothing(trimmed):
    lib, _, new = trimmed
    proc = subprocess.run([sys.executable, str(REPO / "packaging" / "icu_trim.py"), str(lib)],
                          check=False, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert f"({new} -> {new} bytes)" in proc.stdout
    assert lib.stat().st_size == new


def test_a_versioned_data_symbol_keeps_its_version(original, tmp_path):
    symbol = icu_trim._data_symbol(original)
    blob = tmp_path / "original.dat"
    with open(original, "rb") as f:
        f.seek(symbol.offset)
        blob.write_bytes(f.read(symbol.size))
    lib = tmp_path / original.name
    versioned = icu_trim._Symbol(symbol.name, "ICU_TEST_1", 0, symbol.size)
    icu_trim._assemble(blob, versioned, icu_trim._soname(original), lib, tmp_path)
    blob.unlink()
    assert icu_trim._data_symbol(lib).version == "ICU_TEST_1"
    old, new = icu_trim.trim_icu_data(lib)
    assert new < old / 4
    assert icu_trim._data_symbol(lib).version == "ICU_TEST_1"


def _assert_untouched(path: Path, before: bytes | None) -> None:
    if before is None:
        assert not path.exists()
    else:
        assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")], "a temporary file was left"


@pytest.mark.parametrize("kind", ["text", "other_elf", "missing"])
def test_a_file_that_is_not_icu_data_raises_and_stays_as_it_was(kind, original, tmp_path):
    path = tmp_path / "libicudata.so.73"
    if kind == "text":
        path.write_text("not a library\n")
    elif kind == "other_elf":
        path.write_bytes((original.parent / original.name.replace("icudata", "icuuc")).read_bytes())
    before = path.read_bytes() if path.exists() else None
    with pytest.raises(icu_trim.IcuTrimError):
        icu_trim.trim_icu_data(path)
    _assert_untouched(path, before)


def test_a_missing_tool_or_failed_build_raises_and_leaves_the_library(original, tmp_path, monkeypatch):
    lib = tmp_path / original.name
    lib.write_bytes(original.read_bytes())
    before = lib.read_bytes()
    real_which = icu_trim.shutil.which
    with monkeypatch.context() as patch:
        patch.setattr(icu_trim.shutil, "which",
                      lambda name, **kw: None if name == "icupkg" else real_which(name, **kw))
        with pytest.raises(icu_trim.IcuTrimError, match="icupkg not found"):
            icu_trim.trim_icu_data(lib)
    _assert_untouched(lib, before)

    def broken_gcc(*args, **kwargs):
        raise icu_trim.IcuTrimError("gcc failed (1): simulated")

    with monkeypatch.context() as patch:
        patch.setattr(icu_trim, "_assemble", broken_gcc)
        with pytest.raises(icu_trim.IcuTrimError, match="simulated"):
            icu_trim.trim_icu_data(lib)
    _assert_untouched(lib, before)
    with pytest.raises(ValueError):
        icu_trim.trim_icu_data(lib, ("en_GB",))
    _assert_untouched(lib, before)


def test_the_build_trims_the_bundle_once_through_its_symlink_and_warns_without_icupkg(original, tmp_path,
                                                                                      monkeypatch):
    """PyInstaller puts the library in PySide6/Qt/lib and a symlink to it at the top of _internal."""
    qt_lib = tmp_path / "signdesk" / "_internal" / "PySide6" / "Qt" / "lib"
    qt_lib.mkdir(parents=True)
    lib = qt_lib / original.name
    lib.write_bytes(original.read_bytes())
    (tmp_path / "signdesk" / "_internal" / original.name).symlink_to(lib)
    before = lib.read_bytes()
    real_which = icu_trim.shutil.which
    with monkeypatch.context() as patch:
        patch.setattr(icu_trim.shutil, "which", lambda name, **kw: None if name == "icupkg" else real_which(name, **kw))
        lines = icu_trim.trim_bundle(tmp_path / "signdesk")
    assert len(lines) == 1 and lines[0].startswith(f"warning: {original.name} kept whole") and "icu-devtools" in lines[0]
    _assert_untouched(lib, before)
    lines = icu_trim.trim_bundle(tmp_path / "signdesk")
    assert len(lines) == 1 and "MB ->" in lines[0]
    assert lib.stat().st_size < len(before) / 4

"""Shrink Qt's ICU data library (``libicudata.so.NN``, 32 MB) to what an English/Arabic Qt app uses.

    python packaging/icu_trim.py PATH/TO/libicudata.so.73

The library is nothing but one exported array, ``icudtNN_dat``: an ICU ``.dat`` package. It is
cut out, ICU's own ``icupkg`` removes the unneeded items and then checks that no kept item
depends on a removed one (pool bundles, ``%%Parent`` chains, collation base data), and the
result is assembled (``.incbin``) into a new shared library with the same SONAME, symbol name,
symbol version (if any) and alignment, which then replaces the old one atomically.

What Qt reaches: only QtCore links ICU, and it calls only ``ucol_*`` (QCollator), ``ucal_*``
(QTimeZone display names), ``ucnv_*`` (QStringConverter for non-UTF encodings) and
``u_strToUpper/Lower`` (QLocale::toUpper/toLower; case mapping, properties and NFC are built
into libicuuc, not this package). So the package keeps, for the kept languages and all their
regional variants plus ``root``, every locale tree, and all non-locale data (supplemental
bundles, time zones, normalization, property files, break rules, collation base data), except:

- other languages' bundles in every tree (they fall back to ``root``, as ICU does for any
  locale it lacks);
- ``translit/`` (1 MB of transliteration rules), ``unames.icu`` (character names),
  ``confusables.cfu`` (spoof checks), ``*.spp`` (StringPrep / IDNA2003) and the break-iterator
  dictionaries ``*.dict`` (CJK, Thai, Lao, Khmer, Burmese): no API Qt calls loads them.
  ``brkitr/root.res`` names the dictionaries, so they alone are removed past icupkg's
  dependency check; an ICU break iterator without one falls back to dictionary-less breaks;
- code-page converters other than :data:`KEEP_CONVERTERS`. UTF-8/16/32, ISO-8859-1 and
  US-ASCII are algorithmic and need no data; a dropped encoding makes QStringDecoder invalid.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

#: Code-page converter tables kept (``<file>.cnv`` → the usual name that opens it): Western and
#: Arabic legacy encodings that English or Arabic text files are likely to arrive in.
KEEP_CONVERTERS: dict[str, str] = {
    "ibm-5348_P100-1997": "windows-1252",
    "ibm-1252_P100-2000": "ibm-1252",
    "ibm-923_P100-1998": "ISO-8859-15",
    "ibm-437_P100-1995": "IBM437",
    "ibm-850_P100-1995": "IBM850",
    "macos-0_2-10.2": "macintosh",
    "ibm-9448_X100-2005": "windows-1256",
    "ibm-1256_P110-1997": "ibm-1256",
    "ibm-1089_P100-1995": "ISO-8859-6",
    "ibm-864_X110-1999": "IBM864",
    "ibm-720_P100-1997": "IBM720",
}
#: Whole trees no Qt API reaches.
DROP_TREES = frozenset({"translit"})
#: Item types no Qt API reaches (see the module docstring).
DROP_SUFFIXES = frozenset({".dict", ".cfu", ".spp"})
DROP_ITEMS = frozenset({"unames.icu"})
#: Bundles in the locale trees that are shared by all locales, never one locale's data.
SHARED_BUNDLES = frozenset({"root", "pool", "res_index"})

_LOCALE_ID = re.compile(r"[a-z]{2,3}(?:_[A-Za-z0-9]*)*")
_DATA_SYMBOL = re.compile(r"icudt\d+[lbe]?_dat")
_ICU_MAGIC = b"\xda\x27"
_ALIGN = 16


class IcuTrimError(RuntimeError):
    """The library could not be trimmed; the original file is left as it was."""


class _Symbol(NamedTuple):
    name: str
    version: str | None
    offset: int
    size: int


def _tool(name: str) -> str:
    """The tool's path; ``icupkg`` lives in ``/usr/sbin``, which a user's PATH may lack."""
    found = shutil.which(name) or shutil.which(name, path="/usr/local/sbin:/usr/sbin:/sbin")
    if found is None:
        hint = " (Debian/Ubuntu: apt install icu-devtools)" if name == "icupkg" else ""
        raise IcuTrimError(f"{name} not found{hint}")
    return found


def _run(*args: str | Path) -> str:
    proc = subprocess.run([str(a) for a in args], check=False, capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-5:]
        raise IcuTrimError(f"{Path(str(args[0])).name} failed ({proc.returncode}): " + " | ".join(detail))
    return proc.stdout


def _elf_header(lib: Path) -> dict[str, str]:
    fields = {}
    for line in _run(_tool("readelf"), "-h", "-W", lib).splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return fields


def _soname(lib: Path) -> str:
    match = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", _run(_tool("readelf"), "-d", "-W", lib))
    if match is None:
        raise IcuTrimError(f"{lib} has no SONAME")
    return match.group(1)


def _data_symbol(lib: Path) -> _Symbol:
    """The exported ``icudtNN_dat`` and where its bytes are in the file (value → section offset)."""
    readelf = _tool("readelf")
    sections = {}
    for match in re.finditer(r"^\s*\[\s*(\d+)\]\s+\S+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)",
                             _run(readelf, "-S", "-W", lib), re.MULTILINE):
        sections[match.group(1)] = (int(match.group(2), 16), int(match.group(3), 16), int(match.group(4), 16))
    for line in _run(readelf, "--dyn-syms", "-W", lib).splitlines():
        parts = line.split()
        if len(parts) < 8 or not parts[0].rstrip(":").isdigit():
            continue
        value, size, kind, ndx, full_name = parts[1], parts[2], parts[3], parts[6], parts[7]
        name, _, version = full_name.partition("@")
        if kind != "OBJECT" or ndx not in sections or not _DATA_SYMBOL.fullmatch(name):
            continue
        address, offset, length = sections[ndx]
        size_bytes = int(size, 16) if size.startswith("0x") else int(size)
        start = int(value, 16) - address
        if not 0 <= start <= start + size_bytes <= length:
            raise IcuTrimError(f"{name} in {lib} lies outside its section")
        return _Symbol(name, version.lstrip("@") or None, offset + start, size_bytes)
    raise IcuTrimError(f"{lib} exports no ICU data symbol (icudtNN_dat): not an ICU data library")


def _drop(item: str, languages: frozenset[str]) -> bool:
    """Whether a package item (``coll/de.res``, ``ibm-37_P100-1995.cnv``) goes."""
    tree, _, name = item.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    suffix = dot + suffix
    if tree in DROP_TREES or suffix in DROP_SUFFIXES or item in DROP_ITEMS:
        return True
    if suffix == ".cnv":
        return stem not in KEEP_CONVERTERS
    if suffix == ".res" and stem not in SHARED_BUNDLES and _LOCALE_ID.fullmatch(stem):
        return stem.split("_")[0] not in languages
    return False


def _list(icupkg: str, package: Path, listfile: Path) -> list[str]:
    """The package's items, after icupkg's dependency check of every item against the others.

    The only missing items tolerated are the break-iterator dictionaries, which
    ``brkitr/root.res`` names (see the module docstring); any other means a broken package.
    """
    proc = subprocess.run([icupkg, "--auto_toc_prefix", "-l", "-o", str(listfile), str(package)],
                          check=False, capture_output=True, text=True)
    missing = set(re.findall(r"depends on missing item (\S+)", proc.stderr))
    if proc.returncode != 0 and (not missing or any(not item.endswith(".dict") for item in missing)):
        detail = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-5:]
        raise IcuTrimError(f"icupkg -l {package.name} failed ({proc.returncode}): " + " | ".join(detail))
    return listfile.read_text().split()


def _assemble(dat: Path, symbol: _Symbol, soname: str, out: Path, work: Path) -> None:
    source = work / "icudata.s"
    quoted = str(dat).replace("\\", "\\\\").replace('"', '\\"')
    source.write_text(
        f'\t.section .note.GNU-stack,"",@progbits\n'
        f"\t.section .rodata\n"
        f"\t.balign {_ALIGN}\n"
        f"\t.globl {symbol.name}\n"
        f"\t.type {symbol.name},@object\n"
        f"\t.size {symbol.name},{dat.stat().st_size}\n"
        f"{symbol.name}:\n"
        f'\t.incbin "{quoted}"\n')
    flags = [f"-Wl,-soname,{soname}", "-Wl,-Bsymbolic", "-Wl,-z,noexecstack", "-Wl,-s"]
    if symbol.version:
        script = work / "icudata.map"
        script.write_text(f"{symbol.version} {{ global: {symbol.name}; local: *; }};\n")
        flags.append(f"-Wl,--version-script={script}")
    _run(_tool("gcc"), "-shared", "-nostdlib", *flags, "-o", out, source)


def trim_icu_data(lib: Path, keep_locales: tuple[str, ...] = ("en", "ar")) -> tuple[int, int]:
    """Replace the ICU data library at ``lib`` by one holding only what Qt needs; (old, new) size.

    ``keep_locales`` are language codes: each keeps its own bundles and all its regional and
    script variants (``en_GB`` → ``en_001`` → ``en``), so a user's exact locale still finds its
    data and every ``%%Parent`` chain stays whole. A symlink is followed and its target replaced.
    Raises :class:`IcuTrimError` (original untouched) when a tool is missing, ``lib`` is not an
    ICU data library, or ``icupkg`` finds a kept item depending on a removed one. Trimming an
    already trimmed library rebuilds the same data.
    """
    languages = frozenset(keep_locales)
    bad = sorted(code for code in languages if not re.fullmatch(r"[a-z]{2,3}", code))
    if bad or not languages:
        raise ValueError(f"keep_locales must be language codes such as 'en', not {bad or 'nothing'}")
    icupkg = _tool("icupkg")
    _tool("gcc")
    try:
        target = Path(lib).resolve(strict=True)
    except OSError as exc:
        raise IcuTrimError(f"{lib}: {exc.strerror or exc}") from exc
    header = _elf_header(target)
    if header.get("Type", "").split()[0:1] != ["DYN"]:
        raise IcuTrimError(f"{target} is not a shared library")
    symbol = _data_symbol(target)
    soname = _soname(target)
    with open(target, "rb") as f:
        f.seek(symbol.offset)
        blob = f.read(symbol.size)
    if len(blob) != symbol.size or blob[2:4] != _ICU_MAGIC or blob[12:16] != b"CmnD":
        raise IcuTrimError(f"{symbol.name} in {target} is not an ICU common data package")
    old_size = target.stat().st_size

    with tempfile.TemporaryDirectory(prefix="icu-trim-") as tmp:
        work = Path(tmp)
        original, trimmed = work / "original.dat", work / "trimmed.dat"
        original.write_bytes(blob)
        items = _list(icupkg, original, work / "items.txt")
        dropped = [item for item in items if _drop(item, languages)]
        if len(dropped) == len(items):
            raise IcuTrimError("nothing would be left in the package")
        if dropped:
            removals = work / "remove.txt"
            removals.write_text("\n".join(dropped) + "\n")
            _run(icupkg, "--auto_toc_prefix", "--ignore-deps", "-r", removals, original, trimmed)
        else:
            shutil.copyfile(original, trimmed)
        _list(icupkg, trimmed, work / "kept.txt")

        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        staged = Path(name)
        try:
            _assemble(trimmed, symbol, soname, staged, work)
            _check(staged, trimmed.read_bytes(), symbol, soname, header)
            os.chmod(staged, stat.S_IMODE(target.stat().st_mode))
            os.replace(staged, target)
        finally:
            staged.unlink(missing_ok=True)
    return old_size, target.stat().st_size


def _check(built: Path, dat: bytes, symbol: _Symbol, soname: str, header: dict[str, str]) -> None:
    """The new library must look like the old one to the loader and hold exactly ``dat``."""
    new_header = _elf_header(built)
    for field in ("Class", "Data", "Machine", "OS/ABI"):
        if new_header.get(field) != header.get(field):
            raise IcuTrimError(f"gcc built {field} {new_header.get(field)!r}, "
                               f"the original is {header.get(field)!r}")
    new_symbol = _data_symbol(built)
    if (new_symbol.name, new_symbol.version, new_symbol.size) != (symbol.name, symbol.version, len(dat)):
        raise IcuTrimError(f"the rebuilt library exports {new_symbol}, expected {symbol.name} of {len(dat)} bytes")
    if _soname(built) != soname:
        raise IcuTrimError(f"the rebuilt library's SONAME is not {soname}")
    with open(built, "rb") as f:
        f.seek(new_symbol.offset)
        if f.read(new_symbol.size) != dat:
            raise IcuTrimError("the rebuilt library's data symbol does not hold the trimmed package")


def trim_bundle(folder: Path) -> list[str]:
    """Trim every ICU data library in a PyInstaller bundle; one line per library, for the build log.

    A library that cannot be trimmed (a tool missing) is kept whole and its line says why: the
    bundle still works, only larger.
    """
    found = sorted(folder.rglob("libicudata.so.*"))
    lines = []
    for lib in [p for p in found if not p.is_symlink()] or found:
        try:
            old, new = trim_icu_data(lib)
        except IcuTrimError as exc:
            lines.append(f"warning: {lib.name} kept whole ({exc}); install icu-devtools to trim it")
            continue
        lines.append(f"{lib.name}: {old / 1e6:.1f} MB -> {new / 1e6:.1f} MB (English and Arabic data only)")
    return lines


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__.splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        old, new = trim_icu_data(Path(args[0]))
    except (IcuTrimError, ValueError) as exc:
        print(f"icu_trim: {exc}", file=sys.stderr)
        return 1
    print(f"{args[0]}: {old / 1e6:.1f} MB -> {new / 1e6:.1f} MB ({old} -> {new} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``signdesk custom``: teach, list, rename, remove, export and import custom signs headlessly.

The same store the app uses (``<user data>/custom``, or ``$SIGNDESK_DATA_DIR/custom``), so a
sign added here is recognized in the app and by ``signdesk recognize``. Takes come from clips:
video files (analysed with MediaPipe) or ``.npz`` files written by ``signdesk extract``; each
clip gives its longest sign attempt, cut as the app cuts attempts live.

Every command checks everything it can before it writes, so an error leaves the store as it
was. Heavy imports (MediaPipe, ONNX Runtime) happen only in the commands that need them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from signdesk.cli import CLIError, _add_model_arguments

if TYPE_CHECKING:  # pragma: no cover
    from signdesk.custom import CustomSign, CustomStore, Take
    from signdesk.fewshot import CustomRecognizer
    from signdesk.recognizer import Recognizer

#: Take embeddings are cached here, inside the custom-sign folder (its loader skips dot-folders).
EMBEDDINGS_FOLDER = ".embeddings"

ACTIONS = ("add", "list", "remove", "rename", "export", "import")


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    a = sub.add_parser("add", help="add a custom sign (or more takes of one) from clips",
                       description="Add a custom sign from 1-10 clips (video files or .npz from signdesk extract); "
                                   "each clip gives one take: its longest sign attempt. If NAME exists, the "
                                   "takes are added to it.")
    a.add_argument("name", metavar="NAME", help="the sign's name, in any script")
    a.add_argument("clips", metavar="CLIP", type=Path, nargs="+", help="video file or .npz of one sign")
    a.add_argument("--gloss", help="an English gloss (or any second name)")
    a.add_argument("--category", help="a category to group signs by")
    a.add_argument("--no-check", action="store_true", help="skip the self-check with the model")
    _add_model_arguments(a)

    ls = sub.add_parser("list", help="list the custom signs")
    ls.add_argument("--json", action="store_true", help="print JSON")

    rm = sub.add_parser("remove", help="delete a custom sign")
    rm.add_argument("name", metavar="NAME")

    rn = sub.add_parser("rename", help="rename a custom sign")
    rn.add_argument("old", metavar="OLD")
    rn.add_argument("new", metavar="NEW")
    rn.add_argument("--gloss", help="a new gloss ('' clears it)")

    ex = sub.add_parser("export", help="write custom signs to a sign pack (.signpack) to share")
    ex.add_argument("pack", metavar="PACK", type=Path, help="the pack file to write")
    ex.add_argument("names", metavar="NAME", nargs="*", help="signs to export (default: all)")
    ex.add_argument("--name", dest="pack_name", help="the pack's name (default: the file name)")
    ex.add_argument("--language", default="", help="the sign language, e.g. ASL or ArSL")
    ex.add_argument("--author", default="", help="who made the pack")
    ex.add_argument("--description", default="", help="what the pack is for")

    im = sub.add_parser("import", help="add the signs of a sign pack")
    im.add_argument("pack", metavar="PACK", type=Path, help="the pack file to read")
    how = im.add_mutually_exclusive_group()
    how.add_argument("--replace", action="store_true", help="on a name clash, the pack's sign replaces yours")
    how.add_argument("--rename", action="store_true", help="on a name clash, keep both (the pack's is renamed)")
    how.add_argument("--skip", action="store_true", help="on a name clash, keep yours and skip the pack's")


def run(args: argparse.Namespace) -> int:
    from signdesk.custom import CustomSignError

    handler = {"add": run_add, "list": run_list, "remove": run_remove, "rename": run_rename,
               "export": run_export, "import": run_import}[args.action]
    try:
        return handler(args)
    except CustomSignError as exc:
        raise CLIError(str(exc)) from None


# --- shared helpers ----------------------------------------------------------------------------


def embeddings_dir() -> Path:
    """Where take embeddings are cached (per embedder and model, see :mod:`signdesk.fewshot`)."""
    from signdesk.resources import user_data_dir

    return user_data_dir() / "custom" / EMBEDDINGS_FOLDER


def custom_recognizer(recognizer: Recognizer, signs: Sequence[CustomSign]) -> CustomRecognizer:
    """``recognizer`` ranking ``signs`` beside its own, with the user's embedding cache."""
    from signdesk.fewshot import CustomRecognizer

    return CustomRecognizer(recognizer, signs, cache_dir=embeddings_dir())


@contextlib.contextmanager
def _quiet_store_log() -> Iterator[None]:
    """The store logs each damaged entry; here they are reported once, by :func:`load_signs`."""
    logger = logging.getLogger("signdesk.custom")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def load_signs(store: CustomStore) -> list[CustomSign]:
    """Every readable sign; each damaged entry skipped is named on stderr."""
    with _quiet_store_log():
        signs = store.load()
    for problem in store.problems:
        print(f"signdesk: warning: skipped a damaged custom sign: {problem}", file=sys.stderr)
    return signs


def _find(signs: Sequence[CustomSign], name: str) -> CustomSign:
    sign = _by_name(signs, name)
    if sign is None:
        raise CLIError(f"no custom sign called {name!r} (signdesk custom list shows them)")
    return sign


def _by_name(signs: Sequence[CustomSign], name: str) -> CustomSign | None:
    """The sign whose name is ``name``, else the one whose gloss is (case-insensitive)."""
    from signdesk.custom import fold_name

    key = fold_name(name)
    exact = [s for s in signs if fold_name(s.name) == key]
    return exact[0] if exact else next((s for s in signs if s.matches(name)), None)


def _title(sign: CustomSign) -> str:
    return f"{sign.name} ({sign.gloss})" if sign.gloss and sign.gloss != sign.name else sign.name


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --- add -----------------------------------------------------------------------------------


def run_add(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from signdesk.custom import MAX_TAKES, CustomSign, CustomStore, check_name

    name = check_name(args.name)
    if len(args.clips) > MAX_TAKES:
        raise CLIError(f"at most {MAX_TAKES} clips per sign ({len(args.clips)} given)")
    store = CustomStore()
    signs = load_signs(store)
    existing = _by_name(signs, name)
    if existing is not None and len(existing.takes) + len(args.clips) > MAX_TAKES:
        room = MAX_TAKES - len(existing.takes)
        raise CLIError(f"{existing.name} has {_plural(len(existing.takes), 'take')}; a sign has at most {MAX_TAKES}, "
                       f"so {room} more can be added ({len(args.clips)} given)")
    recognizer = _check_model(args)
    new_takes = _read_takes(args.clips)
    _refuse_duplicates(args.clips, new_takes, existing)
    if existing is None:
        sign = CustomSign(name=name, takes=new_takes, gloss=args.gloss or "", category=args.category or "")
    else:
        sign = replace(existing, takes=[*existing.takes, *new_takes],
                       gloss=existing.gloss if args.gloss is None else args.gloss,
                       category=existing.category if args.category is None else args.category)
    stored = store.save(sign)
    first = len(stored.takes) - len(new_takes)
    verb = "added" if existing is None else f"added {_plural(len(new_takes), 'take')} to"
    print(f"{verb} {_title(stored)}: {_plural(len(stored.takes), 'take')} in {store.root / stored.id}")
    for i, take in enumerate(new_takes, first + 1):
        print(f"  take {i}: {take.frames} frames ({take.frames / take.fps:.2f} s) from {take.source}")
    if recognizer is not None:
        _self_check(recognizer, stored, range(first, len(stored.takes)), load_signs(store))
    return 0


def _check_model(args: argparse.Namespace) -> Recognizer | None:
    """The model for the self-check, loaded before anything is saved; ``None`` to skip the check.

    A model named with ``--model`` must load (a typo should not pass silently); without one,
    a missing or broken default model only skips the check.
    """
    if args.no_check:
        return None
    from signdesk.recognizer import ModelError, Recognizer

    try:
        return Recognizer(args.model, providers=[args.provider])
    except ModelError as exc:
        if args.model:
            raise
        print(f"signdesk: no self-check ({exc})", file=sys.stderr)
        return None


def _read_takes(paths: Sequence[Path]) -> list[Take]:
    """One take per clip, all read before anything is saved (one MediaPipe graph for the videos)."""
    from signdesk.clips import ClipError, is_npz, take_from_clip

    extractor = None
    try:
        takes = []
        for path in paths:
            if extractor is None and not is_npz(path) and path.is_file():
                from signdesk.landmarks import LandmarkExtractor

                extractor = LandmarkExtractor()
            try:
                takes.append(take_from_clip(path, extractor))
            except ClipError as exc:
                raise CLIError(f"{exc}; nothing was saved") from None
        return takes
    finally:
        if extractor is not None:
            extractor.close()


def _refuse_duplicates(paths: Sequence[Path], takes: Sequence[Take], existing: CustomSign | None) -> None:
    """The same landmarks twice would only weigh one recording double: refused, nothing saved."""
    seen = {t.digest: f"take {i} of {existing.name}" for i, t in enumerate(existing.takes, 1)} if existing else {}
    for path, take in zip(paths, takes):
        if take.digest in seen:
            raise CLIError(f"{path.name}: the same recording as {seen[take.digest]}; nothing was saved")
        seen[take.digest] = path.name


def _self_check(recognizer: Recognizer, sign: CustomSign, new: range, signs: list[CustomSign]) -> None:
    """How each new take is recognized among all signs, the bundled and the custom ones.

    With other takes of the sign stored, a take is checked against those (it is left out), so
    the check says whether the takes agree; a sole take can only be checked against itself.
    """
    from dataclasses import replace

    from signdesk.custom import CUSTOM_PREFIX, fold_name
    from signdesk.fewshot import _bundled_index
    from signdesk.windowing import window_of

    bundled = _bundled_index(recognizer.labels)
    same = bundled.get(fold_name(sign.name), bundled.get(fold_name(sign.gloss)))
    if same is not None:
        label = recognizer.labels[same]
        print(f"{sign.name} is a sign of {recognizer.name} ({label.display}): yours counts as that sign "
              f"(your personal version of it)")
    others = [s for s in signs if s.id != sign.id]
    matcher = custom_recognizer(recognizer, [*others, sign])
    print(f"self-check with {recognizer.name}:")
    for i in new:
        take = sign.takes[i]
        rest = [t for j, t in enumerate(sign.takes) if j != i]
        if rest:
            matcher.set_signs([*others, replace(sign, takes=rest)])
        probs, _, labels = matcher.scores(window_of(take.landmarks)[None])
        p = probs[0]
        mine = same if same is not None else next(
            (k for k, lb in enumerate(labels) if lb.id == CUSTOM_PREFIX + sign.id), None)
        best = int(p.argmax())
        how = (f"against the other {_plural(len(rest), 'take')}" if len(rest) > 1 else "against the other take"
               ) if rest else "its only take: add more for a real check"
        if mine is not None and best == mine:
            print(f"  take {i + 1}: recognized as {sign.name} {p[best] * 100:.0f}% ({how})")
        else:
            own = f"{p[mine] * 100:.0f}%" if mine is not None else "not ranked"
            print(f"  take {i + 1}: recognized as {labels[best].display} {p[best] * 100:.0f}%, "
                  f"{sign.name} {own} ({how}); re-record it or add more takes")


# --- list, remove, rename ----------------------------------------------------------------------


def run_list(args: argparse.Namespace) -> int:
    from signdesk.custom import CustomStore

    store = CustomStore()
    signs = load_signs(store)
    rows = [{"name": s.name, "gloss": s.gloss, "takes": len(s.takes), "pack": s.pack, "category": s.category,
             "language": s.language, "id": s.id} for s in signs]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not rows:
        print(f"no custom signs in {store.root}")
        return 0
    columns = ("name", "gloss", "takes", "pack", "category")
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in columns}
    print("  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip())
    for r in rows:
        print("  ".join(str(r[c]).ljust(widths[c]) for c in columns).rstrip())
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from signdesk.custom import CustomStore

    store = CustomStore()
    sign = _find(load_signs(store), args.name)
    store.remove(sign)
    print(f"removed {_title(sign)} ({_plural(len(sign.takes), 'take')})")
    return 0


def run_rename(args: argparse.Namespace) -> int:
    from signdesk.custom import CustomStore, check_name

    store = CustomStore()
    signs = load_signs(store)
    sign = _find(signs, args.old)
    new = check_name(args.new)
    other = _by_name(signs, new)
    if other is not None and other.id != sign.id:
        raise CLIError(f"there is already a custom sign called {other.name!r}")
    stored = store.rename(sign, new, args.gloss)
    print(f"renamed {_title(sign)} to {_title(stored)}")
    return 0


# --- packs ---------------------------------------------------------------------------------


def run_export(args: argparse.Namespace) -> int:
    from signdesk.cli import check_writable
    from signdesk.custom import CustomStore
    from signdesk.packs import PACK_SUFFIX, PackError, export_pack

    store = CustomStore()
    signs = load_signs(store)
    if args.names:
        chosen: list[CustomSign] = []
        for name in args.names:
            sign = _find(signs, name)
            if sign.id not in {s.id for s in chosen}:
                chosen.append(sign)
    else:
        chosen = signs
    if not chosen:
        raise CLIError(f"no custom signs to export (none in {store.root})")
    path = args.pack if args.pack.suffix else args.pack.with_suffix(PACK_SUFFIX)
    check_writable(path)
    try:
        written = export_pack(chosen, path, name=args.pack_name or path.stem, language=args.language,
                              author=args.author, description=args.description)
    except PackError as exc:
        raise CLIError(f"{path.name}: {exc}") from None
    except OSError as exc:
        raise CLIError(f"{path}: cannot write ({exc.strerror or exc})") from None
    takes = sum(len(s.takes) for s in chosen)
    print(f"wrote {written}: {_plural(len(chosen), 'sign')} ({_plural(takes, 'take')})")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from signdesk.custom import CustomStore
    from signdesk.packs import Clash, PackError, clashes, import_pack, read_pack

    if not args.pack.is_file():
        raise CLIError(f"{args.pack}: no such file" if not args.pack.exists() else f"{args.pack}: not a file")
    try:
        pack = read_pack(args.pack)
    except PackError as exc:
        raise CLIError(f"{args.pack.name}: {exc}") from None
    store = CustomStore()
    existing = load_signs(store)
    on_clash = Clash.REPLACE if args.replace else Clash.RENAME if args.rename else Clash.SKIP if args.skip \
        else Clash.REFUSE
    clashing = sorted({theirs.name for theirs, _ in clashes(pack, existing)})
    if clashing and on_clash is Clash.REFUSE:
        names = ", ".join(clashing)
        verb = "clashes" if len(clashing) == 1 else "clash"
        raise CLIError(f"{args.pack.name}: {_plural(len(clashing), 'sign')} of the pack {verb} with your custom "
                       f"signs: {names}; use --replace (the pack's replace yours), --rename (keep both) or "
                       f"--skip (keep yours); nothing was imported")
    try:
        report = import_pack(store, pack, on_clash)
    except PackError as exc:
        raise CLIError(f"{args.pack.name}: {exc}; nothing was imported") from None
    except OSError as exc:
        raise CLIError(f"{store.root}: cannot write ({exc.strerror or exc}); nothing was imported") from None
    parts = [f"{_plural(len(report.added), 'sign')} added"] if report.added else []
    if report.replaced:
        parts.append(f"{len(report.replaced)} replaced")
    if report.renamed:
        parts.append(f"{len(report.renamed)} renamed (" + ", ".join(
            f"{_name(old)} → {_name(new)}" for old, new in report.renamed) + ")")
    if report.skipped:
        parts.append(f"{len(report.skipped)} skipped")
    print(f"imported {pack.name or args.pack.name}: " + (", ".join(parts) or "nothing"))
    return 0


def _name(item: object) -> str:
    """A sign's name whether the report lists signs or names."""
    return str(getattr(item, "name", item))

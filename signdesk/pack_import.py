"""Importing a pack into the custom-sign store: name clashes, undo on failure, and cancelling.

Split from :mod:`signdesk.packs` (which reads and checks packs, and re-exports this module's
names). An import saves one sign at a time, each atomically (see :class:`CustomStore`), so
stopping it between two signs, or a crash, leaves every sign either whole or absent. A sign
that replaces others records their ids in its ``sign.json``; they are removed after the
saves, or by the next :meth:`CustomStore.load` if the importer died before that.
"""

from __future__ import annotations

import enum
import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from signdesk import custom
from signdesk.custom import CustomSign, CustomSignError, CustomStore, fold_name

if TYPE_CHECKING:  # pragma: no cover
    from signdesk.packs import Pack

# signdesk.packs re-exports this module, so it is imported where used, never at the top

log = logging.getLogger(__name__)


class Clash(enum.Enum):
    """What to do with a pack sign whose name is already one of the user's signs."""

    REFUSE = "refuse"
    REPLACE = "replace"
    RENAME = "rename"
    SKIP = "skip"


class _Step(enum.Enum):
    """What the import does with one pack sign (what the report lists it under)."""

    ADD = "add"
    REPLACE = "replace"
    RENAME = "rename"


@dataclass
class ImportReport:
    """What an import did, by sign name (``renamed`` pairs the pack's name with the stored one).

    ``cancelled``: the import was asked to stop and did so between two signs; the lists then
    name only the signs actually saved, and ``not_imported`` the pack signs left out.
    """

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    cancelled: bool = False
    not_imported: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Planned:
    sign: CustomSign
    name: str
    step: _Step
    olds: tuple[CustomSign, ...] = ()


def clashes(pack: Pack, existing: Sequence[CustomSign]) -> list[tuple[CustomSign, CustomSign]]:
    """Each (pack sign, existing sign) pair where the existing one answers to the pack sign's name."""
    return [(sign, old) for sign in pack.signs for old in existing if old.matches(sign.name)]


def import_pack(store: CustomStore, pack: Pack, on_clash: Clash | Mapping[str, Clash] = Clash.REFUSE,
                cancel: Callable[[], bool] | None = None) -> ImportReport:
    """Add ``pack``'s signs to ``store``; ``on_clash`` says what to do where a name is taken.

    ``on_clash`` is one policy for every clash, or a policy per pack sign name (case-insensitive;
    a clashing name it leaves out is refused). Everything is checked before anything is written;
    if a save still fails (full disk), the signs this import saved are removed again and the
    error propagates. A replaced sign is removed only after its replacement is saved, so a crash
    never leaves neither (and the next load removes the old one, see :class:`CustomStore`).

    ``cancel`` is asked before each sign (e.g. ``threading.Event().is_set``): once it answers
    true the import stops there, keeps the signs already saved (each whole, its old version
    replaced) and returns a report with ``cancelled`` set. A window that is closing uses it.
    """
    from signdesk.packs import PackError

    if not pack.signs:
        raise PackError("the pack holds no signs")
    existing = store.load()
    plan, report = _plan(pack, existing, on_clash)
    saved: list[tuple[_Planned, CustomSign]] = []
    try:
        for item in plan:
            if cancel is not None and cancel():
                report.cancelled = True
                break
            now = datetime.now(UTC).isoformat(timespec="seconds")
            stored = store.save(replace(
                item.sign, name=item.name, id=uuid.uuid4().hex, pack=pack.name, created=now, updated=now,
                takes=[replace(t, source=f"pack:{pack.name}") for t in item.sign.takes]),
                replaces=[old.id for old in item.olds])
            saved.append((item, stored))
    except BaseException:
        for _, done in saved:
            try:
                store.remove(done)
            except (OSError, CustomSignError) as exc:
                log.warning("could not undo the import of %s: %s", done.name, exc)
        raise
    removed: set[str] = set()
    for item, _ in saved:
        for old in item.olds:
            if old.id not in removed:
                removed.add(old.id)
                _remove_replaced(store, old)
        if item.step is _Step.ADD:
            report.added.append(item.name)
        elif item.step is _Step.REPLACE:
            report.replaced.append(item.name)
        else:
            report.renamed.append((item.sign.name, item.name))
    report.not_imported = [item.sign.name for item in plan[len(saved):]]
    return report


def _plan(pack: Pack, existing: Sequence[CustomSign], on_clash: Clash | Mapping[str, Clash]
          ) -> tuple[list[_Planned], ImportReport]:
    """What to save for each pack sign, or :class:`PackError` if a clash is to be refused."""
    from signdesk.packs import PackError, _checked

    if isinstance(on_clash, Mapping):
        policies = {fold_name(k): Clash(v) for k, v in on_clash.items()}
        default = None
    else:
        policies, default = {}, Clash(on_clash)
    taken_names = {fold_name(s.name) for s in pack.signs}
    plan: list[_Planned] = []
    refused: list[str] = []
    report = ImportReport()
    for sign in pack.signs:
        _checked(sign, "pack")
        olds = tuple(old for old in existing if old.matches(sign.name))
        policy = default or policies.get(fold_name(sign.name), Clash.REFUSE)
        if not olds:
            plan.append(_Planned(sign, sign.name, _Step.ADD))
        elif policy is Clash.REFUSE:
            refused.append(sign.name)
        elif policy is Clash.SKIP:
            report.skipped.append(sign.name)
        elif policy is Clash.REPLACE:
            plan.append(_Planned(sign, sign.name, _Step.REPLACE, olds))
        else:
            new_name = _free_name(sign.name, existing, taken_names)
            taken_names.add(fold_name(new_name))
            plan.append(_Planned(sign, new_name, _Step.RENAME))
    if refused:
        raise PackError(f"already among your signs: {', '.join(refused)} (replace, rename or skip them)")
    return plan, report


def _remove_replaced(store: CustomStore, old: CustomSign) -> None:
    """Remove a replaced sign; one already gone (tidied by another load) is fine."""
    if (store.root / old.id).is_dir():
        store.remove(old)


def _free_name(name: str, existing: Sequence[CustomSign], taken: set[str]) -> str:
    """``name (2)``, ``name (3)``, ...: the first that no existing or pack sign answers to."""
    n = 2
    while True:
        suffix = f" ({n})"
        candidate = name[:custom.MAX_NAME_LENGTH - len(suffix)].rstrip() + suffix
        if fold_name(candidate) not in taken and not any(s.matches(candidate) for s in existing):
            return candidate
        n += 1

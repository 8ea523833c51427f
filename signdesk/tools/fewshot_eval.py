"""``signdesk evaluate --few-shot K``: custom signs measured as the app ranks them.

Every sign of a dataset folder is enrolled as a custom sign from K clips, and the remaining
clips are scored by :func:`signdesk.fewshot.combine`, the function the app's
:class:`~signdesk.fewshot.CustomRecognizer` ranks with: the model's signs and every enrolled
custom sign in one list. A custom sign named like a model sign (same id or gloss) counts as
that sign (personal adaptation).

- default: leave one person out. For each person of the folder, each sign is enrolled from K
  clips of *other* people, and that person's clips are scored.
- ``--personal``: each person's signs are enrolled from K of that person's own clips and the
  person's other clips are scored (the app adapting to its user).

Enrolment draws are random; ``--rounds`` repeats them with fresh draws (seeded, so a run is
reproducible) and the figures pool every round. numpy only, apart from the models.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

import numpy as np

from signdesk.fewshot import Calibration, combine, enrol
from signdesk.tools.calibration import expected_calibration_error

#: Few-shot figures keep the 10 bins they were first reported with (docs/custom-signs.md).
ECE_BINS = 10

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

    from signdesk.recognizer import Label


@dataclass(frozen=True)
class Episode:
    """One enrolment: which clips teach each sign, which clips are then scored."""

    person: str
    enrolled: dict[str, list[int]]  # sign label → clip indices
    test: list[int]


def episodes(labels: Sequence[str], signers: Sequence[str], k: int, personal: bool,
             rng: np.random.Generator) -> Iterator[Episode]:
    """Leave-one-person-out (or, ``personal``, own-clips) enrolments of ``k`` clips per sign."""
    labels = np.asarray(labels)
    signers = np.asarray(signers)
    for person in sorted(set(signers.tolist())):
        mine = signers == person
        enrolled: dict[str, list[int]] = {}
        if personal:
            for sign in sorted(set(labels[mine].tolist())):
                idx = np.flatnonzero(mine & (labels == sign))
                if len(idx) > k:
                    enrolled[sign] = sorted(rng.choice(idx, k, replace=False).tolist())
        else:
            for sign in sorted(set(labels[~mine].tolist())):
                idx = np.flatnonzero(~mine & (labels == sign))
                if len(idx) >= k:
                    enrolled[sign] = sorted(rng.choice(idx, k, replace=False).tolist())
        used = {i for v in enrolled.values() for i in v}
        test = [int(i) for i in np.flatnonzero(mine) if labels[i] in enrolled and i not in used]
        if enrolled and test:
            yield Episode(person, enrolled, test)


@dataclass
class FewShotReport:
    """Pooled results of every episode: top-1/top-5, split into known and novel signs."""

    k: int
    personal: bool
    hits1: list[bool] = field(default_factory=list)
    hits5: list[bool] = field(default_factory=list)
    known: list[bool] = field(default_factory=list)  # the model knows the clip's sign
    confidence: list[float] = field(default_factory=list)  # top-1 probability
    per_person: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    enrolled_signs: list[int] = field(default_factory=list)
    nll: list[float] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.hits1)

    def to_json(self) -> dict:
        h1, h5, known = (np.asarray(v, bool) for v in (self.hits1, self.hits5, self.known))

        def part(mask: NDArray) -> dict:
            return {"top1": float(h1[mask].mean()) if mask.any() else None, "n": int(mask.sum())}

        return {
            "k": self.k, "personal": self.personal, "n": self.n,
            "top1": float(h1.mean()) if self.n else None, "top5": float(h5.mean()) if self.n else None,
            "known": part(known), "novel": part(~known) if self.n else {"top1": None, "n": 0},
            "ece": expected_calibration_error(self.confidence, self.hits1, bins=ECE_BINS) if self.n else None,
            "nll": float(np.mean(self.nll)) if self.nll else None,
            "enrolled_signs_median": float(np.median(self.enrolled_signs)) if self.enrolled_signs else 0,
            "per_person": {p: {"top1": float(np.mean(v)), "n": len(v)} for p, v in sorted(self.per_person.items())},
        }


def run_episodes(probs: NDArray, embeddings: NDArray, labels: Sequence[str], signers: Sequence[str],
                 model_labels: Sequence[Label], k: int, personal: bool, calibration: Calibration,
                 rounds: int = 3, seed: int = 0, glosses: dict[str, str] | None = None,
                 skip: set[int] = frozenset()) -> FewShotReport:
    """Score every episode with :func:`combine`, as the app would rank the clip.

    ``probs`` (N, C) and ``embeddings`` (N, D, unit) are the model's and the embedder's outputs
    for each clip's window; ``labels`` / ``signers`` the clips' sign ids and people. Clips in
    ``skip`` (they trained the model) may be enrolled but are not scored.
    """
    glosses = glosses or {}
    report = FewShotReport(k, personal)
    rng = np.random.default_rng(seed)
    n_model = len(model_labels)
    labels = list(labels)
    for _ in range(rounds):
        for ep in episodes(labels, signers, k, personal, rng):
            signs = list(ep.enrolled)
            vectors = np.concatenate([embeddings[ep.enrolled[s]] for s in signs])
            owner = np.concatenate([np.full(len(ep.enrolled[s]), j) for j, s in enumerate(signs)])
            matcher, versions = enrol([(s, glosses.get(s, "")) for s in signs], vectors, owner, model_labels)
            column_of = {s: (v if v is not None else int(t)) for s, v, t in zip(signs, versions, matcher.target)}
            n_labels = n_model + sum(v is None for v in versions)
            joint = combine(probs[ep.test], embeddings[ep.test], matcher, calibration, n_labels)
            order = np.argsort(-joint, axis=1)
            report.enrolled_signs.append(len(signs))
            for row, i in enumerate(ep.test):
                if i in skip:
                    continue
                truth = column_of[labels[i]]
                top1 = order[row, 0] == truth
                report.hits1.append(bool(top1))
                report.hits5.append(bool(truth in order[row, :5]))
                report.known.append(truth < n_model)
                report.confidence.append(float(joint[row, order[row, 0]]))
                report.nll.append(float(-np.log(max(joint[row, truth], 1e-12))))
                report.per_person[ep.person].append(bool(top1))
    return report


def fit_calibration(runs: Sequence[tuple], k: int = 3, rounds: int = 1,
                    methods: Sequence[str] = ("prototype", "nearest")) -> tuple[Calibration, float]:
    """The (scale, bias, method) with the lowest mean negative log-likelihood over ``runs``.

    Each run is (probs, embeddings, labels, signers, model_labels, glosses); both
    leave-one-person-out and personal episodes of each run count. A coarse grid: two numbers
    and a method, not a model, so a few folders fit it without over-fitting.
    """
    best, best_nll = Calibration(), np.inf
    for method in methods:
        for scale in (8.0, 12.0, 16.0, 20.0, 25.0, 30.0, 40.0):
            for fraction in np.arange(0.3, 1.01, 0.05):
                cal = Calibration(scale, float(round(-fraction * scale, 3)), method)
                nll = []
                for probs, emb, labels, signers, model_labels, glosses in runs:
                    for personal in (False, True):
                        r = run_episodes(probs, emb, labels, signers, model_labels, k, personal, cal, rounds,
                                         glosses=glosses)
                        if r.n:
                            nll.append(np.mean(r.nll))
                mean = float(np.mean(nll)) if nll else np.inf
                if mean < best_nll:
                    best, best_nll = cal, mean
    return best, best_nll


def calibrate_main(argv: Sequence[str] | None = None) -> int:
    """``python -m signdesk.tools.fewshot_eval --model M DATASET...``: fit and store a calibration."""
    import argparse
    import json

    from signdesk.files import write_json
    from signdesk.recognizer import Recognizer
    from signdesk.tools.datasets import open_dataset
    from signdesk.tools.evaluate import training_clip_keys
    from signdesk.windowing import window_of

    parser = argparse.ArgumentParser(prog="python -m signdesk.tools.fewshot_eval", description=calibrate_main.__doc__)
    parser.add_argument("datasets", nargs="+", type=Path)
    parser.add_argument("--model", required=True)
    parser.add_argument("--embedder", help="embedder .onnx (default: the bundled one)")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="store it in the embedder's embedder.json")
    args = parser.parse_args(argv)
    recognizer = Recognizer(args.model)
    embedder = embedder_for(args.embedder, recognizer)
    runs = []
    for folder in args.datasets:
        ds = open_dataset(folder)
        examples = ds.load(progress=False).examples
        exclude = training_clip_keys(recognizer.info)
        examples = [e for e in examples if f"{ds.family}:{e.ref.clip_id}" not in exclude] or examples
        probs, emb = outputs(recognizer, embedder, np.stack([window_of(e.frames) for e in examples]))
        labels = [e.ref.label for e in examples]
        glosses = {c: ds.label_info(c).get("gloss", "") for c in set(labels)}
        runs.append((probs, emb, labels, [e.ref.signer for e in examples], recognizer.labels, glosses))
    cal, nll = fit_calibration(runs, args.k)
    print(json.dumps({"model": recognizer.name, "calibration": cal.to_json(), "nll": nll,
                      "fitted_on": [str(d) for d in args.datasets]}))
    if args.write:
        path = Path(embedder.path).with_name("embedder.json")
        meta = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        meta.setdefault("calibration", {})[recognizer.name] = {
            **cal.to_json(), "fitted_on": [Path(d).name for d in args.datasets], "k": args.k}
        write_json(path, meta)
        print(f"written to {path}")
    return 0


# --- the subcommand's few-shot mode -----------------------------------------------------------


def embedder_for(choice: str | None, recognizer):
    """``--embedder``: a path, ``model`` (the classifier's own embedding) or the bundled one."""
    from signdesk.fewshot import ModelEmbedder, OnnxEmbedder, default_embedder

    if choice == "model":
        return ModelEmbedder(recognizer)
    if choice:
        return OnnxEmbedder(choice)
    return default_embedder(recognizer)


def outputs(recognizer, embedder, windows: NDArray, batch: int = 128) -> tuple[NDArray, NDArray]:
    """The model's probabilities and the embedder's unit embeddings for every window."""
    probs, emb = [], []
    for i in range(0, len(windows), batch):
        probs.append(recognizer.run(windows[i:i + batch])[0])
        emb.append(embedder.embed(windows[i:i + batch]))
    return np.concatenate(probs), np.concatenate(emb)


def _print_fewshot(args, k: int, report: FewShotReport, extra: dict) -> None:
    import json

    doc = {**report.to_json(), **extra}
    if args.json:
        print(json.dumps(doc, ensure_ascii=False))
        return
    mode = "own other clips (personal)" if args.personal else "other people"
    print(f"few-shot K={k}, enrolled from {mode}; model {doc['model']}, embedder {doc['embedder']}; {doc['dataset']}")
    if not report.n:
        print("  no clip could be scored (too few clips per sign and person for this K)")
        return
    print(f"  top-1 {doc['top1'] * 100:.1f}%  top-5 {doc['top5'] * 100:.1f}%  n={report.n}  (median "
          f"{doc['enrolled_signs_median']:.0f} custom signs enrolled; ECE {doc['ece'] * 100:.1f}%)")
    for part in ("known", "novel"):
        d = doc[part]
        if d["n"]:
            print(f"  {part} signs (the model {'knows' if part == 'known' else 'does not know'} them): "
                  f"top-1 {d['top1'] * 100:.1f}%  n={d['n']}")
    if extra["not_scored_trained_model"]:
        print(f"  {extra['not_scored_trained_model']} clips trained the model: enrolled if needed, never scored")


def run_fewshot(args, ds, clips) -> int:
    """``signdesk evaluate DATASET --few-shot K [--personal]``: see the module docstring."""

    from signdesk.cli import CLIError
    from signdesk.fewshot import Calibration
    from signdesk.recognizer import ModelError, Recognizer, resolve_model
    from signdesk.tools.evaluate import default_model, training_clip_keys
    from signdesk.windowing import window_of

    if args.model:
        info = resolve_model(args.model)
    else:
        try:
            info = default_model(sorted({c.label for c in clips}))
        except ModelError:  # no model knows these signs: every sign is novel to the default one
            info = resolve_model(None)
    recognizer = Recognizer(info)
    embedder = embedder_for(args.embedder, recognizer)
    calibration = getattr(embedder, "calibration", lambda _name: None)(recognizer.name) or Calibration()
    loaded = ds.load(clips, cache_dir=args.cache, workers=args.workers, progress=not args.json)
    examples = loaded.examples
    if not examples:
        raise CLIError(f"{args.dataset}: no clip could be read")
    exclude = set() if args.include_training else training_clip_keys(info)
    windows = np.stack([window_of(e.frames) for e in examples])
    probs, emb = outputs(recognizer, embedder, windows)
    labels = [e.ref.label for e in examples]
    signers = [e.ref.signer for e in examples]
    trained = {i for i, e in enumerate(examples) if f"{ds.family}:{e.ref.clip_id}" in exclude}
    glosses = {c: ds.label_info(c).get("gloss", "") for c in set(labels)}
    scored = 0
    for k in args.few_shot:
        report = run_episodes(probs, emb, labels, signers, recognizer.labels, k, args.personal,
                              calibration, args.rounds, glosses=glosses, skip=trained)
        scored += report.n
        _print_fewshot(args, k, report, {
            "dataset": str(args.dataset), "model": recognizer.name, "embedder": getattr(embedder, "name", ""),
            "calibration": calibration.to_json(), "rounds": args.rounds, "clips": len(examples),
            "not_scored_trained_model": len(trained), "unreadable": len(loaded.skipped)})
    if not scored:
        raise CLIError(f"{args.dataset}: no clip could be scored with --few-shot {args.few_shot}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(calibrate_main())

"""What a cross-validated recipe takes the clips of a sign outside its vocabulary for.

Decides an unsure name mapping by measurement (``bye`` → ``goodbye``?): each clip of the
probed sign is scored by the fold model that never saw its signer, and the top-1 answers are
counted. If the models, never shown the probed sign, call it the candidate sign about as often
as they get the candidate's own unseen clips right, the two names are one sign.

    python -m signdesk.train.probe runs/cv/A-designed bye --as goodbye
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Sequence

import numpy as np


def probe(run_dir: Path, sign: str, candidate: str) -> dict:
    """Top-1 answers of the fold models for every clip labelled ``sign`` in the run's folders."""
    from signdesk.recognizer import Recognizer
    from signdesk.tools.datasets import open_dataset
    from signdesk.windowing import window_of

    cv = json.loads((run_dir / "cv.json").read_text(encoding="utf-8"))
    fold_of = {p: f["fold"] for f in cv["folds"] for p in f["test_people"]}
    models = {f["fold"]: Recognizer(run_dir / f"fold-{f['fold']}" / "model.int8.onnx") for f in cv["folds"]}
    answers: Counter = Counter()
    per_person: dict[str, Counter] = {}
    def raw(name: str) -> str:  # the source's own name, before any alias pools it
        return name.strip().lower().replace(" ", "").replace("_", "")

    key = raw(sign)
    for folder in cv["datasets"]:
        ds = open_dataset(Path(folder))
        refs = [c for c in ds.clips() if raw(c.source_label) == key]
        if not refs:
            continue
        for e in ds.load(refs, progress=False).examples:
            fold = fold_of.get(e.ref.signer, 1)  # a signer in no fold was never trained on
            probs, _ = models[fold].run(window_of(e.frames)[None])
            top = models[fold].labels[int(np.argmax(probs[0]))]
            answers[top.id] += 1
            per_person.setdefault(e.ref.signer, Counter())[top.id] += 1
    n = sum(answers.values())
    own = [p["top5"][0] == p["true"] for p in cv["predictions"] if p["true"] == candidate]
    return {"sign": key, "candidate": candidate, "n": n,
            "taken_for_candidate": answers[candidate] / n if n else float("nan"),
            "candidate_own_top1": float(np.mean(own)) if own else float("nan"),
            "answers": dict(answers.most_common()),
            "per_person": {p: dict(c.most_common()) for p, c in sorted(per_person.items())}}


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m signdesk.train.probe", description=__doc__.split("\n\n")[0])
    p.add_argument("run", type=Path, help="a run folder of signdesk train --cv (holding cv.json and fold-N/)")
    p.add_argument("sign", help="the sign name to probe, as the dataset writes it (e.g. bye)")
    p.add_argument("--as", dest="candidate", required=True, help="the model's sign it may be (e.g. goodbye)")
    args = p.parse_args(argv)
    if not (args.run / "cv.json").is_file():
        print(f"{args.run}: no cv.json (run signdesk train --cv K first)", file=sys.stderr)
        return 1
    result = probe(args.run, args.sign, args.candidate)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Fit the weights of ``extractors.confidence`` on the CaRB development split.

Every triple the extractor finds on a dev sentence is labelled with its best CaRB precision
against the gold tuples of its sentence (a soft label in [0, 1]); an L2-regularised logistic
regression (cross-entropy on the soft labels, plain batch gradient descent, no extra
dependencies) is fitted on the features of ``extractors.confidence.features``. The script
prints the weights to paste into ``extractors/confidence.py`` and a two-fold
cross-validated CaRB score (weights fitted on the odd sentences score the even ones and vice
versa) next to the in-sample score, so that the gain from fitting can be told apart from
memorising dev.

Usage::

    python -m benchmarks.fit_confidence [--sentences dev.txt] [--gold dev_gold.tsv]
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks import carb

DEFAULT_CARB = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "carb"
L2 = 0.5
STEPS = 3000
LEARNING_RATE = 0.5


@dataclass(frozen=True)
class Sample:
    sentence: str
    row: list[str]
    features: dict[str, float]
    label: float


def collect(sentences: Sequence[str], gold: carb.Corpus) -> list[Sample]:
    """Extract every dev sentence and label each triple against its sentence's gold."""
    from spacy.tokens import Doc

    from extractors import load_model
    from extractors.coreference import resolve_triples
    from extractors.pipeline import scored_triples

    nlp = load_model()
    samples = []
    docs = nlp.pipe((Doc(nlp.vocab, words=s.split()) for s in sentences), batch_size=64)
    for sentence, doc in zip(sentences, docs, strict=True):
        golds = gold.get(carb.normalise_key(sentence), [])
        scored = [pair for index, span in enumerate(doc.sents)
                  for pair in scored_triples(span, index, "carb")]
        # rows as ``benchmarks.carb extract`` writes them, pronouns resolved
        triples = resolve_triples([triple for triple, _ in scored], doc)
        for triple, (_, values) in zip(triples, scored, strict=True):
            row = carb.carb_row(sentence, triple)
            predicted = carb.Extraction(row[2], tuple(row[3:]))
            best = max((carb.match(g, predicted)[0] for g in golds), default=0.0)
            samples.append(Sample(sentence, row, values, best))
    return samples


def fit(samples: Sequence[Sample]) -> dict[str, float]:
    """Logistic regression weights by batch gradient descent with an L2 penalty."""
    names = sorted({name for s in samples for name in s.features})
    weights = dict.fromkeys(names, 0.0)
    n = len(samples)
    for _ in range(STEPS):
        gradient = dict.fromkeys(names, 0.0)
        for sample in samples:
            z = sum(weights[k] * v for k, v in sample.features.items())
            error = 1.0 / (1.0 + math.exp(-z)) - sample.label
            for k, v in sample.features.items():
                gradient[k] += error * v
        for k in names:
            penalty = 0.0 if k == "bias" else L2 * weights[k]
            weights[k] -= LEARNING_RATE * (gradient[k] + penalty) / n
    return {k: round(v, 3) for k, v in weights.items()}


def score(samples: Sequence[Sample], weights: dict[str, float], gold: carb.Corpus,
          sentences: Sequence[str]) -> carb.Scores:
    """CaRB scores of the samples' rows with confidences from ``weights``, over ``sentences``.

    Every gold tuple of those sentences counts, also in sentences where nothing was extracted,
    as in ``python -m benchmarks.carb score``.
    """
    system: carb.Corpus = {}
    for sample in samples:
        z = sum(weights.get(k, 0.0) * v for k, v in sample.features.items())
        confidence = round(1.0 / (1.0 + math.exp(-z)), 4)
        row = replace_confidence(sample.row, confidence)
        system.setdefault(carb.normalise_key(sample.sentence), []).append(
            carb.Extraction(row[2], tuple(row[3:]), confidence))
    keys = {carb.normalise_key(sentence) for sentence in sentences}
    return carb.evaluate({k: v for k, v in gold.items() if k in keys}, system)


def replace_confidence(row: list[str], confidence: float) -> list[str]:
    return [row[0], repr(confidence), *row[2:]]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=Path, default=DEFAULT_CARB / "dev.txt")
    parser.add_argument("--gold", type=Path, default=DEFAULT_CARB / "dev_gold.tsv")
    args = parser.parse_args(argv)
    sentences = carb.read_sentences(args.sentences)
    gold = carb.normalise_keys(carb.read_gold(args.gold))
    samples = collect(sentences, gold)
    index = {s: i for i, s in enumerate(sentences)}
    halves = [[s for s in samples if index[s.sentence] % 2 == part] for part in (0, 1)]
    held_out = [sentences[1 - part::2] for part in (0, 1)]
    cross = [score(halves[1 - part], fit(halves[part]), gold, held_out[part]) for part in (0, 1)]
    weights = fit(samples)
    full = score(samples, weights, gold, sentences)
    print(f"{len(samples)} triples, mean label {sum(s.label for s in samples) / len(samples):.3f}")
    for name, result in (("in-sample", full), ("fold A->B", cross[0]), ("fold B->A", cross[1])):
        print(f"{name:10} P {result.precision:.4f} R {result.recall:.4f} "
              f"F1 {result.f1:.4f} AUC {result.auc:.4f}")
    print("WEIGHTS: dict[str, float] = {")
    for name, value in sorted(weights.items()):
        print(f'    "{name}": {value},')
    print("}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""CaRB Open IE benchmark harness: run the extractor over CaRB sentences and score the output.

The official scorer (``dair-iitd/CaRB``, Bhardwaj, Aggarwal and Mausam, EMNLP 2019) needs
numpy, scikit-learn and nltk and is not available offline, so this module re-implements its
default "CaRB" setting (``binary_linient_tuple_match``, no ``--binary``) from the published
description and the official code, down to its quirks, so that numbers are comparable with
published CaRB results:

* tuples are compared on whitespace tokens, case-sensitively, as bags of words;
* gold and predicted tuples are binarised: arg1 against all later arguments joined by spaces;
* a pair scores zero unless the relations share a word (a predicted ``be`` also matches a gold
  ``is``/``was``/...), and zero when the prediction lacks arg1 or arg2 where the gold has them;
* for gold relations containing ``said``/``told``/``added``/``says``/``adds`` the predicted
  arguments may also be swapped, and the better (precision first) of the two scores is kept;
* per sentence, recall gives each gold tuple its best prediction, precision pairs predictions
  with gold tuples one-to-one, greedily, by precision;
* every distinct confidence is a threshold; the reported point is the one with the best F1, and
  AUC is the trapezoid area under the PR curve with (recall 0, precision 1) appended.

Usage::

    python -m benchmarks.carb extract SENTENCES.txt -o OUT.tsv
    python -m benchmarks.carb score OUT.tsv GOLD.tsv [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import string
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

# Penn Treebank bracket escapes, undone before punctuation is stripped from sentence keys, so
# that ``-LRB-`` and ``(`` give the same key (as in the official scorer).
PTB_ESCAPES: tuple[tuple[str, str], ...] = (
    ("(", "-LRB-"),
    (")", "-RRB-"),
    ("[", "-LSB-"),
    ("]", "-RSB-"),
    ("{", "-LCB-"),
    ("}", "-RCB-"),
)
_PUNCTUATION = re.compile(f"[{re.escape(string.punctuation)}]")

# A predicted "be" may stand for any of these in the gold relation.
BE_FORMS: tuple[str, ...] = ("be", "is", "am", "are", "was", "were", "been", "being")
# Gold relations containing one of these (as a substring, like the official code) allow the
# predicted arguments to be swapped: "X said Y" is often extracted as (Y, said, X).
SAID_VERBS: tuple[str, ...] = ("said", "told", "added", "adds", "says")
# Gold arguments containing this marker are attribution context and are not scored.
CONTEXT_MARKER = "C: "
# Fields of a system row before the arguments: sentence, confidence, relation.
_SYSTEM_PREFIX_FIELDS = 3

Match = tuple[float, float]
"""A (precision, recall) pair for one gold tuple against one predicted tuple."""
_NO_MATCH: Match = (0.0, 0.0)


@dataclass(frozen=True)
class Extraction:
    """One Open IE tuple as the scorer sees it: relation, arguments and confidence."""

    relation: str
    args: tuple[str, ...]
    confidence: float = 1.0


@dataclass(frozen=True)
class CurvePoint:
    """Precision and recall of all predictions whose confidence is at least ``threshold``."""

    threshold: float
    precision: float
    recall: float


@dataclass(frozen=True)
class Scores:
    """The numbers CaRB reports: the best-F1 point of the PR curve and the area under it.

    ``threshold`` is the confidence cut-off of the best-F1 point (``None`` with no predictions).
    """

    precision: float
    recall: float
    f1: float
    auc: float
    threshold: float | None


Corpus = dict[str, list[Extraction]]
"""Extractions grouped by sentence, in file order."""


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def read_gold(path: str | Path) -> Corpus:
    """Read a CaRB gold file: ``sentence, relation, arg1, arg2[, argN...]`` per line.

    Mirrors the official reader: the whole line is stripped first (so trailing empty fields
    vanish, middle ones stay as empty arguments), the sentence, relation and each argument are
    stripped, and any argument containing ``"C: "`` (attribution context) is dropped, while
    ``T: ``/``L: `` arguments are kept with their prefix. Keys are the stripped sentences.
    Blank lines are skipped (the official reader would crash on them).
    """
    corpus: Corpus = {}
    for line_no, fields in _tab_lines(path):
        if len(fields) < 2:
            raise ValueError(f"{path}:{line_no}: gold line needs sentence and relation")
        sentence, relation = fields[0].strip(), fields[1].strip()
        args = tuple(arg.strip() for arg in fields[2:] if CONTEXT_MARKER not in arg)
        corpus.setdefault(sentence, []).append(Extraction(relation, args, 1.0))
    return corpus


def read_system(path: str | Path) -> Corpus:
    """Read CaRB tabbed system output: ``sentence, confidence, relation, arg1[, argN...]``.

    Mirrors the official ``TabReader``: the line is stripped, then split on tabs; fields are
    otherwise kept as written (the matcher splits on whitespace anyway). NaN confidences are
    rejected because they cannot be ordered into thresholds.
    """
    corpus: Corpus = {}
    for line_no, fields in _tab_lines(path):
        if len(fields) < _SYSTEM_PREFIX_FIELDS:
            raise ValueError(
                f"{path}:{line_no}: system line needs sentence, confidence and relation"
            )
        sentence, confidence_text, relation = fields[:_SYSTEM_PREFIX_FIELDS]
        try:
            confidence = float(confidence_text)
        except ValueError as error:
            raise ValueError(f"{path}:{line_no}: bad confidence {confidence_text!r}") from error
        if math.isnan(confidence):
            raise ValueError(f"{path}:{line_no}: confidence is NaN")
        args = tuple(fields[_SYSTEM_PREFIX_FIELDS:])
        corpus.setdefault(sentence, []).append(Extraction(relation, args, confidence))
    return corpus


def _tab_lines(path: str | Path) -> Iterator[tuple[int, list[str]]]:
    """Yield (1-based line number, tab fields) of each non-blank, whitespace-stripped line.

    The file is read in universal-newline mode like the official readers, so a stray ``\\r``
    ends a line there as well.
    """
    with open(path, encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            stripped = line.strip()
            if stripped:
                yield line_no, stripped.split("\t")


def normalise_key(sentence: str) -> str:
    """The sentence key CaRB matches on: no spaces, PTB brackets unescaped, no ASCII punctuation.

    This lets differently tokenised copies of a sentence meet.

    >>> normalise_key("He said -LRB- twice -RRB- : `` no . ''")
    'Hesaidtwiceno'
    """
    key = sentence.replace(" ", "")
    for bracket, escape in PTB_ESCAPES:
        key = key.replace(escape, bracket)
    return _PUNCTUATION.sub("", key)


def normalise_keys(corpus: Corpus) -> Corpus:
    """Re-key a corpus by :func:`normalise_key`.

    As in the official scorer, when several raw sentences share a key the last one's
    extractions replace the earlier ones' (they are not merged).
    """
    return {normalise_key(sentence): extractions for sentence, extractions in corpus.items()}


# --------------------------------------------------------------------------------------------
# Matching one gold tuple against one prediction
# --------------------------------------------------------------------------------------------


def binarise(args: Sequence[str]) -> tuple[str, ...]:
    """Arguments as (arg1, rest joined by spaces); fewer than two arguments are left alone."""
    if len(args) >= 2:
        return (args[0], " ".join(args[1:]))
    return tuple(args)


def overlap(gold_words: Sequence[str], predicted_words: Sequence[str]) -> int:
    """Number of words two phrases share, counted as bags (each word used at most once)."""
    return sum((Counter(gold_words) & Counter(predicted_words)).values())


def relation_overlap(gold_relation: str, predicted_relation: str) -> int:
    """Shared relation words, with one predicted ``be`` standing in for a gold form of *be*.

    Reproduces the official rule exactly: the ``be`` bonus applies when a predicted ``be`` is
    left over after ordinary matching and the gold relation contains any form of *be*, even
    one already matched by another predicted word.
    """
    gold_words = gold_relation.split()
    predicted_words = predicted_relation.split()
    shared = overlap(gold_words, predicted_words)
    leftover_be = predicted_words.count("be") > gold_words.count("be")
    if leftover_be and any(form in gold_words for form in BE_FORMS):
        shared += 1
    return shared


def lenient_match(
    gold_relation: str,
    gold_args: Sequence[str],
    predicted_relation: str,
    predicted_args: Sequence[str],
) -> Match:
    """Token-overlap (precision, recall) of a prediction against a gold tuple, position by position.

    Precision counts over the predicted words, recall over the gold words, both summed over the
    relation and each gold argument position. The pair is no match at all when the relations
    share no word or when the prediction is missing arg1 or arg2 that the gold has; predicted
    arguments beyond the gold's count are ignored, as in the official code.
    """
    shared = relation_overlap(gold_relation, predicted_relation)
    if shared == 0:
        return _NO_MATCH
    precision_num = recall_num = shared
    precision_den = len(predicted_relation.split())
    recall_den = len(gold_relation.split())
    for position, gold_arg in enumerate(gold_args):
        gold_words = gold_arg.split()
        recall_den += len(gold_words)
        if position >= len(predicted_args):
            if position < 2:
                return _NO_MATCH
            continue
        predicted_words = predicted_args[position].split()
        precision_den += len(predicted_words)
        shared = overlap(gold_words, predicted_words)
        precision_num += shared
        recall_num += shared
    precision = precision_num / precision_den if precision_den else 0.0
    recall = recall_num / recall_den if recall_den else 0.0
    return (precision, recall)


def is_said_type(relation: str) -> bool:
    """Whether a gold relation lets the arguments be swapped (substring test, as official)."""
    return any(verb in relation for verb in SAID_VERBS)


def match(gold: Extraction, predicted: Extraction) -> Match:
    """CaRB's default ``binary_linient_tuple_match`` of a gold tuple and a prediction.

    For said-type gold relations the prediction is also tried with arg1 and the joined later
    arguments swapped; the larger pair wins, comparing precision first (Python list order in the
    official code), so a swap can raise precision at the cost of recall.
    """
    gold_args = binarise(gold.args)
    straight = lenient_match(gold.relation, gold_args, predicted.relation, binarise(predicted.args))
    if not is_said_type(gold.relation):
        return straight
    args = predicted.args
    swapped_args = (" ".join(args[1:]), args[0]) if len(args) >= 2 else tuple(args)
    swapped = lenient_match(gold.relation, gold_args, predicted.relation, swapped_args)
    return max(straight, swapped)


# --------------------------------------------------------------------------------------------
# Aggregation per sentence
# --------------------------------------------------------------------------------------------


def greedy_precision(matrix: Sequence[Sequence[Match]], columns: Sequence[int]) -> float:
    """Sum of precisions after pairing predictions (``columns``) and gold rows one-to-one.

    Each step takes the highest remaining precision; ties go to the first gold row, then the
    first prediction in file order, exactly as the official loop does. Zero-precision pairs are
    taken too, which only matters for the tie order of later steps.
    """
    free_rows = list(range(len(matrix)))
    free_columns = list(columns)
    total = 0.0
    for _ in range(min(len(free_rows), len(free_columns))):
        best, best_row, best_column = -1.0, free_rows[0], free_columns[0]
        for row in free_rows:
            for column in free_columns:
                if matrix[row][column][0] > best:
                    best, best_row, best_column = matrix[row][column][0], row, column
        free_rows.remove(best_row)
        free_columns.remove(best_column)
        total += best
    return total


def best_recall(matrix: Sequence[Sequence[Match]], columns: Sequence[int]) -> float:
    """Sum over gold rows of the best recall any of the predictions (``columns``) gives it.

    One prediction may serve many gold tuples, which is what CaRB means by multi-match recall.
    """
    return sum(max((row[column][1] for column in columns), default=0.0) for row in matrix)


@dataclass(frozen=True)
class SentenceLevel:
    """A sentence's contribution at one of its own confidence values (predictions >= it)."""

    confidence: float
    precision_sum: float
    predictions: int
    recall_sum: float


def sentence_levels(
    gold: Sequence[Extraction], predicted: Sequence[Extraction]
) -> list[SentenceLevel]:
    """One :class:`SentenceLevel` per distinct predicted confidence, in ascending order."""
    matrix = [[match(gold_ex, predicted_ex) for predicted_ex in predicted] for gold_ex in gold]
    levels = []
    for confidence in sorted({ex.confidence for ex in predicted}):
        columns = [j for j, ex in enumerate(predicted) if ex.confidence >= confidence]
        levels.append(
            SentenceLevel(
                confidence,
                greedy_precision(matrix, columns),
                len(columns),
                best_recall(matrix, columns),
            )
        )
    return levels


# --------------------------------------------------------------------------------------------
# Corpus-level curve and numbers
# --------------------------------------------------------------------------------------------


def pr_curve(gold: Corpus, system: Corpus) -> list[CurvePoint]:
    """Precision and recall at every distinct confidence of the system, ascending.

    Sentences are matched by :func:`normalise_key`. Output for sentences without gold is
    ignored except that its confidences still become thresholds (as in the official code);
    a gold sentence without output contributes its gold count to recall's denominator only.
    Precision with no prediction above a threshold is 1, as officially.
    """
    gold = normalise_keys(gold)
    system = normalise_keys(system)
    thresholds = sorted({ex.confidence for exs in system.values() for ex in exs})
    position = {threshold: k for k, threshold in enumerate(thresholds)}
    precision_sum = [0.0] * len(thresholds)
    predictions = [0] * len(thresholds)
    recall_sum = [0.0] * len(thresholds)
    gold_count = 0
    for sentence, gold_exs in gold.items():
        gold_count += len(gold_exs)
        start = 0
        for level in sentence_levels(gold_exs, system.get(sentence, [])):
            end = position[level.confidence] + 1
            for k in range(start, end):
                precision_sum[k] += level.precision_sum
                predictions[k] += level.predictions
                recall_sum[k] += level.recall_sum
            start = end
    return [
        CurvePoint(
            threshold,
            precision_sum[k] / predictions[k] if predictions[k] else 1.0,
            recall_sum[k] / gold_count if gold_count else 0.0,
        )
        for k, threshold in enumerate(thresholds)
    ]


def f1(precision: float, recall: float) -> float | None:
    """Harmonic mean; ``None`` when both are zero (numpy gives NaN there, which is skipped)."""
    if precision + recall == 0:
        return None
    return 2 * precision * recall / (precision + recall)


def area_under_curve(x: Sequence[float], y: Sequence[float]) -> float:
    """Trapezoid area under y(x) for monotonic x, like ``sklearn.metrics.auc``.

    x may be increasing or decreasing (CaRB's recall decreases as the threshold rises); the
    area is positive either way. Non-monotonic x is an error, as in scikit-learn.
    """
    if len(x) != len(y) or len(x) < 2:
        raise ValueError("need at least two points, and as many x as y")
    steps = [b - a for a, b in zip(x, x[1:], strict=False)]
    direction = 1.0
    if any(step < 0 for step in steps):
        if not all(step <= 0 for step in steps):
            raise ValueError(f"x is neither increasing nor decreasing: {list(x)}")
        direction = -1.0
    return direction * sum(
        step * (y0 + y1) / 2 for step, y0, y1 in zip(steps, y, y[1:], strict=False)
    )


def summarise(curve: Sequence[CurvePoint]) -> Scores:
    """Best-F1 point and AUC of a PR curve, as the official ``compare`` reports them.

    The first threshold with the highest F1 wins; thresholds where precision and recall are
    both zero are skipped (``np.nanargmax``). AUC adds (recall 0, precision 1) after the
    highest threshold. With no predictions at all everything is zero.
    """
    if not curve:
        return Scores(0.0, 0.0, 0.0, 0.0, None)
    recalls = [point.recall for point in curve] + [0.0]
    precisions = [point.precision for point in curve] + [1.0]
    auc = area_under_curve(recalls, precisions)
    best: tuple[float, CurvePoint] | None = None
    for point in curve:
        value = f1(point.precision, point.recall)
        if value is not None and (best is None or value > best[0]):
            best = (value, point)
    if best is None:
        return Scores(0.0, 0.0, 0.0, auc, None)
    value, point = best
    return Scores(point.precision, point.recall, value, auc, point.threshold)


def evaluate(gold: Corpus, system: Corpus) -> Scores:
    """Score already-read corpora (keys as read; they are normalised here)."""
    return summarise(pr_curve(gold, system))


def score(system_path: str | Path, gold_path: str | Path) -> Scores:
    """Score a CaRB tabbed system file against a CaRB gold file."""
    return evaluate(read_gold(gold_path), read_system(system_path))


# --------------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------------

_FIELD_BREAKS = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def clean_field(text: str) -> str:
    """Replace tabs and line breaks by spaces so a field cannot break the tabbed layout."""
    return text.translate(_FIELD_BREAKS)


def carb_row(sentence: str, triple: Any) -> list[str]:
    """Fields of one CaRB system row for a triple: sentence, confidence, relation, args.

    The one place that decides how a ``Triple`` maps to CaRB: subject is arg1, object is arg2
    and ``extra_args`` follow. A passive fact is written in the sentence's own order, as CaRB's
    annotators do ("Ant Group | was fined by | regulators"). A bare pronoun that coreference
    resolved to one entity is written as that entity's name, the node the graph uses (CaRB's
    annotators also name the antecedent: "tries to woo | Cashel Byron | ..."). The confidence
    keeps full float precision so that distinct confidences stay distinct thresholds.
    """
    first, second = _named(triple.subject, triple.object), _named(triple.object, triple.subject)
    if triple.relation.passive:
        first, second = second, first
    fields = [triple.relation.text, first, second, *triple.extra_args]
    return [
        clean_field(sentence),
        repr(float(triple.confidence)),
        *(clean_field(field) for field in fields),
    ]


def _named(argument: Any, other: Any) -> str:
    """The argument's phrase or, for a bare pronoun, the one entity coreference resolved it to
    (the graph node), unless that is the other argument's entity too."""
    if argument.is_pronoun and len(argument.entities) == 1:
        label = argument.entities[0].label
        if label not in other.text and argument.entities != other.entities:
            return label
    return argument.text


def read_sentences(path: str | Path) -> list[str]:
    """Sentences one per line, exactly as written (only the line break removed); blanks skipped."""
    with open(path, encoding="utf-8", newline="") as handle:
        lines = [line.removesuffix("\n").removesuffix("\r") for line in handle]
    return [line for line in lines if line.strip()]


@dataclass(frozen=True)
class ExtractionRun:
    """What an extraction run did, for the speed report."""

    sentences: int
    rows: int
    seconds: float

    @property
    def sentences_per_second(self) -> float:
        """Throughput; infinite for an instantaneous run."""
        return self.sentences / self.seconds if self.seconds > 0 else math.inf


def extract_rows(sentences: Sequence[str], batch_size: int = 64) -> Iterator[list[str]]:
    """CaRB rows for the sentences, parsed on their own whitespace tokens.

    Building the ``Doc`` from ``sentence.split()`` keeps CaRB's Penn-Treebank tokens (so the
    extracted words are the gold's words); ``nlp.pipe`` then runs every pipeline component over
    the pre-made docs in batches.
    """
    from spacy.tokens import Doc

    from extractors import extract_doc, load_model

    nlp = load_model()
    docs: Iterable[Doc] = (Doc(nlp.vocab, words=sentence.split()) for sentence in sentences)
    for sentence, doc in zip(sentences, nlp.pipe(docs, batch_size=batch_size), strict=True):
        for triple in extract_doc(doc, doc_id="carb"):
            yield carb_row(sentence, triple)


def extract_file(
    sentences_path: str | Path, output_path: str | Path, batch_size: int = 64
) -> ExtractionRun:
    """Run the extractor over a sentence file and write CaRB tabbed output."""
    sentences = read_sentences(sentences_path)
    rows = 0
    start = time.perf_counter()
    with open(output_path, "w", encoding="utf-8", newline="\n") as out:
        for row in extract_rows(sentences, batch_size=batch_size):
            out.write("\t".join(row) + "\n")
            rows += 1
    return ExtractionRun(len(sentences), rows, time.perf_counter() - start)


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.carb", description="CaRB Open IE benchmark harness."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="run the extractor, write CaRB tabbed output")
    extract.add_argument("sentences", type=Path, help="one sentence per line")
    extract.add_argument("-o", "--output", type=Path, required=True, help="output .tsv")
    extract.add_argument("--batch-size", type=int, default=64, help="spaCy batch size")
    score_cmd = commands.add_parser("score", help="score CaRB tabbed output against gold")
    score_cmd.add_argument("system", type=Path, help="system output (.tsv)")
    score_cmd.add_argument("gold", type=Path, help="CaRB gold (.tsv)")
    score_cmd.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m benchmarks.carb``."""
    args = _parser().parse_args(argv)
    if args.command == "extract":
        run = extract_file(args.sentences, args.output, batch_size=args.batch_size)
        print(
            f"{run.rows} rows from {run.sentences} sentences in {run.seconds:.2f} s: "
            f"{run.sentences_per_second:.1f} sentences/s",
            file=sys.stderr,
        )
        return 0
    scores = score(args.system, args.gold)
    if args.json:
        print(json.dumps(asdict(scores)))
    else:
        for name in ("precision", "recall", "f1", "auc"):
            print(f"{name} {getattr(scores, name):.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""CaRB regression guard: dev F1 and AUC may not fall below the figures in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks import carb

ROOT = Path(__file__).resolve().parents[2]
TOLERANCE = 0.005


def recorded_scores() -> tuple[float, float]:
    """F1 and AUC of the newsgraph row of the README's CaRB table."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = re.search(r"^\| \*\*newsgraph\*\*.*\| dev \|(.*)$", readme, re.MULTILINE)
    assert row, "README.md has no '| **newsgraph** ... | dev |' row in its CaRB table"
    precision, recall, f1, auc = (float(cell) for cell in row.group(1).split("|")[:4])
    return f1, auc


def test_carb_dev_does_not_regress(shared: Path, tmp_path: Path) -> None:
    data = shared / "benchmarks" / "carb"
    if not (data / "dev.txt").is_file():
        pytest.skip(f"CaRB dev split not found in {data}")
    output = tmp_path / "dev.tsv"
    carb.extract_file(data / "dev.txt", output)
    scores = carb.score(output, data / "dev_gold.tsv")
    f1, auc = recorded_scores()
    assert scores.f1 >= f1 - TOLERANCE, f"CaRB dev F1 {scores.f1:.4f} < recorded {f1}"
    assert scores.auc >= auc - TOLERANCE, f"CaRB dev AUC {scores.auc:.4f} < recorded {auc}"

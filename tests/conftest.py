"""Shared fixtures: the real spaCy model, the repository root and the shared data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from extractors import load_model

    return load_model()


@pytest.fixture(scope="session")
def shared() -> Path:
    """The read-only ``../shared`` folder; tests that need it skip when a clone lacks it."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: it holds the benchmark and corpus data "
                    "(present in the project's CI, not in a user's clone)")
    return SHARED

"""The page-cost probe: every figure is a cost per fault it really took."""

from __future__ import annotations

import math

from benchmarks.page_cost import copied, fresh


def test_fresh_pages_are_timed_per_100_mb_step():
    costs = fresh(200)
    assert len(costs) == 2 and all(math.isfinite(cost) and cost > 0 for cost in costs)


def test_copied_pages_are_timed_in_each_child_and_in_the_parent():
    costs = copied(16)
    assert list(costs) == ["first child", "second child", "parent, a child alive"]
    assert all(math.isfinite(cost) and cost > 0 for cost in costs.values())

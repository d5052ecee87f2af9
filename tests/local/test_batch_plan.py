"""How many files are in flight on one machine."""

from __future__ import annotations

import pytest

from skill_runtime.batch.executor import plan

GIB = 1 << 30

PLANS = [
    # (workers asked, cores, free memory, (recognisers, encoders, files in flight))
    (None, 1, 16 * GIB, (1, 1, 2)),
    (None, 2, 16 * GIB, (1, 1, 2)),
    (None, 8, 16 * GIB, (1, 4, 5)),
    (None, 32, 4 * GIB, (1, 4, 5)),  # memory caps the encoders
    (None, 8, GIB, (1, 1, 2)),  # never fewer than one of each
    (1, 8, 16 * GIB, (1, 1, 1)),  # one by one when asked
    (3, 2, 16 * GIB, (1, 2, 3)),
]


@pytest.mark.parametrize(("workers", "cores", "memory", "expected"), PLANS)
def test_plan_follows_cores_and_memory(
    workers: int | None, cores: int, memory: int, expected: tuple[int, int, int]
) -> None:
    got = plan(workers, cores=cores, memory=memory)
    assert (got.recognisers, got.encoders, got.in_flight) == expected

"""One atlas serves many threads, and a long call lets other Python
threads run."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

import carrier_quota as cq
from conftest import SAMPLE


def points(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(105.3, 110.1, n), rng.uniform(28.2, 32.2, n)


def test_one_atlas_used_from_a_thread_pool_gives_the_same_answers():
    atlas = cq.Atlas.chongqing()
    sets = [points(50_000, seed) for seed in range(8)]
    alone = [atlas.locate(x, y, datum="gcj02") for x, y in sets]
    carriers = cq.read_register(SAMPLE)
    placed_alone = atlas.place(carriers).to_arrow()
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda s: atlas.locate(*s, datum="gcj02"), sets))
        placed = list(pool.map(lambda _: atlas.place(carriers).to_arrow(), range(4)))
        checks = list(pool.map(lambda p: cq.check(atlas.place(carriers)).to_dict(), range(4)))
    for a, b in zip(alone, together):
        assert np.array_equal(a, b)
    assert all(p.equals(placed_alone) for p in placed)
    assert all(c == checks[0] for c in checks)


def test_another_thread_runs_while_a_long_call_works():
    atlas = cq.Atlas.chongqing()
    x, y = points(20_000_000, 3)
    ticks = 0
    running = threading.Event()
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        running.set()
        while not done.is_set():
            ticks += 1
            time.sleep(0)

    counter = threading.Thread(target=count)
    counter.start()
    running.wait()
    start = ticks
    began = time.perf_counter()
    atlas.locate(x, y, datum="gcj02")
    elapsed = time.perf_counter() - began
    during = ticks - start
    done.set()
    counter.join()
    # Held for the whole call, the interpreter would let the counter run
    # only at its switch interval (5 ms): a handful of ticks.
    assert elapsed > 0.05
    assert during > 1000, (during, elapsed)

"""Data is read where it lies: a pyarrow table's buffers are the placed
table's, numpy points are not copied."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pyarrow as pa

import carrier_quota as cq


def addresses(column: pa.ChunkedArray) -> list[int]:
    return [b.address for chunk in column.chunks for b in chunk.buffers() if b is not None]


def test_a_pyarrow_table_s_buffers_are_the_output_s():
    n = 10_000
    rng = np.random.default_rng(1)
    table = pa.table(
        {
            "id": [f"c-{i}" for i in range(n)],
            "kind": ["incubator"] * n,
            "floor_area_m2": rng.uniform(100, 5000, n),
            "lon": rng.uniform(105.3, 110.1, n),
            "lat": rng.uniform(28.2, 32.2, n),
        }
    )
    placed = cq.Atlas.chongqing().place(table, datum="gcj02").to_arrow()
    for name in table.column_names:
        assert addresses(placed.column(name)) == addresses(table.column(name)), name


def test_numpy_points_are_not_copied():
    n = 2_000_000
    rng = np.random.default_rng(2)
    x = rng.uniform(105.3, 110.1, n)
    y = rng.uniform(28.2, 32.2, n)
    atlas = cq.Atlas.chongqing()
    atlas.locate(x[:10], y[:10], datum="gcj02")
    tracemalloc.start()
    found = atlas.locate(x, y, datum="gcj02")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # A copy of either array would be 16 MB; the answer is made in Rust.
    assert peak < 1_000_000, peak
    assert found.shape == (n,) and found.dtype == np.int32

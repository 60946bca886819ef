"""carrier_quota against Shapely and GeoPandas, side by side in one run.

    python python/bench/bench.py [--points 10000000] [--rows 1000000] [--repeat 3]

1. ``atlas.locate`` on N NumPy points against ``shapely.contains_xy`` over
   the 38 districts (each district's points first narrowed to its bounding
   box, with the polygon prepared): points per second.
2. ``atlas.place`` of an M-row GeoDataFrame, back to a GeoDataFrame
   (conversions included), against ``geopandas.sjoin(..., predicate="within")``
   with the same districts.

Each case runs in a process of its own, whose peak memory above what it
held before the call (VmHWM reset through /proc/self/clear_refs) is given
beside the best time of ``--repeat`` runs. The carriers are the command's
synthetic sample (``carrier-quota sample carriers --lean``), as GeoParquet;
the points are uniform over the city's box, about 39% of them in a district.
Needs carrier_quota, geopandas and shapely installed, and the command built.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def measured(call, repeat: int) -> tuple[float, float, object]:
    """The best time of `repeat` calls, the peak memory (MiB) one call
    adds to what the process held, and the last result."""
    best = float("inf")
    result = None
    peak = 0.0
    for _ in range(repeat):
        result = None
        held = rss_kib("VmRSS")
        Path("/proc/self/clear_refs").write_text("5")
        began = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - began)
        peak = max(peak, (rss_kib("VmHWM") - held) / 1024)
    return best, peak, result


def points(n: int):
    import numpy as np

    rng = np.random.default_rng(1)
    return rng.uniform(105.28, 110.20, n), rng.uniform(28.15, 32.21, n)


def districts_frame():
    import carrier_quota as cq

    return cq.Atlas.chongqing().to_geopandas()


def case_locate(n: int, repeat: int) -> dict:
    import carrier_quota as cq

    x, y = points(n)
    atlas = cq.Atlas.chongqing()
    seconds, peak, found = measured(lambda: atlas.locate(x, y, datum="gcj02"), repeat)
    return {"seconds": seconds, "peak_mib": peak, "inside": int((found >= 0).sum())}


def case_contains_xy(n: int, repeat: int) -> dict:
    import numpy as np
    import shapely

    x, y = points(n)
    frame = districts_frame()
    shapes = list(frame.geometry)
    for shape in shapes:
        shapely.prepare(shape)

    def locate():
        found = np.full(n, -1, dtype=np.int32)
        for i, shape in enumerate(shapes):
            x0, y0, x1, y1 = shape.bounds
            near = np.flatnonzero((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))
            inside = near[shapely.contains_xy(shape, x[near], y[near])]
            found[inside[found[inside] < 0]] = i
        return found

    seconds, peak, found = measured(locate, repeat)
    return {"seconds": seconds, "peak_mib": peak, "inside": int((found >= 0).sum())}


def case_place(path: str, repeat: int) -> dict:
    import carrier_quota as cq
    import geopandas

    frame = geopandas.read_parquet(path)
    atlas = cq.Atlas.chongqing()
    seconds, peak, placed = measured(
        lambda: atlas.place(frame, datum="gcj02").to_geopandas(), repeat
    )
    return {
        "seconds": seconds,
        "peak_mib": peak,
        "rows": len(placed),
        "placed": int(placed["placed_district"].notna().sum()),
    }


def case_place_parts(path: str, repeat: int) -> dict:
    """Where `place` + `to_geopandas` spends its time: the frame handed
    over as Arrow, the reading and placing, the placed columns back."""
    import carrier_quota as cq
    import geopandas
    import pyarrow as pa
    from carrier_quota import _geodataframe_arrow

    frame = geopandas.read_parquet(path)
    native = cq.Atlas.chongqing()._native
    over, _, (table, lon, lat) = measured(lambda: _geodataframe_arrow(frame), repeat)
    place, _, placed = measured(
        lambda: native.place_arrow(table, datum="gcj02", lon=lon, lat=lat), repeat
    )
    back, _, _ = measured(lambda: pa.table(placed.placed_columns()).to_pandas(), repeat)
    return {"to_arrow": over, "read_and_place": place, "placed_columns": back}


def case_sjoin(path: str, repeat: int) -> dict:
    import geopandas

    frame = geopandas.read_parquet(path)
    districts = districts_frame()[["code", "geometry"]]
    seconds, peak, joined = measured(
        lambda: geopandas.sjoin(frame, districts, how="left", predicate="within"), repeat
    )
    return {
        "seconds": seconds,
        "peak_mib": peak,
        "rows": len(joined),
        "placed": int(joined["code"].notna().sum()),
    }


CASES = {
    "locate": case_locate,
    "contains_xy": case_contains_xy,
    "place": case_place,
    "place_parts": case_place_parts,
    "sjoin": case_sjoin,
}


def run_case(name: str, argument, repeat: int) -> dict:
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--case",
            name,
            "--argument",
            str(argument),
            "--repeat",
            str(repeat),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--case", choices=CASES)
    parser.add_argument("--argument")
    args = parser.parse_args()
    if args.case:
        argument = int(args.argument) if args.argument.isdigit() else args.argument
        print(json.dumps(CASES[args.case](argument, args.repeat)))
        return

    command = os.environ.get(
        "CARRIER_QUOTA_BIN", str(ROOT / "target" / "release" / "carrier-quota")
    )
    threads = os.cpu_count()
    print(f"{threads} threads; best of {args.repeat}; peak: memory one call adds")
    locate = run_case("locate", args.points, args.repeat)
    shapely_ = run_case("contains_xy", args.points, args.repeat)
    rate = lambda r: args.points / r["seconds"] / 1e6
    print(
        f"locate {args.points:,} points:  atlas.locate {locate['seconds']:.3f} s "
        f"({rate(locate):.1f} M points/s, peak {locate['peak_mib']:.0f} MiB)  "
        f"shapely.contains_xy {shapely_['seconds']:.3f} s ({rate(shapely_):.1f} M points/s, "
        f"peak {shapely_['peak_mib']:.0f} MiB)  ×{shapely_['seconds'] / locate['seconds']:.1f}; "
        f"inside {locate['inside']:,} and {shapely_['inside']:,}"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "carriers.parquet"
        subprocess.run(
            [
                command,
                "sample",
                "carriers",
                "--count",
                str(args.rows),
                "--seed",
                "1",
                "--lean",
                "--quiet",
                "--out",
                str(path),
            ],
            check=True,
        )
        place = run_case("place", path, args.repeat)
        parts = run_case("place_parts", path, args.repeat)
        sjoin = run_case("sjoin", path, args.repeat)
    print(
        f"place {args.rows:,} GeoDataFrame rows:  atlas.place + to_geopandas {place['seconds']:.3f} s "
        f"(peak {place['peak_mib']:.0f} MiB)  geopandas.sjoin within {sjoin['seconds']:.3f} s "
        f"(peak {sjoin['peak_mib']:.0f} MiB)  ×{sjoin['seconds'] / place['seconds']:.1f}; "
        f"placed {place['placed']:,} and {sjoin['placed']:,} of {place['rows']:,}"
    )
    print(
        "  of which: the frame as Arrow {to_arrow:.3f} s, read and place {read_and_place:.3f} s, "
        "the placed columns back {placed_columns:.3f} s".format(**parts)
    )


if __name__ == "__main__":
    main()

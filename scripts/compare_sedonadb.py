#!/usr/bin/env python3
"""Times carrier-quota and SedonaDB on the same carrier file, in one run.

Both answer the same question: how many carriers, and how much floor area,
each of Chongqing's 38 districts holds. carrier-quota runs its whole
`assign` (start-up, atlas, read, place, tally, table); SedonaDB reads the
(Geo)Parquet file and joins its points with the same 38 district polygons
(data/chongqing/districts.geojson, as WKT), grouping by district. Each is run
`--runs` times (default 3) after one warm-up run that reads the file into
the page cache; the best wall time of each is compared, and the counts per
district are checked against each other.

    pip install sedonadb          # into a virtualenv of your choice
    cargo build --release
    scripts/compare_sedonadb.py /tmp/m1m.parquet

The file is made with `carrier-quota sample carriers --count 1000000 --seed 1
--lean --out /tmp/m1m.parquet`. Without SedonaDB installed, only
carrier-quota is timed.
"""

import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import time
import warnings

ROOT = pathlib.Path(__file__).resolve().parent.parent


def ring_wkt(ring):
    return "(" + ", ".join(f"{x!r} {y!r}" for x, y in ring) + ")"


def district_rows():
    """(code, WKT) of each embedded district."""
    collection = json.loads((ROOT / "data/chongqing/districts.geojson").read_text())
    rows = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        wkt = "MULTIPOLYGON(" + ", ".join(
            "(" + ", ".join(ring_wkt(r) for r in polygon) + ")" for polygon in polygons
        ) + ")"
        rows.append((feature["properties"]["adcode"], wkt))
    return rows


def best_of(runs, run):
    """The best wall time of `runs` runs of `run`, and its last answer."""
    best, answer = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        answer = run()
        best = min(best, time.perf_counter() - start)
    return best, answer


def crate(binary, path):
    """A function that runs carrier-quota's whole assign, as an analyst
    does (the table on stdout), and the counts per district it found."""

    def run():
        subprocess.run([binary, "assign", path, "--quiet"], check=True, capture_output=True)

    out = subprocess.run(
        [binary, "assign", path, "--format", "json", "--quiet"],
        check=True,
        capture_output=True,
    ).stdout
    regions = json.loads(out)["regions"]
    return run, {r["code"]: r["count"] for r in regions if r["count"]}


def sedona(path):
    """A function that runs SedonaDB's read and join: counts per district."""
    # It warns when PROJ and GDAL are missing: neither is used here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import sedonadb  # noqa: PLC0415 (optional)

        sd = sedonadb.connect()
    result = pathlib.Path(tempfile.mkdtemp()) / "counts.json"
    values = ", ".join(f"('{code}', '{wkt}')" for code, wkt in district_rows())
    sd.sql(
        f"SELECT code, ST_SetSRID(ST_GeomFromWKT(wkt), 4326) AS shape "
        f"FROM (VALUES {values}) AS t(code, wkt)"
    ).to_view("districts")

    def run():
        sd.read_parquet(path).to_view("carriers", overwrite=True)
        sd.sql(
            "SELECT d.code AS code, count(*) AS n, sum(c.floor_area_m2) AS floor_area_m2 "
            "FROM carriers c JOIN districts d "
            "ON ST_Intersects(d.shape, ST_SetSRID(c.geometry, 4326)) "
            "GROUP BY d.code"
        ).to_json(result)
        rows = [json.loads(line) for line in result.read_text().splitlines() if line]
        return {r["code"]: int(r["n"]) for r in rows}

    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parquet", help="a GeoParquet carrier file (WKB; SedonaDB reads no native points)")
    parser.add_argument("--binary", default=str(ROOT / "target/release/carrier-quota"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    run_crate, crate_counts = crate(args.binary, args.parquet)
    crate_time, _ = best_of(args.runs, run_crate)
    print(f"carrier-quota assign: {crate_time:.3f} s (best of {args.runs})")
    try:
        run_sedona = sedona(args.parquet)
    except ImportError:
        print("SedonaDB is not installed (pip install sedonadb): nothing to compare")
        return 0
    try:
        run_sedona()
    except Exception as e:  # noqa: BLE001 (its own error type)
        print(f"SedonaDB cannot run on this file: {e}")
        return 0
    sedona_time, sedona_counts = best_of(args.runs, run_sedona)
    print(f"SedonaDB read and join: {sedona_time:.3f} s (best of {args.runs})")
    print(f"ratio: SedonaDB takes {sedona_time / crate_time:.2f} times as long")
    differ = sorted(
        code for code in set(crate_counts) | set(sedona_counts)
        if crate_counts.get(code) != sedona_counts.get(code)
    )
    total = sum(crate_counts.values()), sum(sedona_counts.values())
    print(f"carriers placed: {total[0]} by carrier-quota, {total[1]} by SedonaDB; "
          f"districts whose counts differ: {len(differ)} {differ[:5]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

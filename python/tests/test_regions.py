"""Another region set, read as the command's --regions reads it."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import carrier_quota as cq
from carrier_quota.errors import RegionError


def square(code: str, parent: str, x0: float, y0: float) -> dict:
    ring = [[x0, y0], [x0 + 1, y0], [x0 + 1, y0 + 1], [x0, y0 + 1], [x0, y0]]
    return {
        "type": "Feature",
        "properties": {"adcode": code, "name": f"区{code}", "province": parent},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


@pytest.fixture
def regions(tmp_path):
    path = tmp_path / "regions.geojson"
    features = [square("1", "a", 100, 30), square("2", "a", 101, 30), square("3", "b", 102, 30)]
    path.write_text(
        json.dumps({"type": "FeatureCollection", "datum": "wgs84", "features": features})
    )
    return path


def test_a_region_set_places_as_the_command_places_on_it(regions, tmp_path, cli):
    atlas = cq.Atlas.from_file(regions, code_property="adcode", parent_property="province")
    assert atlas.datum == "wgs84"
    assert list(atlas.districts["code"]) == ["1", "2", "3"]
    assert list(atlas.zones["code"]) == ["a", "b"]
    table = pd.DataFrame(
        {
            "id": ["p", "q", "r", "s"],
            "kind": ["incubator"] * 4,
            "floor_area_m2": [1.0, 2.0, 3.0, 4.0],
            "lon": [100.5, 101.0, 102.5, 105.0],
            "lat": [30.5, 30.5, 30.5, 30.5],
        }
    )
    path = tmp_path / "carriers.csv"
    table.to_csv(path, index=False)
    expected = cli.json(
        "assign", str(path), "--datum", "wgs84", "--regions", str(regions),
        "--code-property", "adcode", "--parent-property", "province", "--format", "json",
    )  # fmt: skip
    placed = atlas.place(table, datum="wgs84").to_pandas()
    want = [a["region"] for a in expected["assignments"]]
    assert [None if d != d else d for d in placed["placed_district"]] == want
    # A point on the border of 1 and 2 counts in one of them, as the command counts it.
    assert want[1] in ("1", "2")
    found = atlas.locate(table["lon"], table["lat"], datum="wgs84", codes=True)
    assert list(found) == want


def test_a_region_file_without_its_code_property_is_a_region_error(regions):
    with pytest.raises(RegionError):
        cq.Atlas.from_file(regions, code_property="nothing")

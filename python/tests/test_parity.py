"""The package gives the command's answers: the same placement, row for
row, and the same report, on the sample and on every register."""

from __future__ import annotations

import pytest

import carrier_quota as cq
from conftest import ROOT, SAMPLE, registers


def datum_flags(cli, path) -> list[str]:
    """`--datum gcj02` for a register whose coordinates need one."""
    done = cli.run("assign", str(path), "--format", "json")
    return [] if done.returncode == 0 else ["--datum", "gcj02"]


def read(path, flags):
    datum = flags[1] if flags else None
    return cq.read_register(path, datum=datum)


@pytest.mark.parametrize("path", registers(), ids=lambda p: p.name)
def test_place_equals_assign(cli, path):
    flags = datum_flags(cli, path)
    expected = cli.json("assign", str(path), "--format", "json", *flags)
    carriers = read(path, flags)
    placed = cq.Atlas.chongqing().place(carriers)
    rows = placed.to_arrow().select(["id", "placed_district", "placed_zone", "placed_by"])
    got = [tuple(r.values()) for r in rows.to_pylist()]
    want = [(a["id"], a["region"], a["zone"], a["placed_by"]) for a in expected["assignments"]]
    assert got == want
    assert placed.records_read == expected["features_read"]
    rejected = placed.rejections
    assert list(rejected["index"]) == [r["index"] for r in expected["rejected"]]
    assert [None if r != r else int(r) for r in rejected["row"]] == [
        r.get("row") for r in expected["rejected"]
    ]
    assert list(placed.mismatches["id"]) == [m["id"] for m in expected["mismatches"]]


@pytest.mark.parametrize("path", registers(), ids=lambda p: p.name)
def test_check_equals_report(cli, path):
    flags = datum_flags(cli, path)
    expected = cli.json("report", "--carriers", str(path), "--format", "json", *flags)
    placed = cq.Atlas.chongqing().place(read(path, flags))
    assert cq.check(placed).to_dict() == expected


@pytest.mark.parametrize(
    "flags",
    [
        ["--as-of", "2024-12-31"],
        ["--split", "area"],
        ["--split", "floor_area", "--as-of", "2023-06-30"],
        ["--district-targets", "tests/data/registers/district_targets.csv", "--split", "area"],
    ],
    ids=lambda f: " ".join(f),
)
def test_check_options_equal_the_command_s(cli, flags):
    expected = cli.json("report", "--carriers", str(SAMPLE), "--format", "json", *flags)
    options = dict(zip(flags[::2], flags[1::2]))
    targets = options.get("--district-targets")
    report = cq.check(
        cq.Atlas.chongqing().place(cq.read_register(SAMPLE)),
        as_of=options.get("--as-of"),
        split=options.get("--split"),
        district_targets=None if targets is None else ROOT / targets,
    )
    got = report.to_dict()
    # The command names the district targets table by its file name too.
    assert got == expected


def test_tables_are_the_report_s_figures(cli):
    expected = cli.json("report", "--carriers", str(SAMPLE), "--format", "json", "--split", "area")
    report = cq.check(cq.Atlas.chongqing().place(cq.read_register(SAMPLE)), split="area")
    targets = report.targets
    assert list(targets["id"]) == [t["id"] for t in expected["targets"]]
    assert list(targets["required"]) == [t["required"] for t in expected["targets"]]
    assert list(targets["status"]) == [t["status"] for t in expected["targets"]]
    city = report.districts["floor_area_m2"].sum()
    assert city == pytest.approx(report.zones["floor_area_m2"].sum())
    total = next(t for t in expected["targets"] if t["id"] == "floor_area_total")
    assert city == pytest.approx(total["actual"])


def test_a_plan_s_own_overlays_are_read_as_the_command_reads_them(tmp_path, cli):
    plan = tmp_path / "plan.toml"
    plan.write_text(
        'name = "高新区计划"\nstart = "2021-12-31"\noverlays = ["gaoxin"]\n\n'
        '[[targets]]\nid = "gaoxin_area"\nname = "高新区面积"\nmeasure = "floor_area"\n'
        'minimum = 5000\ndeadline = "2025-12-31"\nscope = { overlays = ["gaoxin"] }\n',
        encoding="utf-8",
    )
    register = tmp_path / "register.csv"
    register.write_text(
        "id,kind,floor_area_m2,overlay,lon,lat\n"
        "a,incubator,3000,gaoxin,106.50,29.60\n"
        "b,incubator,1000,,106.55,29.56\n",
        encoding="utf-8",
    )
    flags = ["--carriers", str(register), "--plan", str(plan), "--datum", "gcj02"]
    expected = cli.json("report", *flags, "--format", "json")
    carriers = cq.read_register(register, datum="gcj02", plan=plan)
    assert len(carriers.rejections) == 0
    report = cq.check(cq.Atlas.chongqing().place(carriers), plan)
    assert report.to_dict() == expected
    assert len(cq.read_register(register, datum="gcj02").rejections) == 1

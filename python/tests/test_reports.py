"""Every report the command writes, written by the file's extension."""

from __future__ import annotations

import json
import zipfile

import pytest

import carrier_quota as cq
from conftest import SAMPLE


@pytest.fixture(scope="module")
def report():
    return cq.check(cq.Atlas.chongqing().place(cq.read_register(SAMPLE)), split="area")


@pytest.mark.parametrize(
    "extension", ["html", "xlsx", "docx", "csv", "json", "geojson", "svg", "png", "txt"]
)
def test_each_format_is_written_as_the_command_writes_it(report, extension, tmp_path, cli):
    path = tmp_path / f"report.{extension}"
    report.write(path)
    data = path.read_bytes()
    if extension in ("xlsx", "docx"):
        assert zipfile.is_zipfile(path)
    elif extension == "png":
        assert data.startswith(b"\x89PNG")
    elif extension in ("json", "geojson"):
        json.loads(data)
    if extension in ("csv", "json", "geojson", "svg", "html", "txt"):
        theirs = tmp_path / f"theirs.{extension}"
        format = {"txt": "table"}.get(extension, extension)
        done = cli.run(
            "report",
            "--carriers",
            str(SAMPLE),
            "--split",
            "area",
            "--format",
            format,
            "--out",
            str(theirs),
            "--lang",
            "both",
        )
        assert done.returncode == 0, done.stderr
        assert data == theirs.read_bytes()


def test_a_district_s_view_and_languages(report, tmp_path):
    report.write(tmp_path / "yubei.html", district="渝北区", lang="zh")
    page = (tmp_path / "yubei.html").read_text(encoding="utf-8")
    assert "渝北区" in page and 'class="lang-zh"' in page
    with pytest.raises(ValueError, match="no district"):
        report.write(tmp_path / "x.html", district="火星区")
    with pytest.raises(ValueError, match="not .pdf"):
        report.write(tmp_path / "report.pdf")


def test_history_split_and_sites(report, tmp_path, cli):
    history = report.history()
    assert history == cli.json(
        "report", "--carriers", str(SAMPLE), "--split", "area", "--history", "--format", "json"
    )
    shares = cq.split(350_000, zones=["northeast", "southeast"], weights="area")
    assert shares["share"].sum() == 350_000
    expected = cli.json(
        "split",
        "--target",
        "350000",
        "--zone",
        "northeast,southeast",
        "--weights",
        "area",
        "--format",
        "json",
    )
    assert shares.to_dict("records") == expected
    sites = tmp_path / "sites.geojson"
    assert cli.run("sample", "candidates", "--count", "40", "--out", str(sites)).returncode == 0
    chosen = report.select_sites(sites)
    theirs = cli.json(
        "sites", str(sites), "--carriers", str(SAMPLE), "--split", "area", "--format", "json"
    )
    assert chosen == theirs

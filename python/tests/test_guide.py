"""docs/guide/python.md runs as a reader runs it: every python block, in
order, in one session, in a folder with the repository's data."""

from __future__ import annotations

import os
import re

import matplotlib

from conftest import ROOT

matplotlib.use("Agg")

GUIDE = ROOT / "docs" / "guide" / "python.md"


def blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", GUIDE.read_text(encoding="utf-8"), re.M | re.S)


def test_every_snippet_of_the_guide_runs(tmp_path, monkeypatch):
    for linked in ("data", "tests"):
        os.symlink(ROOT / linked, tmp_path / linked)
    monkeypatch.chdir(tmp_path)
    found = blocks()
    assert len(found) >= 6
    session: dict = {}
    for i, code in enumerate(found):
        exec(compile(code, f"{GUIDE.name}, block {i + 1}", "exec"), session)
    assert (tmp_path / "report.html").stat().st_size > 10_000
    assert (tmp_path / "渝北区.docx").exists()
    assert (tmp_path / "floor-area.png").read_bytes().startswith(b"\x89PNG")

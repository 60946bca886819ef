"""Shared fixtures: the repository's data, and the command to compare with."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REGISTERS = ROOT / "tests" / "data" / "registers"
SAMPLE = ROOT / "data" / "sample" / "carriers.geojson"


def command() -> str:
    """The carrier-quota command: $CARRIER_QUOTA_BIN, the workspace's debug
    build, or one built now."""
    given = os.environ.get("CARRIER_QUOTA_BIN")
    if given:
        return given
    built = ROOT / "target" / "debug" / "carrier-quota"
    if not built.exists():
        cargo = shutil.which("cargo")
        if cargo is None:
            pytest.skip("the command is not built and cargo is not installed")
        subprocess.run([cargo, "build", "-q", "-p", "carrier-quota-cli"], cwd=ROOT, check=True)
    return str(built)


class Command:
    """Runs the command in the repository, as a user would."""

    def __init__(self) -> None:
        self.path = command()

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [self.path, *args], cwd=ROOT, capture_output=True, text=True, check=False
        )

    def json(self, *args: str) -> dict:
        done = self.run(*args)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def error(self, *args: str) -> str:
        """The command's error message, without its `error: ` prefix."""
        done = self.run(*args)
        assert done.returncode != 0
        line = next(l for l in done.stderr.splitlines() if l.startswith("error: "))
        return line.removeprefix("error: ")


@pytest.fixture(scope="session")
def cli() -> Command:
    return Command()


def registers() -> list[Path]:
    """Every register in tests/data/registers (the district targets tables
    are not registers), and the folder of one file per district."""
    files = [
        p
        for p in sorted(REGISTERS.iterdir())
        if p.is_file() and not p.name.startswith("district_targets")
    ]
    return [SAMPLE, *files, REGISTERS / "districts"]

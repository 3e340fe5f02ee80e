"""Every test corpus built into one store conforms to the SHACL shapes (warnings allowed, no violation)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ["data/resolutions", "tests/corpus/docs", "tests/heldout/docs", "tests/data/history", "tests/data/identity"]


def test_all_corpora_conform(tmp_path):
    store = tmp_path / "kg"
    build = subprocess.run([sys.executable, "-m", "kg", "build", *FOLDERS, "--store", str(store), "-q"],
                           capture_output=True, text=True, cwd=ROOT, check=False)
    assert build.returncode == 0, build.stderr
    p = subprocess.run([sys.executable, "-m", "kg", "validate", "--store", str(store)],
                       capture_output=True, text=True, cwd=ROOT, check=False)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr
    assert "0 violations" in p.stdout + p.stderr

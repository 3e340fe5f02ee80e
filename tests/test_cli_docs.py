"""Every command kg registers documents itself: `kg COMMAND --help` works for each one in kg.cli.COMMANDS."""
from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from kg.cli import COMMANDS

REGISTERED = [c for c in COMMANDS if importlib.util.find_spec(f"kg.cli.{c}") is not None]


def test_the_contracts_query_commands_are_registered():
    assert {"query", "sparql"} <= set(REGISTERED)


@pytest.mark.parametrize("command", REGISTERED)
def test_command_help(command):
    p = subprocess.run([sys.executable, "-m", "kg", command, "--help"], capture_output=True, text=True,
                       timeout=60, check=False)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith(f"usage: kg {command}") and "Traceback" not in p.stderr


def test_top_level_help_lists_every_registered_command():
    p = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, timeout=60,
                       check=False)
    assert p.returncode == 0, p.stderr
    assert all(c in p.stdout for c in REGISTERED)

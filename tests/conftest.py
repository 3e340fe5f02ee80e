"""Shared fixtures: the morphology analyzers are built once per test session."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def morph():
    """One Morphology for the whole session (loading the dictionaries takes a second)."""
    from kg.extract.morph import Morphology

    return Morphology()


def pytest_addoption(parser):
    """--update-golden rewrites the golden files from the current output (review the diff like code)."""
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="regenerate tests/golden/* from the current extractor")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    """Whether golden files are to be rewritten."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def resources(morph):
    """The build resources (authority indexes), built once."""
    from kg.resources import Resources

    return Resources(morph=morph)

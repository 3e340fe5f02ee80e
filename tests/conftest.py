"""Shared fixtures: the morphology analyzers are built once per test session."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def morph():
    """One Morphology for the whole session (loading the dictionaries takes a second)."""
    from kg.extract.morph import Morphology

    return Morphology()

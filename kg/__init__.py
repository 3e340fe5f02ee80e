"""kg: a knowledge graph of library councils, their people and their decisions."""
from __future__ import annotations

__version__ = "0.1.0"

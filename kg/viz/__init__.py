"""Network views of the graph: networkx projections of the store drawn as offline pyvis pages."""
from __future__ import annotations

"""Exceptions that the CLI turns into one-line messages."""
from __future__ import annotations


class KGError(Exception):
    """An error the user can act on; the CLI prints it as one line, without a traceback."""


class StoreError(KGError):
    """The store is missing, locked or unreadable."""


class IngestError(KGError):
    """A document could not be read; the message names the file and the reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class QueryError(KGError):
    """A query could not be found, parsed or answered."""

"""Tokens with character spans: words (hyphenated and apostrophised kept whole), numbers, punctuation."""
from __future__ import annotations

import re
from dataclasses import dataclass

# ’ ʼ ' inside Ukrainian words (інтер’єр, Слов'янськ) belong to the word.
WORD = re.compile(r"[^\W\d_]+(?:[-’ʼ'][^\W\d_]+)*|\d+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Token:
    """A token of the text and its character offsets."""

    text: str
    start: int
    stop: int

    @property
    def is_word(self) -> bool:
        """Whether the token is made of letters."""
        return self.text[:1].isalpha()

    @property
    def is_cap(self) -> bool:
        """Whether the token starts with a capital letter."""
        return self.text[:1].isupper()

    @property
    def is_upper(self) -> bool:
        """Whether the token is an all-capitals abbreviation of two letters or more."""
        return len(self.text) > 1 and self.text.isupper()


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split TEXT into tokens; spans are shifted by OFFSET.

    >>> [t.text for t in tokenize("ЦБС г.Белово (Ижморская)")]
    ['ЦБС', 'г', '.', 'Белово', '(', 'Ижморская', ')']
    """
    return [Token(m.group(0), m.start() + offset, m.end() + offset) for m in WORD.finditer(text)]

"""Bytes to text: byte-order marks, strict UTF-8, then the best-scoring legacy Cyrillic decoding.

charset-normalizer alone confuses Windows-1251 and KOI8-R on short texts, so each candidate
decoding is scored the way a reader would judge it: letter pairs that are frequent in Russian and
Ukrainian words (data/ingest/letter_bigrams.tsv), words cased like prose (KOI8-R read as
Windows-1251 turns lower case into upper case and back), no box-drawing or other symbols that
never occur in prose, no words mixing Latin and Cyrillic letters. charset-normalizer's guess joins
the candidates only when it is a single-byte codec of another script (Western European text).
"""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from kg.errors import IngestError
from kg.ingest.clean import control_share
from kg.ingest.lexicon import letter_bigrams

# Longest marks first: the UTF-32-LE mark starts with the UTF-16-LE one.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Legacy 8-bit encodings of Cyrillic text, in the order that wins a tie.
CYRILLIC_CANDIDATES: tuple[str, ...] = ("cp1251", "koi8-r", "koi8-u", "cp866")
BINARY_CONTROL_SHARE = 0.05
SCORE_SAMPLE = 100_000  # characters scored per candidate; enough to decide, cheap on large files

_WORD = re.compile(r"[^\W\d_]+")
# Non-ASCII characters that are not letters yet are usual in Russian and Ukrainian prose; any
# other non-ASCII symbol (box drawing, ¤, ¦ …) is odd. Both cost more than a frequent letter.
_PROSE_SYMBOLS = frozenset("«»–—‒―№…“”„‘’‚•·°\u00a0")
_PROSE_SYMBOL = -6.0
_ODD_SYMBOL = -12.0
_FOREIGN_CYRILLIC = -12.0  # a Cyrillic letter of neither language (Serbian ђ, Belarusian ў …)
_MIXED_SCRIPT = -10.0
_MIXED_CASE = -8.0
_ALL_CAPS_PER_LETTER = -0.7
_NON_ASCII_LATIN = -6.0
_ABBREVIATION_LEN = 4  # all-caps words this short are abbreviations (ЦБС, МБУК): letter order says little
_ABBREVIATION_PER_LETTER = -6.0


def bom_encoding(raw: bytes) -> str | None:
    """The codec named by a leading byte-order mark, or None.

    >>> bom_encoding(b"\\xef\\xbb\\xbfabc"), bom_encoding(b"\\xff\\xfea\\x00"), bom_encoding(b"abc")
    ('utf-8-sig', 'utf-16', None)
    """
    for mark, codec in BOMS:
        if raw.startswith(mark):
            return codec
    return None


def codec_name(name: str) -> str | None:
    """Python's canonical name for a codec label ('windows-1251' → 'cp1251'), or None if unknown."""
    try:
        return codecs.lookup(name.strip().lower()).name
    except (LookupError, ValueError):
        return None


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u052f"


def _word_score(word: str, bigrams: dict[tuple[str, str], float]) -> float:
    """Plausibility of one run of letters as a word of Russian or Ukrainian prose."""
    cyr = sum(1 for ch in word if _is_cyrillic(ch))
    if cyr == 0:
        return _NON_ASCII_LATIN * sum(1 for ch in word if not ch.isascii())
    if cyr == len(word) and len(word) <= _ABBREVIATION_LEN and word.isupper():
        return _ABBREVIATION_PER_LETTER * len(word)
    score = 0.0 if cyr == len(word) else _MIXED_SCRIPT
    prev = "^"
    for ch in word.lower():
        p = bigrams.get((prev, ch))
        if p is not None:
            score += p
            prev = ch
        else:
            score += _FOREIGN_CYRILLIC if _is_cyrillic(ch) else 0.0
            prev = "^"
    score += bigrams.get((prev, "$"), 0.0)
    if len(word) > 1 and not (word.islower() or word[1:].islower()):
        score += _ALL_CAPS_PER_LETTER * len(word) if word.isupper() else _MIXED_CASE
    return score


def cyrillic_score(text: str) -> float:
    """How much a decoded text looks like Russian or Ukrainian prose; higher is better.

    >>> raw = "Решение совета".encode("cp1251")
    >>> cyrillic_score(raw.decode("cp1251")) > cyrillic_score(raw.decode("koi8-r"))
    True
    """
    bigrams = letter_bigrams()
    score = sum(
        _PROSE_SYMBOL if ch in _PROSE_SYMBOLS else _ODD_SYMBOL
        for ch in text
        if not ch.isascii() and not ch.isalpha()
    )
    return score + sum(_word_score(m.group(), bigrams) for m in _WORD.finditer(text))


def _is_other_single_byte(codec: str) -> bool:
    """True for a single-byte codec that is not made for Cyrillic (Cyrillic ones are candidates already)."""
    low, high = bytes(range(128)), bytes(range(128, 256))
    try:
        ascii_ok = low.decode(codec, errors="replace") == low.decode("ascii")
        chars = high.decode(codec, errors="replace")
    except LookupError:
        return False
    return ascii_ok and len(chars) == len(high) and sum(1 for ch in chars if _is_cyrillic(ch)) < 16


def _guess(raw: bytes) -> str | None:
    """charset-normalizer's best guess when it is a single-byte codec of another script, else None."""
    try:
        best = from_bytes(raw).best()
    except Exception:  # noqa: BLE001 - a detector failure only removes one candidate
        return None
    codec = codec_name(best.encoding) if best is not None else None
    return codec if codec and _is_other_single_byte(codec) else None


def _decode_legacy(raw: bytes, declared: str | None = None) -> tuple[str, str] | None:
    """The best-scoring strict decoding; a declared charset comes first and wins a tie."""
    candidates: list[str] = []
    for codec in (declared, *CYRILLIC_CANDIDATES, _guess(raw)):
        if codec and codec not in candidates and not codec.startswith(("utf", "ascii")):
            candidates.append(codec)
    best: tuple[float, int, str, str] | None = None
    for index, codec in enumerate(candidates):
        try:
            text = raw.decode(codec)
        except (ValueError, LookupError, TypeError):  # incl. UnicodeDecodeError; odd declared codecs
            continue
        key = (cyrillic_score(text[:SCORE_SAMPLE]), -index, text, codec)
        if best is None or key[:2] > best[:2]:
            best = key
    return (best[2], best[3]) if best else None


def decode_bytes(path: str, raw: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode a text file's bytes; returns (text, codec). Raises IngestError for binary data.

    Order: a byte-order mark; strict UTF-8; the best-scoring legacy decoding, where a declared
    charset (HTML meta) wins a tie.
    """
    codec = bom_encoding(raw)
    if codec is not None:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            name = codec.removesuffix("-sig").upper()
            raise IngestError(path, f"not valid {name} text despite its byte-order mark") from None
        result = (text, codec)
    elif b"\x00" in raw:
        raise IngestError(path, "binary file")
    else:
        result = _decode_plain(raw, declared)
        if result is None:
            raise IngestError(path, "binary file (no text encoding fits)")
    if "\x00" in result[0] or control_share(result[0]) > BINARY_CONTROL_SHARE:
        raise IngestError(path, "binary file")
    return result


def _decode_plain(raw: bytes, declared: str | None) -> tuple[str, str] | None:
    """UTF-8, then the best legacy decoding (a declared charset wins a tie)."""
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    lines = raw.split(b"\n")
    utf8 = [ln for ln in lines if not ln.isascii() and _is_utf8(ln)]
    if utf8 and len(utf8) < sum(1 for ln in lines if not ln.isascii()):
        # lines pasted together from files in UTF-8 and a legacy encoding: decode each line as it is written
        rest = b"\n".join(ln for ln in lines if not _is_utf8(ln))
        legacy = _decode_legacy(rest, codec_name(declared) if declared else None)
        if legacy is None:
            return None
        codec = legacy[1]
        text = "\n".join(ln.decode("utf-8") if _is_utf8(ln) else ln.decode(codec, errors="replace") for ln in lines)
        return text, f"utf-8+{codec}"
    return _decode_legacy(raw, codec_name(declared) if declared else None)


def _is_utf8(line: bytes) -> bool:
    """Whether LINE is valid UTF-8."""
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True

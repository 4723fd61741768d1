"""Normalisation with a span map back to the original text.

Each original character is mapped independently to NFKC(c), then (for Chinese) OpenCC's
traditional -> simplified conversion, then lower-case. Full-width Latin, the ideographic
space, ligatures and traditional characters all become what the rule lexicons are written
in. Because each character maps on its own, a span in the normalised text maps back to the
original exactly: `starts[i]` is the original index of normalised character i.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path


def _t2s_chars() -> dict[str, str]:
    """Character-level T->S table from OpenCC's own dictionary (TSCharacters.txt).

    Phrase-level conversion can change the length of a run and would break the span map;
    the character table is what OpenCC falls back to for any character outside a phrase.
    """
    import opencc

    table: dict[str, str] = {}
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    for line in path.read_text("utf-8").splitlines():
        src, _, dst = line.partition("\t")
        if len(src) == 1 and dst:
            first = dst.split(" ")[0]
            if len(first) == 1 and first != src:
                table[src] = first
    return table


class _Table(dict):
    """str.translate table that fills itself on first sight of each character."""

    def __init__(self, t2s: dict[str, str] | None) -> None:
        super().__init__()
        self.t2s = t2s

    def __missing__(self, code: int) -> str:
        c = chr(code)
        n = unicodedata.normalize("NFKC", c) or c
        if self.t2s:
            n = "".join(self.t2s.get(ch, ch) for ch in n)
        n = n.lower() or c
        self[code] = n
        return n


_TABLES: dict[bool, _Table] = {}


def _table(chinese: bool) -> _Table:
    t = _TABLES.get(chinese)
    if t is None:
        t = _TABLES[chinese] = _Table(_t2s_chars() if chinese else None)
    return t


@dataclass
class Normalized:
    original: str
    low: str
    starts: list[int] | None  # None: identity map (same length, 1:1)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of `low` back to the original string."""
        if self.starts is None:
            return start, end
        s = self.starts[start] if start < len(self.starts) else len(self.original)
        if end <= start:
            return s, s
        last = self.starts[end - 1]
        # the original character that produced low[end-1] ends the span
        return s, last + 1


def normalize(text: str, chinese: bool = False) -> Normalized:
    if text.isascii():
        return Normalized(text, text.lower(), None)
    table = _table(chinese)
    low = text.translate(table)
    if len(low) == len(text):
        return Normalized(text, low, None)
    starts: list[int] = []
    for i, c in enumerate(text):
        starts.extend([i] * len(table[ord(c)]))
    return Normalized(text, low, starts)

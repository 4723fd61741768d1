"""Normalisation with a span map back to the original text.

Each original character maps to NFKC(c), then (for Chinese) OpenCC's traditional -> simplified
character conversion, then lower-case. Full-width Latin, the ideographic space, ligatures and
traditional characters all become what the rule lexicons are written in. Because each
character maps on its own, a span of the normalised text maps back to the original exactly:
`starts[i]` is the original index of normalised character i (None when the map is 1:1).

Fast paths: ASCII text is only lower-cased; NFKC-stable text whose lower-casing keeps its
length is lower-cased and (for Chinese, when it has a traditional character) translated 1:1.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import opencc


def _t2s_chars() -> dict[str, str]:
    """Character-level T->S table from OpenCC's own dictionary (TSCharacters.txt).

    Phrase-level conversion can change the length of a run and would break the span map;
    the character table is what OpenCC falls back to for any character outside a phrase.
    """
    table: dict[str, str] = {}
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    for line in path.read_text("utf-8").splitlines():
        src, _, dst = line.partition("\t")
        if len(src) == 1 and dst:
            first = dst.split(" ")[0]
            if len(first) == 1 and first != src:
                table[src] = first
    return table


_T2S: dict[str, str] = {}
_T2S_ORD: dict[int, int] = {}
_TRAD: re.Pattern[str] | None = None


def _load_t2s() -> None:
    global _TRAD
    if _TRAD is None:
        _T2S.update(_t2s_chars())
        _T2S_ORD.update({ord(k): ord(v) for k, v in _T2S.items()})
        _TRAD = re.compile("[" + "".join(sorted(re.escape(c) for c in _T2S)) + "]")


class _Table(dict[int, str]):
    """str.translate table that fills itself on first sight of each character."""

    def __init__(self, chinese: bool) -> None:
        super().__init__()
        self.chinese = chinese

    def __missing__(self, code: int) -> str:
        c = chr(code)
        n = unicodedata.normalize("NFKC", c) or c
        if self.chinese:
            n = "".join(_T2S.get(ch, ch) for ch in n)
        n = n.lower() or c
        self[code] = n
        return n


_TABLES: dict[bool, _Table] = {}


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
        return s, self.starts[end - 1] + 1  # the original character that produced low[end-1] ends the span


def normalize(text: str, chinese: bool = False) -> Normalized:
    if text.isascii():
        return Normalized(text, text.lower(), None)
    if chinese:
        _load_t2s()
    if unicodedata.is_normalized("NFKC", text):
        low = text.lower()
        if len(low) == len(text):
            if chinese and _TRAD is not None and _TRAD.search(low):
                low = low.translate(_T2S_ORD)
            return Normalized(text, low, None)
    table = _TABLES.get(chinese)
    if table is None:
        table = _TABLES[chinese] = _Table(chinese)
    low = text.translate(table)
    if len(low) == len(text):
        return Normalized(text, low, None)
    starts: list[int] = []
    for i, c in enumerate(text):
        starts.extend([i] * len(table[ord(c)]))
    return Normalized(text, low, starts)

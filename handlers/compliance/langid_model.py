"""py3langid's naive Bayes language identifier for the checker's 13 languages, scored without numpy.

py3langid needs numpy (16 MB of the 31 MB Lambda artifact) only for one small product per call. This
module reads the model tools/export_langid_model.py exports from py3langid's own (data/langid13.bin,
the same DFA and the same weights, cut to the 13 languages) with the stdlib `array`, and reproduces
py3langid 0.4's LanguageIdentifier(norm_probs=True) with set_languages(LANGS):
- text: lower-cased when all upper, NFC, UTF-8 (surrogatepass);
- features: a walk of the byte-level DFA (state = nextmove[row[state] * 256 + byte]; output[state] is a
  feature or -1), counted;
- score per language: pc + sum over features of log1p(count) * ptc[feature];
- probability: softmax of the scores times 1/sqrt(bytes).
py3langid computes in float32 and this in float64, so the probabilities differ in the last digits;
tests/unit/compliance/test_langid_model.py checks that both pick the same language.
"""

from __future__ import annotations

import json
import math
import struct
import sys
import unicodedata
import zlib
from array import array
from collections import Counter, defaultdict
from operator import itemgetter
from pathlib import Path
from typing import Any

MODEL = Path(__file__).resolve().parent / "data" / "langid13.bin"


class LangIdModel:
    """classify(text) -> (language, probability), like py3langid's LanguageIdentifier.classify."""

    def __init__(self, langs: list[str], ints: dict[str, array[int]], floats: dict[str, array[float]]) -> None:
        self.langs = langs
        self._nextmove = ints["nextmove"]
        self._rowbase = [r << 8 for r in ints["row"]]  # py3langid's pre-shifted row offsets
        self._output = ints["output"].tolist()  # list indexing is faster than array's in the walk
        self._pc = floats["pc"].tolist()
        ptc = floats["ptc"]  # language-major: one column of n_features per language
        features = len(ptc) // len(langs)
        self._columns = [ptc[i * features : (i + 1) * features] for i in range(len(langs))]

    @classmethod
    def load(cls, path: Path = MODEL) -> LangIdModel:
        data = zlib.decompress(path.read_bytes())
        (size,) = struct.unpack_from("<I", data)
        header = json.loads(data[4 : 4 + size])
        offset = 4 + size
        ints: dict[str, array[int]] = {}
        floats: dict[str, array[float]] = {}
        for name, typecode, length in header["arrays"]:
            a: array[Any] = array(typecode)
            end = offset + length * a.itemsize
            a.frombytes(data[offset:end])
            if sys.byteorder == "big":  # the file is little-endian
                a.byteswap()
            (floats if typecode == "f" else ints)[name] = a
            offset = end
        return cls(list(header["langs"]), ints, floats)

    def _features(self, text: str) -> tuple[Counter[int], int]:
        """(feature -> count, bytes) of `text`, as py3langid's _encode and visit_counts."""
        if text.isupper():
            text = text.lower()
        data = unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")
        nextmove, rowbase, output = self._nextmove, self._rowbase, self._output
        state, found = 0, list[int]()
        append = found.append
        for byte in data:
            state = nextmove[rowbase[state] + byte]
            feature = output[state]
            if feature >= 0:
                append(feature)
        return Counter(found), len(data)

    def scores(self, text: str) -> tuple[list[float], int]:
        """(naive Bayes log-scores, one per language of `langs`; the text's bytes)."""
        counts, size = self._features(text)
        if not counts:
            return [0.0] * len(self.langs), size  # py3langid: no feature -> uniform under norm_probs
        by_count: defaultdict[int, list[int]] = defaultdict(list)  # most features occur once: few groups
        for feature, count in counts.items():
            by_count[count].append(feature)
        # one itemgetter per count: a language's sum is then a C-level gather (a tuple, or one float)
        groups = [(math.log1p(c), itemgetter(*fs), len(fs) > 1) for c, fs in by_count.items()]
        out = []
        for prior, column in zip(self._pc, self._columns, strict=True):
            total = prior
            for weight, gather, many in groups:
                total += weight * (sum(gather(column)) if many else gather(column))
            out.append(total)
        return out, size

    def classify(self, text: str) -> tuple[str, float]:
        """(language, probability): the softmax of the scores over sqrt(bytes), as py3langid's norm_probs."""
        scores, size = self.scores(text)
        scale = 1.0 / math.sqrt(size or 1)
        top = max(scores)
        exps = [math.exp((s - top) * scale) for s in scores]
        best = max(range(len(exps)), key=exps.__getitem__)  # first of equals, as numpy's argmax
        return self.langs[best], exps[best] / sum(exps)

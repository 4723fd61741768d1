"""Export py3langid's model, cut to the checker's 13 languages, as handlers/compliance/data/langid13.bin.

py3langid stays the maintained source of the model, but it needs numpy (16 MB zipped) only for its
scoring; handlers.compliance.langid_model scores the same naive Bayes model with the stdlib. This
tool reads py3langid's shipped model (dev extra: py3langid + numpy) and writes what that scorer needs:
- the byte-level DFA exactly as py3langid holds it: `nextmove` (the distinct 256-entry rows, uint32),
  `row` (state -> row, uint32) and `output` (state -> feature or -1, int32);
- `pc` (class priors, float32) and `ptc` (per-feature log-probabilities, float32, exact from py3langid's
  float16) for the 13 languages only, stored language-major (13 rows of n_features) so the scorer sums
  a language's column with one C-level map.
The file is zlib (level 9) of: 4-byte little-endian header length, a JSON header (source, languages,
arrays' names/typecodes/lengths), then the arrays' little-endian bytes. The output is deterministic: the
same py3langid model gives the same payload (the committed file is checked by
tests/unit/compliance/test_langid_model.py). About 2.6 MB, so it is committed, not built.

    .venv/bin/python tools/export_langid_model.py [--check]
"""

from __future__ import annotations

import importlib.metadata
import json
import struct
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "handlers/compliance/data/langid13.bin"
sys.path.insert(0, str(ROOT))

from handlers.compliance.model import LANGS  # noqa: E402


def payload() -> bytes:
    """The uncompressed file content for py3langid's installed model."""
    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE
    from py3langid.modelio import load_model

    ptc, pc, classes, nextmove, row, output = load_model(MODEL_DIR / MODEL_FILE)
    langs = list(dict.fromkeys(c for c in classes if c in LANGS))  # py3langid's column order (ties: first)
    columns = []
    for lang in langs:
        where = [i for i, c in enumerate(classes) if c == lang]
        if len(where) != 1:  # an aliased label (two columns) would need py3langid's folding
            raise SystemExit(f"export_langid_model: {lang!r} has {len(where)} columns in py3langid's model")
        columns.append(where[0])
    arrays = {
        "nextmove": np.asarray(nextmove, dtype="<u4"),
        "row": np.asarray(row, dtype="<u4"),
        "output": np.asarray(output, dtype="<i4"),
        "pc": np.asarray(pc, dtype=np.float32)[columns].astype("<f4"),
        "ptc": np.ascontiguousarray(np.asarray(ptc)[:, columns].T.astype("<f4")),
    }
    typecodes = {"nextmove": "I", "row": "I", "output": "i", "pc": "f", "ptc": "f"}
    header = {
        "source": f"py3langid {importlib.metadata.version('py3langid')} {MODEL_FILE}",
        "langs": langs,
        "features": int(np.asarray(ptc).shape[0]),
        "arrays": [[name, typecodes[name], int(a.size)] for name, a in arrays.items()],
    }
    head = json.dumps(header, sort_keys=True).encode()
    return struct.pack("<I", len(head)) + head + b"".join(a.tobytes() for a in arrays.values())


def main() -> int:
    data = payload()
    if "--check" in sys.argv:
        same = OUT.exists() and zlib.decompress(OUT.read_bytes()) == data
        print(f"{OUT.relative_to(ROOT)}: {'up to date' if same else 'STALE: rerun tools/export_langid_model.py'}")
        return 0 if same else 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(zlib.compress(data, 9))
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size / 1e6:.2f} MB ({len(data) / 1e6:.1f} MB unpacked)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Hypothesis strategies and the batch runner for the hostile-input tests.

Each hypothesis example is a batch of inputs, so one parser sees 10,000 inputs
in ~200 examples: the per-example engine overhead is paid 200 times, not
10,000 times, and the whole reliability suite stays within its time budget.

The "reliability" hypothesis profile is reproducible in CI (derandomize, no
example database) and has no per-example deadline; tests use it as a
decorator, so the global profile of the rest of the suite is untouched.
"""

from __future__ import annotations

import copy
import gzip
import json
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

settings.register_profile(
    "reliability",
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
)
RELIABILITY = settings.get_profile("reliability")

BATCHES = 200
BATCH = 50
INPUTS_PER_PARSER = BATCHES * BATCH  # 10,000

NASTY = [
    "",
    " ",
    "--",
    "—",
    "–",
    "\u200b",
    "\x00",
    "\ufeff",
    "'",
    '"',
    "\\",
    "`",
    "*",
    "<!channel>",
    "<@U1>",
    "%",
    "%%",
    "{}",
    "[]",
    "null",
    "NaN",
    "-1",
    "0",
    "1e309",
    "9" * 40,
    "😀",
    "İ",
    "ß",
    "ﬁ",
    "\r\n",
    "&amp;",
    "<script>",
    "../../etc/passwd",
    "${jndi:x}",
    "x" * 300,
]


def words(vocabulary: list[str], max_words: int = 8, text_size: int = 10) -> st.SearchStrategy[str]:
    """Command-line-like text: known words, nasty tokens and random text, joined by odd separators.

    Each byte picks a token and a separator (cheap to generate, and hypothesis shrinks bytes well);
    a byte that picks the RANDOM slot inserts the generated random text instead.
    """
    pool = list(vocabulary) + NASTY + [None]
    seps = [" ", " ", " ", "  ", "\t", "\n", "\u00a0", "\u3000", ""]

    def build(drawn: tuple[bytes, str]) -> str:
        picks, random_text = drawn
        out = []
        for b in picks:
            token = pool[b % len(pool)]
            out.append(random_text if token is None else token)
            out.append(seps[(b // len(pool)) % len(seps)] if b >= len(pool) else " ")
        return "".join(out)

    return st.tuples(st.binary(max_size=max_words), st.text(max_size=text_size)).map(build)


def order_ids() -> st.SearchStrategy[str]:
    return st.tuples(st.integers(0, 9999), st.integers(0, 99_999_999), st.integers(0, 99_999_999)).map(
        lambda t: f"{t[0]:03d}-{t[1]:07d}-{t[2]:07d}"
    )


JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**20),
    st.floats(allow_nan=True),
    st.text(max_size=8),
    st.sampled_from(["", "NaN", "2026-13-45", "-1", "GOOD", "NORMAL"]),
)
JSON_VALUES = st.recursive(
    JSON_LEAVES, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3), max_leaves=4
)
DELETE = object()


def mutations(max_steps: int = 5) -> st.SearchStrategy[tuple[list[int], Any]]:
    """(a path of child choices, a replacement value or DELETE) to apply to a valid document."""
    return st.tuples(
        st.lists(st.integers(0, 1000), min_size=0, max_size=max_steps), st.one_of(JSON_VALUES, st.just(DELETE))
    )


def mutate(doc: Any, mutation: tuple[list[int], Any]) -> Any:
    """A copy of `doc` (a JSON value, or its JSON text) with the node chosen by `path` replaced (or deleted)."""
    path, value = mutation
    doc = json.loads(doc) if isinstance(doc, str) else copy.deepcopy(doc)
    if not path:
        return {} if value is DELETE else value
    parent: Any = None
    key: Any = None
    node = doc
    for choice in path:
        if isinstance(node, dict) and node:
            parent, key = node, sorted(node)[choice % len(node)]
        elif isinstance(node, list) and node:
            parent, key = node, choice % len(node)
        else:
            break
        node = parent[key]
    if parent is None:
        return doc
    if value is DELETE:
        del parent[key]
    else:
        parent[key] = value
    return doc


def encodings(doc: Any) -> st.SearchStrategy[bytes | str | dict]:
    """A JSON document as a parser may receive it: text, bytes, gzipped bytes, BOM, or truncated."""
    return st.sampled_from(["text", "bytes", "gzip", "bom", "truncated", "dict"]).map(lambda how: _encode(doc, how))


def _encode(doc: Any, how: str) -> Any:
    text = json.dumps(doc, allow_nan=True)
    if how == "text":
        return text
    if how == "bytes":
        return text.encode()
    if how == "gzip":
        return gzip.compress(text.encode(), mtime=0)
    if how == "bom":
        return "\ufeff".encode() + text.encode()
    if how == "truncated":
        return text.encode()[: max(0, len(text) * 2 // 3)]
    return doc if isinstance(doc, dict) else text  # an already-loaded document is a JSON object


def byte_mutations(sample: bytes) -> st.SearchStrategy[bytes]:
    """`sample` with a few slices deleted, duplicated or overwritten with random bytes."""
    op = st.tuples(
        st.sampled_from(["delete", "insert", "replace", "dup"]),
        st.integers(0, len(sample)),
        st.integers(0, 40),
        st.binary(max_size=12),
    )

    def apply(ops: list[tuple[str, int, int, bytes]]) -> bytes:
        data = bytearray(sample)
        for kind, at, length, blob in ops:
            at = min(at, len(data))
            if kind == "delete":
                del data[at : at + length]
            elif kind == "insert":
                data[at:at] = blob
            elif kind == "replace":
                data[at : at + len(blob)] = blob
            else:
                data[at:at] = data[at : at + length]
        return bytes(data)

    return st.lists(op, min_size=1, max_size=4).map(apply)


def run_batches(
    strategy: st.SearchStrategy[Any], one: Callable[[Any], None], *, batches: int = BATCHES, batch: int = BATCH
) -> int:
    """Feed `batches` x `batch` generated inputs to `one`; return how many it saw."""
    seen = [0]

    @settings(RELIABILITY, max_examples=batches)
    @given(st.lists(strategy, min_size=batch, max_size=batch))
    def run(inputs: list[Any]) -> None:
        for value in inputs:
            one(value)
            seen[0] += 1

    run()
    return seen[0]

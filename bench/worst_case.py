"""Worst-case (hostile) inputs through the parsers, each next to a legitimate input of the same size.

    .venv/bin/python bench/worst_case.py [--rounds 3]

Promo report (`handlers.promo.report.parse_report`, what `/promo report` runs on an uploaded file), issue 23:

* a purchase-date cell "1<60,000 spaces>1" (before the length check: ~29 s of CPU in a quadratic split);
* 19 MB of bad rows, generated in memory (before: every row's error kept, hundreds of MB);
* a field longer than 131,072 characters (before: csv.Error escaped as a crash).

Each line prints the best-of-N absolute time and the ratio to parsing a legitimate report of the same byte
size (the machine-independent figure; a linear parser keeps it near 1). Target: every ratio <= 3.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from handlers.promo.report import MAX_ROW_ERRORS, ReportRejected, parse_report

HEADER = "order-id,purchase-date,quantity,item-price,item-promotion-discount,promotion-ids,product-name\n"
TARGET_RATIO = 3.0


def good_rows(size: int) -> str:
    """A legitimate All Orders-like report of about `size` bytes (rows ~100 bytes, as Amazon's are)."""
    rows, total, i = [HEADER], len(HEADER), 0
    while total < size:
        row = f"111-{i:07d}-0000001,2026-12-{1 + i % 28:02d},1,{10 + i % 90}.99,-1.00,SUMMERSALE,Stainless Steel Insulated Water Bottle 750 ml blue {i % 7}\n"
        rows.append(row)
        total += len(row)
        i += 1
    return "".join(rows)


def long_spaces_date() -> bytes:
    cell = "1" + " " * 60_000 + "1"
    return (HEADER + "111-1,2026-12-01,1,9.99,,SUMMERSALE,Mug\n" + f"111-2,{cell},1,9.99,,SUMMERSALE,Mug\n").encode()


def bad_rows(size: int = 19_000_000) -> bytes:
    """One good row, then rows that each fail differently: a date like 12/31/20261 (the most strptime formats are tried),
    a word for a quantity, too few fields; ~100 bytes each, under MAX_ROWS."""
    rows = [HEADER, "111-0,2026-12-01,1,9.99,,SUMMERSALE,Mug\n"]
    total, i = sum(map(len, rows)), 0
    while total < size:
        kind = i % 3
        if kind == 0:
            row = f"111-{i:07d}-0000002,12/31/2026{i % 10},1,9.99,-1.00,SUMMERSALE,Stainless Steel Insulated Water Bottle 750 ml\n"
        elif kind == 1:
            row = f"111-{i:07d}-0000003,2026-12-02,one,9.99,-1.00,SUMMERSALE,Steel Bottle 750 ml blue x\n"
        else:
            row = f"111-{i:07d}-0000004,2026-12-02{'y' * 78}\n"
        rows.append(row)
        total += len(row)
        i += 1
    return "".join(rows).encode()


def long_field() -> bytes:
    return (HEADER + "111-1,2026-12-01,1,9.99,,SUMMERSALE," + "z" * 140_000 + "\n").encode()


def best(fn: Callable[[], object], rounds: int) -> float:
    out = float("inf")
    for _ in range(rounds):
        t0 = time.process_time()
        fn()
        out = min(out, time.process_time() - t0)
    return out


def outcome(raw: bytes) -> str:
    try:
        r = parse_report(raw)
    except ReportRejected as exc:
        return f"rejected: {exc.reason[:70]}…"
    return f"{r.orders} order(s), {len(r.row_errors)} row errors listed + {r.row_errors_omitted:,} counted"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    cases = [
        ("date cell '1<60,000 spaces>1'", long_spaces_date()),
        ("19 MB of bad rows", bad_rows()),
        ("field of 140,000 characters", long_field()),
    ]
    worst = 0.0
    print(f"promo report parse (CPU time, best of {args.rounds}); baseline = a legitimate report of the same size")
    for name, raw in cases:
        legit = good_rows(len(raw)).encode()
        hostile_s = best(lambda raw=raw: outcome(raw), args.rounds)
        legit_s = best(lambda legit=legit: parse_report(legit), args.rounds)
        ratio = hostile_s / legit_s
        worst = max(worst, ratio)
        print(
            f"{name:32} {len(raw) / 1e6:7.2f} MB  {hostile_s * 1000:9.1f} ms  "
            f"legit {legit_s * 1000:9.1f} ms  ratio {ratio:5.2f}x  ({outcome(raw)})"
        )
    print(f"row errors listed at most: {MAX_ROW_ERRORS} (the rest counted)")
    print(f"target: every ratio <= {TARGET_RATIO:g}x: {'met' if worst <= TARGET_RATIO else 'NOT met'}")


if __name__ == "__main__":
    main()

"""Seed the demo's fake Amazon Attribution server with 90 days of rows (`make demo` runs it first).

Writes the fake's data (infra/fakes/attribution/data.py AttributionData) as JSON: the demo accounts'
Ads profiles (acme US + CA on the NA host, BRB enrolled; globex UK + DE on the EU host, no BRB, DE not
eligible), 10 publishers with 2 tags each, and daily per-tag figures for `--days` days ending today.
Days are stored as offsets from today, so the file stays "the last 90 days" whenever the demo runs.

- Deterministic: `random.Random(--seed)`; the same arguments write the same file.
- Amazon's data timing: no clicks today (< 24 h), yesterday's purchases partial (< 48 h).
- One tag per profile stays under 10 lifetime clicks, so /affiliates shows a masked row.
- Idempotent: an existing file with the same parameters is left alone (--force rewrites it).

    .venv/bin/python tools/seed_attribution.py [--out .demo/attribution.json] [--days 90] [--seed 22]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from infra.fakes.attribution.data import AttributionData

DEFAULT_OUT = Path(".demo") / "attribution.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--days", type=int, default=90, choices=range(1, 396), metavar="1..395")
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--publishers", type=int, default=10, choices=range(1, 201), metavar="1..200")
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    params = {"days": args.days, "seed": args.seed, "publishers": args.publishers}
    stamp = args.out.with_suffix(".params.json")
    if args.out.exists() and stamp.exists() and not args.force and json.loads(stamp.read_text()) == params:
        print(f"{args.out}: already seeded ({args.days} days)")
        return 0
    data = AttributionData.demo(days=args.days, seed=args.seed, publishers=args.publishers)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(data.to_json())
    stamp.write_text(json.dumps(params))
    rows = sum(len(p.rows) for p in data.profiles)
    print(f"{args.out}: {len(data.profiles)} profiles, {len(data.publishers)} publishers, {rows} tag-days")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Account-health evaluation for 1,000 accounts × 3 marketplaces of stored (gzipped) V2 reports.

Each account has one report document covering US, CA and MX (one createReport
covers all of a seller's marketplaces in a region), with varied values: rates
around their targets, some BAD statuses, violation counts, account statuses.

Prints, per phase, the total and the time per account (3 marketplaces):
  baseline   gunzip + json.loads only (the floor any parser pays)
  evaluate   parse_report + evaluate_report (the domain logic the CLI runs)
  check #1   check_account × 3 marketplaces with SQLiteStore(":memory:"): first run, everything new
  check #2   the same with the next 6-hourly reports (values re-drawn: flags open, stay, resolve)
  check #3   like #2, but each document parsed once per account and shared by its 3 marketplaces
and machine-independent figures: evaluate/baseline time ratio, flags counted, posts,
store items written per account (deterministic for the seed).

  .venv/bin/python bench/health.py [--accounts 1000] [--seed 7]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from handlers.health.evaluate import evaluate_report
from handlers.health.report import parse_report
from handlers.health.service import check_account
from infra.accounts import MARKETPLACE_IDS, AccountConfig, MarketplaceConfig
from infra.store.sqlite import SQLiteStore

CODES = ("US", "CA", "MX")
RATES = {  # metric: (target, condition, typical, spread)
    "lateShipmentRate": (0.04, "LESS_THAN", 0.02, 0.02),
    "preFulfillmentCancellationRate": (0.025, "LESS_THAN", 0.008, 0.015),
    "validTrackingRate": (0.95, "GREATER_THAN", 0.975, 0.03),
    "onTimeDeliveryRate": (0.90, "GREATER_THAN", 0.95, 0.05),
    "invoiceDefectRate": (0.05, "LESS_THAN", 0.02, 0.03),
}
VIOLATIONS = (
    "listingPolicyViolations",
    "productAuthenticityCustomerComplaints",
    "productConditionCustomerComplaints",
    "productSafetyCustomerComplaints",
    "receivedIntellectualPropertyComplaints",
    "otherPolicyViolations",
    "documentRequests",
)
RANGE = {"reportingDateFrom": "2026-09-01T00:00Z", "reportingDateTo": "2026-11-20T23:59Z"}


def _metric(rng: random.Random, target: float, condition: str, typical: float, spread: float) -> dict:
    rate = max(0.0, min(1.0, rng.gauss(typical, spread / 2)))
    ok = rate < target if condition == "LESS_THAN" else rate > target
    return {
        "reportingDateRange": RANGE,
        "orderCount": rng.randint(50, 90_000),
        "rate": round(rate, 5),
        "status": "GOOD" if ok else "BAD",
        "targetValue": target,
        "targetCondition": condition,
    }


def make_report(rng: random.Random) -> dict:
    statuses, metrics = [], []
    for code in CODES:
        mid = MARKETPLACE_IDS[code]
        statuses.append(
            {"marketplaceId": mid, "status": rng.choices(["NORMAL", "AT_RISK", "DEACTIVATED"], weights=[96, 3, 1])[0]}
        )
        m: dict = {"marketplaceId": mid}
        m["orderDefectRate"] = {
            ch: dict(_metric(rng, 0.01, "LESS_THAN", 0.004, 0.006), fulfillmentType=ch) for ch in ("mfn", "afn")
        }
        for name, (target, cond, typical, spread) in RATES.items():
            # Half the documents use the example's spellings, half the schema's.
            key = (
                "prefulfillmentCancelRate" if name == "preFulfillmentCancellationRate" and rng.random() < 0.5 else name
            )
            m[key] = _metric(rng, target, cond, typical, spread)
        for name in VIOLATIONS:
            count = 0 if rng.random() < 0.9 else rng.randint(1, 40)
            m[name] = {
                "reportingDateRange": RANGE,
                "defectsCount": count,
                "status": "BAD" if count else "GOOD",
                "targetValue": 0,
                "targetCondition": "EQUALS",
            }
        m["accountHealthRating"] = {
            "ahrStatus": "WARNED" if rng.random() < 0.05 else "GREAT",
            "reportingDateRange": RANGE,
        }
        m["warningState"] = [
            {"warningType": "spammingSellerMessaging", "status": "BAD" if rng.random() < 0.02 else "GOOD"}
        ]
        metrics.append(m)
    return {"accountStatuses": statuses, "performanceMetrics": metrics}


def accounts(n: int) -> list[AccountConfig]:
    return [
        AccountConfig(
            account_id=f"acct-{i:05d}",
            name=f"Account {i}",
            seller_id=f"A{i:013d}",
            marketplaces=[MarketplaceConfig(code=c, alert_channel=f"C{i:05d}{c}", owner_group="S0OPS") for c in CODES],
        )
        for i in range(n)
    ]


def timed(label: str, n: int, fn) -> float:
    t0 = time.perf_counter()
    result = fn()
    total = time.perf_counter() - t0
    print(f"{label:<10} total {total:7.3f} s   per account {total / n * 1000:7.3f} ms   {result}")
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--accounts", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    accts = accounts(args.accounts)
    round1 = [gzip.compress(json.dumps(make_report(rng)).encode()) for _ in accts]
    round2 = [gzip.compress(json.dumps(make_report(rng)).encode()) for _ in accts]
    round3 = [gzip.compress(json.dumps(make_report(rng)).encode()) for _ in accts]
    size = sum(map(len, round1)) / len(round1)
    print(
        f"{args.accounts} accounts × {len(CODES)} marketplaces, seed {args.seed}, "
        f"mean document {size / 1024:.1f} KiB gzipped"
    )

    base = timed("baseline", len(accts), lambda: f"{sum(len(json.loads(gzip.decompress(d))) for d in round1)} roots")

    def evaluate_all() -> str:
        flags = warnings = 0
        for a, doc in zip(accts, round1, strict=False):
            ev = evaluate_report(parse_report(doc), account=a.account_id)
            flags += len(ev.flags)
            warnings += len(ev.warnings)
        return f"{flags} red flags ({flags / len(accts):.2f}/account), {warnings} trend warnings"

    ev_t = timed("evaluate", len(accts), evaluate_all)

    store = SQLiteStore(":memory:")
    now = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)

    def check_all(docs: list[bytes], at: datetime, parse_once: bool = False) -> str:
        posts: dict[str, int] = {}
        for a, doc in zip(accts, docs, strict=False):
            report = parse_report(doc) if parse_once else doc
            for m in a.marketplaces:
                for p in check_account(report, a, m, store, at).posts:
                    posts[p.kind] = posts.get(p.kind, 0) + 1
        return "posts " + ", ".join(f"{k} {v}" for k, v in sorted(posts.items()))

    c1 = timed("check #1", len(accts), lambda: check_all(round1, now))
    items1 = store._conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    c2 = timed("check #2", len(accts), lambda: check_all(round2, now + timedelta(hours=6)))
    items2 = store._conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    c3 = timed("check #3", len(accts), lambda: check_all(round3, now + timedelta(hours=12), parse_once=True))
    print(
        f"ratio evaluate/baseline: {ev_t / base:.2f}x   ratio check/evaluate: {c1 / ev_t:.2f}x (#1), {c2 / ev_t:.2f}x (#2), {c3 / ev_t:.2f}x (#3)"
    )
    print(
        f"store items per account after run 1: {items1 / len(accts):.1f}; items added per account by run 2: "
        f"{(items2 - items1) / len(accts):.1f}"
    )
    print(
        f"evaluations per second: {len(accts) * len(CODES) / ev_t:,.0f} (domain only), "
        f"{len(accts) * len(CODES) / c2:,.0f} (check with store, steady state)"
    )


if __name__ == "__main__":
    main()

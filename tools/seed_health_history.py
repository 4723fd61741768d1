"""Seed 90 days of daily account-health snapshots for the demo accounts (`make demo` runs it first).

So `/health ACCOUNT` shows a 90-day chart and a trend warning on first use. Each day is an Amazon
GET_V2_SELLER_PERFORMANCE_REPORT entry (the sandbox's own healthy document, `performance_metrics`, with
the day's rates), read by the checks' parser and evaluator and stored by the checks' snapshot writer
(`SnapshotStore.save`), so the history has the shape and metric keys a real check writes.

- Deterministic: every pair's values come from `random.Random(f"{seed}:{account}:{marketplace}")`.
- Plausible: rates wander around typical values well inside Amazon's targets (handlers/health/metrics.py);
  no day breaches a target, so no red flag is invented.
- One pair drifts: acme US's late shipment rate climbs from ~1 % toward its 4 % target, and its last
  step moves more than half-way toward it, which is the trend-warning rule of a check.
- Idempotent: one snapshot per day at 06:00 UTC, written with put_if_absent; a second run adds nothing.

    .venv/bin/python tools/seed_health_history.py [--store sqlite:///.demo/sellerbot.db] [--days 90]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handlers.health.evaluate import evaluate_report
from handlers.health.report import parse_report
from handlers.health.snapshots import Snapshot, SnapshotStore
from infra.accounts import AccountsConfig
from infra.fakes.sp_api.data import performance_metrics
from infra.store.base import Store

DAYS = 90
SEED = 18
HOUR_UTC = 6
DRIFTING = ("acme", "US", "lateShipmentRate")

# rate key in the report -> (typical, day-to-day noise); all well inside Amazon's targets
TYPICAL: dict[str, tuple[float, float]] = {
    "lateShipmentRate": (0.011, 0.002),  # target < 4 %
    "preFulfillmentCancellationRate": (0.004, 0.001),  # target < 2.5 %
    "validTrackingRate": (0.985, 0.004),  # target > 95 %
    "onTimeDeliveryRate": (0.965, 0.008),  # target > 90 %
    "unitOnTimeDeliveryRate": (0.955, 0.008),  # target > 90 % (US only)
    "invoiceDefectRate": (0.006, 0.002),  # target < 5 %
}
ODR = (0.0025, 0.0006)  # order defect rate, per fulfilment channel; target < 1 %


def _wander(rng: random.Random, typical: float, noise: float, low: float, high: float) -> float:
    return round(min(high, max(low, rng.gauss(typical, noise))), 4)


def _drift(day: int, days: int) -> float:
    """acme US late shipment rate: ~1.2 % drifting to ~2.4 % over the window, then 3.5 % on the last day
    (from 2.4 % the distance to 4 % shrinks from 1.6 to 0.5 points: more than half-way, a trend warning)."""
    if day == days - 1:
        return 0.035
    return round(0.012 + 0.012 * day / max(1, days - 2), 4)


def day_metrics(rng: random.Random, taken_at: datetime, marketplace_id: str, *, drifting: float | None) -> dict:
    """One day's performanceMetrics entry: the sandbox's healthy document with the day's rates."""
    metrics = copy.deepcopy(performance_metrics(taken_at, marketplace_id, healthy=True, spelling="schema"))
    for channel in ("mfn", "afn"):
        metrics["orderDefectRate"][channel]["rate"] = _wander(rng, *ODR, 0.0, 0.008)
    for key, (typical, noise) in TYPICAL.items():
        if key not in metrics:
            continue
        metrics[key]["rate"] = _wander(rng, typical, noise, 0.0, 0.999)
    if drifting is not None:
        metrics[DRIFTING[2]]["rate"] = drifting
    return metrics


def snapshots(accounts: AccountsConfig, *, now: datetime, days: int = DAYS, seed_value: int = SEED) -> list[Snapshot]:
    """The daily snapshots of every configured pair, oldest first, for the `days` days before today."""
    today = now.astimezone(UTC).replace(hour=HOUR_UTC, minute=0, second=0, microsecond=0)
    if today > now:
        today -= timedelta(days=1)
    out = []
    for account, marketplace in accounts.pairs():
        rng = random.Random(f"{seed_value}:{account.account_id}:{marketplace.code}")
        drifting = (account.account_id, marketplace.code) == DRIFTING[:2]
        for day in range(days):
            taken_at = today - timedelta(days=days - 1 - day)
            entry = day_metrics(
                rng, taken_at, marketplace.marketplace_id, drifting=_drift(day, days) if drifting else None
            )
            document: dict[str, Any] = {
                "accountStatuses": [{"marketplaceId": marketplace.marketplace_id, "status": "NORMAL"}],
                "performanceMetrics": [entry],
            }
            evaluation = evaluate_report(
                parse_report(json.dumps(document).encode()),
                account=account.account_id,
                thresholds={marketplace.code: marketplace.thresholds},
            )
            out.append(
                Snapshot(
                    account=account.account_id,
                    marketplace=marketplace.code,
                    taken_at=taken_at,
                    account_status=evaluation.statuses.get(marketplace.code),
                    metrics=evaluation.metrics.get(marketplace.code, {}),
                    flags=evaluation.flags,
                )
            )
    return out


def seed(store: Store, accounts: AccountsConfig, *, now: datetime, days: int = DAYS) -> int:
    """Write the history; returns how many snapshots were new (0 on a second run the same day)."""
    writer = SnapshotStore(store)
    return sum(writer.save(s) for s in snapshots(accounts, now=now, days=days))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", help="store URL; default $SELLERBOT_STORE_URL, else the demo store (.demo)")
    parser.add_argument("--days", type=int, default=DAYS)
    args = parser.parse_args(argv)
    from bot.cli._accounts import cli_accounts
    from bot.local.demo import demo_store_url
    from infra.store.factory import build_store

    store = build_store(args.store or os.environ.get("SELLERBOT_STORE_URL") or demo_store_url())
    accounts = cli_accounts(args)
    added = seed(store, accounts, now=datetime.now(UTC), days=args.days)
    print(
        f"health history: {added} new daily snapshots for {len(accounts.pairs())} account × marketplace pairs "
        f"({args.days} days; {DRIFTING[0]} {DRIFTING[1]} drifts toward its late shipment target)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make demo` seeds 90 days of daily snapshots for the demo accounts through the checks' snapshot writer:
deterministic, idempotent, plausible, and one pair drifting so the trend warning fires."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from handlers.health.metrics import RATE_METRICS, meets
from handlers.health.service import trend_chart
from handlers.health.snapshots import SnapshotStore, latest_trends
from infra.accounts import load_accounts
from infra.store.sqlite import SQLiteStore
from tools.seed_health_history import DAYS, DRIFTING, seed

NOW = datetime(2026, 12, 5, 15, 30, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[3]


def test_seeds_90_days_per_demo_pair_once(store):
    accounts = load_accounts()
    assert seed(store, accounts, now=NOW) == DAYS * len(accounts.pairs())
    assert seed(store, accounts, now=NOW) == 0  # a second `make demo` adds nothing
    for account, marketplace in accounts.pairs():
        history = SnapshotStore(store).history(account.account_id, marketplace.code, days=DAYS + 1, now=NOW)
        assert len(history) == DAYS
        assert len({s.taken_at.date() for s in history}) == DAYS  # one a day


def test_values_are_plausible_and_within_amazons_targets_except_none(store):
    accounts = load_accounts()
    seed(store, accounts, now=NOW)
    for account, marketplace in accounts.pairs():
        for snap in SnapshotStore(store).history(account.account_id, marketplace.code, days=DAYS + 1, now=NOW):
            assert snap.account_status == "NORMAL" and snap.flags == []
            assert set(snap.metrics) >= {"lateShipmentRate", "validTrackingRate", "orderDefectRate.afn"}
            for metric, mv in snap.metrics.items():
                assert metric.split(".")[0] in RATE_METRICS and 0 <= mv.value <= 1
                assert meets(mv.value, mv.target, mv.condition), (metric, mv)


def test_the_drifting_pair_raises_the_trend_warning_and_draws_a_chart(store):
    accounts = load_accounts()
    seed(store, accounts, now=NOW)
    account, code, metric = DRIFTING
    trends = latest_trends(SnapshotStore(store).recent(account, code, count=2))
    assert [t.metric for t in trends] == [metric]
    others = [(a.account_id, m.code) for a, m in accounts.pairs() if (a.account_id, m.code) != (account, code)]
    assert all(latest_trends(SnapshotStore(store).recent(a, c, count=2)) == [] for a, c in others)
    assert trend_chart(store, account, code, now=NOW)[:8] == b"\x89PNG\r\n\x1a\n"


def test_deterministic():
    a, b = SQLiteStore(":memory:"), SQLiteStore(":memory:")
    seed(a, load_accounts(), now=NOW)
    seed(b, load_accounts(), now=NOW)
    dump = lambda s: [i.data for i in s.query("HEALTH#acme#US", prefix="SNAP#")]
    assert dump(a) == dump(b)


def test_make_demo_runs_the_seed_before_the_bot():
    makefile = (ROOT / "Makefile").read_text()
    demo = re.search(r"^demo:.*?(?=^\S)", makefile, re.S | re.M).group(0)
    assert demo.index("tools/seed_health_history.py") < demo.index("serve --demo")

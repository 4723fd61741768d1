"""Bench: one /affiliates answer for a 30-day, 50-publisher Attribution report (issue 22 target).

The answer is what the lazy listener computes before rendering: LWA token, profile discovery (first call
only; then read from the store), the PERFORMANCE/ADGROUP report pages from the fake Attribution server over
real HTTP, and the per-publisher sums as decimals. Printed: the absolute time (cold: token + /v2/profiles
+ advertisers + report; warm: profile stored, token cached), and a machine-independent ratio: the warm
answer over the bare transfer of the same pages (the same POSTs with httpx and json decoding only), so
the ratio measures the work around Amazon's answer, not the machine. Budget: the Slack function's 29 s
timeout (serverless.yml); Y's listener posts a progress message past 2 s.

    .venv/bin/python bench/affiliates.py [--publishers 50] [--days 30] [--tags 2] [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handlers.affiliates import rows
from handlers.affiliates.models import AffiliateReport, Period
from handlers.affiliates.service import AffiliatesService
from infra.accounts import AccountConfig, MarketplaceConfig
from infra.ads.client import forget_tokens
from infra.ads.factory import client_factory_from_env
from infra.fakes.attribution import AttributionData, FakeAttribution
from infra.fakes.attribution.data import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, demo_refresh_token
from infra.secrets import EnvCredentials
from infra.store.sqlite import SQLiteStore

ACME = AccountConfig(
    account_id="acme", name="Acme", seller_id="A1", marketplaces=[MarketplaceConfig(code="US", alert_channel="C1")]
)
BUDGET_S = 29.0
PROGRESS_S = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publishers", type=int, default=50)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--tags", type=int, default=2)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    data = AttributionData.demo(days=args.days + 1, publishers=args.publishers, tags_per_publisher=args.tags)
    with FakeAttribution(data) as fake:
        env = fake.credentials_env()
        today = datetime.now(UTC).astimezone().date()
        period = Period(start=today - timedelta(days=args.days - 1), end=today)
        original = rows.REPORT_METRICS
        store = SQLiteStore(":memory:")
        service = AffiliatesService(client_factory_from_env(EnvCredentials(env), env), store, time.time)
        forget_tokens()
        t0 = time.perf_counter()
        report = service.report(ACME, "US", period)
        cold = time.perf_counter() - t0
        pulled = sum(1 for s in fake.requests if s.path.endswith("/attribution/report"))
        assert isinstance(report, AffiliateReport), report
        warm = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            service.report(ACME, "US", period)
            warm.append(time.perf_counter() - t0)
        by_tag = []
        for _ in range(max(3, args.runs // 3)):
            t0 = time.perf_counter()
            service.report(ACME, "US", period, by_tag=True)
            by_tag.append(time.perf_counter() - t0)
        bare = _bare(fake, args, period, original)

    n_rows = len(report.publishers)
    w50, b50 = statistics.median(warm), statistics.median(bare)
    print(
        f"30-day report: {args.publishers} publishers x {args.tags} tags, {args.days} days "
        f"-> {n_rows} publisher rows, {report.masked_rows} masked tag(s), {pulled} page(s) per answer"
    )
    print(f"cold answer (token + profiles + advertisers + report): {cold * 1000:8.1f} ms")
    print(f"warm answer p50 / max over {args.runs}:                  {w50 * 1000:8.1f} / {max(warm) * 1000:.1f} ms")
    print(f"warm answer per tag, p50:                              {statistics.median(by_tag) * 1000:8.1f} ms")
    print(f"bare transfer of the same pages, p50:                  {b50 * 1000:8.1f} ms")
    print(f"ratio warm answer / bare transfer:                     {w50 / b50:8.2f}x")
    verdict = "within" if cold < BUDGET_S else "OVER"
    progress = "no progress message needed" if cold < PROGRESS_S else "progress message shown"
    print(
        f"budget: {verdict} the {BUDGET_S:.0f} s lazy-listener budget ({cold / BUDGET_S:.1%}); {progress} (> {PROGRESS_S:.0f} s)"
    )
    return 0


def _bare(fake: FakeAttribution, args: argparse.Namespace, period: Period, metrics: str) -> list[float]:
    """The same report pages fetched with plain httpx and decoded, nothing else."""
    http = httpx.Client(timeout=30)
    form = {
        "grant_type": "refresh_token",
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
        "refresh_token": demo_refresh_token("acme"),
    }
    token = http.post(fake.base_url + "/auth/o2/token", data=form).json()["access_token"]
    headers = {
        "Authorization": f"Bearer {token}",
        "Amazon-Advertising-API-ClientId": DEMO_CLIENT_ID,
        "Amazon-Advertising-API-Scope": "3312910465837761",
    }
    body = {
        "reportType": "PERFORMANCE",
        "advertiserIds": "123456780",
        "startDate": period.start.strftime("%Y%m%d"),
        "endDate": period.end.strftime("%Y%m%d"),
        "groupBy": "ADGROUP",
        "metrics": metrics,
        "count": 5000,
    }
    url = fake.endpoint.format(region="na") + "/attribution/report"
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        cursor = ""
        while True:
            page = http.post(url, json={**body, "cursorId": cursor}, headers=headers).json()
            cursor = page.get("cursorId") or ""
            if not cursor or not page["reports"]:
                break
        times.append(time.perf_counter() - t0)
    http.close()
    return times


if __name__ == "__main__":
    sys.exit(main())

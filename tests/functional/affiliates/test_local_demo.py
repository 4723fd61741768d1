"""The local environment (`make demo`, e2e tests) starts the fake Attribution server and points the Ads
client at it through SELLERBOT_ADS_*; the seed script writes the 90 days it serves."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.local.environment import LocalEnvironment
from bot.settings import DEMO_SIGNING_SECRET
from handlers.affiliates.models import AffiliateReport, Period
from handlers.affiliates.service import AffiliatesService
from infra.accounts import AccountConfig, MarketplaceConfig
from infra.ads.factory import client_factory_from_env
from infra.fakes.attribution import AttributionData
from infra.secrets import EnvCredentials
from infra.store.sqlite import SQLiteStore
from tools import seed_attribution

ACME = AccountConfig(
    account_id="acme", name="Acme", seller_id="A1", marketplaces=[MarketplaceConfig(code="US", alert_channel="C1")]
)


def test_seed_script_writes_90_days_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "attribution.json"
    assert seed_attribution.main(["--out", str(out)]) == 0
    data = AttributionData.load(out)
    days = {r.day for p in data.profiles for r in p.rows}
    assert max(days) == 89 and 0 not in days  # no clicks today (< 24 h)
    first = out.read_bytes()
    assert seed_attribution.main(["--out", str(out)]) == 0 and "already seeded" in capsys.readouterr().out
    assert out.read_bytes() == first


def test_local_environment_serves_the_seeded_fake(tmp_path: Path) -> None:
    out = tmp_path / "attribution.json"
    seed_attribution.main(["--out", str(out), "--days", "30"])
    store = SQLiteStore(":memory:")
    before = {k for k in os.environ if k.startswith("SELLERBOT_ADS_")}
    env = LocalEnvironment(
        env={"SLACK_SIGNING_SECRET": DEMO_SIGNING_SECRET, "SELLERBOT_ATTRIBUTION_SEED_FILE": str(out)},
        with_spapi=False,
        store=store,
    ).start()
    try:
        assert (
            env.fake_attribution is not None and os.environ["SELLERBOT_ADS_ENDPOINT"] == env.fake_attribution.endpoint
        )
        service = AffiliatesService(client_factory_from_env(EnvCredentials()), store, time.time)
        today = datetime.now(UTC).date()
        report = service.report(ACME, "US", Period(start=today - timedelta(days=20), end=today - timedelta(days=2)))
        assert isinstance(report, AffiliateReport) and report.publishers
    finally:
        env.stop()
    assert {k for k in os.environ if k.startswith("SELLERBOT_ADS_")} == before

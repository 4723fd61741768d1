"""The doctor's checks over stand-in ports: each outcome, and the fix it names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers.onboarding.doctor import (
    AccountProbe,
    DoctorConfig,
    Participation,
    QueueReading,
    SlackIdentity,
    check_account,
    check_lwa_secret,
    check_queues,
    check_slack,
    check_urls,
    run_doctor,
)
from handlers.onboarding.rotation import LwaSecretRecord
from infra.accounts import MARKETPLACE_IDS, AccountConfig, AccountsConfig, MarketplaceConfig

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
API = "https://abc.execute-api.eu-west-1.amazonaws.com"


def _account(*codes: str, region: str = "eu") -> AccountConfig:
    return AccountConfig(
        account_id="acme",
        name="Acme",
        seller_id="A1SELLER",
        region=region,
        marketplaces=[MarketplaceConfig(code=c, alert_channel="C0ALERTS") for c in codes],
    )


def _listed(*codes: str, participating: bool = True, suspended: bool = False) -> list[Participation]:
    return [
        Participation(marketplace_id=MARKETPLACE_IDS[c], participating=participating, suspended_listings=suspended)
        for c in codes
    ]


def test_slack_passes_for_an_allowed_workspace():
    check = check_slack(SlackIdentity(ok=True, team_id="T0A"), DoctorConfig(allowed_team_ids=["T0A"]))
    assert check.outcome == "pass"


def test_slack_fails_on_a_bad_token_and_says_to_store_it_again():
    check = check_slack(SlackIdentity(ok=False, error="invalid_auth"), DoctorConfig())
    assert check.outcome == "fail" and "sellerbot secrets put" in check.fix


def test_slack_fails_for_a_workspace_the_stack_refuses():
    check = check_slack(SlackIdentity(ok=True, team_id="T0OTHER"), DoctorConfig(allowed_team_ids=["T0A"], stage="prod"))
    assert check.outcome == "fail" and "/sellerbot/prod/allowed-team-ids" in check.fix


def test_slack_warns_when_any_workspace_is_accepted():
    assert check_slack(SlackIdentity(ok=True, team_id="T0A"), DoctorConfig()).outcome == "warn"


def test_urls_pass_when_the_app_calls_the_stack_whichever_form_is_given():
    config = DoctorConfig(app_events_url=API + "/slack/events", stack_events_url=API)
    assert check_urls(config).outcome == "pass"


def test_urls_fail_after_a_recreated_stack_and_give_the_manifest_command():
    config = DoctorConfig(app_events_url="https://old.execute-api.eu-west-1.amazonaws.com", stack_events_url=API)
    check = check_urls(config)
    assert check.outcome == "fail" and f"sellerbot manifest --url {API}" in check.fix


def test_urls_unknown_is_a_warning_not_a_pass():
    assert check_urls(DoctorConfig(stack_events_url=API)).outcome == "warn"
    assert check_urls(DoctorConfig(app_events_url=API)).outcome == "warn"


def test_invalid_grant_says_reconnect_with_the_region():
    checks = check_account(_account("DE"), AccountProbe(lwa="invalid_grant"))
    assert checks[0].outcome == "fail" and "reconnect" in checks[0].detail
    assert "/sellerbot connect EU" in checks[0].fix
    assert checks[1].outcome == "warn"  # marketplaces not checked


def test_invalid_client_says_the_secret_expired_or_was_rotated():
    check = check_account(_account("DE"), AccountProbe(lwa="invalid_client"))[0]
    assert check.outcome == "fail" and "client secret expired or rotated" in check.detail
    assert "sellerbot secrets put --lwa" in check.fix


def test_marketplaces_pass_when_every_configured_one_participates():
    checks = check_account(_account("DE", "UK"), AccountProbe(lwa="ok", participations=_listed("DE", "UK", "FR")))
    assert [c.outcome for c in checks] == ["pass", "pass"]


def test_a_configured_marketplace_amazon_does_not_list_fails():
    check = check_account(_account("DE", "IT"), AccountProbe(lwa="ok", participations=_listed("DE")))[1]
    assert check.outcome == "fail" and "IT" in check.detail


def test_not_participating_fails_and_suspended_listings_warn():
    idle = check_account(_account("DE"), AccountProbe(lwa="ok", participations=_listed("DE", participating=False)))
    assert idle[1].outcome == "fail" and "not participating: DE" in idle[1].detail
    suspended = check_account(_account("DE"), AccountProbe(lwa="ok", participations=_listed("DE", suspended=True)))
    assert suspended[1].outcome == "warn" and "suspended listings in DE" in suspended[1].detail


def test_queues_unreadable_warn_and_parked_messages_warn():
    assert check_queues([QueueReading(name="Q", kind="work", unknown="no queue URL")]).outcome == "warn"
    assert check_queues([QueueReading(name="D", kind="dlq", depth=3)]).outcome == "warn"
    assert (
        check_queues(
            [QueueReading(name="Q", kind="work", depth=5), QueueReading(name="D", kind="dlq", depth=0)]
        ).outcome
        == "pass"
    )


def test_secret_age_against_180_days():
    fresh = LwaSecretRecord(rotated_at=NOW - timedelta(days=10))
    assert check_lwa_secret(fresh, NOW).outcome == "pass"
    close = LwaSecretRecord(rotated_at=NOW - timedelta(days=160))
    assert check_lwa_secret(close, NOW).outcome == "warn"
    expired = LwaSecretRecord(rotated_at=NOW - timedelta(days=181))
    assert check_lwa_secret(expired, NOW).outcome == "fail"
    noticed = LwaSecretRecord(rotated_at=NOW - timedelta(days=10), expires_at=NOW + timedelta(days=5))
    assert check_lwa_secret(noticed, NOW).outcome == "warn"  # Amazon's stated expiry wins
    assert check_lwa_secret(None, NOW).outcome == "warn"


class _Ports:
    def slack_identity(self):
        return SlackIdentity(ok=True, team_id="T0A")

    def probe_account(self, account):
        return AccountProbe(lwa="ok", participations=_listed("DE"))

    def store_reachable(self):
        return None

    def queues(self):
        return [QueueReading(name="Q", kind="work", depth=0)]

    def lwa_secret(self):
        return LwaSecretRecord(rotated_at=NOW - timedelta(days=1))


def test_a_healthy_stack_passes_every_check():
    config = DoctorConfig(allowed_team_ids=["T0A"], app_events_url=API, stack_events_url=API)
    report = run_doctor(_Ports(), config, AccountsConfig(accounts=[_account("DE")]), lambda: NOW)
    assert [c.name for c in report.checks] == [
        "slack",
        "urls",
        "lwa acme",
        "marketplaces acme",
        "store",
        "queues",
        "lwa secret age",
    ]
    assert not report.failed and {c.outcome for c in report.checks} == {"pass"}


def test_no_account_fails_with_how_to_connect_one():
    config = DoctorConfig(allowed_team_ids=["T0A"], app_events_url=API, stack_events_url=API)
    report = run_doctor(_Ports(), config, AccountsConfig(accounts=[]), lambda: NOW)
    assert report.failed
    assert any(c.name == "accounts" and "/sellerbot connect" in c.fix for c in report.checks)

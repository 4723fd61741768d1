"""run_check keeps the per-pair check state `/health` reads (fake SP-API over HTTP, fake Slack over HTTP):
a success, Amazon's refusal (failed, with its reason), a report still pending (checking now)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.jobs.health_checks import HealthDeps, run_check
from bot.listeners.health import pair_state
from bot.slack_client import build_web_client
from bot.views.health import state_blocks
from handlers.health.check_state import CheckStateBook
from handlers.health.fetch import ReportPending
from handlers.health.spapi_adapter import ReportsGateway
from infra.accounts import load_accounts
from infra.fakes.sp_api import FakeSpApi
from infra.secrets import EnvCredentials
from infra.spapi.factory import SpApiFactory, clear_token_cache
from infra.spapi.limiter import RateLimiter
from infra.spapi.retry import RetryPolicy
from tests.support.health import health_deps

ACCOUNTS = load_accounts()


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).timestamp()

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def _tokens():
    clear_token_cache()
    yield
    clear_token_cache()


@pytest.fixture
def spapi():
    with FakeSpApi(report_polls=2) as fake:
        yield fake


@pytest.fixture
def deps(spapi, fake_slack, store):
    return health_deps(spapi, fake_slack, store, Clock())


def _show(deps: HealthDeps, account: str, code: str):
    a = ACCOUNTS.get(account)
    state = pair_state(deps, a, a.marketplace(code))
    return state, json.dumps(state_blocks(state, now=deps.now()), ensure_ascii=False)


def test_before_any_check_the_pair_is_not_checked_yet(deps):
    state, text = _show(deps, "acme", "US")
    assert state.condition == "not_checked" and "Not checked yet" in text
    assert "no open red flags" not in (text + state.headline()).lower()


def test_a_successful_check_is_recorded_and_shown_in_local_time(deps):
    run_check(deps, "acme", "US", run_id="r1", deadline=deps.clock() + 60)
    check = CheckStateBook(deps.store).get("acme", "US")
    assert check.last_success_at is not None and not check.in_flight(deps.now())
    state, text = _show(deps, "acme", "US")
    assert state.condition == "healthy" and "no open red flags" in state.headline()
    assert " PST" in text or " PDT" in text  # the US marketplace's local time
    state, _ = _show(deps, "acme", "CA")
    assert state.condition == "not_checked"  # checking US says nothing about CA


def test_amazon_refusing_the_report_is_a_failed_check_with_its_reason(deps, spapi):
    run_check(deps, "acme", "US", run_id="ok", deadline=deps.clock() + 60)
    spapi.faults.add("createReport", "status:403", times=1)
    run_check(deps, "acme", "US", run_id="refused", deadline=deps.clock() + 60)
    state, text = _show(deps, "acme", "US")
    assert state.condition == "failed" and "Last check failed" in text and "403" in text
    assert "healthy" not in state.headline().lower()
    assert [e.action for e in CheckStateBook(deps.store).audit("acme", "US")] == [
        "check_started",
        "check_succeeded",
        "check_started",
        "check_failed",
    ]


def test_a_report_still_pending_shows_checking_now_and_a_transient_failure_failed(deps, spapi):
    with FakeSpApi(report_polls=50) as slow:
        deps.reports = ReportsGateway(
            SpApiFactory(
                EnvCredentials(slow.credentials_env()),
                RateLimiter(),
                endpoint_override=slow.base_url,
                lwa_endpoint_override=slow.base_url,
                timeout=2.0,
                policy=RetryPolicy(sleep=lambda s: None),
            )
        )
        with pytest.raises(ReportPending):
            run_check(deps, "globex", "DE", run_id="p", deadline=deps.clock() + 60, poll_budget=0.02)
    state, text = _show(deps, "globex", "DE")
    assert state.condition == "checking" and "A check is running now" in text
    assert "no open red flags" not in (text + state.headline()).lower()


def test_a_stale_pair_says_when_it_was_last_checked(deps):
    run_check(deps, "acme", "US", run_id="r1", deadline=deps.clock() + 60)
    deps.clock.now += timedelta(hours=13).total_seconds()
    state, text = _show(deps, "acme", "US")
    assert state.condition == "stale" and "Stale" in text and "13 h ago" in text

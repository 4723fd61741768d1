"""LWA's invalid_grant on an account's refresh token becomes infra/spapi's TokenRefused (issue 21 item 4): not
retried, explained without Amazon's text, and the factory's hook hears the account id."""

from __future__ import annotations

import pytest
from sp_api.auth.exceptions import AuthorizationError

from infra.accounts import AccountConfig, MarketplaceConfig
from infra.secrets import EnvCredentials
from infra.spapi import RetryPolicy, SpApiFactory, TokenRefused, explain
from infra.spapi.errors import is_refusal, is_retryable

ACME = AccountConfig(
    account_id="acme", name="Acme", seller_id="A1", marketplaces=[MarketplaceConfig(code="US", alert_channel="C0")]
)
REVOKED = (
    "The request has an invalid grant parameter : refresh_token. User may have revoked or didn't grant the permission."
)


def factory(heard: list[str]) -> SpApiFactory:
    f = SpApiFactory(EnvCredentials(), policy=RetryPolicy(sleep=lambda _s: None))
    f.on_token_refused = heard.append
    return f


def test_invalid_grant_raises_token_refused_once_without_retrying():
    heard: list[str] = []
    calls = []

    def refresh_refused():
        calls.append(1)
        raise AuthorizationError("invalid_grant", REVOKED, 400)

    with pytest.raises(TokenRefused) as raised:
        factory(heard).call("getMarketplaceParticipations", ACME, refresh_refused)
    assert calls == [1] and heard == ["acme"]
    exc = raised.value
    assert exc.account_id == "acme" and is_refusal(exc) and not is_retryable(exc)
    assert "revoked" not in str(exc) and "/sellerbot connect" in explain(exc)
    assert exc.__cause__ is None and exc.__suppress_context__


def test_other_lwa_refusals_stay_the_library_error_and_a_failing_hook_hides_nothing():
    heard: list[str] = []

    def bad_client():
        raise AuthorizationError("invalid_client", "Client authentication failed", 401)

    with pytest.raises(AuthorizationError):
        factory(heard).call("getMarketplaceParticipations", ACME, bad_client)
    assert heard == []

    def broken_hook(_account: str) -> None:
        raise RuntimeError("Slack is down")

    f = factory([])
    f.on_token_refused = broken_hook

    def refused():
        raise AuthorizationError("invalid_grant", REVOKED, 400)

    with pytest.raises(TokenRefused):
        f.call("getMarketplaceParticipations", ACME, refused)

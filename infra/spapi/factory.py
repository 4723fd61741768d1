"""Builds python-amazon-sp-api clients per (seller account, marketplace) and runs calls
through the shared rate limiter and the one retry policy.

    factory = deps.spapi
    client = factory.client(Solicitations, account, "US")
    resp = factory.call("createProductReviewAndSellerFeedbackSolicitation", account,
                        client.create_product_review_and_seller_feedback_solicitation,
                        order_id, marketplaceIds=client.marketplace_id)

sp_api is imported inside methods only: the import costs ~170 ms and the Slack
ack path never needs it.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from infra.accounts import MARKETPLACE_IDS, AccountConfig
from infra.secrets import CredentialsSource, LwaCredentials
from infra.spapi.errors import SpApiError
from infra.spapi.limiter import RateLimiter
from infra.spapi.rates import rate_for
from infra.spapi.retry import INTERACTIVE_BUDGET_SECONDS, RetryPolicy

# Seconds one HTTP request may take; two fit in the interactive budget.
DEFAULT_TIMEOUT_SECONDS = 5.0


class MarketplaceNotConfigured(ValueError):
    pass


class SpApiAccessError(SpApiError):
    """The access check reached Amazon but the seller is not set up as configured."""


def clear_token_cache() -> None:
    """Forget cached LWA access tokens (module-level in sp_api; survives between tests otherwise)."""
    from sp_api.auth import access_token_client

    access_token_client.cache.clear()
    access_token_client.grantless_cache.clear()


@functools.lru_cache(maxsize=1)
def _shared_ssl_context() -> Any:
    """One verified TLS context for every client: the library builds two httpx clients per
    sp_api client, and each default context re-reads the CA bundle (~20 ms each)."""
    import ssl

    try:
        import certifi

        return ssl.create_default_context(cafile=certifi.where())
    except ImportError:  # pragma: no cover - certifi ships with httpx
        return ssl.create_default_context()


def _lwa_host(override: str) -> tuple[str, str]:
    """("http://", "127.0.0.1:PORT") from "http://127.0.0.1:PORT" or "127.0.0.1:PORT"."""
    parts = urlsplit(override if "://" in override else f"http://{override}")
    if not parts.netloc:
        raise ValueError(f"LWA endpoint override {override!r} is not host:port or a URL")
    return f"{parts.scheme}://", parts.netloc


class SpApiFactory:
    def __init__(
        self,
        credentials_source: CredentialsSource,
        limiter: RateLimiter | None = None,
        endpoint_override: str | None = None,
        lwa_endpoint_override: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        *,
        policy: RetryPolicy | None = None,
        clock: Callable[[], float] = time.time,
        default_budget: float = INTERACTIVE_BUDGET_SECONDS,
    ) -> None:
        self.credentials_source = credentials_source
        self.limiter = limiter or RateLimiter()
        self.endpoint_override = endpoint_override.rstrip("/") if endpoint_override else None
        self.lwa_endpoint_override = lwa_endpoint_override
        self.timeout = timeout
        self.policy = policy or RetryPolicy(clock=clock)
        self.clock = clock
        self.default_budget = default_budget
        self._lock = threading.Lock()
        self._http: Any = None
        self._token_client_class: Any = None
        self._lwa: LwaCredentials | None = None

    # -- building clients -------------------------------------------------------------------

    def _http_client(self) -> Any:
        with self._lock:
            if self._http is None:
                from infra.spapi.transport import build_http_client

                self._http = build_http_client(self.timeout)
            return self._http

    def _auth_client_class(self) -> Any:
        from sp_api.auth import AccessTokenClient

        if not self.lwa_endpoint_override:
            return AccessTokenClient
        with self._lock:
            if self._token_client_class is None:
                scheme, host = _lwa_host(self.lwa_endpoint_override)
                self._token_client_class = type(
                    "OverriddenAccessTokenClient", (AccessTokenClient,), {"scheme": scheme, "host": host}
                )
            return self._token_client_class

    def _lwa_credentials(self) -> LwaCredentials:
        # The app's LWA pair is the same for every account; SSM caches too, env is cheap.
        if self._lwa is None:
            self._lwa = self.credentials_source.lwa()
        return self._lwa

    def client(self, api_cls: type, account: AccountConfig, marketplace_code: str, **kw: Any) -> Any:
        """A fresh client of `api_cls` (e.g. sp_api.api.Solicitations) for this account and marketplace.

        Clients hold per-request state (`method`), so build one per task rather than sharing
        across threads; they share this factory's pooled httpx client and one TLS context,
        which keeps construction well under a millisecond.
        """
        from sp_api.base import Marketplaces

        code = marketplace_code.upper()
        if account.marketplace(code) is None:
            configured = ", ".join(m.code for m in account.marketplaces)
            raise MarketplaceNotConfigured(
                f"Account {account.account_id!r} has no marketplace {code!r} configured (it has: {configured})."
            )
        marketplace = Marketplaces[code]
        refresh_token = self.credentials_source.refresh_token(account.account_id)
        client = api_cls(
            marketplace,
            refresh_token=refresh_token.get_secret_value(),
            credentials=self._lwa_credentials().for_sp_api(refresh_token),
            auth_token_client_class=self._auth_client_class(),
            **{"verify": _shared_ssl_context(), **kw},
        )
        # SP_API_DEFAULT_MARKETPLACE silently replaces the marketplace argument in the library
        # (client.py): pin what we asked for.
        client.marketplace_id = MARKETPLACE_IDS.get(code, marketplace.marketplace_id)
        client.region = marketplace.region
        client.endpoint = self.endpoint_override or marketplace.endpoint
        from infra.spapi.transport import SharedTransport

        client._transport = SharedTransport(self._http_client())
        return client

    # -- calling ----------------------------------------------------------------------------

    def call(
        self,
        operation: str,
        account: AccountConfig,
        fn: Callable[..., Any],
        *args: Any,
        deadline: float | None = None,
        **kwargs: Any,
    ) -> Any:
        """Run `fn(*args, **kwargs)` (a bound client method) under the limiter and retry policy.

        `operation` is Amazon's operationId (the rate table's key). `deadline` is absolute, on
        this factory's clock (epoch seconds by default); None = now + the interactive budget
        (10 s). Raises the library's exception for a 4xx, SpApiUnavailable when retries run
        out of budget or attempts, SpApiDeadlineExceeded when nothing could be sent in time.
        """
        rate_for(operation, self.limiter.rates)  # an unknown name fails before any request
        if deadline is None:
            deadline = self.clock() + self.default_budget
        key = account.account_id

        def attempt() -> Any:
            # Express the deadline on the limiter's clock (monotonic by default).
            remaining = deadline - self.clock()
            self.limiter.acquire(operation, key, deadline=self.limiter.clock() + remaining)
            try:
                response = fn(*args, **kwargs)
            except BaseException as exc:
                headers = getattr(exc, "headers", None)
                if headers:
                    self.limiter.observe(operation, key, _header(headers))
                raise
            self.limiter.observe(operation, key, getattr(response, "rate_limit", None))
            return response

        return self.policy.run(operation, attempt, deadline=deadline)

    def check_access(self, account: AccountConfig, marketplace_code: str, *, deadline: float | None = None) -> None:
        """Prove the credentials work and the seller participates in the marketplace (raises if not)."""
        from sp_api.api import Sellers

        client = self.client(Sellers, account, marketplace_code)
        resp = self.call(
            "getMarketplaceParticipations", account, client.get_marketplace_participation, deadline=deadline
        )
        payload = resp.payload if isinstance(resp.payload, list) else (resp.payload or {}).get("payload", [])
        ids = {((p or {}).get("marketplace") or {}).get("id") for p in payload or []}
        if client.marketplace_id not in ids:
            raise SpApiAccessError(
                f"Amazon does not list marketplace {marketplace_code.upper()} for account {account.account_id!r}: "
                f"the seller is not registered there or the app is not authorized for it."
            )

    def close(self) -> None:
        with self._lock:
            if self._http is not None:
                self._http.close()
                self._http = None


def _header(headers: Any) -> Any:
    try:
        return headers.get("x-amzn-RateLimit-Limit") or headers.get("x-amzn-ratelimit-limit")
    except AttributeError:
        return None

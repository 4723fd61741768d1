"""Builds python-amazon-sp-api clients per (seller account, marketplace) and runs calls
through the shared rate limiter and the one retry policy.

    factory = build_spapi_factory(settings)      # or deps.spapi
    client = factory.client(Solicitations, account, "US")
    resp = factory.call("createProductReviewAndSellerFeedbackSolicitation", account,
                        client.create_product_review_and_seller_feedback_solicitation,
                        order_id, marketplaceIds=client.marketplace_id)

The rate limiter is process-wide (`shared_limiter`): every factory in a warm Lambda
container (and every thread of a sweep) draws from the same buckets per (operation, account).

The Slack ack path imports this module but never builds a client, so sp_api (~170 ms) and
httpx (~70 ms, via infra.spapi.transport) are imported inside the methods that need them.
"""

from __future__ import annotations

import functools
import logging
import ssl
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from urllib.parse import urlsplit

import certifi

from infra import metrics
from infra.accounts import MARKETPLACE_IDS, AccountConfig, AccountsConfig
from infra.secrets import CredentialsSource, LwaCredentials, SecretsSettings, credentials_source
from infra.spapi.errors import SpApiError, TokenRefused, is_invalid_grant, is_throttled, rate_limit_header
from infra.spapi.limiter import RateLimiter
from infra.spapi.rates import rate_for
from infra.spapi.retry import INTERACTIVE_BUDGET_SECONDS, RetryPolicy

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")
log = logging.getLogger("sellerbot.spapi")

# Seconds one HTTP request may take; two fit in the interactive budget.
DEFAULT_TIMEOUT_SECONDS = 5.0
# Pace 5% under each plan so jitter between us and Amazon does not turn into 429s.
HEADROOM = 0.95


class MarketplaceNotConfigured(ValueError):
    pass


class SpApiAccessError(SpApiError):
    """The access check reached Amazon but the seller is not set up as configured."""


class SpApiSettings(SecretsSettings, Protocol):
    """What `build_spapi_factory` reads from bot.settings.Settings."""

    @property
    def spapi_endpoint(self) -> str | None: ...

    @property
    def lwa_endpoint(self) -> str | None: ...


def clear_token_cache() -> None:
    """Forget cached LWA access tokens (module-level in sp_api; survives between tests otherwise)."""
    from sp_api.auth import access_token_client  # sp_api (~170 ms) stays off the Slack ack path

    access_token_client.cache.clear()
    access_token_client.grantless_cache.clear()


@functools.lru_cache(maxsize=1)
def _shared_ssl_context() -> ssl.SSLContext:
    """One verified TLS context for every client: the library builds two httpx clients per
    sp_api client, and each default context re-reads the CA bundle (~20 ms each)."""
    return ssl.create_default_context(cafile=certifi.where())


def _lwa_host(override: str) -> tuple[str, str]:
    """("http://", "127.0.0.1:PORT") from "http://127.0.0.1:PORT" or "127.0.0.1:PORT"."""
    parts = urlsplit(override if "://" in override else f"http://{override}")
    if not parts.netloc:
        raise ValueError(f"LWA endpoint override {override!r} is not host:port or a URL")
    return f"{parts.scheme}://", parts.netloc


_shared_lock = threading.Lock()
_shared: RateLimiter | None = None


def shared_limiter() -> RateLimiter:
    """The process-wide limiter, at HEADROOM of Amazon's plans."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = RateLimiter(headroom=HEADROOM)
        return _shared


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
        self._http: httpx.Client | None = None
        self._token_client_class: type[Any] | None = None
        self._lwa: LwaCredentials | None = None
        # Told the account id when Amazon answers invalid_grant to its refresh token (the bot marks the account
        # and tells its people once); the call itself raises TokenRefused either way.
        self.on_token_refused: Callable[[str], None] | None = None

    # -- building clients -------------------------------------------------------------------

    def _http_client(self) -> httpx.Client:
        with self._lock:
            if self._http is None:
                from infra.spapi.transport import build_http_client  # httpx: only once a client is built

                self._http = build_http_client(self.timeout)
            return self._http

    def _auth_client_class(self) -> type[Any]:
        """sp_api's LWA token client, pointed at the override endpoint when one is set."""
        from sp_api.auth import AccessTokenClient  # sp_api (~170 ms) stays off the Slack ack path

        library_class: type[Any] = AccessTokenClient
        if not self.lwa_endpoint_override:
            return library_class
        with self._lock:
            if self._token_client_class is None:
                scheme, host = _lwa_host(self.lwa_endpoint_override)
                self._token_client_class = type(
                    "OverriddenAccessTokenClient", (library_class,), {"scheme": scheme, "host": host}
                )
            return self._token_client_class

    def _lwa_credentials(self) -> LwaCredentials:
        # The app's LWA pair is the same for every account; SSM caches too, env is cheap.
        if self._lwa is None:
            self._lwa = self.credentials_source.lwa()
        return self._lwa

    def client(self, api_cls: type[Any], account: AccountConfig, marketplace_code: str, **kw: Any) -> Any:
        """A fresh client of `api_cls` (e.g. sp_api.api.Solicitations) for this account and marketplace.

        Clients hold per-request state (`method`), so build one per task rather than sharing
        across threads; they share this factory's pooled httpx client and one TLS context,
        which keeps construction well under a millisecond.
        """
        from sp_api.base import Marketplaces  # sp_api (~170 ms) stays off the Slack ack path

        from infra.spapi.transport import SharedTransport  # imports sp_api and httpx

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
        client._transport = SharedTransport(self._http_client())
        return client

    # -- calling ----------------------------------------------------------------------------

    def call(
        self,
        operation: str,
        account: AccountConfig,
        fn: Callable[..., T],
        *args: object,
        deadline: float | None = None,
        **kwargs: object,
    ) -> T:
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

        def attempt() -> T:
            # Express the deadline on the limiter's clock (monotonic by default).
            remaining = deadline - self.clock()
            self.limiter.acquire(operation, key, deadline=self.limiter.clock() + remaining)
            try:
                response = fn(*args, **kwargs)
            except BaseException as exc:
                metrics.count_spapi(operation, throttled=is_throttled(exc))
                self.limiter.observe(operation, key, rate_limit_header(exc))
                if is_invalid_grant(exc):
                    self._token_refused(key)
                    raise TokenRefused(key) from None
                raise
            metrics.count_spapi(operation, throttled=False)
            self.limiter.observe(operation, key, getattr(response, "rate_limit", None))
            return response

        return self.policy.run(operation, attempt, deadline=deadline)

    def _token_refused(self, account_id: str) -> None:
        if self.on_token_refused is None:
            return
        try:
            self.on_token_refused(account_id)
        except Exception as exc:  # telling people must never hide Amazon's answer from the caller
            log.error("could not record the refused token of %s: %s", account_id, type(exc).__name__)

    def check_access(self, account: AccountConfig, marketplace_code: str, *, deadline: float | None = None) -> None:
        """Prove the credentials work and the seller participates in the marketplace (raises if not)."""
        from sp_api.api import Sellers  # sp_api (~170 ms) stays off the Slack ack path

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


def build_spapi_factory(
    settings: SpApiSettings, accounts: AccountsConfig | None = None, *, limiter: RateLimiter | None = None
) -> SpApiFactory:
    """Factory for `settings` (bot.settings.Settings): secrets source, fake endpoints when set,
    the process-wide limiter unless `limiter` is given.

    `accounts` is accepted for symmetry with the callers and not used: clients are built per call
    from the AccountConfig they pass.
    """
    return SpApiFactory(
        credentials_source(settings),
        limiter or shared_limiter(),
        endpoint_override=settings.spapi_endpoint,
        lwa_endpoint_override=settings.lwa_endpoint,
    )

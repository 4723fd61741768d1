"""A thin Amazon Attribution client on httpx and tenacity (the five endpoints, /v2/profiles, LWA refresh).

Why not python-amazon-ad-api 1.2.9 (amazon-attribution.md §8): its credentials give way to any
AD_API_* environment variables (wrong in a multi-seller Lambda), it has no retries and no default
timeout, raises KeyError when a report page has no `cursorId`, calls logging.basicConfig on import,
and adds ~5.8 MB zipped (pycryptodome, confuse, PyYAML) to the Slack function's 15 MB artifact. The
surface we need is five GETs/POSTs and one token refresh, and httpx and tenacity are already here.

Per instance: one account's credentials (never the environment), one explicit marketplace (its
region's host), a timeout on every call. 429 and 5xx (and transport errors) are retried with capped
exponential backoff, honouring `Retry-After`; other 4xx are not. A page with no, empty or null
`cursorId`, or with no rows, ends the paging.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from infra.ads.errors import AdsApiError, AdsAuthError, AdsTransportError
from infra.ads.regions import API_HOSTS, TOKEN_URLS, attribution_marketplace
from infra.secrets import AdsCredentials

DEFAULT_TIMEOUT = 15.0
DEFAULT_ATTEMPTS = 4
BACKOFF_CAP = 30.0  # seconds; a Retry-After above it is capped too (the caller has a budget)
MAX_PAGES = 500  # 500 pages x 5000 rows: far beyond 13 months of one profile's ad groups
TOKEN_MARGIN = 120.0  # refresh this many seconds before the token expires
USER_AGENT = "sellerbot-attribution/1"

# Access tokens per (client id, refresh token) digest, shared by the clients of one process: tokens are
# global across regions and live an hour, so a warm container refreshes once an hour per account.
_tokens: dict[str, tuple[str, float]] = {}
_tokens_lock = threading.Lock()


def forget_tokens() -> None:
    with _tokens_lock:
        _tokens.clear()


def _is_retryable(exc: BaseException) -> bool:
    return isinstance(exc, httpx.TransportError) or (isinstance(exc, AdsApiError) and exc.retryable)


def _wait(state: RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, AdsApiError) and exc.retry_after is not None:
        return min(exc.retry_after, BACKOFF_CAP)
    return float(min(2**state.attempt_number, BACKOFF_CAP))  # 2, 4, 8 ... seconds


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP-date: fall back to the backoff


def _api_error(response: httpx.Response) -> AdsApiError:
    code, details = str(response.status_code), ""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        code = str(body.get("code") or code)
        details = str(body.get("details") or body.get("message") or "")[:500]
    return AdsApiError(response.status_code, code, details, _retry_after(response.headers.get("retry-after")))


class AttributionClient:
    def __init__(
        self,
        credentials: AdsCredentials,
        marketplace: str,
        *,
        endpoint: str | None = None,
        lwa_endpoint: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        attempts: int = DEFAULT_ATTEMPTS,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        http: httpx.Client | None = None,
    ) -> None:
        row = attribution_marketplace(marketplace)
        if row is None:
            raise ValueError(f"Amazon Attribution does not serve marketplace {marketplace!r}")
        self.marketplace = row.code
        self.region = row.region
        # `endpoint` may name the region ("http://127.0.0.1:PORT/{region}", the fake's one host for all).
        self.host = (endpoint or API_HOSTS[self.region]).format(region=self.region).rstrip("/")
        self.token_url = (lwa_endpoint.rstrip("/") + "/auth/o2/token") if lwa_endpoint else TOKEN_URLS[self.region]
        self._credentials = credentials
        self._timeout = timeout
        self._attempts = attempts
        self._sleep = sleep
        self._clock = clock
        self._http = http or httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT})
        self._token_key = hashlib.sha256(
            (credentials.client_id + "\0" + credentials.refresh_token.get_secret_value()).encode()
        ).hexdigest()

    def __repr__(self) -> str:
        return f"AttributionClient(marketplace={self.marketplace!r}, host={self.host!r})"

    # -- the API ---------------------------------------------------------------------------------

    def profiles(self) -> list[dict[str, Any]]:
        data = self._call("GET", "/v2/profiles", scope=None, params=[("profileTypeFilter", "seller")])
        return [p for p in data if isinstance(p, dict)] if isinstance(data, list) else []

    def advertisers(self, profile_id: int) -> list[dict[str, Any]]:
        data = self._call("GET", "/attribution/advertisers", scope=profile_id)
        items = data.get("advertisers") if isinstance(data, dict) else None
        return [a for a in items if isinstance(a, dict)] if isinstance(items, list) else []

    def publishers(self, profile_id: int) -> list[dict[str, Any]]:
        data = self._call("GET", "/attribution/publishers", scope=profile_id)
        items = data.get("publisher") if isinstance(data, dict) else None
        return [p for p in items if isinstance(p, dict)] if isinstance(items, list) else []

    def tags(
        self, profile_id: int, *, macro: bool, publisher_ids: Sequence[str], advertiser_ids: Sequence[str]
    ) -> dict[str, dict[str, str]]:
        """advertiser id -> publisher id -> tag; the schema's wrapped map and the example's bare map both read."""
        path = "/attribution/tags/macroTag" if macro else "/attribution/tags/nonMacroTemplateTag"
        params = [("publisherIds", p) for p in publisher_ids] + [("advertiserIds", a) for a in advertiser_ids]
        data = self._call("GET", path, scope=profile_id, params=params)
        if isinstance(data, dict) and isinstance(data.get("advertiserAttributionTagMap"), dict):
            data = data["advertiserAttributionTagMap"]
        out: dict[str, dict[str, str]] = {}
        for adv, tags in data.items() if isinstance(data, dict) else ():
            if isinstance(tags, dict):
                out[str(adv)] = {str(k): str(v) for k, v in tags.items() if isinstance(v, str)}
        return out

    def report_pages(self, profile_id: int, body: Mapping[str, Any]) -> Iterator[list[dict[str, Any]]]:
        """POST /attribution/report once per page; ends on a missing/empty/null cursor or an empty page."""
        cursor: str = ""
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            data = self._call("POST", "/attribution/report", scope=profile_id, json={**body, "cursorId": cursor})
            rows = data.get("reports") if isinstance(data, dict) else None
            page = [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []
            if page:
                yield page
            nxt = data.get("cursorId") if isinstance(data, dict) else None
            if not page or not nxt or not isinstance(nxt, str) or nxt in seen:
                return
            seen.add(nxt)
            cursor = nxt

    # -- transport -------------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        scope: int | None,
        params: Sequence[tuple[str, str]] | None = None,
        json: Mapping[str, Any] | None = None,
    ) -> Any:
        retrying = Retrying(
            stop=stop_after_attempt(self._attempts),
            wait=_wait,
            retry=retry_if_exception(_is_retryable),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            response = retrying(self._once, method, path, scope, params, json)
        except httpx.TransportError as exc:
            raise AdsTransportError(f"No answer from Amazon Ads ({type(exc).__name__})") from None
        return response.json() if response.content else None

    def _once(
        self,
        method: str,
        path: str,
        scope: int | None,
        params: Sequence[tuple[str, str]] | None,
        json: Mapping[str, Any] | None,
    ) -> httpx.Response:
        headers = {
            "Authorization": "Bearer " + self._access_token(),
            "Amazon-Advertising-API-ClientId": self._credentials.client_id,
        }
        if scope is not None:
            headers["Amazon-Advertising-API-Scope"] = str(scope)
        response = self._http.request(
            method, self.host + path, params=list(params or ()), json=json, headers=headers, timeout=self._timeout
        )
        if response.status_code >= 400:
            raise _api_error(response)
        return response

    def _access_token(self) -> str:
        now = self._clock()
        with _tokens_lock:
            cached = _tokens.get(self._token_key)
        if cached and cached[1] > now:
            return cached[0]
        form = {
            "grant_type": "refresh_token",
            "client_id": self._credentials.client_id,
            "client_secret": self._credentials.client_secret.get_secret_value(),
            "refresh_token": self._credentials.refresh_token.get_secret_value(),
        }
        response = self._http.post(self.token_url, data=form, timeout=self._timeout)
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code >= 500 or response.status_code == 429:
            raise AdsApiError(response.status_code, "lwa", "token service unavailable")
        if response.status_code != 200 or not isinstance(body, dict) or not body.get("access_token"):
            raise AdsAuthError(
                response.status_code, str(body.get("error", "")), str(body.get("error_description", ""))[:300]
            )
        token = str(body["access_token"])
        expires = float(body.get("expires_in") or 3600)
        with _tokens_lock:
            _tokens[self._token_key] = (token, now + max(0.0, expires - TOKEN_MARGIN))
        return token

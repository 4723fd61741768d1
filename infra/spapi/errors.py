"""SP-API failures: our own exception types, classification, and user-facing text.

Classification goes by class *name* over the MRO so this module never imports
sp_api (≈170 ms) or httpx just to look at an exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from infra.spapi.limiter import RateBudgetExceeded

_THROTTLED = {"SellingApiRequestThrottledException"}
_SERVER = {
    "SellingApiServerException",
    "SellingApiTemporarilyUnavailableException",
    "SellingApiGatewayTimeoutException",
}
_STATUS_BY_NAME = {
    "SellingApiBadRequestException": 400,
    "SellingApiForbiddenException": 403,
    "SellingApiNotFoundException": 404,
    "SellingApiStateConflictException": 409,
    "SellingApiTooLargeException": 413,
    "SellingApiUnsupportedFormatException": 415,
    "SellingApiRequestThrottledException": 429,
    "SellingApiServerException": 500,
    "SellingApiTemporarilyUnavailableException": 503,
    "SellingApiGatewayTimeoutException": 504,
}


class SpApiError(Exception):
    """Base of the errors this package raises itself."""


class SpApiHttpError(SpApiError):
    """An HTTP answer the library would have swallowed (no Amazon `errors` JSON to raise from)."""

    def __init__(
        self,
        status: int,
        headers: Mapping[str, str] | None = None,
        reason: str = "no Amazon error details",
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        self.status = status
        self.code = status  # same attribute the library's exceptions carry
        self.headers = dict(headers or {})
        self.reason = reason
        self.error = errors or []
        super().__init__(f"SP-API answered HTTP {status} ({reason})")


class SpApiServerError(SpApiHttpError):
    """A 5xx without Amazon's `errors` JSON (e.g. the empty 500 body python-amazon-sp-api
    returns as an empty ApiResponse), a 5xx the library cannot classify (502), or a
    success status with a body that is not JSON. Always retried."""


class TokenRefused(SpApiError):
    """Amazon's LWA answered `invalid_grant` to the account's refresh token (onboarding.md §1.5): the seller
    revoked the app, or the 365-day authorization lapsed. Retrying cannot help; the account needs a new
    authorization (/sellerbot connect). Carries no token and none of Amazon's text."""

    status = 400
    code = 400

    def __init__(self, account_id: str) -> None:
        self.account_id = account_id
        super().__init__(f"Amazon refused the refresh token of account {account_id!r} (invalid_grant)")


def is_invalid_grant(exc: BaseException) -> bool:
    """python-amazon-sp-api's AuthorizationError for LWA's `invalid_grant` (by name: sp_api is not imported)."""
    return "AuthorizationError" in _names(exc) and getattr(exc, "error_code", None) == "invalid_grant"


class SpApiUnavailable(SpApiError):
    """Retries ran out of time or attempts. `last_error` is the final failure.

    `code` and `error` mirror the last error's (HTTP status / Amazon error list) so callers
    that classify by status see 429 or 5xx, not an unknown error."""

    def __init__(self, operation: str, last_error: BaseException | None, attempts: int, elapsed: float) -> None:
        self.operation = operation
        self.last_error = last_error
        self.attempts = attempts
        self.elapsed = elapsed
        self.code = status_of(last_error) if last_error is not None else None
        self.error = getattr(last_error, "error", None)
        self.headers = getattr(last_error, "headers", None)
        super().__init__(explain(self))


class SpApiOutcomeUnknown(SpApiError):
    """A non-idempotent operation (a buyer message, a review request) may have reached Amazon, but
    its answer was lost: a read timeout, a 5xx, an unreadable body. Amazon takes no idempotency key
    for these, so it is not retried; the caller records it as unconfirmed and a person checks
    Seller Central. `last_error` is what the attempt raised."""

    def __init__(self, operation: str, last_error: BaseException, attempts: int, elapsed: float) -> None:
        self.operation = operation
        self.last_error = last_error
        self.attempts = attempts
        self.elapsed = elapsed
        self.status = status_of(last_error)  # not `code`: callers classifying by status must not see a 5xx
        super().__init__(explain(self))

    def lost_answer(self) -> str:
        """What happened to Amazon's answer, in a few words (no buyer data, no raw exception text)."""
        names = _names(self.last_error)
        if "TimeoutException" in names:
            return "no answer within the time limit"
        if self.status is not None:
            return f"HTTP {self.status} instead of an answer"
        if "TransportError" in names:
            return "the connection broke before the answer"
        return f"the call failed midway ({type(self.last_error).__name__})"


class SpApiDeadlineExceeded(SpApiUnavailable):
    """The time budget ran out before a request could be sent (the rate limiter's next slot
    is after the deadline, or the deadline had already passed). Nothing reached Amazon."""


def _names(exc: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def status_of(exc: BaseException | None) -> int | None:
    """The HTTP status behind an error, when there is one."""
    if exc is None:
        return None
    if isinstance(exc, SpApiHttpError | TokenRefused):
        return exc.status
    if isinstance(exc, SpApiUnavailable):
        return exc.code
    names = _names(exc)
    for name, status in _STATUS_BY_NAME.items():
        if name in names:
            return status
    if "AuthorizationError" in names:
        return getattr(exc, "status_code", None)
    return None


def is_throttled(exc: BaseException) -> bool:
    return bool(_names(exc) & _THROTTLED) or (isinstance(exc, SpApiHttpError) and exc.status == 429)


def is_retryable(exc: BaseException) -> bool:
    """Throttling, 5xx, unparseable bodies, transport errors/timeouts. Never other 4xx."""
    names = _names(exc)
    if names & (_THROTTLED | _SERVER) or isinstance(exc, SpApiServerError) or is_throttled(exc):
        return True
    if "TransportError" in names and type(exc).__module__.startswith("httpx"):
        return True
    if "AuthorizationError" in names:  # the LWA token endpoint itself failing
        status = getattr(exc, "status_code", None)
        return isinstance(status, int) and (status == 429 or status >= 500)
    return False


# httpx errors raised while opening a connection or waiting for one: no byte of the request was sent.
_NOT_SENT = {"ConnectError", "ConnectTimeout", "PoolTimeout"}
# sp_api fetches the LWA access token inside the call, before the operation's own request.
LWA_TOKEN_PATH = "/auth/o2/token"


def _request_path(exc: BaseException) -> str | None:
    try:
        return str(exc.request.url.path)  # type: ignore[attr-defined]  # httpx.RequestError.request
    except (AttributeError, RuntimeError):  # httpx raises RuntimeError when no request is attached
        return None


def not_taken(exc: BaseException) -> bool:
    """Whether `exc` proves Amazon did not take the operation's request, so sending it again cannot
    duplicate it: throttled (429), a connection that never opened, or a failure of the LWA token
    request that comes before it. A read timeout, a 5xx or an unreadable body prove nothing."""
    if is_throttled(exc):
        return True
    names = _names(exc)
    if "AuthorizationError" in names:
        return is_retryable(exc)
    if not type(exc).__module__.startswith("httpx"):
        return False
    return bool(names & _NOT_SENT) or ("TransportError" in names and _request_path(exc) == LWA_TOKEN_PATH)


def is_refusal(exc: BaseException) -> bool:
    """Amazon answered and refused (a 4xx other than 429): nothing was done, and retrying will not help."""
    status = status_of(exc)
    return status is not None and 400 <= status < 500 and status != 429


def rate_limit_header(exc: BaseException | None) -> object:
    """The `x-amzn-RateLimit-Limit` value an error carries, unparsed (see limiter.parse_rate_header)."""
    headers = getattr(exc, "headers", None)
    if not headers:
        return None
    try:
        value: object = headers.get("x-amzn-RateLimit-Limit") or headers.get("x-amzn-ratelimit-limit")
    except AttributeError:
        return None
    return value


def amazon_message(exc: BaseException) -> str:
    """Amazon's own error text (it names no buyer), trimmed."""
    message = getattr(exc, "message", None)
    if not message:
        errors = getattr(exc, "error", None)
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            message = errors[0].get("message") or errors[0].get("code")
    return " ".join(str(message or "").split())[:300]


def explain(exc: BaseException) -> str:
    """One clear sentence or two for a person in Slack: what happened and what to do."""
    if isinstance(exc, (SpApiDeadlineExceeded, RateBudgetExceeded)):
        op = getattr(exc, "operation", "this call")
        return (
            f"Amazon's rate limit for {op} leaves no request slot within the time limit, so nothing "
            f"was sent. Try again in a minute."
        )
    if isinstance(exc, SpApiOutcomeUnknown):
        return (
            f"Amazon may have received {exc.operation}, but its answer was lost ({exc.lost_answer()}), so "
            "the outcome is unconfirmed: check Seller Central. It was not sent again."
        )
    if isinstance(exc, SpApiUnavailable):
        if exc.last_error is None:
            return f"Amazon SP-API did not answer {exc.operation} within the time limit. Try again later."
        return (
            f"{explain(exc.last_error)} (gave up on {exc.operation} after {exc.attempts} "
            f"attempt{'s' if exc.attempts != 1 else ''} in {exc.elapsed:.1f}s)"
        )
    if isinstance(exc, TokenRefused):
        return (
            f"Amazon no longer accepts the authorization of account {exc.account_id} (the seller removed the app "
            "or the yearly authorization lapsed). A sellerbot admin reconnects it with /sellerbot connect."
        )
    names = _names(exc)
    detail = amazon_message(exc)
    said = f" Amazon said: \u201c{detail}\u201d" if detail else ""
    if "AuthorizationError" in names:
        code = getattr(exc, "error_code", None) or "refused"
        if is_retryable(exc):
            return "Amazon's login service (LWA) is unavailable right now. Try again later."
        return (
            f"Amazon's login (LWA) refused this seller account's credentials ({code}). The refresh "
            f"token may be wrong or revoked: re-authorize the app for this account."
        )
    status = status_of(exc)
    if status is not None and status >= 400:
        return _explain_status(status, said)
    if "TimeoutException" in names:
        return "Amazon SP-API did not answer in time. Try again later."
    if "TransportError" in names:
        return "Could not reach Amazon SP-API (network error). Try again later."
    return f"SP-API call failed ({type(exc).__name__})."


def _explain_status(status: int, said: str) -> str:
    """The sentence for an HTTP error status (4xx or 5xx); `said` is Amazon's own message, quoted."""
    if status == 403:
        return (
            "Amazon refused the request (403): the app may lack the required role or the seller's "
            "authorization for this account, or the order is outside the window Amazon allows for "
            f"this action.{said}"
        )
    if status == 404:
        return f"Amazon has no such order in this marketplace (404). Check the order ID and the marketplace.{said}"
    if status == 429:
        return "Amazon is throttling requests for this seller account (429). Try again in a minute."
    if status >= 500:
        return f"Amazon SP-API is temporarily unavailable (HTTP {status}). Nothing was changed; try again later."
    if status == 400:
        return f"Amazon rejected the request as invalid (400).{said}"
    return f"Amazon rejected the request (HTTP {status}).{said}"

"""What can go wrong calling Amazon Ads, as exceptions that carry Amazon's fields, never secrets."""

from __future__ import annotations


class AdsError(Exception):
    """Base of the Ads client's errors."""


class NoAdsCredentials(AdsError):
    """The account has no Amazon Ads credentials configured (the message says where they were looked for)."""


class AdsAuthError(AdsError):
    """LWA refused the credentials (`error` and `error_description` of its answer)."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(f"LWA {status} {error}: {description}")
        self.status = status
        self.error = error
        self.description = description


class AdsApiError(AdsError):
    """A non-2xx answer of the Ads API: its status, and the body's `code`/`details` (or `message`)."""

    def __init__(self, status: int, code: str = "", details: str = "", retry_after: float | None = None) -> None:
        super().__init__(f"Ads API {status} {code}: {details}".strip())
        self.status = status
        self.code = code
        self.details = details
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.status == 429 or self.status >= 500


class AdsTransportError(AdsError):
    """No answer (timeout, connection refused) after the retries."""

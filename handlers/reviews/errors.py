"""Failures the domain reports to people, independent of the HTTP client library."""

from __future__ import annotations

from typing import Literal

FailureKind = Literal[
    "forbidden", "not_found", "throttled", "invalid", "unavailable", "deadline", "unconfirmed", "other"
]
# The words a person sees whenever a send's outcome is unknown (its answer was lost).
UNCONFIRMED = "unconfirmed: check Seller Central"

_ADVICE: dict[str, str] = {
    "forbidden": (
        "Amazon refused the request (403). The order may be outside the review window, already "
        "solicited, or the app lacks the Buyer Solicitation / Buyer Communication role for this account."
    ),
    "not_found": (
        "Amazon does not know this order for this seller account (404); an order is found in whichever "
        "of the account's marketplaces it was placed. Check the order ID and --account."
    ),
    "throttled": "Amazon throttled the request (429) after our retries. Nothing was sent; try again in a minute.",
    "invalid": "Amazon rejected the request as invalid (400).",
    "unavailable": "SP-API is temporarily unavailable (5xx). Nothing was recorded as sent; try again later.",
    "deadline": "Stopped before the time limit; nothing was sent for this order.",
    "unconfirmed": (
        f"Amazon may have received it, but its answer was lost, so delivery is {UNCONFIRMED} (the order's "
        "buyer messages or review request there). sellerbot will not send it again: Amazon takes no "
        "idempotency key for these, so a second send could reach the buyer twice."
    ),
    "other": "SP-API call failed.",
}


class SpApiFailure(Exception):
    """An SP-API call that did not succeed, classified for a clear user-facing message."""

    def __init__(self, kind: FailureKind, operation: str, detail: str = "", status: int | None = None) -> None:
        self.kind = kind
        self.operation = operation
        self.detail = detail
        self.status = status
        super().__init__(self.user_message())

    def user_message(self) -> str:
        text = _ADVICE[self.kind]
        # Amazon's own message helps (e.g. "outside the 5-30 day range"); it never carries buyer PII.
        return f"{text} ({self.operation}: {self.detail})" if self.detail else f"{text} ({self.operation})"


class TargetError(ValueError):
    """Unknown account or marketplace option."""

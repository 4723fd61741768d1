"""SP-API access: rate table, limiter, retry policy, client factory (python-amazon-sp-api).

Importing this package does not import sp_api; clients are built on first use.
"""

from infra.spapi.errors import (
    SpApiDeadlineExceeded,
    SpApiError,
    SpApiHttpError,
    SpApiOutcomeUnknown,
    SpApiServerError,
    SpApiUnavailable,
    TokenRefused,
    explain,
)
from infra.spapi.factory import SpApiAccessError, SpApiFactory, clear_token_cache
from infra.spapi.limiter import RateBudgetExceeded, RateLimiter
from infra.spapi.rates import DEFAULT_RATES, OperationRate
from infra.spapi.retry import RetryPolicy

__all__ = [
    "DEFAULT_RATES",
    "OperationRate",
    "RateBudgetExceeded",
    "RateLimiter",
    "RetryPolicy",
    "SpApiAccessError",
    "SpApiDeadlineExceeded",
    "SpApiError",
    "SpApiFactory",
    "SpApiHttpError",
    "SpApiOutcomeUnknown",
    "SpApiServerError",
    "SpApiUnavailable",
    "TokenRefused",
    "clear_token_cache",
    "explain",
]

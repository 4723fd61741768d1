"""Where Amazon's data enters handlers/: the JSON it sends, and what the SP-API adapters need from
`infra.spapi.SpApiFactory`.

python-amazon-sp-api ships no type information, so its clients and their responses are `Any`
here, and so are the values of Amazon's JSON until a parser has checked them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from infra.accounts import AccountConfig

# A JSON object as Amazon sends it (an API payload, a report document, a notification), read key by key.
JsonObject = dict[str, Any]


class SpApiFactoryLike(Protocol):
    def client(self, api_cls: type, account: AccountConfig, marketplace_code: str) -> Any:
        """A python-amazon-sp-api client of `api_cls` for the account in that marketplace."""
        ...

    def call(
        self,
        operation: str,
        account: AccountConfig,
        fn: Callable[..., Any],
        *args: Any,
        deadline: float | None = None,
        **kwargs: Any,
    ) -> Any:
        """`fn(*args, **kwargs)` under the shared rate limiter and retry policy; the library's response."""
        ...

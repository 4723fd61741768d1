"""What the service needs from the Attribution API (infra/ads/client.py implements it over HTTP).

`ClientFactory(account_id, marketplace)` returns the client for the account's Ads credentials on the
marketplace's regional host; it raises `infra.ads.errors.NoAdsCredentials` when the account has none.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol


class AttributionApi(Protocol):
    def profiles(self) -> list[dict[str, Any]]:
        """GET /v2/profiles on the client's regional host (seller profiles)."""

    def advertisers(self, profile_id: int) -> list[dict[str, Any]]:
        """GET /attribution/advertisers: [{"advertiserId", "advertiserName"}]."""

    def publishers(self, profile_id: int) -> list[dict[str, Any]]:
        """GET /attribution/publishers: [{"id", "name", "macroEnabled"}]."""

    def tags(
        self, profile_id: int, *, macro: bool, publisher_ids: Sequence[str], advertiser_ids: Sequence[str]
    ) -> dict[str, dict[str, str]]:
        """The advertiser -> publisher -> tag map (wrapped or unwrapped response, unwrapped here)."""

    def report_pages(self, profile_id: int, body: Mapping[str, Any]) -> Iterator[list[dict[str, Any]]]:
        """POST /attribution/report page by page until the cursor ends."""


class ClientFactory(Protocol):
    def __call__(self, account_id: str, marketplace: str) -> AttributionApi: ...

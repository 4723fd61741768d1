"""The per-account Attribution client factory: credentials from the secrets source, endpoint from env.

    SELLERBOT_ADS_ENDPOINT       API base instead of Amazon's regional host; may contain {region}
                                 (the fake: http://127.0.0.1:PORT/{region})
    SELLERBOT_ADS_LWA_ENDPOINT   LWA base instead of Amazon's (…/auth/o2/token is appended)
    SELLERBOT_ADS_TIMEOUT        seconds per HTTP call (default 15)
Credentials: infra/secrets.py `ads(account_id)` (SELLERBOT_ADS_<ACCOUNT>_* or SSM <prefix>/ads/<account>).
AD_API_* variables are never read.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Protocol

import httpx

from infra.ads.client import DEFAULT_TIMEOUT, USER_AGENT, AttributionClient
from infra.ads.errors import NoAdsCredentials
from infra.secrets import AdsCredentials, MissingSecret


class AdsCredentialsSource(Protocol):
    def ads(self, account_id: str) -> AdsCredentials: ...


class AttributionClientFactory:
    def __init__(
        self,
        source: AdsCredentialsSource,
        *,
        endpoint: str | None = None,
        lwa_endpoint: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        sleep: Callable[[float], None] = time.sleep,  # between retries; tests pass a recorder
    ) -> None:
        self._source = source
        self._sleep = sleep
        self.endpoint = endpoint
        self.lwa_endpoint = lwa_endpoint
        self.timeout = timeout
        self._http = httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT})  # pooled connections

    def __call__(self, account_id: str, marketplace: str) -> AttributionClient:
        try:
            credentials = self._source.ads(account_id)
        except MissingSecret as exc:
            raise NoAdsCredentials(str(exc)) from None
        return AttributionClient(
            credentials,
            marketplace,
            endpoint=self.endpoint,
            lwa_endpoint=self.lwa_endpoint,
            timeout=self.timeout,
            http=self._http,
            sleep=self._sleep,
        )


def client_factory_from_env(
    source: AdsCredentialsSource, env: Mapping[str, str] | None = None
) -> AttributionClientFactory:
    values = os.environ if env is None else env
    timeout = float(values.get("SELLERBOT_ADS_TIMEOUT") or DEFAULT_TIMEOUT)
    return AttributionClientFactory(
        source,
        endpoint=values.get("SELLERBOT_ADS_ENDPOINT") or None,
        lwa_endpoint=values.get("SELLERBOT_ADS_LWA_ENDPOINT") or None,
        timeout=timeout,
    )

"""A running fake Attribution server per test, and a raw caller that speaks to it like Amazon's clients."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from infra.ads.client import forget_tokens
from infra.fakes.attribution import AttributionData, FakeAttribution, FakeSettings
from infra.fakes.attribution.data import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, demo_refresh_token

NOW = datetime(2026, 12, 6, 18, 0, tzinfo=UTC)  # 10:00 in Los Angeles
US, CA, UK, DE, LEGACY = 3312910465837761, 3312910465837762, 4412910465837761, 4412910465837762, 3312910465830000
ACME_ADV, UK_ADV = "123456780", "123456782"


@pytest.fixture(scope="session")
def demo_data_json() -> str:
    return AttributionData.demo(days=90).to_json()


@pytest.fixture
def fake(demo_data_json: str) -> Iterator[FakeAttribution]:
    forget_tokens()
    with FakeAttribution(AttributionData.from_json(demo_data_json), FakeSettings(), now=lambda: NOW) as server:
        yield server
    forget_tokens()


class Raw:
    """Plain HTTP against the fake: a token for `account`, then Ads-style calls."""

    def __init__(self, fake: FakeAttribution, account: str = "acme") -> None:
        self.fake = fake
        self.http = httpx.Client(timeout=10)
        form = {
            "grant_type": "refresh_token",
            "client_id": DEMO_CLIENT_ID,
            "client_secret": DEMO_CLIENT_SECRET,
            "refresh_token": demo_refresh_token(account),
        }
        self.token = self.http.post(fake.base_url + "/auth/o2/token", data=form).json()["access_token"]

    def headers(self, scope: int | None = US, **extra: str) -> dict[str, str]:
        h = {"Authorization": f"Bearer {self.token}", "Amazon-Advertising-API-ClientId": DEMO_CLIENT_ID}
        if scope is not None:
            h["Amazon-Advertising-API-Scope"] = str(scope)
        return {**h, **extra}

    def get(
        self,
        path: str,
        *,
        region: str = "na",
        scope: int | None = US,
        params: Any = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        return self.http.get(
            f"{self.fake.base_url}/{region}{path}",
            params=params,
            headers=headers if headers is not None else self.headers(scope),
        )

    def report(self, body: Any, *, scope: int = US, region: str = "na") -> httpx.Response:
        return self.http.post(
            f"{self.fake.base_url}/{region}/attribution/report", json=body, headers=self.headers(scope)
        )


def body(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "reportType": "PERFORMANCE",
        "advertiserIds": ACME_ADV,
        "startDate": "20261101",
        "endDate": "20261130",
        "groupBy": "ADGROUP",
        "count": 5000,
        "cursorId": "",
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not ...}


@pytest.fixture
def raw(fake: FakeAttribution) -> Raw:
    return Raw(fake)

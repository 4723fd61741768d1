"""Ads credentials on the production secrets path: SSM <prefix>/ads/<account_id> JSON on a moto server."""

from __future__ import annotations

import json
import uuid

import pytest

from infra.ads.factory import AttributionClientFactory
from infra.fakes.attribution import FakeAttribution
from infra.fakes.attribution.data import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, demo_refresh_token
from infra.secrets import MissingSecret, SsmCredentials, on_secret_read

from .conftest import US


def test_ads_credentials_from_ssm_reach_the_fake(ssm, moto_server, fake: FakeAttribution) -> None:
    prefix = f"/sellerbot/test-{uuid.uuid4().hex[:8]}"
    value = {
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
        "refresh_token": demo_refresh_token("acme"),
    }
    ssm.put_parameter(Name=f"{prefix}/ads/acme", Value=json.dumps(value), Type="SecureString")
    seen: list[str] = []
    on_secret_read(seen.append)
    source = SsmCredentials(prefix, endpoint_url=moto_server, region_name="us-east-1")
    factory = AttributionClientFactory(source, endpoint=fake.endpoint, lwa_endpoint=fake.base_url)
    assert any(p["profileId"] == US for p in factory("acme", "US").profiles())
    assert DEMO_CLIENT_SECRET in seen and demo_refresh_token("acme") in seen  # registered with the log scrubber
    assert DEMO_CLIENT_SECRET not in repr(source.ads("acme"))
    with pytest.raises(MissingSecret, match=f"{prefix}/ads/globex is missing"):
        source.ads("globex")
    ssm.put_parameter(Name=f"{prefix}/ads/partial", Value=json.dumps({"client_id": "x"}), Type="SecureString")
    with pytest.raises(MissingSecret, match="lacks or mistypes: client_secret"):
        source.ads("partial")

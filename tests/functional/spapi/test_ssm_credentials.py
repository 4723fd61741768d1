"""Production secrets path: SSM SecureStrings on a moto server, read through powertools, used against the fake."""

from __future__ import annotations

import json
import uuid

import pytest
from sp_api.api import Orders

from infra.fakes.sp_api import DEMO_LWA_APP_ID, DEMO_LWA_CLIENT_SECRET
from infra.secrets import MissingSecret, SsmCredentials, load_slack_secrets
from infra.spapi.factory import SpApiFactory
from infra.spapi.limiter import RateLimiter

REGION = "us-east-1"


@pytest.fixture
def prefix(ssm) -> str:
    prefix = f"/sellerbot/test-{uuid.uuid4().hex[:8]}"
    put = lambda name, value: ssm.put_parameter(Name=f"{prefix}/{name}", Value=value, Type="SecureString")
    put("lwa", json.dumps({"lwa_app_id": DEMO_LWA_APP_ID, "lwa_client_secret": DEMO_LWA_CLIENT_SECRET}))
    put("refresh-token/acme", "Atzr|demo-acme")
    put("slack", json.dumps({"signing_secret": "ssm-signing", "bot_token": "xoxb-ssm"}))
    return prefix


def test_factory_runs_on_ssm_credentials(fake, moto_server, prefix, acme):
    source = SsmCredentials(prefix, endpoint_url=moto_server, region_name=REGION)
    factory = SpApiFactory(source, RateLimiter(), endpoint_override=fake.base_url, lwa_endpoint_override=fake.base_url)
    try:
        resp = factory.call(
            "getOrders", acme, factory.client(Orders, acme, "US").get_orders, CreatedAfter="2020-01-01T00:00:00Z"
        )
    finally:
        factory.close()
    assert len(resp.payload["Orders"]) == 60 and fake.stats.tokens == {"acme": 1}
    assert "Atzr" not in repr(source) and DEMO_LWA_CLIENT_SECRET not in repr(source.lwa())


def test_slack_secrets_from_ssm(moto_server, prefix):
    slack = load_slack_secrets(prefix, endpoint_url=moto_server)
    assert slack.signing_secret.get_secret_value() == "ssm-signing" and slack.bot_token.get_secret_value() == "xoxb-ssm"
    assert "xoxb-ssm" not in repr(slack)


def test_missing_or_bad_parameters_are_named(ssm, moto_server, prefix):
    source = SsmCredentials(prefix, endpoint_url=moto_server, region_name=REGION)
    with pytest.raises(MissingSecret, match=f"{prefix}/refresh-token/globex is missing"):
        source.refresh_token("globex")
    with pytest.raises(MissingSecret, match=f"{prefix}-absent/lwa is missing"):
        SsmCredentials(prefix + "-absent", endpoint_url=moto_server, region_name=REGION).lwa()
    for suffix, value, words in (
        ("-garbled", "{not json", "not valid JSON"),
        ("-partial", json.dumps({"lwa_app_id": "x"}), "lacks or mistypes: lwa_client_secret"),
    ):
        ssm.put_parameter(Name=f"{prefix}{suffix}/lwa", Value=value, Type="SecureString")
        with pytest.raises(MissingSecret, match=words):
            SsmCredentials(prefix + suffix, endpoint_url=moto_server, region_name=REGION).lwa()

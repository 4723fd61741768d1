"""Issue 14 item 4: one IAM role per function, each with only the actions and resources it uses.
Issue 16 adds the `charts` function: Slack secrets and store reads only; the Slack function alone may invoke it.

Reads the CloudFormation that `make package` generates (osls + serverless-iam-roles-per-function).
Before the fix every function shared one role that could read every SSM secret and call
lambda:GetFunction: `test_each_function_has_its_own_role` and `test_only_sp_api_functions_read_amazon_secrets`
failed on that template.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from handlers.ops.status import FUNCTIONS

TEMPLATE = Path(__file__).resolve().parents[2] / ".serverless" / "cloudformation-template-update-stack.json"
# The functions that call SP-API (and so read the LWA app secret and the sellers' refresh tokens).
SP_API_FUNCTIONS = {
    "SlackLambdaFunction",
    "ReviewSweepLambdaFunction",
    "HealthCheckLambdaFunction",
    "AmazonCallbackLambdaFunction",  # issue 21: exchanges the code, reads the new seller's marketplaces
    # issue 21: LWA client secret rotation reads the app secret (/lwa only, no refresh token); the consumer of
    # Amazon's application notifications writes the rotated secret
    "LwaRotationLambdaFunction",
    "AppNotificationsLambdaFunction",
}


@pytest.fixture(scope="module")
def resources() -> dict[str, Any]:
    if not TEMPLATE.exists():
        pytest.skip("no packaged template: run `make package` first")
    return json.loads(TEMPLATE.read_text())["Resources"]


def _functions(resources: dict[str, Any]) -> dict[str, Any]:
    return {name: r for name, r in resources.items() if r["Type"] == "AWS::Lambda::Function"}


def _statements(resources: dict[str, Any], function: dict[str, Any]) -> list[dict[str, Any]]:
    role = resources[function["Properties"]["Role"]["Fn::GetAtt"][0]]
    return [st for policy in role["Properties"]["Policies"] for st in policy["PolicyDocument"]["Statement"]]


def _actions(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return [action] if isinstance(action, str) else list(action)


def test_each_function_has_its_own_role(resources):
    roles = [f["Properties"]["Role"]["Fn::GetAtt"][0] for f in _functions(resources).values()]
    # issue 20 adds `ops` (alarms into Slack), issue 21 `amazonCallback`, issue 22 `affiliatesDigest`: one role
    # for every function the status watches (handlers/ops/status.py FUNCTIONS, held equal to serverless.yml)
    assert len(roles) == len(set(roles)) == len(FUNCTIONS)


def test_no_wildcard_action_and_no_wildcard_resource_without_a_condition(resources):
    for name, function in _functions(resources).items():
        for st in _statements(resources, function):
            assert not any(a == "*" or a.endswith(":*") for a in _actions(st)), (name, st)
            if st["Resource"] == "*":
                # Only KMS decryption, and only through SSM (SecureString parameters); or reading metrics for
                # /sellerbot status: GetMetricData has no resource-level permission, and it only reads.
                if _actions(st) == ["cloudwatch:GetMetricData"]:
                    assert name == "SlackLambdaFunction", name
                    continue
                assert _actions(st) == ["kms:Decrypt"] and "kms:ViaService" in json.dumps(st.get("Condition")), name


def test_only_sp_api_functions_read_amazon_secrets(resources):
    for name, function in _functions(resources).items():
        ssm = json.dumps(
            [st["Resource"] for st in _statements(resources, function) if "ssm:" in json.dumps(st["Action"])]
        )
        assert "parameter/sellerbot/ci/slack" in ssm, name  # every function builds the runtime (Slack secrets)
        assert "parameter/sellerbot/ci/*" not in ssm, name  # never the whole prefix
        reads_amazon = "/lwa" in ssm or "/refresh-token/" in ssm
        assert reads_amazon == (name in SP_API_FUNCTIONS), name


def test_no_function_may_get_function_configuration(resources):
    for name, function in _functions(resources).items():
        assert not any("lambda:GetFunction" in _actions(st) for st in _statements(resources, function)), name


def test_charts_function_reads_the_store_and_the_slack_secret_only(resources):
    statements = _statements(resources, resources["ChartsLambdaFunction"])
    actions = sorted(a for st in statements for a in _actions(st) if not a.startswith("logs:"))
    assert actions == ["dynamodb:GetItem", "dynamodb:Query", "kms:Decrypt", "ssm:GetParameter"]
    ssm = [st["Resource"] for st in statements if _actions(st) == ["ssm:GetParameter"]]
    assert json.dumps(ssm).count("parameter/") == 1 and "parameter/sellerbot/ci/slack" in json.dumps(ssm)


def test_only_the_slack_function_invokes_lambdas_and_the_charts_function_by_its_arn(resources):
    for name, function in _functions(resources).items():
        invokes = [st["Resource"] for st in _statements(resources, function) if "lambda:InvokeFunction" in _actions(st)]
        if name != "SlackLambdaFunction":
            assert not invokes, name
            continue
        # Itself (lazy listeners, through the `snapstart` alias) and the charts function, nothing else.
        assert {"Fn::GetAtt": ["ChartsLambdaFunction", "Arn"]} in invokes
        assert "function:*" not in json.dumps(invokes)


def test_only_the_amazon_callback_writes_refresh_tokens(resources):
    """Issue 21: the callback stores the seller's refresh token; no other role may write one."""
    for name, function in _functions(resources).items():
        writes = [
            st["Resource"]
            for st in _statements(resources, function)
            if any(a in ("ssm:PutParameter", "ssm:*") for a in _actions(st))
        ]
        touches_tokens = "/refresh-token/" in json.dumps(writes)
        assert touches_tokens == (name == "AmazonCallbackLambdaFunction"), (name, writes)
    callback = _statements(resources, resources["AmazonCallbackLambdaFunction"])
    puts = [st for st in callback if "ssm:PutParameter" in _actions(st)]
    # Two puts, one path each: refresh-token/* (SP-API) and ads/* (issue 22's Ads connect).
    assert len(puts) == 2 and all(_actions(st) == ["ssm:PutParameter"] for st in puts)
    assert all(json.dumps(st["Resource"]).count("parameter/") == 1 for st in puts)
    written = json.dumps([st["Resource"] for st in puts])
    assert "parameter/sellerbot/ci/refresh-token/*" in written and "parameter/sellerbot/ci/ads/*" in written


def test_only_the_amazon_callback_writes_ads_credentials(resources):
    """Issue 22: GET /amazon/ads/callback writes <prefix>/ads/<account>; no other role may write it."""
    for name, function in _functions(resources).items():
        writes = json.dumps(
            [
                st["Resource"]
                for st in _statements(resources, function)
                if any(a in ("ssm:PutParameter", "ssm:*") for a in _actions(st))
            ]
        )
        assert ("parameter/sellerbot/ci/ads/*" in writes) == (name == "AmazonCallbackLambdaFunction"), name


def test_only_the_slack_function_deletes_refresh_tokens_and_only_those(resources):
    """Issue 21: `/sellerbot disconnect` deletes an account's refresh token; the Slack function may delete
    refresh-token/* and nothing else, and no other role may delete any parameter."""
    for name, function in _functions(resources).items():
        deletes = [
            st
            for st in _statements(resources, function)
            if any(a in ("ssm:DeleteParameter", "ssm:*") for a in _actions(st))
        ]
        if name != "SlackLambdaFunction":
            assert not deletes, (name, deletes)
            continue
        assert len(deletes) == 1 and _actions(deletes[0]) == ["ssm:DeleteParameter"], deletes
        resource = json.dumps(deletes[0]["Resource"])
        assert resource.count("parameter/") == 1 and "parameter/sellerbot/ci/refresh-token/*" in resource


def test_only_the_affiliate_functions_read_ads_credentials(resources):
    """Issue 22: the sellers' Amazon Ads credentials (<prefix>/ads/<account>) are read by the Slack function
    (/affiliates, the promo report's panel) and the weekly digest only, and by nothing else."""
    for name, function in _functions(resources).items():
        ssm = json.dumps(
            [st["Resource"] for st in _statements(resources, function) if "ssm:GetParameter" in _actions(st)]
        )
        reads_ads = "parameter/sellerbot/ci/ads/*" in ssm
        assert reads_ads == (name in {"SlackLambdaFunction", "AffiliatesDigestLambdaFunction"}), name


def test_only_the_app_notifications_consumer_writes_the_lwa_secret(resources):
    """Issue 21: a rotated LWA client secret arrives on the AppNotifications queue; only its consumer may write
    <prefix>/lwa, and no function reads a refresh token for rotation."""
    for name, function in _functions(resources).items():
        writes = json.dumps(
            [
                st["Resource"]
                for st in _statements(resources, function)
                if any(a in ("ssm:PutParameter", "ssm:*") for a in _actions(st))
            ]
        )
        assert ('parameter/sellerbot/ci/lwa"' in writes) == (name == "AppNotificationsLambdaFunction"), name
    for name in ("LwaRotationLambdaFunction", "AppNotificationsLambdaFunction"):
        ssm = json.dumps([st["Resource"] for st in _statements(resources, resources[name]) if "ssm:" in json.dumps(st)])
        assert "/refresh-token/" not in ssm, name

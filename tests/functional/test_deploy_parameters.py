"""`make deploy` creates the String parameters CloudFormation resolves at deploy, and never overwrites one."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

import deploy  # tools/ is no package: imported from its directory


def test_creates_the_missing_ones_and_keeps_what_is_there(ssm):
    stage = "t" + uuid.uuid4().hex[:10]
    ssm.put_parameter(Name=f"/sellerbot/{stage}/allowed-team-ids", Value="T0KEEP", Type="String")
    values = {"SPAPI_APP_ID": "amzn1.sellerapps.app.example", "OPS_CHANNEL": "C0OPS"}
    created = deploy.ensure_parameters(ssm, stage, values, dry_run=False)
    assert f"/sellerbot/{stage}/allowed-team-ids" not in created
    assert ssm.get_parameter(Name=f"/sellerbot/{stage}/allowed-team-ids")["Parameter"]["Value"] == "T0KEEP"
    assert ssm.get_parameter(Name=f"/sellerbot/{stage}/allowed-app-ids")["Parameter"]["Value"] == "none"
    assert ssm.get_parameter(Name=f"/sellerbot/{stage}/ops-channel")["Parameter"]["Value"] == "C0OPS"
    assert deploy.ensure_parameters(ssm, stage, values, dry_run=False) == []


def test_first_deploy_without_the_app_id_says_what_to_pass(ssm):
    stage = "t" + uuid.uuid4().hex[:10]
    with pytest.raises(deploy.Refused, match=r"SPAPI_APP_ID=.*OPS_CHANNEL="):
        deploy.ensure_parameters(ssm, stage, {}, dry_run=False)


def test_admins_default_to_the_workspace_s_admins_and_owners(ssm):
    """A fresh stack has admins before any account exists (serverless.yml resolves SELLERBOT_ADMINS from it)."""
    base = {"SPAPI_APP_ID": "amzn1.sellerapps.app.example", "OPS_CHANNEL": "C0OPS"}
    for values, expected in ((base, "workspace"), ({**base, "ADMINS": "U0LEAD,U0OPS"}, "U0LEAD,U0OPS")):
        stage = "t" + uuid.uuid4().hex[:10]
        deploy.ensure_parameters(ssm, stage, values, dry_run=False)
        assert ssm.get_parameter(Name=f"/sellerbot/{stage}/admins")["Parameter"]["Value"] == expected

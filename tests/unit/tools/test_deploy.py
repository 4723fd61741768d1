"""`make deploy`: the prerequisites it refuses without, and the commands it would run (it cannot deploy here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tools"))

import deploy  # noqa: E402  (tools/ is no package)

ARGS = ["--stage", "prod", "--region", "eu-west-1", "--ops-email", "ops@example.com"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_CONFIG_FILE=str(tmp_path / "none"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"))
    env.update(extra)
    return env


def _make(tmp_path: Path, *variables: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "deploy", *variables],
        cwd=ROOT,
        env=_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        check=False,
    )


def test_dry_run_prints_the_osls_deploy_it_would_run_and_the_next_steps(tmp_path):
    done = _make(
        tmp_path,
        "STAGE=prod",
        "REGION=eu-west-1",
        "OPS_EMAIL=ops@example.com",
        "DRY_RUN=1",
        AWS_ACCESS_KEY_ID="AKIAEXAMPLE",
        AWS_SECRET_ACCESS_KEY="example",
    )
    assert done.returncode == 0, done.stderr
    assert (
        "npx --no-install osls deploy --stage prod --region eu-west-1 --param=opsEmail=ops@example.com" in done.stdout
    )
    assert "tools/build_lambda_zip.py" in done.stdout
    assert "would create /sellerbot/prod/allowed-team-ids = none if missing" in done.stdout
    assert "sellerbot manifest --url" in done.stdout and "sellerbot doctor" in done.stdout


def test_refuses_without_aws_credentials(tmp_path):
    done = _make(tmp_path, "STAGE=prod", "REGION=eu-west-1", "OPS_EMAIL=ops@example.com")
    assert done.returncode != 0
    assert "no AWS credentials found" in done.stderr
    assert "osls deploy" not in done.stdout


def test_refuses_without_node(tmp_path, capsys):
    bare = tmp_path / "bin"
    bare.mkdir()
    env = _env(tmp_path, PATH=str(bare), AWS_ACCESS_KEY_ID="AKIAEXAMPLE", AWS_SECRET_ACCESS_KEY="example")
    assert deploy.run([*ARGS, "--dry-run"], env=env) == 2
    assert "node is not on PATH" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--region", "eu-west-1", "--ops-email", "a@b.c"], "STAGE is required"),
        (["--stage", "prod", "--ops-email", "a@b.c"], "REGION is required"),
        (["--stage", "prod", "--region", "eu-west-1"], "OPS_EMAIL is required"),
    ],
)
def test_refuses_without_stage_region_or_ops_email(args, says, capsys):
    assert deploy.run([*args, "--dry-run"], env={}) == 2
    assert says in capsys.readouterr().err


@pytest.mark.parametrize(
    ("version", "ok"),
    [
        ("v20.19.0", True),
        ("v20.18.1", False),
        ("v22.12.0", False),
        ("v22.13.0", True),
        ("v24.0.0", True),
        ("v18.20.0", False),
    ],
)
def test_node_versions_osls_accepts(version, ok):
    assert deploy.node_version_ok(version) is ok

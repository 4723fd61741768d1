"""`/sellerbot status` and `sellerbot status` read the same figures through this wiring.

Where each figure comes from:
- version and deploy time: SELLERBOT_VERSION and SELLERBOT_DEPLOYED_AT, set at deploy; outside a deploy
  the version falls back to `git describe` of the checkout, and the deploy time is unknown.
- queues: SQS GetQueueAttributes on the URLs in the SELLERBOT_*_QUEUE_URL / *_DLQ_URL variables
  (handlers/ops/status.py QUEUES); a queue without its variable is unknown, never empty.
- errors and throttles: one CloudWatch GetMetricData call; a local run (stage `local`, no AWS endpoint)
  has no CloudWatch to ask, and says so.
- schedules and health-check coverage: the store.
The assembled status is cached for a minute per process.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from handlers.ops.status import QUEUES, CachedStatus, Release, Status, StatusReader
from infra.accounts import AccountsConfig
from infra.ops_status import CloudWatchSums, SqsQueueDepths
from infra.store.base import Store

VERSION_ENV = "SELLERBOT_VERSION"
DEPLOYED_AT_ENV = "SELLERBOT_DEPLOYED_AT"
LOCAL_NO_METRICS = "local run: CloudWatch has metrics only for a deployed stage (SELLERBOT_STAGE is local)"


@lru_cache(maxsize=1)
def _git_describe() -> str | None:
    checkout = Path(__file__).resolve().parents[2]
    try:
        done = subprocess.run(
            ["git", "describe", "--tags", "--always", "--dirty"],
            cwd=checkout,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    described = done.stdout.strip()
    return described if done.returncode == 0 and described else None


def release_from_env(env: Mapping[str, str]) -> Release:
    release = Release()
    version = (env.get(VERSION_ENV) or "").strip()
    if version:
        release.version = version
    else:
        described = _git_describe()
        if described:
            release.version = f"{described} (git describe: {VERSION_ENV} is not set)"
        else:
            release.unknown["version"] = f"{VERSION_ENV} is not set and this is no git checkout"
    deployed = (env.get(DEPLOYED_AT_ENV) or "").strip()
    if deployed:
        release.deployed_at = deployed
    else:
        release.unknown["deployed_at"] = f"not a deploy: {DEPLOYED_AT_ENV} is not set"
    return release


def build_reader(
    *, store: Store, accounts: AccountsConfig, env: Mapping[str, str], now: Callable[[], datetime] | None = None
) -> StatusReader:
    stage = env.get("SELLERBOT_STAGE") or "local"
    endpoint = env.get("SELLERBOT_AWS_ENDPOINT_URL") or None
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None
    local = stage == "local" and endpoint is None
    urls = {q.url_env: env[q.url_env] for q in QUEUES if env.get(q.url_env)}
    return StatusReader(
        store=store,
        accounts=accounts,
        stage=stage,
        service=env.get("POWERTOOLS_SERVICE_NAME") or "sellerbot",
        release=release_from_env(env),
        queue_urls=urls,
        queues=SqsQueueDepths(endpoint_url=endpoint, region=region) if urls else None,
        metrics=None if local else CloudWatchSums(endpoint_url=endpoint, region=region),
        no_metrics_reason=LOCAL_NO_METRICS,
        now=now or (lambda: datetime.now(UTC)),
    )


# One cache per store (a Lambda container has one; tests build a store per bot).
_caches: dict[int, tuple[Store, CachedStatus]] = {}
_cache_lock = threading.Lock()


def cached_status(
    *, store: Store, accounts: AccountsConfig, clock: Callable[[], float], env: Mapping[str, str] | None = None
) -> Status:
    """The process's status, read at most once a minute (a Lambda container keeps it between calls)."""
    with _cache_lock:
        hit = _caches.get(id(store))
        if hit is None or hit[0] is not store:
            reader = build_reader(
                store=store,
                accounts=accounts,
                env=dict(os.environ if env is None else env),
                now=lambda: datetime.fromtimestamp(clock(), UTC),
            )
            hit = (store, CachedStatus(reader.read, clock))
            _caches[id(store)] = hit
    return hit[1].get()


def forget_cache() -> None:
    """Drop every cached status (tests that change the environment between reads)."""
    with _cache_lock:
        _caches.clear()

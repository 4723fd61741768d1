"""The per-process runtime every entry point shares: settings (the Slack secrets from SSM on Lambda),
the store, the Slack Web client and the account registry (accounts live in the store; the accounts file,
or locally the demo set, is imported into it once), as `Deps`.

Built once per Lambda container (at import on Lambda, on first use elsewhere). It holds no Bolt app:
the Slack entry point (bot/lambda_handler.py) builds one over it, and the workers use it without one,
so a worker's cold start never loads a listener.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from bot.deps import Deps, open_registry
from bot.logging_setup import register_secret
from bot.settings import Settings
from bot.slack_client import build_web_client
from handlers.accounts import AccountRegistry
from infra.accounts import AccountsConfig, accounts_file, load_accounts
from infra.secrets import load_slack_secrets
from infra.store.base import Store
from infra.store.factory import build_store

log = logging.getLogger("sellerbot.runtime")


@dataclass
class Runtime:
    settings: Settings
    deps: Deps


def _resolve_secrets(settings: Settings) -> Settings:
    if settings.secrets_source != "ssm":
        return settings
    slack = load_slack_secrets(settings.ssm_prefix, endpoint_url=settings.aws_endpoint_url)
    return settings.model_copy(
        update={"slack_signing_secret": slack.signing_secret, "slack_bot_token": slack.bot_token}
    )


def _seed_args(settings: Settings) -> dict[str, Any]:
    """What is imported into the store on first read: SELLERBOT_ACCOUNTS_FILE, else locally the demo set;
    on Lambda without a file, nothing (a deployed stack never serves the demo accounts)."""
    path = accounts_file(settings.accounts_file)
    if path is None:
        return {"seed": None, "source": ""}
    return {"seed": load_accounts(path), "source": path.name}


def build_runtime(settings: Settings | None = None, *, store: Store | None = None) -> Runtime:
    settings = _resolve_secrets(settings or Settings.from_env())
    for secret in settings.secret_values():
        register_secret(secret)
    if not settings.slack_signing_secret.get_secret_value():
        raise RuntimeError("SLACK_SIGNING_SECRET is not configured; refusing to start without request verification")
    seed = _seed_args(settings)
    deps = Deps(
        settings=settings,
        store=store if store is not None else build_store(settings.store_url),
        slack=build_web_client(settings.slack_bot_token.get_secret_value(), settings.slack_api_url),
        seed_accounts=seed["seed"],
        seed_source=seed["source"],
    )
    return Runtime(settings=settings, deps=deps)


_current: Runtime | None = None


def current() -> Runtime:
    global _current
    if _current is None:
        started = time.perf_counter()
        _current = build_runtime()
        log.info("runtime built in %.0f ms", (time.perf_counter() - started) * 1000)
    return _current


_accounts_only: tuple[str, AccountRegistry] | None = None


def current_accounts() -> AccountsConfig:
    """The accounts now, for a process that needs nothing else of the runtime (the schedule dispatchers,
    which hold no Slack secret): the installed runtime's, else a registry over the configured store."""
    if _current is not None:
        return _current.deps.accounts
    return current_registry().snapshot()


def current_registry() -> AccountRegistry:
    """The installed runtime's registry, else one over the configured store (as `current_accounts`)."""
    global _accounts_only
    if _current is not None:
        return _current.deps.registry
    settings = Settings.from_env()
    # Keyed on what it was built from: tests (and `sellerbot` runs) change the environment between calls.
    key = f"{settings.store_url} {accounts_file(settings.accounts_file)}"
    if _accounts_only is None or _accounts_only[0] != key:
        _accounts_only = (key, open_registry(build_store(settings.store_url), time.time, **_seed_args(settings)))
    return _accounts_only[1]


def _slack_secrets(settings: Settings) -> tuple[str, str]:
    return settings.slack_signing_secret.get_secret_value(), settings.slack_bot_token.get_secret_value()


def refresh_after_restore() -> bool:
    """After a SnapStart restore: drop what must not outlive the snapshot; True if the runtime was dropped.

    The Slack secrets are read again (from SSM on Lambda): if they were rotated since the snapshot, the
    runtime is dropped so the next `current()` builds one with the new values (the Bolt app and the gate
    hold them). Otherwise it is kept, less the per-container caches keyed on time or credentials: the
    access gate's group cache and the SP-API factory (cached LWA credentials and refresh tokens)."""
    global _current
    if _current is None:
        return False
    if _slack_secrets(_resolve_secrets(Settings.from_env())) != _slack_secrets(_current.settings):
        log.info("Slack secrets changed since the snapshot; rebuilding the runtime")
        _current = None
        return True
    for name in ("access", "spapi"):  # functools.cached_property keeps its value in the instance dict
        _current.deps.__dict__.pop(name, None)
    return False


def install(runtime: Runtime | None) -> None:
    """Use `runtime` for this process (local server, tests); None resets."""
    global _current, _accounts_only
    _current, _accounts_only = runtime, None

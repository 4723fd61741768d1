"""Lambda SnapStart runtime hooks (issue 16).

With SnapStart, Lambda runs the init phase once per published version, snapshots the memory and
starts every later container from that snapshot. `warm` runs just before the snapshot and does the
work that is safe to freeze: imports, the compiled compliance rules and the language model, the Bolt
app and its gate over the runtime, and botocore's service models and endpoint data. It creates no
boto3 client (no credentials or connections in the snapshot).

`refresh` runs in every restored container, before its first request, and undoes what must not be
shared between containers or must not outlive the snapshot: `random`'s state is reseeded; the Slack
secrets are read from SSM again (a rotated signing secret or bot token reaches a restored container
here, and the runtime is rebuilt over it); the access gate's time-stamped group cache, the SP-API
factory with its cached LWA credentials, and sp_api's LWA access-token cache are dropped.

Locally (no SnapStart) nothing calls the hooks: registering them only appends to a list.
"""

from __future__ import annotations

import importlib
import logging
import random
import sys

from snapshot_restore_py import register_after_restore, register_before_snapshot

log = logging.getLogger("sellerbot.snapstart")

# Imported on a first use that the snapshot should already hold: SP-API clients and their HTTP stack.
WARM_IMPORTS = (
    "sp_api.api",
    "sp_api.base",
    "httpx",
    "infra.spapi.transport",
    "boto3",
    "bot.listeners.health",  # loaded on first use at a cold start without SnapStart (health_routes.py)
    "bot.listeners.promo",  # the same (promo_routes.py)
    "bot.listeners.affiliates",  # the same (affiliates_routes.py)
    "bot.listeners.accounts",  # the same (accounts_routes.py)
    "bot.listeners.connect",  # the same (connect_routes.py)
    "bot.listeners.connect_ads",  # the same
)
# The AWS services the Slack function calls, and the botocore data a client of each loads when created.
AWS_SERVICES = ("dynamodb", "lambda", "ssm")


def warm_botocore() -> None:
    """Load botocore's service models, endpoint rules and partitions into the default session's loader
    (its instance cache), which every later `boto3.client` reads: no region, no credentials needed."""
    import boto3

    if boto3.DEFAULT_SESSION is None:
        boto3.setup_default_session()
    session = boto3.DEFAULT_SESSION
    assert session is not None
    loader = session._session.get_component("data_loader")
    for service in AWS_SERVICES:
        for kind in ("service-2", "endpoint-rule-set-1"):
            loader.load_service_model(service, kind)
    for name in ("endpoints", "partitions", "sdk-default-configuration", "_retry"):
        loader.load_data(name)


@register_before_snapshot
def warm() -> None:
    from bot import lambda_handler
    from handlers import compliance

    for module in WARM_IMPORTS:
        importlib.import_module(module)
    warm_botocore()
    compliance.warm()
    lambda_handler.current_entry()
    lambda_handler.finish_init()  # frozen objects are also what the snapshot holds


@register_after_restore
def refresh() -> None:
    from bot import lambda_handler, runtime

    random.seed()  # every restored container would otherwise draw the same sequence
    rebuilt = runtime.refresh_after_restore()
    if "sp_api" in sys.modules:  # cached LWA access tokens are per container and expire
        from infra.spapi.factory import clear_token_cache

        clear_token_cache()
    lambda_handler.current_entry()  # builds the entry again over a rebuilt runtime, before the first request
    log.info("restored from snapshot%s", "; Slack secrets changed, runtime rebuilt" if rebuilt else "")

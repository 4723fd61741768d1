"""The affiliates service the Slack function and the digest worker use (issue 22): the domain's
AffiliatesService over the Attribution client for each account's Ads credentials."""

from __future__ import annotations

from handlers.affiliates.service import AffiliatesService
from infra.clock import Clock
from infra.store.base import Store


def build_affiliates_service(settings: object, store: Store, clock: Clock) -> AffiliatesService:
    # Interim until infra/ads (the Attribution client) is in: every use says the client is missing.
    raise RuntimeError("the Amazon Attribution client is not configured in this build")

"""Each account x marketplace's Ads profile, discovered once and kept in the store.

Discovery is GET /v2/profiles on the marketplace's regional host (the client's), keeping the seller
profile whose accountInfo.marketplaceStringId is the marketplace's and which is not a legacy
Attribution-only profile (subType AMAZON_ATTRIBUTION, amazon-attribution.md §2), then its advertiser
(sellers have one per profile, §3). Stored with its currency and time zone by a conditional write with
an audit entry, so two concurrent discoveries store it once.

  ADSPROFILE#<account>        MP#<code>                         StoredProfile
  ADSPROFILEAUDIT#<account>   AUDIT#<iso ts>#<action>#<r>       handlers.audit.AuditEntry (discovered | forgotten)
"""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

from pydantic import BaseModel, ValidationError

from handlers import audit
from handlers.affiliates.ports import AttributionApi
from infra.ads.regions import AttributionMarketplace
from infra.clock import as_utc, iso_sortable
from infra.store.base import ConditionFailed, Item, Put, Store

DISCOVERED = "discovered"
FORGOTTEN = "forgotten"


class StoredProfile(BaseModel):
    profile_id: int
    marketplace: str
    currency: str
    timezone: str
    advertiser_ids: list[str]


def _key(account_id: str, marketplace: str) -> tuple[str, str]:
    return f"ADSPROFILE#{account_id}", f"MP#{marketplace}"


def _audit(account_id: str, action: str, now: datetime, detail: dict[str, str]) -> Put:
    entry = audit.AuditEntry(at=now, by="system:affiliates", action=action, detail=detail)
    return Put(
        item=Item(
            pk=f"ADSPROFILEAUDIT#{account_id}",
            sk=f"AUDIT#{iso_sortable(now)}#{action}#{uuid4().hex[:8]}",
            data=entry.model_dump(mode="json"),
        )
    )


def stored(store: Store, account_id: str, marketplace: str) -> StoredProfile | None:
    item = store.get(*_key(account_id, marketplace))
    if item is None:
        return None
    try:
        return StoredProfile.model_validate(item.data)
    except ValidationError:
        return None


def discover(client: AttributionApi, row: AttributionMarketplace) -> StoredProfile | None:
    """The marketplace's seller profile and its advertisers, from Amazon; None when there is none."""
    for profile in client.profiles():
        info = profile.get("accountInfo") or {}
        if not isinstance(info, dict) or info.get("marketplaceStringId") != row.marketplace_id:
            continue
        if info.get("subType") == "AMAZON_ATTRIBUTION" or info.get("type") not in (None, "seller", "vendor"):
            continue
        profile_id = profile.get("profileId")
        if not isinstance(profile_id, int):
            continue
        advertisers = [str(a["advertiserId"]) for a in client.advertisers(profile_id) if a.get("advertiserId")]
        return StoredProfile(
            profile_id=profile_id,
            marketplace=row.code,
            currency=str(profile.get("currencyCode") or row.currency),
            timezone=str(profile.get("timezone") or row.zone),
            advertiser_ids=advertisers,
        )
    return None


def remember(store: Store, account_id: str, profile: StoredProfile, now: datetime) -> StoredProfile:
    """Store a discovered profile once (conditional, audited); a concurrent discovery's copy wins."""
    now = as_utc(now)
    pk, sk = _key(account_id, profile.marketplace)
    detail = {"marketplace": profile.marketplace, "profile_id": str(profile.profile_id)}
    try:
        store.transact(
            [Put(item=Item(pk=pk, sk=sk, data=profile.model_dump())), _audit(account_id, DISCOVERED, now, detail)]
        )
    except ConditionFailed:
        return stored(store, account_id, profile.marketplace) or profile
    return profile


def forget(store: Store, account_id: str, marketplace: str, now: datetime) -> None:
    """Drop a stored profile Amazon no longer accepts (audited), so the next call discovers it again."""
    pk, sk = _key(account_id, marketplace)
    item = store.get(pk, sk)
    if item is None:
        return
    try:
        store.delete(pk, sk, expected_version=item.version)
    except ConditionFailed:
        return
    store.transact([_audit(account_id, FORGOTTEN, as_utc(now), {"marketplace": marketplace})])

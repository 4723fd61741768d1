"""The promo request's products, checked in Amazon's catalog (Catalog Items API 2022-04-01).

Every ASIN of a request must be listed in the promotion's marketplace and, when the account has a
brand (AccountConfig.brand), carry that brand (`summaries[].brand`, compared case-insensitively).
One `searchCatalogItems` call looks up to 20 ASINs (the model's `identifiers` maxItems), asking
only for the `summaries` dataset in exactly that marketplace (`marketplaceIds` takes one); an ASIN
the search does not return is not in that marketplace's catalog. The titles it returns are what the
approval card shows.

SKUs are seller-side names, not catalog identifiers (a SKU search needs the seller's listings):
they are not checked, and the result says so. When the catalog cannot be reached (throttled past
the retries, 5xx, no access for the app) the request is not refused: the result is `checked=False`
with a warning naming the ASINs, which the approval card keeps showing (service.card) so the
approvers check them in Seller Central. Nothing here sends Slack text or touches the store.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field

from handlers.promo.models import ASIN_PATTERN, Promotion
from handlers.promo.validation import Issue
from handlers.spapi_port import JsonObject, SpApiFactoryLike
from infra.accounts import AccountConfig
from infra.marketplaces import marketplace
from infra.spapi.errors import status_of

log = logging.getLogger(__name__)

# searchCatalogItems: `identifiers` maxItems 20 and `pageSize` maximum 20 in the model.
MAX_IDENTIFIERS = 20
_ASIN = re.compile(ASIN_PATTERN)
# A search page is at most 20 items; a chunk of 20 ASINs fits one. More pages would be Amazon
# answering more items than asked for: stop rather than loop.
_MAX_PAGES = 3


class CatalogCheck(BaseModel):
    """What the catalog said about a request's products.

    `titles`: ASIN -> title for every ASIN found in the marketplace (empty title when the catalog
    gives none). `errors` refuse the request (unknown or foreign ASINs); `warnings` do not (SKUs
    not checked, the catalog unreachable). `checked` is False when the catalog could not be asked.
    """

    titles: dict[str, str] = Field(default_factory=dict)
    errors: list[Issue] = Field(default_factory=list)
    warnings: list[Issue] = Field(default_factory=list)
    checked: bool = True


# A title longer than this is cut on the card (Amazon's titles run to 200 characters).
TITLE_CHARS = 80


def product_lines(promo: Promotion) -> str:
    """One line per product for the card: the ASIN and its catalog title, or why it has none."""
    lines = []
    for item in promo.asins:
        if not is_asin(item):
            lines.append(f"{item} (SKU, not checked in the catalog)")
        elif item not in promo.product_titles:
            lines.append(f"{item} (not checked in the catalog)")
        else:
            title = promo.product_titles[item] or "no title in the catalog"
            lines.append(f"{item} · {title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + '…'}")
    return "\n".join(lines)


def card_warnings(promo: Promotion) -> list[Issue]:
    """What the card keeps saying about the products: SKUs and ASINs the catalog did not confirm."""
    skus = [p for p in promo.asins if not is_asin(p)]
    unchecked = [p for p in promo.asins if is_asin(p) and p not in promo.product_titles]
    out = [skus_warning(skus)] if skus else []
    if unchecked:
        out.append(
            Issue(
                field="asins",
                message=(
                    f"{', '.join(unchecked)} could not be checked in Amazon's catalog when this was requested: "
                    "approvers, check in Seller Central that each is your product in this marketplace before approving."
                ),
            )
        )
    return out


def is_asin(item: str) -> bool:
    return bool(_ASIN.match(item))


def skus_warning(skus: Sequence[str]) -> Issue:
    """Why SKUs carry no title: the catalog is asked about ASINs only."""
    listed = ", ".join(skus)
    one = len(skus) == 1
    return Issue(
        field="asins",
        message=(
            f"{listed} {'is a SKU' if one else 'are SKUs'}, not {'an ASIN' if one else 'ASINs'}: SKUs are not "
            "checked in Amazon's catalog, so make sure they are your products in Seller Central."
        ),
    )


def unchecked_warning(asins: Sequence[str], reason: str) -> Issue:
    """The warning that stays on the card while ASINs are unchecked."""
    return Issue(
        field="asins",
        message=(
            f"Amazon's catalog could not be checked ({reason}), so {', '.join(asins)} "
            f"{'is' if len(asins) == 1 else 'are'} not confirmed: approvers, check in Seller Central that "
            "each is your product in this marketplace before approving."
        ),
    )


def _why_unreachable(exc: BaseException) -> str:
    """A few words on why the catalog could not be asked (no exception text: it reaches Slack)."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    if names & {"MissingSecret", "AuthorizationError", "TokenRefused", "MarketplaceNotConfigured"}:
        return "this account's SP-API authorization is missing or was refused"
    status = status_of(exc)
    if status == 429:
        return "Amazon kept throttling the requests"
    if status == 403:
        return "this app has no access to the Catalog Items API for the account"
    if status is not None and status >= 500:
        return f"Amazon answered HTTP {status}"
    return "no answer from Amazon"


class ProductCatalog:
    """The check, through the shared factory (its rate limiter and retry policy)."""

    def __init__(self, factory: SpApiFactoryLike) -> None:
        self.factory = factory

    def check(
        self, account: AccountConfig, marketplace_code: str, products: Sequence[str], *, deadline: float | None = None
    ) -> CatalogCheck:
        asins = list(dict.fromkeys(p for p in products if is_asin(p)))
        skus = [p for p in products if not is_asin(p)]
        warnings = [skus_warning(skus)] if skus else []
        if not asins:
            return CatalogCheck(warnings=warnings)
        market = marketplace(marketplace_code)
        if market is None:  # validation only lets known marketplaces through; never refuse on our gap
            return CatalogCheck(warnings=[*warnings, unchecked_warning(asins, "unknown marketplace")], checked=False)
        try:
            found = self._search(account, market.code, market.marketplace_id, asins, deadline)
        except Exception as exc:  # any failure to ask: the request goes on, flagged (see module doc)
            log.warning(
                "catalog check failed for %s/%s: %s (HTTP %s)",
                account.account_id,
                market.code,
                type(exc).__name__,
                status_of(exc),
            )
            return CatalogCheck(warnings=[*warnings, unchecked_warning(asins, _why_unreachable(exc))], checked=False)
        strangers = sorted(set(found) - set(asins))
        if strangers:
            # A search by identifiers only ever lists the ASINs asked for; an answer about other products
            # (a stand-in that replays one canned answer, a proxy mix-up) proves nothing either way.
            log.warning("catalog answered about ASINs not asked for: %s", ", ".join(strangers[:5]))
            reason = "Amazon's answer was about other products"
            return CatalogCheck(warnings=[*warnings, unchecked_warning(asins, reason)], checked=False)
        return _verdict(account, market.code, asins, found, warnings)

    def _search(
        self, account: AccountConfig, code: str, marketplace_id: str, asins: list[str], deadline: float | None
    ) -> dict[str, JsonObject]:
        """ASIN -> its summary in `marketplace_id`, for the ASINs the catalog lists there."""
        # Lazy: sp_api costs ~170 ms to import, kept off the Slack ack path.
        from sp_api.api.catalog_items.catalog_items_2022_04_01 import CatalogItemsV20220401

        client = self.factory.client(CatalogItemsV20220401, account, code)
        found: dict[str, JsonObject] = {}
        for start in range(0, len(asins), MAX_IDENTIFIERS):
            chunk = asins[start : start + MAX_IDENTIFIERS]
            params: dict[str, Any] = {
                "identifiers": ",".join(chunk),
                "identifiersType": "ASIN",
                "marketplaceIds": [marketplace_id],
                "includedData": "summaries",
                "pageSize": len(chunk),
            }
            for _ in range(_MAX_PAGES):
                resp = self.factory.call(
                    "searchCatalogItems", account, client.search_catalog_items, deadline=deadline, **params
                )
                payload = resp.payload if isinstance(resp.payload, dict) else {}
                for item in payload.get("items") or []:
                    summary = _summary(item, marketplace_id)
                    if summary is not None:
                        found[str(item["asin"]).upper()] = summary
                token = (payload.get("pagination") or {}).get("nextToken")
                if not token:
                    break
                params["pageToken"] = token
        return found


def _summary(item: object, marketplace_id: str) -> JsonObject | None:
    """The item's summary for `marketplace_id`; None when the item is not listed there."""
    if not isinstance(item, dict) or not isinstance(item.get("asin"), str):
        return None
    for summary in item.get("summaries") or []:
        if isinstance(summary, dict) and summary.get("marketplaceId") == marketplace_id:
            return summary
    return None


def _verdict(
    account: AccountConfig, code: str, asins: list[str], found: dict[str, JsonObject], warnings: list[Issue]
) -> CatalogCheck:
    out = CatalogCheck(warnings=list(warnings))
    brand = (account.brand or "").strip()
    for asin in asins:
        summary = found.get(asin)
        if summary is None:
            out.errors.append(
                Issue(
                    field="asins",
                    message=f"{asin} is not in Amazon's catalog in the {code} marketplace: check the ASIN.",
                )
            )
            continue
        out.titles[asin] = " ".join(str(summary.get("itemName") or "").split())
        theirs = " ".join(str(summary.get("brand") or "").split())
        if not brand:
            continue
        if not theirs:
            out.warnings.append(
                Issue(
                    field="asins",
                    message=f"{asin} has no brand in Amazon's catalog, so it could not be matched to {brand}: "
                    "make sure it is your product.",
                )
            )
        elif theirs.casefold() != brand.casefold():
            out.errors.append(
                Issue(
                    field="asins",
                    message=f"{asin} belongs to brand {theirs}, not {brand}: promo codes can only cover your own "
                    "brand's products.",
                )
            )
    return out

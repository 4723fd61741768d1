"""The lazy half of a new promo request (command or form): Amazon's catalog check, then the submit.

The ack validated the request and stored it as a draft, which holds its code, so a double submit or
a lost race was answered there. The ASINs' check is an SP-API call, never made within Slack's
3 seconds: here the draft is checked and submitted for approval, or cancelled (its code released)
with what to fix told to the requester.
"""

from __future__ import annotations

from bot.listeners.promo.context import PromoWorkflow, Say
from bot.listeners.promo_routes import NEW_INLINE
from bot.views.promo import invalid_request
from handlers.promo import service
from handlers.promo.catalog import ProductCatalog
from handlers.promo.models import PromoStatus, Promotion
from infra.accounts import AccountConfig


def checked_request(
    workflow: PromoWorkflow, account: AccountConfig, code: str, user: str, say: Say
) -> Promotion | None:
    """This user's request, checked in the catalog and submitted, if it still needs its card; else None
    (the ack refused it, another delivery announced it, or the catalog refused it: said through `say`)."""
    draft = workflow.repo.get_by_code(account.account_id, code, with_history=False) if code else None
    if draft is not None and draft.requester == user and draft.status is PromoStatus.DRAFT:
        out = service.check_products(
            workflow.repo, account, draft, user, ProductCatalog(workflow.deps.spapi), now=workflow.now()
        )
        if out.errors:
            say(invalid_request(out.errors, out.warnings, NEW_INLINE.usage))
            return None
    return workflow.stored_request(account, code, user)

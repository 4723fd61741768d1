from __future__ import annotations

from datetime import timedelta

import pytest

from bot.views.promo import promo_detail
from handlers.promo import service
from handlers.promo.gateway import SellerCentralHandoff
from handlers.promo.models import PromoStatus as S
from handlers.promo.repository import PromoRepository
from infra.store.sqlite import SQLiteStore
from tests.support.promo import APPROVER, NOW, REQUESTER, raw_request


def action_ids(card: service.PromoCard, promo) -> list[str]:
    """The action ids of the buttons `/promo show` renders for the card."""
    blocks = promo_detail(card, promo)["blocks"]
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


@pytest.fixture
def repo() -> PromoRepository:
    return PromoRepository(SQLiteStore(":memory:"), clock=lambda: NOW)


def test_request_to_active_flow(repo, account):
    out = service.request_promo(repo, account, raw_request(), REQUESTER, now=NOW)
    assert out.ok and out.promotion.status is S.PENDING_APPROVAL
    c = service.card(out.promotion, account, viewer=APPROVER, warnings=out.validation.warnings)
    assert (
        action_ids(c, out.promotion) == ["promo_approve", "promo_reject", "promo_cancel"]
        and c.button_value == f"acme:{out.promotion.id}"
    )
    assert action_ids(service.card(out.promotion, account, viewer=REQUESTER), out.promotion) == ["promo_cancel"]
    assert any("cannot be changed" in w for w in c.warnings)
    pid = out.promotion.id
    repo.approve(account, pid, APPROVER)
    gw = SellerCentralHandoff()
    h = service.hand_off(repo, gw, account, pid, REQUESTER)
    assert h.transition.applied and h.handoff.deep_link.endswith("/promotions/new")
    assert action_ids(service.card(h.transition.promotion, account, viewer=REQUESTER), h.transition.promotion) == [
        "promo_hand_off",
        "promo_mark_created",
        "promo_cancel",
    ]
    again = service.hand_off(repo, gw, account, pid, REQUESTER)
    assert not again.transition.applied and again.handoff is not None  # instructions re-shown, nothing written
    bad = service.confirm_created(repo, gw, account, pid, REQUESTER, external_id="SUMMERSALE")
    assert bad.outcome == "invalid" and "promo code" in bad.message and repo.get("acme", pid).version == 3
    r = service.confirm_created(
        repo, gw, account, pid, REQUESTER, external_id="16913551269", now=NOW + timedelta(days=8)
    )
    assert r.promotion.status is S.ACTIVE
    assert action_ids(service.card(r.promotion, account, viewer=REQUESTER), r.promotion) == ["promo_cancel"]
    assert service.hand_off(repo, gw, account, pid, REQUESTER).handoff is None  # created: no steps left to show


# What the card offers a viewer who may do everything (an approver who did not request it), per status.
OFFERED = {
    S.PENDING_APPROVAL: ["promo_approve", "promo_reject", "promo_cancel"],
    S.APPROVED: ["promo_hand_off", "promo_cancel"],
    S.HANDED_OFF: ["promo_hand_off", "promo_mark_created", "promo_cancel"],
    S.CREATED: ["promo_cancel"],
    S.ACTIVE: ["promo_cancel"],
    S.ENDED: [],
    S.REJECTED: [],
    S.CANCELLED: [],
}


@pytest.mark.parametrize("status", list(OFFERED))
def test_buttons_are_only_the_moves_possible_from_the_status(repo, account, status):
    p = service.request_promo(repo, account, raw_request(), REQUESTER, now=NOW).promotion.model_copy(
        update={"status": status}
    )
    shown = action_ids(service.card(p, account, viewer=APPROVER), p)
    assert shown == OFFERED[status]
    assert "promo_approve" not in shown or status is S.PENDING_APPROVAL  # never Approve on a decided card


def test_mark_as_created_checks_the_status_and_the_clicker_before_the_id(repo, account):
    p = service.request_promo(repo, account, raw_request(), REQUESTER, now=NOW).promotion
    gw = SellerCentralHandoff()
    early = service.confirm_created(repo, gw, account, p.id, REQUESTER, external_id="oops")
    assert early.outcome == "invalid" and "pending approval, so it cannot be marked as created" in early.message
    repo.approve(account, p.id, APPROVER)
    service.hand_off(repo, gw, account, p.id, REQUESTER)
    assert service.confirm_created(repo, gw, account, p.id, "U0STRANGER", external_id="oops").outcome == "forbidden"
    assert service.confirm_created(repo, gw, account, "nope", REQUESTER).outcome == "not_found"


def test_duplicate_and_invalid_requests(repo, account):
    service.request_promo(repo, account, raw_request(), REQUESTER, now=NOW)
    dup = service.request_promo(repo, account, raw_request(asins=["B0ZZZZZZZ1"]), REQUESTER, now=NOW)
    assert not dup.ok and dup.validation.errors[0].field == "code"
    bad = service.request_promo(repo, account, raw_request(percent_off="lots"), REQUESTER, now=NOW)
    assert not bad.ok and bad.validation.errors[0].field == "percent_off"


def test_visibility_and_cancel_by_code(repo, account):
    p = service.request_promo(repo, account, raw_request(), REQUESTER, now=NOW).promotion
    assert service.show(repo, account, "U0STRANGER", "summersale") is None
    assert service.show(repo, account, APPROVER, "summersale").history[0].action == "create"
    assert [x.id for x in service.list_visible(repo, account, REQUESTER)] == [p.id]
    assert service.list_visible(repo, account, "U0STRANGER") == []
    assert service.cancel_by_code(repo, account, "U0STRANGER", "summersale").outcome == "forbidden"
    assert service.cancel_by_code(repo, account, REQUESTER, "NOPECODE1").outcome == "not_found"
    assert service.cancel_by_code(repo, account, REQUESTER, "summersale", "typo").promotion.status is S.CANCELLED

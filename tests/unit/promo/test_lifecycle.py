from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from bot.views.promo import transition_text
from handlers.promo.lifecycle import NEVER_CREATED, TRANSITIONS, Action, holds_code, next_status
from handlers.promo.models import PromoStatus as S
from handlers.promo.repository import DuplicateCode, PromoRepository, audit_pk, promo_pk
from handlers.promo.validation import validate
from infra.store.base import Update
from infra.store.sqlite import SQLiteStore
from tests.support.promo import APPROVER, APPROVER2, NOW, REQUESTER, raw_request


@pytest.fixture
def repo() -> PromoRepository:
    return PromoRepository(SQLiteStore(":memory:"), clock=lambda: NOW)


def new(repo, account, code="SUMMERSALE", **over):
    r = validate(raw_request(code=code, **over), account=account, now=NOW)
    assert r.ok, r.errors
    return repo.create(r.draft, REQUESTER)


def handed_off(repo, account, **over):
    p = new(repo, account, **over)
    assert repo.approve(account, p.id, APPROVER).applied
    assert repo.mark_handed_off(account, p.id, REQUESTER, gateway="seller_central").applied
    return repo.get(account.account_id, p.id)


ALL = list(S)
ALLOWED = {
    (Action.SUBMIT, S.DRAFT),
    (Action.APPROVE, S.PENDING_APPROVAL),
    (Action.REJECT, S.PENDING_APPROVAL),
    (Action.HAND_OFF, S.APPROVED),
    (Action.CONFIRM_CREATED, S.HANDED_OFF),
    (Action.ACTIVATE, S.CREATED),
    (Action.END, S.CREATED),
    (Action.END, S.ACTIVE),
    (Action.EXPIRE, S.HANDED_OFF),
} | {(Action.CANCEL, s) for s in (S.DRAFT, S.PENDING_APPROVAL, S.APPROVED, S.HANDED_OFF, S.CREATED, S.ACTIVE)}


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("status", ALL)
def test_transition_table(action, status):
    assert (next_status(action, status) is not None) == ((action, status) in ALLOWED)
    assert set(TRANSITIONS) == ALLOWED


def test_create_submits_and_audits(repo, account):
    p = new(repo, account)
    assert p.status is S.PENDING_APPROVAL
    stored = repo.get_by_code("acme", "summersale")
    assert stored.id == p.id and [h.action for h in stored.history] == ["create", "submit"]
    assert stored.history[1].from_status is S.DRAFT and stored.history[1].by == REQUESTER


def test_draft_then_submit_only_by_requester(repo, account):
    r = validate(raw_request(), account=account, now=NOW)
    p = repo.create(r.draft, REQUESTER, submit=False)
    assert p.status is S.DRAFT
    assert repo.submit(account, p.id, APPROVER).outcome == "forbidden"
    assert repo.submit(account, p.id, REQUESTER).promotion.status is S.PENDING_APPROVAL


def test_duplicate_code_rejected_atomically(repo, account):
    first = new(repo, account, code="TOPIOTIXS")
    before = len(repo.store.query(promo_pk("acme")))
    with pytest.raises(DuplicateCode) as exc:
        new(repo, account, code="top10tixs", asins=["B0ZZZZZZZ1"])
    assert exc.value.existing_id == first.id
    assert len(repo.store.query(promo_pk("acme"))) == before  # no orphan promotion item
    assert len(repo.list("acme")) == 1


def test_same_code_in_other_account_is_fine(repo, account):
    new(repo, account)
    other = account.model_copy(update={"account_id": "globex"})
    r = validate(raw_request(), account=other, now=NOW)
    assert repo.create(r.draft, REQUESTER).account_id == "globex"


@pytest.mark.parametrize("actor, needle", [(REQUESTER, "someone else"), ("U0RANDOM", "approvers")])
def test_approver_rules(repo, account, actor, needle):
    p = new(repo, account)
    for result in (repo.approve(account, p.id, actor), repo.reject(account, p.id, actor, "no")):
        assert result.outcome == "forbidden" and needle in transition_text(result)
    assert repo.get("acme", p.id).status is S.PENDING_APPROVAL
    assert len(repo.history("acme", p.id)) == 2


def test_reject_needs_reason_and_records_it(repo, account):
    p = new(repo, account)
    assert repo.reject(account, p.id, APPROVER, "  ").outcome == "invalid"
    r = repo.reject(account, p.id, APPROVER, "discount too deep")
    assert r.applied and r.promotion.status is S.REJECTED and r.promotion.reason == "discount too deep"
    last = repo.history("acme", p.id)[-1]
    assert (last.by, last.from_status, last.to_status, last.detail) == (
        APPROVER,
        S.PENDING_APPROVAL,
        S.REJECTED,
        {"reason": "discount too deep", "code_released": True},  # rejected before hand-off: the code is free again
    )


def test_second_click_reports_who_decided(repo, account):
    p = new(repo, account)
    assert repo.approve(account, p.id, APPROVER).applied
    again = repo.reject(account, p.id, APPROVER2, "late")
    assert again.outcome == "already_decided" and again.decided_by == APPROVER and again.decided_at == NOW
    assert APPROVER in transition_text(again)
    assert len(repo.history("acme", p.id)) == 3


def test_first_click_wins_under_concurrency(repo, account):
    p = new(repo, account)
    barrier = threading.Barrier(10)
    results = []

    def click(i: int) -> None:
        barrier.wait()
        actor = APPROVER if i % 2 else APPROVER2
        r = repo.approve(account, p.id, actor) if i % 3 else repo.reject(account, p.id, actor, "no")
        results.append(r)

    threads = [threading.Thread(target=click, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    applied = [r for r in results if r.applied]
    assert len(applied) == 1 and len(results) == 10
    assert all(
        r.outcome == "already_decided" and r.decided_by == applied[0].decided_by for r in results if not r.applied
    )
    decisions = [h for h in repo.history("acme", p.id) if h.action in ("approve", "reject")]
    assert len(decisions) == 1 and decisions[0].by == applied[0].promotion.approver
    assert repo.store.get(promo_pk("acme"), f"ID#{p.id}").version == 2


def test_cancel_permissions_and_states(repo, account):
    p = new(repo, account)
    assert repo.cancel(account, p.id, "U0RANDOM").outcome == "forbidden"
    assert repo.cancel(account, p.id, REQUESTER, "changed plan").promotion.status is S.CANCELLED
    assert repo.cancel(account, p.id, REQUESTER).outcome == "invalid"
    h = handed_off(repo, account, code="WINTERSALE")
    r = repo.cancel(account, h.id, APPROVER2)
    assert r.applied and "Seller Central" in r.message


def test_handoff_confirm_then_active_by_dates(repo, account):
    p = handed_off(repo, account)
    assert p.status is S.HANDED_OFF and p.handoff.gateway == "seller_central"
    # Not confirmed: the start date alone does not make it active.
    start = p.start + timedelta(hours=1)
    assert repo.refresh_status(p, start) is None
    c = repo.confirm_created(account, p.id, REQUESTER, external_id="16913551269", now=NOW)
    assert c.applied and c.promotion.status is S.CREATED and c.promotion.handoff.created_confirmed
    assert repo.get("acme", p.id).handoff.external_id == "16913551269"
    assert repo.confirm_created(account, p.id, APPROVER).outcome == "already_decided"
    results = repo.expire_due(["acme"], start)
    assert [r.promotion.status for r in results] == [S.ACTIVE]
    assert repo.expire_due(["acme"], start) == []  # idempotent
    ended = repo.expire_due(["acme"], p.end + timedelta(seconds=1))
    assert [r.promotion.status for r in ended] == [S.ENDED]
    trail = repo.history("acme", p.id)
    assert [(h.action, h.to_status) for h in trail] == [
        ("create", S.DRAFT),
        ("submit", S.PENDING_APPROVAL),
        ("approve", S.APPROVED),
        ("hand_off", S.HANDED_OFF),
        ("confirm_created", S.CREATED),
        ("activate", S.ACTIVE),
        ("end", S.ENDED),
    ]
    assert trail[-1].by == "system" and trail[-1].at == p.end + timedelta(seconds=1)
    assert trail[4].by == REQUESTER and trail[4].detail == {"promotion_id": "16913551269"}  # audited with the ID


def test_confirm_after_start_activates_at_once(repo, account):
    p = handed_off(repo, account)
    r = repo.confirm_created(account, p.id, APPROVER, external_id="16913551269", now=p.start + timedelta(days=1))
    assert r.applied and r.promotion.status is S.ACTIVE


def test_never_created_handoff_is_cancelled_after_its_end_and_frees_the_code(repo, account):
    p = handed_off(repo, account)
    assert repo.refresh_status(p, p.end - timedelta(seconds=1)) is None  # it may still be created
    r = repo.refresh_status(p, p.end + timedelta(days=1))
    assert r.promotion.status is S.CANCELLED and r.promotion.reason == NEVER_CREATED
    last = repo.history("acme", p.id)[-1]
    assert (last.action, last.by, last.from_status, last.to_status) == ("expire", "system", S.HANDED_OFF, S.CANCELLED)
    assert last.detail == {"by_dates": True, "reason": NEVER_CREATED, "code_released": True}
    assert new(repo, account).id != p.id  # the code is free again


def test_created_promotion_whose_window_passed_ends(repo, account):
    p = handed_off(repo, account)
    assert repo.confirm_created(account, p.id, REQUESTER, external_id="16913551269", now=NOW).applied
    r = repo.refresh_status(repo.get("acme", p.id), p.end + timedelta(days=1))
    assert r.promotion.status is S.ENDED  # created → active → ended in one run


@pytest.mark.parametrize("created", [False, True])
def test_cancel_releases_the_code_only_if_never_created(repo, account, created):
    p = handed_off(repo, account)
    if created:
        assert repo.confirm_created(account, p.id, REQUESTER, external_id="16913551269", now=NOW).applied
    r = repo.cancel(account, p.id, REQUESTER)
    assert r.applied and ("code_released" in repo.history("acme", p.id)[-1].detail) is not created
    assert ("if you already created it" in r.message) is not created
    if created:
        with pytest.raises(DuplicateCode):
            new(repo, account)
    else:
        assert new(repo, account).status is S.PENDING_APPROVAL


def test_old_items_confirmed_while_handed_off_read_as_created(repo, account):
    p = handed_off(repo, account)
    item = repo.store.get(promo_pk("acme"), f"ID#{p.id}")
    data = {**item.data, "status": "handed_off"}
    data["handoff"] = {**data["handoff"], "created_confirmed": True, "confirmed_by": REQUESTER}
    repo.store.transact([Update(pk=item.pk, sk=item.sk, data=data, expected_version=item.version)])
    old = repo.get("acme", p.id)
    assert old.status is S.CREATED and repo.list("acme", S.CREATED) == [old]
    assert repo.confirm_created(account, p.id, APPROVER).outcome == "already_decided"
    assert repo.refresh_status(old, p.start + timedelta(hours=1)).promotion.status is S.ACTIVE
    assert repo.cancel(account, p.id, REQUESTER).applied
    assert holds_code(repo.get("acme", p.id))  # created once: the code stays taken


def test_nobody_activates_by_hand(repo, account):
    p = handed_off(repo, account)
    assert repo._transition(account, "acme", p.id, Action.ACTIVATE, APPROVER, now=NOW).outcome == "forbidden"


def test_list_by_status_and_audit_keys(repo, account):
    a = new(repo, account)
    b = new(repo, account, code="WINTERSALE")
    repo.approve(account, b.id, APPROVER)
    assert [p.code for p in repo.list("acme", S.PENDING_APPROVAL)] == ["SUMMERSALE"]
    assert [p.code for p in repo.list("acme", S.APPROVED)] == ["WINTERSALE"]
    assert len(repo.list("acme")) == 2
    sks = [i.sk for i in repo.store.query(audit_pk("acme", b.id))]
    assert all(sk.startswith("AUDIT#2026-11-24T09:00:00") for sk in sks) and len(set(sks)) == 3
    assert (
        repo.get_by_code("acme", "NOPE1234") is None
        and repo.approve(account, "missing", APPROVER).outcome == "not_found"
    )
    assert a.id != b.id


def test_expiry_race_reports_only_own_change(repo, account):
    p = handed_off(repo, account)
    repo.confirm_created(account, p.id, REQUESTER, external_id="16913551269", now=NOW)
    stale = repo.get("acme", p.id)
    later = p.start + timedelta(hours=1)
    assert repo.refresh_status(stale, later).promotion.status is S.ACTIVE
    assert repo.refresh_status(stale, later) is None  # the stale copy must not write twice
    assert [h.action for h in repo.history("acme", p.id)].count("activate") == 1

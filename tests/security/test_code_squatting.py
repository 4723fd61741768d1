"""Issue 23 item 7: a promo code cannot be squatted.

A code reserved by a request is released when the request is rejected or cancelled before it was
created in Seller Central, so the account can request it again; the old request and its audit
trail stay. Once created the code exists in Seller Central, so a cancel keeps it reserved.
A user has at most MAX_OPEN_REQUESTS_PER_USER open requests (draft, pending approval or approved
and not yet handed off) per account, so nobody can reserve every good code of an account.

Driven through the real store adapters: SQLite and DynamoDB (moto server). Before the fix a
cancelled or rejected BLACKFRIDAY stayed reserved forever and one user could hold any number of
open requests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import pytest

from bot.listeners.promo.parsing import modal_errors
from bot.views.promo import invalid_request
from handlers.promo import service
from handlers.promo.gateway import SellerCentralHandoff
from handlers.promo.lifecycle import MAX_OPEN_REQUESTS_PER_USER
from handlers.promo.models import PromoStatus as S
from handlers.promo.repository import PromoRepository
from handlers.promo.validation import OPEN_REQUESTS_FIELD
from infra.store.base import Put, Store, Update
from infra.store.dynamodb import DynamoDBStore
from infra.store.sqlite import SQLiteStore
from tests.support.aws import dynamodb_table, moto_server
from tests.support.promo import APPROVER, APPROVER2, NOW, REQUESTER, account, raw_request

SQUATTER = "U0SQUATTER"
CODE = "BLACKFRIDAY"
# A cap message in the words the issue asks for.
CAP_TEXT = "open promo requests in acme; cancel one or wait for a decision"


class Interleaved:
    """A Store that runs `competitor` once, just before the next transaction commits.

    This is how a concurrent request lands between our reads and our conditional write,
    without timing: the competitor commits first, then our transaction meets its writes.
    """

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.competitor: Callable[[], object] | None = None

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def transact(self, steps: Sequence[Put | Update]) -> None:
        run, self.competitor = self.competitor, None
        if run is not None:
            run()
        self.inner.transact(steps)


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    if request.param == "sqlite":
        s = SQLiteStore(":memory:")
        yield s
        s.close()
    else:
        client, table = request.getfixturevalue("dynamodb_table")
        yield DynamoDBStore(table, client=client)


@pytest.fixture
def shared(store: Store) -> Interleaved:
    return Interleaved(store)


@pytest.fixture
def repo(shared: Interleaved) -> PromoRepository:
    return PromoRepository(shared, clock=lambda: NOW)  # type: ignore[arg-type]


def request(repo, account, user=REQUESTER, code=CODE, **over) -> service.RequestOutcome:
    return service.request_promo(repo, account, raw_request(code=code, **over), user, now=NOW)


def requested(repo, account, user=REQUESTER, code=CODE, **over):
    out = request(repo, account, user, code, **over)
    assert out.ok, out.validation.errors
    return out.promotion


def refused_for(out: service.RequestOutcome) -> list[str]:
    assert not out.ok
    return [e.field for e in out.validation.errors]


# ---- (a) release on reject / cancel before hand-off -------------------------------------------------


def test_cancelled_request_releases_its_code(repo, account):
    squatted = requested(repo, account, SQUATTER)
    assert service.cancel_by_code(repo, account, SQUATTER, CODE, "changed my mind").applied
    again = requested(repo, account, REQUESTER)
    assert again.id != squatted.id and again.status is S.PENDING_APPROVAL
    assert repo.get_by_code("acme", CODE).id == again.id
    # The old request and its audit trail stay.
    old = repo.get("acme", squatted.id, with_history=True)
    assert old.status is S.CANCELLED
    assert [h.action for h in old.history] == ["create", "submit", "cancel"]
    assert old.history[-1].detail.get("code_released") is True
    # ...and stay reachable by code: the new request's creation names the one it replaces.
    assert repo.get_by_code("acme", CODE).history[0].detail == {"replaces": squatted.id}


def test_rejected_request_releases_its_code(repo, account):
    squatted = requested(repo, account, SQUATTER)
    assert repo.reject(account, squatted.id, APPROVER, "not ours to run").applied
    again = requested(repo, account, REQUESTER)
    assert repo.get("acme", squatted.id).status is S.REJECTED
    assert repo.get_by_code("acme", CODE).id == again.id


def test_cancel_after_approval_but_before_hand_off_releases_the_code(repo, account):
    p = requested(repo, account, SQUATTER)
    assert repo.approve(account, p.id, APPROVER).applied
    assert repo.cancel(account, p.id, SQUATTER).applied
    assert request(repo, account, REQUESTER).ok


def test_cancel_after_created_keeps_the_code_reserved(repo, account):
    p = requested(repo, account, REQUESTER)
    assert repo.approve(account, p.id, APPROVER).applied
    assert service.hand_off(repo, SellerCentralHandoff(), account, p.id, REQUESTER).transition.applied
    # Issue 17: handed off but never created, a cancel frees the code; once created it does not.
    assert repo.confirm_created(account, p.id, REQUESTER, external_id="16913551269").applied
    assert service.cancel_by_code(repo, account, REQUESTER, CODE).applied
    # The code exists in Seller Central: requesting it again would collide there.
    assert refused_for(request(repo, account, APPROVER2)) == ["code"]
    assert repo.get_by_code("acme", CODE).id == p.id


def test_a_live_request_still_holds_its_code(repo, account):
    requested(repo, account, REQUESTER)
    assert refused_for(request(repo, account, SQUATTER, code="BLACKFR1DAY")) == ["code"]  # Amazon folds 1→I
    assert refused_for(request(repo, account, SQUATTER)) == ["code"]


def test_a_code_released_twice_and_requested_again_keeps_every_trail(repo, account):
    first = requested(repo, account, SQUATTER)
    assert repo.cancel(account, first.id, SQUATTER).applied
    second = requested(repo, account, SQUATTER)
    assert repo.reject(account, second.id, APPROVER, "no").applied
    third = requested(repo, account, REQUESTER)
    assert {p.id for p in repo.list("acme")} == {first.id, second.id, third.id}
    assert repo.get_by_code("acme", CODE).id == third.id


def test_code_reserved_by_a_request_cancelled_before_this_fix_is_free(repo, account, store):
    """A reservation written before releases existed (no release mark) of a cancelled request."""
    old = requested(repo, account, SQUATTER)
    assert repo.cancel(account, old.id, SQUATTER).applied
    ref = store.get("PROMO#acme", f"CODE#{CODE}")
    store.update("PROMO#acme", f"CODE#{CODE}", {"promo_id": old.id, "code": CODE}, expected_version=ref.version)
    assert request(repo, account, REQUESTER).ok


def test_concurrent_requests_for_a_released_code_reserve_it_once(repo, account, shared):
    p = requested(repo, account, SQUATTER)
    assert repo.cancel(account, p.id, SQUATTER).applied
    rival: list[service.RequestOutcome] = []
    shared.competitor = lambda: rival.append(request(repo, account, APPROVER2))
    mine = request(repo, account, REQUESTER)
    assert rival[0].ok and refused_for(mine) == ["code"]
    assert repo.get_by_code("acme", CODE).id == rival[0].promotion.id


def test_a_request_racing_the_cancel_is_refused_until_the_cancel_commits(repo, account, shared):
    """The code is free only once the cancel that releases it has committed, never before."""
    p = requested(repo, account, SQUATTER)
    rival: list[service.RequestOutcome] = []
    shared.competitor = lambda: rival.append(request(repo, account, APPROVER2))
    assert repo.cancel(account, p.id, SQUATTER).applied
    assert refused_for(rival[0]) == ["code"]
    assert request(repo, account, REQUESTER).ok


# ---- (b) a cap on open requests per user and account ----------------------------------------------


def fill(repo, account, user, n, prefix="SQUAT"):
    return [requested(repo, account, user, code=f"{prefix}{chr(65 + i)}XYZ", asins=["B0ZZZZZZZZ"]) for i in range(n)]


def test_user_at_the_cap_is_refused_with_a_structured_issue(repo, account):
    fill(repo, account, SQUATTER, MAX_OPEN_REQUESTS_PER_USER)
    out = request(repo, account, SQUATTER)
    assert refused_for(out) == [OPEN_REQUESTS_FIELD]
    assert f"You already have {MAX_OPEN_REQUESTS_PER_USER} {CAP_TEXT}" in out.validation.errors[0].message
    assert repo.get_by_code("acme", CODE) is None  # nothing reserved
    # How the listeners show it: the inline command's reply and the modal's field errors.
    assert (
        f"You already have {MAX_OPEN_REQUESTS_PER_USER} {CAP_TEXT}"
        in invalid_request(out.validation.errors, [], "usage")["text"]
    )
    assert CAP_TEXT in modal_errors(out.validation.errors)["code"]
    # Others, and the same user in another account, are not affected.
    assert request(repo, account, REQUESTER).ok
    other = account.model_copy(update={"account_id": "globex"})
    assert request(repo, other, SQUATTER, code="OTHERCODE").ok


def test_decided_or_handed_off_requests_do_not_count(repo, account):
    held = fill(repo, account, SQUATTER, MAX_OPEN_REQUESTS_PER_USER)
    assert refused_for(request(repo, account, SQUATTER)) == [OPEN_REQUESTS_FIELD]
    assert repo.approve(account, held[0].id, APPROVER).applied  # approved, not handed off: still open
    assert refused_for(request(repo, account, SQUATTER)) == [OPEN_REQUESTS_FIELD]
    assert service.hand_off(repo, SellerCentralHandoff(), account, held[0].id, SQUATTER).transition.applied
    assert request(repo, account, SQUATTER, code="NEXTCODE").ok
    assert repo.reject(account, held[1].id, APPROVER, "no").applied
    assert request(repo, account, SQUATTER, code="NEXTCODEB").ok
    assert service.cancel_by_code(repo, account, SQUATTER, held[2].code).applied
    assert request(repo, account, SQUATTER).ok
    assert refused_for(request(repo, account, SQUATTER, code="ONEMORECODE")) == [OPEN_REQUESTS_FIELD]


def test_drafts_count_so_submitting_them_cannot_pass_the_cap(repo, account):
    for i in range(MAX_OPEN_REQUESTS_PER_USER):
        raw = raw_request(code=f"DRAFT{chr(65 + i)}XYZ", asins=["B0ZZZZZZZZ"])
        assert service.request_promo(repo, account, raw, SQUATTER, now=NOW, submit=False).ok
    assert refused_for(request(repo, account, SQUATTER)) == [OPEN_REQUESTS_FIELD]


def test_the_cap_is_a_setting(repo, account, monkeypatch):
    monkeypatch.setenv("SELLERBOT_MAX_OPEN_PROMO_REQUESTS", "2")
    fill(repo, account, SQUATTER, 2)
    out = request(repo, account, SQUATTER)
    assert (
        refused_for(out) == [OPEN_REQUESTS_FIELD]
        and f"You already have 2 {CAP_TEXT}" in out.validation.errors[0].message
    )


def test_double_submit_at_the_cap_stores_one_request_and_reports_the_duplicate(repo, account):
    fill(repo, account, SQUATTER, MAX_OPEN_REQUESTS_PER_USER - 1)
    first = request(repo, account, SQUATTER)
    second = request(repo, account, SQUATTER)
    assert first.ok and refused_for(second) == ["code"]
    assert len([p for p in repo.list("acme") if p.code == CODE]) == 1


def test_concurrent_requests_cannot_both_take_the_last_slot(repo, account, shared):
    fill(repo, account, SQUATTER, MAX_OPEN_REQUESTS_PER_USER - 1)
    rival: list[service.RequestOutcome] = []
    shared.competitor = lambda: rival.append(request(repo, account, SQUATTER, code="RIVALCODE"))
    mine = request(repo, account, SQUATTER)
    assert rival[0].ok and refused_for(mine) == [OPEN_REQUESTS_FIELD]
    mine_open = [p for p in repo.list("acme") if p.requester == SQUATTER and p.status is S.PENDING_APPROVAL]
    assert len(mine_open) == MAX_OPEN_REQUESTS_PER_USER


def test_concurrent_double_submit_stores_it_once(repo, account, shared):
    rival: list[service.RequestOutcome] = []
    shared.competitor = lambda: rival.append(request(repo, account, SQUATTER))
    mine = request(repo, account, SQUATTER)
    assert rival[0].ok and refused_for(mine) == ["code"]
    assert len(repo.list("acme")) == 1

"""One access rule for seller accounts (issue 23, item 1), through the whole Lambda handler.

Every command, button and form that names an account is tried by four people, from a channel
that belongs to no account: an outsider, a member of another account, a member of the account
and an admin. The first two are refused in the ack (or the click's ephemeral reply) with who can,
and nothing reaches SP-API, the store or the account's channels; the last two get through.
Also: the account's own channel lets anyone in it through, owner-group members and responders
are on the account, and answers that list accounts show only the caller's.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.local.harness import BotHarness
from bot.views.promo import NEW_VIEW, REJECT_VIEW
from handlers.promo.models import Promotion
from handlers.promo.repository import PromoRepository
from handlers.reviews.messaging import MessageDraft, draft_key
from infra.store.base import Item

LOUNGE = "C0LOUNGE"  # a channel of no account
OUTSIDER, OTHER_MEMBER, MEMBER, ADMIN = "U0OUTSIDER", "U0GLOBEXMEM", "U0ACMEMEM", "U0ADMIN"
RESPONDER, GROUPIE, APPROVER = "U0ACMERESP", "U0GROUPIE", "U0ACMEAPPR"
ROLES = {"outsider": OUTSIDER, "other account's member": OTHER_MEMBER, "member": MEMBER, "admin": ADMIN}
ALLOWED = {"member", "admin"}
REFUSAL = "You are not on account `acme`"
ORDER = "111-0000000-0000042"
START = datetime.now(UTC).date() + timedelta(days=7)
DATES = f"{START}..{START + timedelta(days=20)}"

ACCOUNTS = {
    "admins": [ADMIN],
    "accounts": [
        {
            "account_id": "acme",
            "name": "Acme Outdoor",
            "seller_id": "A2ACMESELLER01",
            "brand_registry": True,
            "approvals_channel": "C0ACMEAPPR",
            "approvers": [APPROVER],
            "members": [MEMBER],
            "marketplaces": [
                {"code": "US", "alert_channel": "C0ACMEUS", "owner_group": "S0ACMEOPS", "responders": [RESPONDER]}
            ],
        },
        {
            "account_id": "globex",
            "name": "Globex Home",
            "seller_id": "A3GLOBEXSELL02",
            "region": "eu",
            "approvals_channel": "C0GLOBEXAPPR",
            "approvers": ["U0GLOBEXAPPR"],
            "members": [OTHER_MEMBER],
            "marketplaces": [{"code": "UK", "alert_channel": "C0GLOBEXUK", "owner_group": "S0GLOBEXOPS"}],
        },
    ],
}

COMMANDS = {
    "/health ACCOUNT": "/health acme US",
    "/health ACCOUNT --post": "/health acme US --post",
    "/health check ACCOUNT": "/health check acme US",
    "/review ORDER": f"/review {ORDER} --account acme",
    "/review sweep": "/review sweep --account acme --dry-run",
    "/message": f"/message --account acme {ORDER} confirmDeliveryDetails Your parcel arrives on Friday.",
    "/promo new (form)": "/promo new --account acme",
    "/promo new (inline)": f"/promo new ACCESSCODE 20% B0ABCDEFGH {DATES} --account acme",
    "/promo list": "/promo list --account acme",
    "/promo show": "/promo show SEEDEDCODE --account acme",
    "/promo cancel": "/promo cancel SEEDEDCODE --account acme",
    "/promo approve": "/promo approve SEEDEDCODE --account acme",
    "/promo reject": "/promo reject SEEDEDCODE too broad --account acme",
    "/promo report": "/promo report SEEDEDCODE --account acme",
    "/promo deals": "/promo deals --account acme",
}
PROMO_BUTTONS = ("promo_approve", "promo_reject", "promo_hand_off", "promo_mark_created", "promo_cancel")
HEALTH_BUTTONS = ("health_ack", "health_snooze", "health_assign")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    path = tmp_path_factory.mktemp("access") / "accounts.json"
    path.write_text(json.dumps(ACCOUNTS), encoding="utf-8")
    with BotHarness(with_spapi=True, env={"SELLERBOT_ACCOUNTS_FILE": str(path)}) as harness:
        harness.slack.usergroups["S0ACMEOPS"] = [GROUPIE]
        # A pending request on acme, stored by the account's member from the account's own channel.
        ack = harness.ack_json(harness.slash(f"/promo new SEEDEDCODE 20% B0ABCDEFGH {DATES}", user=MEMBER))
        assert "Submitting SEEDEDCODE" in ack.get("text", ""), ack
        harness.wait()
        yield harness


def _seeded(bot) -> Promotion:
    promo = PromoRepository(bot.store).get_by_code("acme", "SEEDEDCODE", with_history=False)
    assert promo is not None
    return promo


def _seeded_value(bot) -> str:
    return f"acme:{_seeded(bot).id}"


def _spapi_requests(bot) -> int:
    return sum(bot.env.fake_spapi.stats.requests.values())


def _posts_to_account_channels(bot) -> int:
    return sum(len(bot.slack.messages.get(c, [])) for c in ("C0ACMEUS", "C0ACMEAPPR"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", COMMANDS)
def test_commands_that_name_an_account(bot, command, role):
    before = (_spapi_requests(bot), _posts_to_account_channels(bot), len(bot.replies()))
    ack = bot.ack_json(
        bot.slash(COMMANDS[command], user=ROLES[role], channel=LOUNGE, trigger_id=f"trg-{command}-{role}")
    )
    bot.wait(60)
    text = json.dumps(ack) + json.dumps(bot.replies()[before[2] :])
    if role in ALLOWED:
        assert REFUSAL not in text, text[:400]
        return
    assert REFUSAL in ack.get("text", ""), ack
    assert ack.get("response_type") == "ephemeral"
    assert "<@U0ACMEMEM>" in json.dumps(ack) and "<@U0ADMIN>" in json.dumps(ack)  # who can
    # The lazy listener refuses too: nothing reached Amazon or the account's channels, no answer followed.
    assert (_spapi_requests(bot), _posts_to_account_channels(bot), len(bot.replies())) == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action_id", PROMO_BUTTONS)
def test_promo_card_buttons(bot, action_id, role):
    value = _seeded_value(bot)
    seen, views, version = len(bot.replies()), len(bot.opened_views()), _seeded(bot).version
    bot.click(action_id, value, user=ROLES[role], channel=LOUNGE, trigger_id=f"trg-{action_id}-{role}")
    bot.wait()
    replies = json.dumps(bot.replies()[seen:])
    if role in ALLOWED:
        assert REFUSAL not in replies
        return
    assert REFUSAL in replies and len(bot.opened_views()) == views
    assert _seeded(bot).version == version  # nothing changed


# Alert buttons stop the escalation, so they are the pair's responders' only (issue 18): its `responders`,
# its owner group's members and the admins. An account member is refused too, and so is anyone pressing in the
# account's own channel.
BUTTON_ROLES = {**ROLES, "responder": RESPONDER, "owner group member": GROUPIE, "member in the channel": MEMBER}
BUTTON_ALLOWED = {"admin", "responder", "owner group member"}
BUTTON_REFUSAL = "Only the responders of acme US can acknowledge, snooze or assign"


@pytest.mark.parametrize("role", BUTTON_ROLES)
@pytest.mark.parametrize("action_id", HEALTH_BUTTONS)
def test_health_alert_buttons(bot, action_id, role):
    from handlers.health.alerts import AlertBook

    seen = len(bot.replies())
    flag_id = "acme#US#accountStatus"
    audited = len(AlertBook(bot.store).audit(flag_id))
    channel = "C0ACMEUS" if role == "member in the channel" else LOUNGE
    bot.click(action_id, f"1:{flag_id}", user=BUTTON_ROLES[role], channel=channel)
    bot.wait()
    replies = json.dumps(bot.replies()[seen:])
    assert (BUTTON_REFUSAL in replies) is (role not in BUTTON_ALLOWED), replies[:400]
    if role not in BUTTON_ALLOWED:
        # Who can act is named; the press is audited as refused.
        assert "<!subteam^S0ACMEOPS>" in replies and "<@U0ACMERESP>" in replies and "<@U0ADMIN>" in replies
        entries = AlertBook(bot.store).audit(flag_id)[audited:]
        assert [(e.by, e.action) for e in entries] == [(BUTTON_ROLES[role], "press_refused")]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action_id", ("reviews_message_send", "reviews_message_cancel"))
def test_message_draft_buttons(bot, action_id, role):
    draft_id = f"d-{action_id}-{role}".replace(" ", "-").replace("'", "")
    draft = MessageDraft(
        draft_id=draft_id,
        account_id="acme",
        marketplace="US",
        order_id=ORDER,
        action="confirmDeliveryDetails",
        text="Your parcel arrives on Friday.",
        state="pending",
        created_by=ROLES[role],
        created_at=datetime.now(UTC),
    )
    pk, sk = draft_key(draft_id)
    bot.store.put_if_absent(Item(pk=pk, sk=sk, data=draft.model_dump(mode="json")))
    seen, sent = len(bot.replies()), len(bot.env.fake_spapi.messages)
    bot.click(action_id, draft_id, user=ROLES[role], channel=LOUNGE)
    bot.wait()
    replies = json.dumps(bot.replies()[seen:])
    if role in ALLOWED:
        assert REFUSAL not in replies
        return
    assert REFUSAL in replies and len(bot.env.fake_spapi.messages) == sent
    stored = bot.store.get(pk, sk)
    assert stored is not None and stored.data["state"] == "pending"


@pytest.mark.parametrize("role", ROLES)
def test_forms_that_name_an_account(bot, role):
    values = {
        "code": {"value": {"type": "plain_text_input", "value": f"FORMCODE{len(role)}"}},
        "percent_off": {"value": {"type": "plain_text_input", "value": "20"}},
        "asins": {"value": {"type": "plain_text_input", "value": "B0ABCDEFGH"}},
        "start": {"value": {"type": "datepicker", "selected_date": str(START)}},
        "end": {"value": {"type": "datepicker", "selected_date": str(START + timedelta(days=20))}},
        "marketplace": {"value": {"type": "static_select", "selected_option": {"value": "US"}}},
    }
    meta = json.dumps({"account": "acme", "channel": LOUNGE})
    new = bot.ack_json(bot.submit_view(NEW_VIEW, values, user=ROLES[role], private_metadata=meta))
    promo_id = _seeded_value(bot).split(":", 1)[1]
    reject_meta = json.dumps({"account": "acme", "promo": promo_id, "channel": LOUNGE})
    reason = {"reason": {"value": {"type": "plain_text_input", "value": "too broad"}}}
    reject = bot.ack_json(bot.submit_view(REJECT_VIEW, reason, user=ROLES[role], private_metadata=reject_meta))
    bot.wait()
    refused = [REFUSAL in json.dumps(a) for a in (new, reject)]
    assert refused == [role not in ALLOWED] * 2, (new, reject)


@pytest.mark.parametrize(
    ("who", "channel"),
    [("anyone in the account's channel", "C0ACMEUS"), ("a responder", LOUNGE), ("an owner-group member", LOUNGE)],
)
def test_the_account_channel_responders_and_owner_group_are_on_the_account(bot, who, channel):
    user = {"anyone in the account's channel": OUTSIDER, "a responder": RESPONDER}.get(who, GROUPIE)
    ack = bot.ack_json(bot.slash("/health acme US", user=user, channel=channel))
    assert REFUSAL not in json.dumps(ack)
    bot.wait(60)


def test_answers_that_list_accounts_show_only_the_callers(bot):
    seen = len(bot.replies())
    bot.slash("/sellerbot status", user=OTHER_MEMBER, channel=LOUNGE)
    bot.slash("/health", user=OTHER_MEMBER, channel=LOUNGE)
    bot.slash("/promo list", user=OTHER_MEMBER, channel=LOUNGE)
    bot.wait(60)
    answers = json.dumps(bot.replies()[seen:])
    assert "globex" in answers and "acme" not in answers.lower().replace("acme-free", "")
    refused = bot.ack_json(bot.slash("/health", user=OUTSIDER, channel=LOUNGE))
    assert "no seller account" in refused["text"]


def test_status_shows_no_exception_text(bot):
    seen = len(bot.replies())
    bot.env.fake_spapi.faults.add("getMarketplaceParticipations", "status:403", times=50)
    try:
        bot.slash("/sellerbot status", user=ADMIN, channel=LOUNGE)
        bot.wait(60)
    finally:
        bot.env.fake_spapi.faults.clear()
    answer = json.dumps(bot.replies()[seen:])
    assert "Traceback" not in answer and "Exception" not in answer and "SellingApi" not in answer

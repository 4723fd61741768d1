"""/comply and the "Check compliance" message shortcut through the whole Lambda handler (signed requests)."""

from __future__ import annotations

import json

import pytest

from bot.local.harness import BotHarness


@pytest.fixture
def bot(store):
    with BotHarness(store=store) as harness:
        yield harness


def _blocks_text(payload: dict) -> str:
    blocks = payload.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return json.dumps(blocks, ensure_ascii=False)


def test_comply_answers_in_the_ack_with_quoted_findings_and_fixes(bot):
    ack = bot.ack_json(bot.slash("/comply If you liked it, leave us 5 stars! Mail me: <b>anna@greenhome.de</b>"))
    assert ack["response_type"] == "ephemeral"
    assert ack["text"].startswith("VIOLATION (language en)")
    blocks = _blocks_text(ack)
    for rule in ("REV-03", "REV-02", "CONT-08", "CONT-12"):
        assert rule in ack["text"] and f"*{rule}*" in blocks
    assert "“anna@greenhome.de”" in blocks and "*Fix:*" in blocks
    assert "&lt;b&gt;" in blocks and "<b>" not in blocks  # user text is escaped, never rendered as markup
    bot.wait()
    assert bot.replies() == []  # no lazy follow-up: the ack carried the answer


def test_comply_ok_and_warning(bot):
    ok = bot.ack_json(bot.slash("/comply Your parcel is delayed by two days; we apologise for the wait."))
    assert ok["text"].startswith("OK (language en): 0 finding(s)")
    warn = bot.ack_json(bot.slash("/comply Ihre Bestellung wurde versandt."))
    assert warn["text"].startswith("WARNING (language de)") and "TYPE-03" in warn["text"]


def test_comply_unescapes_slack_links(bot):
    ack = bot.ack_json(bot.slash("/comply Visit <http://greenhome.com|greenhome.com> &amp; save"))
    assert "CONT-01" in ack["text"] and "“greenhome.com”" in _blocks_text(ack)


def test_comply_without_text_is_a_usage_error(bot):
    ack = bot.ack_json(bot.slash("/comply"))
    assert ack["text"].startswith("Error: Give the message text to check.") and "/comply [--lang" in ack["text"]


def test_comply_too_long_is_refused_with_the_reason(bot):
    ack = bot.ack_json(bot.slash("/comply " + "a" * 20_001))
    assert "20,000" in ack["text"] and ack["text"].startswith("Error:")


def test_comply_is_listed_in_help(bot):
    assert (
        "/comply [--lang en|zh|de|fr|es|it|ja|pt|nl|pl|sv|tr|ar] TEXT"
        in bot.ack_json(bot.slash("/sellerbot help"))["text"]
    )


def test_message_shortcut_posts_an_ephemeral_result(bot):
    response = bot.shortcut(
        "check_compliance", "如果您滿意，請給我們五星好評，好評返現5元。", user="U0CHECKER", channel="C0SHOP"
    )
    assert response["statusCode"] == 200
    bot.wait()
    [call] = bot.slack.calls_to("chat.postEphemeral")
    assert call.params["channel"] == "C0SHOP" and call.params["user"] == "U0CHECKER"
    assert call.params["text"].startswith("VIOLATION (language zh)")
    blocks = _blocks_text(call.params)
    assert "REV-03" in blocks and "“如果您滿意”" in blocks and "REV-06" in blocks


def test_message_shortcut_on_a_message_without_text(bot):
    bot.shortcut("check_compliance", "")
    bot.wait()
    [call] = bot.slack.calls_to("chat.postEphemeral")
    assert "no text to check" in call.params["text"]


def test_message_shortcut_redelivery_posts_once(bot):
    bot.shortcut("check_compliance", "Please leave an honest review.", trigger_id="1700.abc")
    bot.shortcut(
        "check_compliance",
        "Please leave an honest review.",
        trigger_id="1700.abc",
    )
    bot.wait()
    calls = bot.slack.calls_to("chat.postEphemeral")
    assert len(calls) == 1 and calls[0].params["text"].startswith("OK")


def test_comply_lang_flag(bot):
    ack = bot.ack_json(bot.slash("/comply --lang de Your parcel is delayed by two days."))
    assert ack["text"].startswith("OK (language de)")
    bad = bot.ack_json(bot.slash("/comply --lang xx Hello"))
    assert bad["text"].startswith("Error: Cannot check this text: unsupported language 'xx'")
    assert "/comply [--lang" in bad["text"]


def _long_message(n: int) -> str:
    """n characters of a plausible buyer message that ends with a review request for stars (a violation)."""
    tail = " If you liked it, leave us 5 stars!"
    body = "Your parcel left our warehouse today and should arrive on Friday. " * (n // 60 + 1)
    return body[: n - len(tail)] + tail


def test_comply_long_text_acks_at_once_and_answers_through_response_url(bot):
    text = _long_message(19_000)
    assert len(text) == 19_000
    ack = bot.ack_json(bot.slash("/comply " + text))
    assert ack["response_type"] == "ephemeral"
    assert ack["text"].startswith("Checking 19,000 characters") and "VIOLATION" not in ack["text"]
    bot.wait()
    [reply] = bot.replies()
    assert reply["text"].startswith("VIOLATION (language en)") and "REV-03" in reply["text"]
    assert reply.get("response_type") == "ephemeral"


def test_comply_long_text_with_lang_flag_and_a_bad_flag(bot):
    ack = bot.ack_json(bot.slash("/comply --lang de " + _long_message(5_000)))
    assert ack["text"].startswith("Checking")
    bot.wait()
    assert bot.replies()[-1]["text"].startswith("VIOLATION (language de)")
    ack = bot.ack_json(bot.slash("/comply --lang xx " + _long_message(5_000)))
    bot.wait()
    reply = bot.replies()[-1]
    assert reply["text"].startswith("Error: Cannot check this text") and "/comply [--lang" in reply["text"]


def test_comply_short_text_has_no_lazy_follow_up(bot):
    ack = bot.ack_json(bot.slash("/comply " + _long_message(2_000)))
    assert ack["text"].startswith("VIOLATION (language en)")
    bot.wait()
    assert bot.replies() == []


def test_message_shortcut_on_a_long_message_acks_at_once(bot):
    response = bot.shortcut("check_compliance", _long_message(19_000), user="U0CHECKER", channel="C0SHOP")
    assert response["statusCode"] == 200 and not response.get("body")  # an empty ack: the result comes later
    bot.wait()
    [call] = bot.slack.calls_to("chat.postEphemeral")
    assert call.params["text"].startswith("VIOLATION (language en)")

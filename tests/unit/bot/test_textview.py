from bot.local.textview import blocks_to_text
from bot.views import kit as render


def test_blocks_render_as_text_with_click_hints():
    blocks = [
        render.header("Title"),
        render.section("*body*"),
        render.context("note"),
        render.actions(render.button("Approve", "promo_approve", "P1")),
    ]
    text = blocks_to_text(blocks)
    assert "== Title ==" in text and "*body*" in text and "note" in text
    assert "sellerbot click promo_approve 'P1'" in text


def test_render_error_includes_usage():
    msg = render.error("Bad date", "/promo new CODE 20% ...")
    assert msg["response_type"] == "ephemeral"
    assert "Usage" in msg["text"]


def test_escape_prevents_mention_injection():
    assert render.escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


def test_mrkdwn_escapes_read_as_typed():
    from bot.local.textview import blocks_to_text

    block = {"type": "section", "text": {"type": "mrkdwn", "text": "ODR 1.42 % vs target &lt; 1.00 % &amp; rising"}}
    assert blocks_to_text([block]) == "ODR 1.42 % vs target < 1.00 % & rising"

"""`/sellerbot status` for admins carries the first-run checks (`sellerbot doctor`); others never see them."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.onboarding.rotation import LwaSecretBook
from tests.support.status import bot


def _reply_text(bot, user: str) -> str:
    assert bot.slash("/sellerbot status", user=user)["statusCode"] == 200
    bot.wait()
    [reply] = bot.replies()
    assert len(reply.get("blocks", [])) <= 50
    return "\n".join([reply["text"]] + [b.get("text", {}).get("text", "") for b in reply.get("blocks", [])])


def test_admin_sees_the_first_run_checks_with_their_fixes(bot):
    LwaSecretBook(bot.store).record_new_secret(at=datetime.now(UTC), by="test")
    text = _reply_text(bot, "U0DEMOUSER")
    assert "*First-run checks* (`sellerbot doctor`)" in text
    assert "slack: bot token works (workspace T0DEMO)" in text  # auth.test against the fake Slack (no allow list)
    assert "Slack reached this stack" in text
    assert ":white_check_mark: lwa secret age:" in text
    assert ":warning: queues:" in text  # no queue URL in the demo


def test_a_non_admin_never_sees_them(bot):
    assert "First-run checks" not in _reply_text(bot, "U0ALICE")

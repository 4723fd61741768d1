"""What the admins read about the LWA client secret: each rotation, each expiry notice, each failed rotation."""

from __future__ import annotations

from datetime import datetime

from bot.views.kit import escape

MANUAL_STEPS = (
    "*By hand:* Developer Console → your app → *LWA credentials* → *View* → *Rotate secret* (primary user), then "
    "`sellerbot secrets put --lwa --stage {stage}` with the new secret. The old secret keeps working 7 days."
)


def _day(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M UTC")


def rotated(new_expiry: datetime, old_expiry: datetime) -> str:
    return (
        ":key: *The LWA client secret was rotated.* Amazon sent the new secret to the AppNotifications queue; "
        f"it is stored in SSM and in use. It expires {_day(new_expiry)}. "
        f"The previous secret stops working {_day(old_expiry)}. Nothing to do."
    )


def expiry_notice(expires_at: datetime, reason: str, *, stage: str, rotate_within_days: int) -> str:
    why = f" ({escape(reason)})" if reason else ""
    return (
        f":warning: *Amazon says the LWA client secret expires {_day(expires_at)}*{why}. The bot rotates it by "
        f"itself up to {rotate_within_days} days before; you will be told when it has. If that fails, every "
        "SP-API call stops on that date.\n" + MANUAL_STEPS.format(stage=escape(stage))
    )


def rotation_failed(outcome: str, code: str, *, stage: str, due: datetime) -> str:
    if outcome == "not_enrolled":
        cause = (
            "Amazon refused: the app is not enrolled for rotation notifications. In the Developer Console → "
            "*Notification Preferences*, register the stack's `AppNotificationsQueueArn` (printed by `make deploy`) "
            "for *Application Client New Secret* and *Application Client Secret Expiry*; the next weekly run retries."
        )
    elif outcome == "no_secret":
        cause = "The LWA app secret could not be read from SSM: run `sellerbot doctor`."
    elif outcome == "unreachable":
        cause = "Amazon could not be reached; the next weekly run tries again."
    else:
        cause = f"Amazon refused the rotation ({escape(code) or 'no reason given'}); the next weekly run tries again."
    return (
        f":rotating_light: *The LWA client secret could not be rotated.* It is due {_day(due)}.\n{cause}\n"
        + MANUAL_STEPS.format(stage=escape(stage))
    )

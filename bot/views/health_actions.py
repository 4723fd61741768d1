"""The alert buttons' action ids: the listener registration (bot/listeners/health_routes.py) needs
them at cold start, without bot.views.health and the health handlers it imports."""

from __future__ import annotations

ACK, SNOOZE, ASSIGN = "health_ack", "health_snooze", "health_assign"
ACTION_IDS = (ACK, SNOOZE, ASSIGN)

"""Lambda entry points fed by queues and schedules rather than by Slack."""

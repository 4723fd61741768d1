"""Work that a Slack listener and a queue worker both run, and the queue messages that hand it over.

`/health check` runs the same check as the health-check worker, and `/review sweep` the same sweep
as the sweep worker (continuing in the worker when it runs out of time). Living here, outside
`bot.listeners` and `bot.workers`, lets both use it without importing each other.
"""

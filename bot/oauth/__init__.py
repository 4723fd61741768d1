"""Amazon's website authorization workflow, Slack and HTTP side: settings and the flow's wiring (setup), the
`amazonCallback` Lambda that serves GET /amazon/callback and GET /amazon/login (callback)."""

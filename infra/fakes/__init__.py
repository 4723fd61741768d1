"""Local stand-ins for external services (Slack Web API, SP-API), served over real HTTP on 127.0.0.1."""

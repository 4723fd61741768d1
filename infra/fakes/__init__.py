"""Local stand-ins for external services (Slack Web API, SP-API), served over real HTTP on 127.0.0.1."""

from __future__ import annotations

from socketserver import TCPServer


def bound_url(server: TCPServer) -> str:
    """`http://HOST:PORT` of a bound server (the port the OS chose when asked for port 0)."""
    host, port = server.server_address[:2]
    if isinstance(host, (bytes, bytearray)):  # typeshed allows bytes; an AF_INET socket reports str
        host = host.decode()
    return f"http://{host}:{port}"

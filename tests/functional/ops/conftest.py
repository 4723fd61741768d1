"""A moto server over HTTP with the message-move-task stand-in in front (move_tasks.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.functional.ops.move_tasks import MoveTaskStandIn


@pytest.fixture(scope="module")
def sqs_with_move_tasks() -> Iterator[tuple[str, MoveTaskStandIn]]:
    """(endpoint URL, stand-in): moto's SQS plus StartMessageMoveTask / ListMessageMoveTasks."""
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    stand_in: list[MoveTaskStandIn] = []

    class Server(ThreadedMotoServer):
        def _server_entry(self) -> None:
            app: Any = MoveTaskStandIn(DomainDispatcherApplication(create_backend_app))
            stand_in.append(app)
            self._server = make_server(self._ip_address, self._port, app, True, request_handler=MotoRequestHandler)
            self._server_ready_event.set()
            self._server.serve_forever()

    server = Server(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    stand_in[0].endpoint = endpoint
    try:
        yield endpoint, stand_in[0]
    finally:
        server.stop()

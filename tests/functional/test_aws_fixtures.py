"""The shared AWS fixtures work over real HTTP, so other suites can rely on them."""

from __future__ import annotations

from typing import Any


def test_sqs_queue_round_trip(sqs_queue: tuple[Any, str]) -> None:
    client, queue_url = sqs_queue
    client.send_message(QueueUrl=queue_url, MessageBody="hello")
    messages = client.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1)["Messages"]
    assert [m["Body"] for m in messages] == ["hello"]


def test_ssm_secure_string_round_trip(ssm: Any) -> None:
    ssm.put_parameter(Name="/sellerbot/test/fixture-secret", Value="s3cret", Type="SecureString", Overwrite=True)
    value = ssm.get_parameter(Name="/sellerbot/test/fixture-secret", WithDecryption=True)["Parameter"]["Value"]
    assert value == "s3cret"


def test_moto_server_is_local(moto_server: str) -> None:
    assert moto_server.startswith("http://127.0.0.1:")

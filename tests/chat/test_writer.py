"""The chat writer: what queued while it was busy goes in one batch, in order; a failed
batch fails every sender in it and the next batch is stored; one connection is kept
across batches and replaced when the database drops it."""

from __future__ import annotations

import asyncio
import threading

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tiski.chat import writer as writer_module
from tiski.chat.writer import ChatWriter
from tiski.contacts.actions import IdentityInput
from tiski.contacts.models import IdentityKind
from tiski.conversations.actions import InboundMessage, Received
from tiski.conversations.models import Channel, Message
from tiski.core.errors import ActionError
from tiski.stores.models import Store


def chat_message(
    store: Store, client_id: str, visitor: str = "c0ffee" * 5 + "00"
) -> InboundMessage:
    return InboundMessage(
        store=store,
        channel=Channel.CHAT,
        sender=[IdentityInput(IdentityKind.VISITOR, visitor)],
        sender_name="",
        subject="",
        text=f"Hei, viesti {client_id}",
        external_id=f"chat:{client_id}",
    )


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def terminate(pid: int) -> None:
    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"], autocommit=True
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


async def test_batches_share_one_connection_and_a_dropped_one_is_replaced(
    postgres: None, shop: Store
) -> None:
    loop = asyncio.get_running_loop()
    writer = ChatWriter(loop)
    try:
        first = await writer.submit(chat_message(shop, "1"))
        pid = await writer.call(backend_pid)
        second = await writer.submit(chat_message(shop, "2"))
        assert await writer.call(backend_pid) == pid
        assert isinstance(first, Received) and isinstance(second, Received)
        assert second.conversation.pk == first.conversation.pk

        await loop.run_in_executor(None, terminate, pid)
        # The batch that meets the dead connection fails; its sender hears it and
        # sends again with the same client id, which the next connection stores.
        with pytest.raises(Exception, match=r"terminat|closed|connection"):
            await writer.submit(chat_message(shop, "3"))
        third = await writer.submit(chat_message(shop, "3"))
        assert isinstance(third, Received) and not third.duplicate
        assert await writer.call(backend_pid) != pid
    finally:
        await writer.close()
    texts = await asyncio.to_thread(
        lambda: list(Message.objects.order_by("seq").values_list("external_id", flat=True))
    )
    assert texts == ["chat:1", "chat:2", "chat:3"]


_busy: set[asyncio.Future[None]] = set()  # referenced until the test ends


async def hold(writer: ChatWriter) -> threading.Event:
    """Keep the writer's thread busy until the returned event is set."""
    release, holding = threading.Event(), threading.Event()

    def busy() -> None:
        holding.set()
        release.wait(30)

    _busy.add(asyncio.ensure_future(writer.call(busy)))
    await asyncio.to_thread(holding.wait, 30)
    return release


def stored_ids() -> list[str]:
    return list(Message.objects.order_by("pk").values_list("external_id", flat=True))


async def test_what_queued_while_the_writer_was_busy_goes_in_one_batch_in_order(
    shop: Store,
) -> None:
    writer = ChatWriter(asyncio.get_running_loop())
    try:
        release = await hold(writer)
        batches = writer.batches
        sends = [
            asyncio.ensure_future(writer.submit(chat_message(shop, f"b{i}", f"{i:032x}")))
            for i in range(20)
        ]
        # A job queued behind the messages runs after their batch has committed.
        seen = asyncio.ensure_future(writer.call(stored_ids))
        await asyncio.sleep(0.05)
        assert not any(send.done() for send in sends)  # none acknowledged before its commit
        release.set()
        outcomes = await asyncio.gather(*sends)
        assert writer.batches == batches + 1
        assert all(isinstance(o, Received) and not o.duplicate for o in outcomes)
        assert await seen == [f"chat:b{i}" for i in range(20)]
    finally:
        await writer.close()
    assert not writer.thread.is_alive()


async def test_a_failed_batch_fails_each_sender_and_the_next_batch_is_stored(
    shop: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = writer_module.receive_messages
    failing = True

    def flaky(inbounds: list[InboundMessage]) -> list[Received | ActionError]:
        if failing:
            raise RuntimeError("database unavailable")
        return real(inbounds)

    monkeypatch.setattr(writer_module, "receive_messages", flaky)
    writer = ChatWriter(asyncio.get_running_loop())
    try:
        release = await hold(writer)
        sends = [
            asyncio.ensure_future(writer.submit(chat_message(shop, f"f{i}"))) for i in range(3)
        ]
        await asyncio.sleep(0.05)
        release.set()
        results = await asyncio.gather(*sends, return_exceptions=True)
        assert [str(r) for r in results] == ["database unavailable"] * 3
        failing = False
        # The senders retry with the same client ids: each is stored once.
        retried = [await writer.submit(chat_message(shop, f"f{i}")) for i in range(3)]
        assert all(isinstance(r, Received) and not r.duplicate for r in retried)
    finally:
        await writer.close()
    assert await asyncio.to_thread(stored_ids) == ["chat:f0", "chat:f1", "chat:f2"]


async def test_a_job_that_fails_tells_its_caller_and_the_writer_goes_on(shop: Store) -> None:
    writer = ChatWriter(asyncio.get_running_loop())
    try:

        def broken() -> None:
            raise ValueError("no")

        with pytest.raises(ValueError, match="no"):
            await writer.call(broken)
        outcome = await writer.submit(chat_message(shop, "after"))
        assert isinstance(outcome, Received) and outcome.message.seq >= 1
    finally:
        await writer.close()


# The thread ends with the SystemExit it raises: pytest reports that as a warning.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
async def test_a_writer_whose_thread_ends_fails_what_waits_and_the_next_one_stores(
    shop: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = writer_module.receive_messages

    def ending(inbounds: list[InboundMessage]) -> list[Received | ActionError]:
        if any(i.external_id == "chat:e1" for i in inbounds):
            raise SystemExit  # what an interpreter exit raises in the thread
        return real(inbounds)

    monkeypatch.setattr(writer_module, "receive_messages", ending)
    first = writer_module.writer()
    try:
        release = await hold(first)
        batch = asyncio.ensure_future(first.submit(chat_message(shop, "e1")))
        job = asyncio.ensure_future(first.call(stored_ids))
        behind = asyncio.ensure_future(first.submit(chat_message(shop, "e2")))
        await asyncio.sleep(0.05)
        release.set()
        results = await asyncio.wait_for(
            asyncio.gather(batch, job, behind, return_exceptions=True), 10
        )
        assert [type(r) for r in results] == [writer_module.WriterStopped] * 3
        await asyncio.wait_for(first.task, 10)
        await asyncio.to_thread(first.thread.join, 10)
        assert not first.thread.is_alive()
        # The sockets' next submit gets a new writer; the retry is stored once.
        second = writer_module.writer()
        assert second is not first
        for client_id in ("e2", "e2"):
            outcome = await second.submit(chat_message(shop, client_id))
            assert isinstance(outcome, Received)
        assert await second.call(stored_ids) == ["chat:e2"]
    finally:
        await writer_module.close_writer()


async def test_a_closed_writer_stores_what_was_submitted_and_refuses_more(shop: Store) -> None:
    writer = ChatWriter(asyncio.get_running_loop())
    release = await hold(writer)
    sent = asyncio.ensure_future(writer.submit(chat_message(shop, "c1")))
    await asyncio.sleep(0.01)
    closing = asyncio.ensure_future(writer.close())
    await asyncio.sleep(0.01)
    with pytest.raises(writer_module.WriterStopped):
        await asyncio.wait_for(writer.submit(chat_message(shop, "c2")), 10)
    release.set()
    await asyncio.wait_for(closing, 10)
    assert isinstance(await sent, Received)
    assert not writer.thread.is_alive()
    assert await asyncio.to_thread(stored_ids) == ["chat:c1"]

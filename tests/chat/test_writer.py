"""The chat writer: one connection kept across batches, replaced when the database drops it."""

from __future__ import annotations

import asyncio

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tiski.chat.writer import ChatWriter
from tiski.contacts.actions import IdentityInput
from tiski.contacts.models import IdentityKind
from tiski.conversations.actions import InboundMessage, Received
from tiski.conversations.models import Channel, Message
from tiski.stores.models import Store


def chat_message(store: Store, client_id: str) -> InboundMessage:
    return InboundMessage(
        store=store,
        channel=Channel.CHAT,
        sender=[IdentityInput(IdentityKind.VISITOR, "c0ffee" * 5 + "00")],
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
        pid = await loop.run_in_executor(writer.executor, backend_pid)
        second = await writer.submit(chat_message(shop, "2"))
        assert await loop.run_in_executor(writer.executor, backend_pid) == pid
        assert isinstance(first, Received) and isinstance(second, Received)
        assert second.conversation.pk == first.conversation.pk

        await loop.run_in_executor(None, terminate, pid)
        # The batch that meets the dead connection fails; its sender hears it and
        # sends again with the same client id, which the next connection stores.
        with pytest.raises(Exception, match=r"terminat|closed|connection"):
            await writer.submit(chat_message(shop, "3"))
        third = await writer.submit(chat_message(shop, "3"))
        assert isinstance(third, Received) and not third.duplicate
        assert await loop.run_in_executor(writer.executor, backend_pid) != pid
    finally:
        await writer.close()
    texts = await asyncio.to_thread(
        lambda: list(Message.objects.order_by("seq").values_list("external_id", flat=True))
    )
    assert texts == ["chat:1", "chat:2", "chat:3"]

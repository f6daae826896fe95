"""How an email looks in the agent's timeline."""

from __future__ import annotations

import re
from email.message import EmailMessage

from django.test import Client

from tiski.agents.models import Agent
from tiski.conversations.models import Attachment
from tiski.mail.actions import ingest_mail
from tiski.stores.models import Store

# The smallest valid PNG: one transparent pixel.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_inline_images_and_the_folded_quote(
    store: Store, owner: Agent, owner_client: Client
) -> None:
    message = EmailMessage()
    message["From"] = "Matti <matti@example.fi>"
    message["To"] = "support@revontuli.example"
    message["Subject"] = "Rikki mennyt kuppi"
    message.set_content("Kuva liitteenä.\n\n> vanha viesti\n")
    message.add_alternative(
        '<p>Kuva liitteenä: <img src="cid:kuppi@example.fi" alt="kuppi"></p>'
        "<p>ma 3.11.2025 klo 10.00 Revontuli kirjoitti:</p>"
        "<blockquote><p>vanha viesti</p></blockquote>",
        subtype="html",
    )
    html_part = message.get_body(preferencelist=("html",))
    assert isinstance(html_part, EmailMessage)
    html_part.add_related(PIXEL, "image", "png", cid="<kuppi@example.fi>", filename="kuppi.png")
    result = ingest_mail(message.as_bytes())
    assert result.status == "created"
    attachment = Attachment.objects.get()
    assert attachment.content_id == "kuppi@example.fi"
    page = owner_client.get(f"/conversations/{result.raw.conversation_id}/").content.decode()
    body = page[page.index('class="msg-body"') :]
    src = re.search(r'<img src="([^"]+)" alt="kuppi"', body)
    assert src is not None
    assert src.group(1) == f"/attachments/{attachment.token}/kuppi.png"
    # The quote is there, folded after the new text.
    assert body.index("Kuva liitteenä") < body.index("<details>") < body.index("vanha viesti")

"""Visitor uploads: pictures and PDFs only, size-checked, sniffed, stored once."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tiski.conversations.models import Attachment, Message
from tiski.stores.models import Store

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def visitor_token(store: Store) -> str:
    response = Client().post(
        "/chat/session", json.dumps({"token": store.widget_token}), content_type="application/json"
    )
    return str(response.json()["visitor"])


def upload(
    store: Store, visitor: str, *files: SimpleUploadedFile, client_id: str = "u1", **extra: str
) -> object:
    return Client().post(
        "/chat/upload",
        {
            "token": store.widget_token,
            "visitor": visitor,
            "client_id": client_id,
            "file": list(files),
            **extra,
        },
    )


def test_a_picture_with_a_caption_becomes_a_message(store: Store) -> None:
    visitor = visitor_token(store)
    response = upload(
        store, visitor, SimpleUploadedFile("rikki.png", PNG, "image/png"), text="Näin se saapui"
    )
    assert response.status_code == 200  # type: ignore[attr-defined]
    ack = response.json()  # type: ignore[attr-defined]
    message = Message.objects.get(pk=ack["message_id"])
    assert message.body_text == "Näin se saapui"
    assert list(message.attachments.values_list("filename", "content_type")) == [
        ("rikki.png", "image/png")
    ]
    again = upload(
        store, visitor, SimpleUploadedFile("rikki.png", PNG, "image/png"), text="Näin se saapui"
    )
    assert again.json()["duplicate"] is True  # type: ignore[attr-defined]
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "declared", "status"),
    [
        ("virus.exe", b"MZ\x90\x00binary", "application/octet-stream", 415),
        ("kuva.png", b"<svg onload=alert(1)>", "image/png", 415),  # says PNG, is not
        ("sivu.html", b"<script>alert(1)</script>", "text/html", 415),
        ("iso.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1), "application/pdf", 413),
    ],
)
def test_wrong_or_oversized_files_are_refused_and_nothing_is_stored(
    store: Store, name: str, content: bytes, declared: str, status: int
) -> None:
    response = upload(store, visitor_token(store), SimpleUploadedFile(name, content, declared))
    assert response.status_code == status  # type: ignore[attr-defined]
    assert response.json()["error"] in ("bad_type", "too_large")  # type: ignore[attr-defined]
    assert not Message.objects.exists() and not Attachment.objects.exists()


def test_bad_tokens_and_requests_are_refused(store: Store) -> None:
    png = SimpleUploadedFile("a.png", PNG, "image/png")
    assert upload(store, "forged", png).status_code == 401  # type: ignore[attr-defined]
    response = Client().post("/chat/upload", {"token": "nope", "visitor": "x", "client_id": "c"})
    assert response.status_code == 404
    visitor = visitor_token(store)
    assert upload(store, visitor).status_code == 400  # type: ignore[attr-defined]  # no file
    six = [SimpleUploadedFile(f"{n}.png", PNG, "image/png") for n in range(6)]
    assert upload(store, visitor, *six).status_code == 400  # type: ignore[attr-defined]
    assert upload(store, visitor, png, client_id="").status_code == 400  # type: ignore[attr-defined]
    assert not Message.objects.exists()

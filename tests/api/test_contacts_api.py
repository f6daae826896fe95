from __future__ import annotations

import pytest

from tests.api.conftest import Api
from tiski.contacts.models import Contact


def test_create_find_and_update(api: Api) -> None:
    created = api.post(
        "/contacts",
        {
            "name": "Liisa Laine",
            "language": "fi",
            "identities": [
                {"kind": "email", "value": "Liisa@Example.fi"},
                {"kind": "phone", "value": "040 765 4321"},
            ],
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert body["identities"] == [
        {"kind": "email", "value": "liisa@example.fi"},
        {"kind": "phone", "value": "+358407654321"},
    ]
    found = api.get("/contacts", email="LIISA@example.fi").json()["items"]
    assert [c["id"] for c in found] == [body["id"]]
    assert api.get("/contacts", phone="+358 40 7654321").json()["items"][0]["id"] == body["id"]
    patched = api.patch(f"/contacts/{body['id']}", {"name": "Liisa Laine-Koski"})
    assert patched.json()["name"] == "Liisa Laine-Koski"
    note = api.post(f"/contacts/{body['id']}/notes", {"body": "Soita iltapäivisin"})
    assert note.status_code == 201


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"identities": [{"kind": "email", "value": "nope"}]}, 400),
        ({"identities": [{"kind": "telepathy", "value": "x"}]}, 422),
        ({"identities": [{"kind": "phone", "value": ""}]}, 422),
        ({"language": "xx"}, 400),
        ({"name": "x" * 201}, 422),
        ({"store": "no-such-store"}, 404),
        ({"identities": "email"}, 422),
    ],
)
def test_bad_contacts_get_4xx_and_nothing_is_written(
    api: Api, body: dict[str, object], status: int
) -> None:
    response = api.post("/contacts", body)
    assert response.status_code == status
    assert response.json()["detail"]
    assert not Contact.objects.exists()


def test_identities_are_unique(api: Api) -> None:
    body = {"identities": [{"kind": "email", "value": "same@example.fi"}]}
    assert api.post("/contacts", body).status_code == 201
    second = api.post("/contacts", body)
    assert second.status_code == 400 and "another contact" in second.json()["detail"]
    assert Contact.objects.count() == 1


def test_the_contact_cursor(api: Api) -> None:
    for n in range(5):
        api.post("/contacts", {"identities": [{"kind": "email", "value": f"c{n}@example.fi"}]})
    first = api.get("/contacts", limit=2).json()
    second = api.get("/contacts", limit=2, cursor=first["next_cursor"]).json()
    assert not {c["id"] for c in first["items"]} & {c["id"] for c in second["items"]}
    assert api.get("/contacts", cursor="x").status_code == 422

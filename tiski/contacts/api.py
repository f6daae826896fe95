from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja import Status as Answer

from tiski.contacts.actions import IdentityInput, add_contact_note, create_contact, update_contact
from tiski.contacts.identities import normalize_identity
from tiski.contacts.models import Contact, IdentityKind
from tiski.core.apiauth import caller
from tiski.core.apischemas import ErrorOut, store_for_write
from tiski.core.errors import ActionError, NotFound
from tiski.stores.models import ApiScope

router = Router(tags=["contacts"])


class IdentityIn(Schema):
    kind: IdentityKind
    value: str = Field(..., min_length=1, max_length=255)


class IdentityOut(Schema):
    kind: str
    value: str


class ContactOut(Schema):
    id: int
    store: str
    name: str
    language: str
    identities: list[IdentityOut]
    tags: list[str]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_store(obj: Contact) -> str:
        return obj.store.slug

    @staticmethod
    def resolve_identities(obj: Contact) -> list[dict[str, str]]:
        return [{"kind": i.kind, "value": i.value} for i in obj.identities.all()]

    @staticmethod
    def resolve_tags(obj: Contact) -> list[str]:
        return [t.name for t in obj.tags.all()]


class ContactPage(Schema):
    items: list[ContactOut]
    next_cursor: str | None


class ContactIn(Schema):
    store: str | None = Field(None, description="Store slug; optional for a store's own API key")
    name: str = Field("", max_length=200)
    language: str = Field("", max_length=8)
    identities: list[IdentityIn] = Field(default_factory=list, max_length=20)


class ContactPatch(Schema):
    name: str | None = Field(None, max_length=200)
    language: str | None = Field(None, max_length=8)


class NoteIn(Schema):
    body: str = Field(..., min_length=1, max_length=10_000)


class NoteOut(Schema):
    id: int
    body: str
    created_at: datetime


class ContactFilters(Schema):
    store: str | None = None
    email: str | None = None
    phone: str | None = None
    cursor: int | None = Field(None, ge=1, description="The id after which to continue")
    limit: int = Field(25, ge=1, le=100)


def _contacts(request: HttpRequest) -> QuerySet[Contact]:
    return (
        Contact.objects.filter(store_id__in=caller(request).store_ids)
        .select_related("store")
        .prefetch_related("identities", "tags")
    )


def _contact(request: HttpRequest, pk: int) -> Contact:
    contact = _contacts(request).filter(pk=pk).first()
    if contact is None:
        raise NotFound()
    return contact


@router.get("", response=ContactPage, summary="List or look up contacts")
def list_contacts(request: HttpRequest, filters: Query[ContactFilters]) -> dict[str, object]:
    caller(request).require(ApiScope.CONTACTS_READ)
    qs = _contacts(request).order_by("-id")
    if filters.store:
        qs = qs.filter(store__slug=filters.store)
    for kind, value in ((IdentityKind.EMAIL, filters.email), (IdentityKind.PHONE, filters.phone)):
        if value:
            try:
                normalized = normalize_identity(kind, value)
            except ValidationError as exc:
                raise ActionError(exc.messages[0], field=kind) from exc
            qs = qs.filter(identities__kind=kind, identities__value=normalized)
    if filters.cursor:
        qs = qs.filter(pk__lt=filters.cursor)
    rows = list(qs[: filters.limit + 1])
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    return {"items": rows, "next_cursor": str(rows[-1].pk) if more and rows else None}


@router.post("", response={201: ContactOut, 400: ErrorOut, 404: ErrorOut})
def create(request: HttpRequest, payload: ContactIn) -> Answer[Contact]:
    who = caller(request)
    who.require(ApiScope.CONTACTS_WRITE)
    contact = create_contact(
        store_for_write(who, payload.store),
        actor=who.actor,
        name=payload.name,
        language=payload.language,
        identities=[IdentityInput(i.kind, i.value) for i in payload.identities],
    )
    return Answer(201, _contact(request, contact.pk))


@router.get("/{int:contact_id}", response={200: ContactOut, 404: ErrorOut})
def get(request: HttpRequest, contact_id: int) -> Contact:
    caller(request).require(ApiScope.CONTACTS_READ)
    return _contact(request, contact_id)


@router.patch("/{int:contact_id}", response={200: ContactOut, 400: ErrorOut, 404: ErrorOut})
def patch(request: HttpRequest, contact_id: int, payload: ContactPatch) -> Contact:
    who = caller(request)
    who.require(ApiScope.CONTACTS_WRITE)
    contact = _contact(request, contact_id)
    update_contact(contact, actor=who.actor, name=payload.name, language=payload.language)
    return _contact(request, contact_id)


@router.post("/{int:contact_id}/notes", response={201: NoteOut, 400: ErrorOut, 404: ErrorOut})
def add_note(request: HttpRequest, contact_id: int, payload: NoteIn) -> Answer[object]:
    who = caller(request)
    who.require(ApiScope.CONTACTS_WRITE)
    note = add_contact_note(_contact(request, contact_id), body=payload.body, actor=who.actor)
    return Answer(201, note)

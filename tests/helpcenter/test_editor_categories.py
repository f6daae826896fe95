"""Categories in the editor: names per language, order, and deleting only empty ones."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.conftest import logged_in
from tiski.agents.models import Agent
from tiski.helpcenter.models import ArticleTranslation, Category, CategoryTranslation
from tiski.stores.models import Store


def test_create_a_category_in_two_languages(help_store: Store, owner_client: Client) -> None:
    response = owner_client.post(
        "/helpcenter/categories/?store=revontuli",
        {
            "new-name_fi": "Maksaminen",
            "new-description_fi": "Maksutavat ja laskut",
            "new-name_sv": "Betalning",
            "new-description_sv": "",
            "new-name_en": "",
            "new-description_en": "",
            "new-position": "3",
        },
    )
    assert response.status_code == 302
    category = Category.objects.get(store=help_store)
    assert category.position == 3
    names = dict(category.translations.values_list("language", "name"))
    assert names == {"fi": "Maksaminen", "sv": "Betalning"}
    html = owner_client.get(response["Location"]).content.decode()
    assert "Category added." in html
    assert 'value="Betalning"' in html


def test_rename_and_reorder(
    help_store: Store, owner_client: Client, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    category = Category.objects.get(store=help_store)
    prefix = f"c{category.pk}"
    response = owner_client.post(
        f"/helpcenter/categories/{category.pk}/",
        {f"{prefix}-name_fi": "Tilaukset ja toimitus", f"{prefix}-position": "7"},
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.position == 7
    assert CategoryTranslation.objects.get(category=category, language="fi").name == (
        "Tilaukset ja toimitus"
    )


def test_a_category_needs_a_name(help_store: Store, owner_client: Client) -> None:
    response = owner_client.post(
        "/helpcenter/categories/?store=revontuli", {"new-position": "0", "new-name_fi": "  "}
    )
    assert response.status_code == 422
    assert "Give the category a name in at least one language." in response.content.decode()
    assert not Category.objects.exists()


def test_only_an_empty_category_is_deleted(
    help_store: Store, owner_client: Client, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    full = Category.objects.get(store=help_store)
    response = owner_client.post(f"/helpcenter/categories/{full.pk}/delete/")
    assert response.status_code == 409
    assert "Move or delete the articles in this category" in response.content.decode()
    assert Category.objects.filter(pk=full.pk).exists()
    assert ArticleTranslation.objects.filter(article__category=full).count() == 4

    empty = Category.objects.create(store=help_store)
    response = owner_client.post(f"/helpcenter/categories/{empty.pk}/delete/")
    assert response.status_code == 302
    assert not Category.objects.filter(pk=empty.pk).exists()


def test_categories_of_another_store_are_not_found(
    help_store: Store, other_store: Store, owner_client: Client, teammate: Agent
) -> None:
    foreign = Category.objects.create(store=other_store)
    assert owner_client.post(f"/helpcenter/categories/{foreign.pk}/delete/").status_code == 404
    assert owner_client.post(f"/helpcenter/categories/{foreign.pk}/", {}).status_code == 404
    assert Category.objects.filter(pk=foreign.pk).exists()
    own = Category.objects.create(store=help_store)
    client = logged_in(teammate)
    assert client.get("/helpcenter/categories/?store=revontuli").status_code == 403
    assert client.post(f"/helpcenter/categories/{own.pk}/delete/").status_code == 403
    assert Category.objects.filter(pk=own.pk).exists()


def test_delete_category_publishes_its_event(help_store: Store, record: Any) -> None:
    from tests.conftest import SYSTEM
    from tiski.helpcenter.actions import delete_category
    from tiski.helpcenter.events import CategoryDeleted

    category = Category.objects.create(store=help_store)
    with record() as events:
        delete_category(category, actor=SYSTEM)
    assert events == [
        CategoryDeleted(store_id=help_store.pk, actor=SYSTEM, category_id=category.pk)
    ]

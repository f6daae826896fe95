"""The help center in Django's admin: pages open, nothing is edited there, and deleting
an article goes through the action (its search entry goes with it)."""

from __future__ import annotations

from django.test import Client

from tests.conftest import make_agent
from tiski.agents.models import Agent, Role
from tiski.helpcenter.models import Article, ArticleTranslation
from tiski.helpcenter.search import search
from tiski.stores.models import Store


def test_admin_reads_and_deletes_through_the_action(
    help_store: Store, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    root = make_agent("root@revontuli.example", "Root", help_store, Role.OWNER)
    Agent.objects.filter(pk=root.pk).update(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(Agent.objects.get(pk=root.pk))
    article = finnish_articles["returns"]
    pages = [
        "/admin/helpcenter/article/",
        f"/admin/helpcenter/article/{article.article_id}/change/",
        "/admin/helpcenter/category/",
        f"/admin/helpcenter/category/{article.article.category_id}/change/",
        "/admin/helpcenter/searchquery/",
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/helpcenter/article/add/").status_code == 403
    change = client.get(f"/admin/helpcenter/article/{article.article_id}/change/")
    assert f"/helpcenter/articles/{article.article_id}/fi/" in change.content.decode()

    response = client.post(
        f"/admin/helpcenter/article/{article.article_id}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.article_id).exists()
    hits = search(help_store.pk, "fi", "palautus").hits
    assert article.pk not in [hit.translation.pk for hit in hits]

"""The demo shops come with a help center a newcomer can search in every language."""

from __future__ import annotations

import pytest

from tiski.core.actors import Actor
from tiski.demo.helpcenter import HELP_CENTERS, seed_help_centers
from tiski.demo.seed import seed_demo
from tiski.helpcenter.actions import ArticleText, save_article
from tiski.helpcenter.models import Article, ArticleStatus, ArticleTranslation, PolicyKind
from tiski.helpcenter.search import search
from tiski.stores.models import Store


@pytest.mark.django_db
def test_demo_help_centers_are_seeded_in_the_shops_languages() -> None:
    seed_demo()
    finnish = Store.objects.get(slug="tunturikettu")
    polish = Store.objects.get(slug="ziarno-i-lisc")
    assert finnish.phone and polish.phone
    for store in (finnish, polish):
        demo = HELP_CENTERS[store.slug]
        assert Article.objects.filter(store=store).count() == len(demo.articles)
        languages = set(
            ArticleTranslation.objects.filter(store=store).values_list("language", flat=True)
        )
        assert languages == set(store.served_languages())
        # Both states are on show.
        states = set(
            ArticleTranslation.objects.filter(store=store).values_list("status", flat=True)
        )
        assert states == {ArticleStatus.DRAFT, ArticleStatus.PUBLISHED}
        policies = set(
            Article.objects.filter(store=store).exclude(policy="").values_list("policy", flat=True)
        )
        assert PolicyKind.RETURNS in policies and PolicyKind.CONTACT in policies
    # The how-to and the returns policy both answer "palautukset".
    top = [hit.translation.title for hit in search(finnish.pk, "fi", "palautukset").hits[:2]]
    assert "Näin palautat tuotteen" in top and "Palautusehdot" in top
    assert (
        search(finnish.pk, "sv", "returnera").hits[0].translation.title
        == "Så returnerar du en vara"
    )
    assert (
        search(polish.pk, "pl", "reklamacji").hits[0].translation.title
        == "Reklamacja wadliwego produktu"
    )


@pytest.mark.django_db
def test_a_help_center_the_shop_changed_is_left_alone() -> None:
    seed_demo()
    assert seed_help_centers() == []
    store = Store.objects.get(slug="tunturikettu")
    Article.objects.filter(store=store).delete()
    save_article(
        store,
        language="fi",
        text=ArticleText("Oma artikkeli", "Kaupan oma teksti."),
        actor=Actor.system("tests"),
    )
    assert seed_help_centers() == []
    assert Article.objects.filter(store=store).count() == 1

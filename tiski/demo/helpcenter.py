"""Seeding the demo shops' help centers through the real actions."""

from __future__ import annotations

from django.db import transaction

from tiski.core.actors import Actor
from tiski.demo.help_tunturikettu import FI_HELP
from tiski.demo.help_ziarno import PL_HELP
from tiski.demo.schema import DemoHelpCenter
from tiski.helpcenter.actions import ArticleText, save_article, save_category
from tiski.helpcenter.models import Article, ArticleStatus
from tiski.stores.actions import update_store
from tiski.stores.models import Store

HELP_CENTERS: dict[str, DemoHelpCenter] = {"tunturikettu": FI_HELP, "ziarno-i-lisc": PL_HELP}


@transaction.atomic
def seed_help_center(store: Store, demo: DemoHelpCenter) -> bool:
    """Fill an empty help center; one that has articles is left as the shop made it."""
    if Article.objects.filter(store=store).exists():
        return False
    actor = Actor.system("demo")
    if not store.phone:
        update_store(store, actor=actor, phone=demo.phone)
    served = set(store.served_languages())
    categories = {
        key: save_category(
            store,
            names={lang: text for lang, text in names.items() if lang in served},
            actor=actor,
            position=position,
        )
        for position, (key, names) in enumerate(demo.categories.items())
    }
    for position, article in enumerate(demo.articles):
        saved: Article | None = None
        for language, (title, body) in article.texts.items():
            if language not in served:
                continue
            translation = save_article(
                store,
                language=language,
                text=ArticleText(title, body),
                actor=actor,
                article=saved,
                category=categories.get(article.category),
                policy=article.policy,
                status=ArticleStatus.DRAFT
                if language in article.drafts
                else ArticleStatus.PUBLISHED,
            )
            saved = translation.article
        if saved is not None and saved.position != position:
            Article.objects.filter(pk=saved.pk).update(position=position)
    return True


def seed_help_centers() -> list[str]:
    """Seed every demo store whose help center is empty; the names of those seeded."""
    seeded = []
    for slug, demo in HELP_CENTERS.items():
        store = Store.objects.filter(slug=slug).first()
        if store is not None and seed_help_center(store, demo):
            seeded.append(store.name)
    return seeded

"""The public help center's paths, below ``/help/<store slug>/`` (or ``/`` on the store's
own domain, see ``domains.py``)."""

from django.urls import path

from tiski.helpcenter import pages, policies, public_views, sitemap, suggest

urlpatterns = [
    path("", public_views.entry, name="help-entry"),
    path("sitemap.xml", sitemap.sitemap, name="help-sitemap"),
    path("robots.txt", sitemap.robots, name="help-robots"),
    path("<str:language>/", pages.home, name="help-home"),
    path("<str:language>/search/", pages.search_page, name="help-search"),
    path("<str:language>/suggest/", suggest.suggest, name="help-suggest"),
    path("<str:language>/c/<str:category_slug>/", pages.category, name="help-category"),
    # Before the article: an article whose slug is "vote" is still shown (see pages.vote).
    path("<str:language>/a/<int:article_id>/vote/", pages.vote, name="help-vote"),
    path(
        "<str:language>/a/<int:article_id>/<str:article_slug>/",
        pages.article,
        name="help-article",
    ),
    path("<str:language>/policies/<str:kind>/", policies.policy, name="help-policy"),
]

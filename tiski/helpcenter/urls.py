from django.urls import include, path

from tiski.helpcenter import (
    category_views,
    composer_views,
    editor_views,
    report_views,
    revision_views,
)

# The agents' side: /helpcenter/… (store-wide pages take ?store=<slug>).
editor = [
    path("", editor_views.index, name="helpcenter"),
    path("new/", editor_views.new_article, name="helpcenter-new"),
    path("preview/", editor_views.preview, name="helpcenter-preview"),
    path("report/", report_views.report, name="helpcenter-report"),
    path("categories/", category_views.categories, name="helpcenter-categories"),
    path("categories/<int:pk>/", category_views.edit_category, name="helpcenter-category"),
    path(
        "categories/<int:pk>/delete/",
        category_views.remove_category,
        name="helpcenter-category-delete",
    ),
    path(
        "articles/<int:pk>/delete/",
        editor_views.remove_article,
        name="helpcenter-article-delete",
    ),
    path("articles/<int:pk>/<str:language>/", editor_views.edit_article, name="helpcenter-article"),
    path(
        "articles/<int:pk>/<str:language>/revisions/",
        revision_views.revisions,
        name="helpcenter-revisions",
    ),
    path(
        "articles/<int:pk>/<str:language>/revisions/<int:number>/",
        revision_views.revision,
        name="helpcenter-revision",
    ),
    path(
        "articles/<int:pk>/<str:language>/revisions/<int:number>/restore/",
        revision_views.restore,
        name="helpcenter-revision-restore",
    ),
]

urlpatterns = [
    path("help/<slug:slug>/", include("tiski.helpcenter.public_urls")),
    path("helpcenter/", include(editor)),
    path(
        "conversations/<int:pk>/articles/",
        composer_views.articles,
        name="conversation-help-articles",
    ),
]

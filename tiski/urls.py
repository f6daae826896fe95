from django.contrib import admin
from django.urls import include, path

from tiski.api import api
from tiski.core.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("tiski.chat.urls")),
    path("", include("tiski.agents.urls")),
    path("", include("tiski.conversations.urls")),
    path("", include("tiski.shop.urls")),
    path("", include("tiski.helpcenter.urls")),
    path("", include("tiski.returns.report_urls")),
    path("", include("tiski.returns.urls")),
    path("", include("tiski.returns.panel_urls")),
]

from django.urls import include, path

urlpatterns = [
    path("help/<slug:slug>/", include("tiski.helpcenter.public_urls")),
]

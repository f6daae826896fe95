"""The return panel's steps, beside the conversation the return is handled in."""

from django.urls import path

from tiski.returns import panel_views

urlpatterns = [
    path("conversations/<int:pk>/return/<slug:name>/", panel_views.step, name="return-step"),
]

"""The return panel's steps and the complaint panel's answer, beside their conversation."""

from django.urls import path

from tiski.returns import complaint_panel_views, panel_views

urlpatterns = [
    path("conversations/<int:pk>/return/<slug:name>/", panel_views.step, name="return-step"),
    path(
        "conversations/<int:pk>/complaint/answer/",
        complaint_panel_views.answer,
        name="complaint-answer",
    ),
]

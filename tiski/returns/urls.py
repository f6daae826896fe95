from django.urls import path

from tiski.returns.complaint_portal import complaint_done_page, complaint_page
from tiski.returns.portal import (
    choose_items_page,
    confirmation_page,
    find_order_page,
    label_download,
)

urlpatterns = [
    path("returns/<slug:slug>/", find_order_page, name="returns-portal"),
    path("returns/<slug:slug>/items/", choose_items_page, name="returns-portal-items"),
    path("returns/<slug:slug>/complaint/", complaint_page, name="returns-portal-complaint"),
    path(
        "returns/<slug:slug>/complaint/<int:number>/<str:signature>/",
        complaint_done_page,
        name="returns-portal-complaint-done",
    ),
    path(
        "returns/<slug:slug>/<int:number>/<str:signature>/",
        confirmation_page,
        name="returns-portal-done",
    ),
    path(
        "returns/<slug:slug>/<int:number>/<str:signature>/label.pdf",
        label_download,
        name="returns-portal-label",
    ),
]

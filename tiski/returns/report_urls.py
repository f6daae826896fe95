from django.urls import path

from tiski.returns import report_views

urlpatterns = [
    path("returns/report/", report_views.report, name="returns-report"),
]

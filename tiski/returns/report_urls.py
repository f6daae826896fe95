from django.urls import path

from tiski.returns import report_views

urlpatterns = [
    # Not under /returns/: that is the public portal, /returns/<store slug>/.
    path("reports/returns/", report_views.report, name="returns-report"),
]

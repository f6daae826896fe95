"""The public help center's paths, below ``/help/<store slug>/`` (or ``/`` on the store's
own domain, see ``domains.py``)."""

from django.urls import path

from tiski.helpcenter import suggest

urlpatterns = [
    path("<str:language>/suggest/", suggest.suggest, name="help-suggest"),
]

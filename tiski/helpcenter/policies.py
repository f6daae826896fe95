"""The store's policy pages: shipping, returns and refunds, terms, privacy and contact.

Each is an article with a fixed place (``Article.policy``). The contact page exists even
without one: it always shows how to reach the shop and when it is open, and an article,
when the shop wrote one, adds its text above those facts.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from tiski.core import clock
from tiski.helpcenter import links, queries
from tiski.helpcenter.actions import record_view
from tiski.helpcenter.models import PolicyKind
from tiski.helpcenter.opening import contact_facts
from tiski.helpcenter.pages import article_frame
from tiski.helpcenter.public_views import Alternate, frame, help_page, policy_path, render_page
from tiski.shop.selfservice import store_zone
from tiski.stores.models import Store


@require_safe
@help_page
def policy(request: HttpRequest, store: Store, language: str, kind: str) -> HttpResponse:
    if kind not in PolicyKind.values:
        raise Http404("no such policy")
    translation = queries.published_policy(store.pk, language, kind)
    if translation is None and kind != PolicyKind.CONTACT:
        raise Http404("no such policy page")
    if translation is not None:
        context = article_frame(request, store, translation)
    else:
        served = store.served_languages()
        alternates = [
            Alternate(code, links.absolute(store, policy_path(store, code, kind, None)))
            for code in served
        ]
        default = store.default_language if store.default_language in served else served[0]
        alternates.append(
            Alternate("x-default", links.absolute(store, policy_path(store, default, kind, None)))
        )
        context = frame(
            request,
            store,
            language,
            same_page={code: policy_path(store, code, kind, request) for code in served},
            alternates=alternates,
            canonical=links.absolute(store, policy_path(store, language, kind, None)),
        )
        context.update(article=None, description="")
    context.update(kind=kind, kind_label=PolicyKind(kind).label)
    if kind == PolicyKind.CONTACT:
        context["facts"] = contact_facts(store, clock.now(), store_zone(store), language)
    response = render_page(request, "policy.html", context)
    if translation is not None and request.method == "GET":
        record_view(translation.pk)
    return response

"""``sitemap.xml`` and ``robots.txt`` for search engines.

The sitemap lists every language's home page and every published translation, each
with ``xhtml:link`` alternates to its other published languages (Google's way of
saying "the same page in Swedish"), so drafts never leak and no language is orphaned.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

from django.http import HttpRequest, HttpResponse
from django.utils.encoding import iri_to_uri
from django.views.decorators.http import require_safe

from tiski.helpcenter import links
from tiski.helpcenter.public_views import entry_path, load_store
from tiski.helpcenter.queries import SitemapRow, sitemap_rows
from tiski.stores.models import Store

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def _path(store: Store, row: SitemapRow) -> str:
    prefix = links.prefix(store)
    if row.policy:
        return f"{prefix}/{row.language}/policies/{row.policy}/"
    return f"{prefix}/{row.language}/a/{row.article_id}/{row.slug}/"


def _url(location: str, alternates: list[tuple[str, str]], lastmod: datetime | None) -> str:
    parts = [f"<url><loc>{escape(iri_to_uri(location))}</loc>"]
    if lastmod is not None:
        parts.append(f"<lastmod>{lastmod.date().isoformat()}</lastmod>")
    for hreflang, href in alternates:
        attributes = f"hreflang={quoteattr(hreflang)} href={quoteattr(iri_to_uri(href))}"
        parts.append(f'<xhtml:link rel="alternate" {attributes}/>')
    parts.append("</url>\n")
    return "".join(parts)


def sitemap_xml(store: Store) -> str:
    served = store.served_languages()
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">\n',
    ]
    homes = [(code, links.absolute(store, links.home_path(store, code))) for code in served]
    homes_with_default = [*homes, ("x-default", links.absolute(store, entry_path(store, None)))]
    out.extend(_url(href, homes_with_default, None) for _code, href in homes)
    rows = [row for row in sitemap_rows(store.pk) if row.language in served]
    for _article, group in itertools.groupby(rows, key=lambda row: row.article_id):
        translations = list(group)
        alternates = [
            (row.language, links.absolute(store, _path(store, row))) for row in translations
        ]
        default = next(
            (href for code, href in alternates if code == store.default_language), alternates[0][1]
        )
        alternates.append(("x-default", default))
        out.extend(
            _url(links.absolute(store, _path(store, row)), alternates, row.updated_at)
            for row in translations
        )
    out.append("</urlset>\n")
    return "".join(out)


@require_safe
def sitemap(request: HttpRequest, slug: str) -> HttpResponse:
    store = load_store(slug)
    response = HttpResponse(sitemap_xml(store), content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def robots(request: HttpRequest, slug: str) -> HttpResponse:
    """On the store's own domain this is the site's robots.txt."""
    store = load_store(slug)
    sitemap_url = links.absolute(store, f"{links.prefix(store)}/sitemap.xml")
    lines = [
        "User-agent: *",
        # Search result pages are endless and thin; the articles are what to index.
        f"Disallow: {links.prefix(store, request)}/*/search/",
        f"Disallow: {links.prefix(store, request)}/*/suggest/",
        "Allow: /",
        f"Sitemap: {sitemap_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")

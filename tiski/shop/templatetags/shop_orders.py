"""Template filters of the order sidebar; the logic lives in tiski.shop.sidebar."""

from __future__ import annotations

from django import template

from tiski.shop import sidebar

register = template.Library()
register.filter("web_url", sidebar.web_url)

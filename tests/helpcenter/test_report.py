"""The help center report: searches that found nothing, and the most read articles."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import Client

from tests.conftest import logged_in
from tests.helpcenter.conftest import publish
from tiski.agents.models import Agent
from tiski.core import clock
from tiski.helpcenter.actions import record_search
from tiski.helpcenter.editor_queries import REPORT_LIMIT
from tiski.helpcenter.models import ArticleTranslation, SearchQuery
from tiski.stores.models import Store


def rows(html: str, table: str) -> list[list[str]]:
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
        if "<td" in row
    ]


def test_unanswered_searches_most_missed_first(
    help_store: Store, other_store: Store, owner_client: Client
) -> None:
    for _ in range(3):
        record_search(help_store, "fi", "Lahjapaperi", results=0)
    record_search(help_store, "fi", "lahjapaperi", results=2)  # found something once
    record_search(help_store, "fi", "nouto", results=0)
    record_search(help_store, "sv", "presentpapper", results=0)
    record_search(help_store, "fi", "palautus", results=4)  # always answered: not listed
    record_search(other_store, "pl", "papier", results=0)  # another store's

    html = owner_client.get("/helpcenter/report/?store=revontuli").content.decode()
    table = rows(html, "unanswered-table")
    assert [row[:4] for row in table] == [
        ["lahjapaperi", "fi", "4", "3"],
        # A tie: the more recent search first.
        ["presentpapper", "sv", "1", "1"],
        ["nouto", "fi", "1", "1"],
    ]
    assert "papier" not in html

    swedish = owner_client.get("/helpcenter/report/?store=revontuli&language=sv")
    assert [row[0] for row in rows(swedish.content.decode(), "unanswered-table")] == [
        "presentpapper"
    ]


def test_the_report_is_limited(help_store: Store, owner_client: Client) -> None:
    now = clock.now()
    SearchQuery.objects.bulk_create(
        SearchQuery(
            store=help_store,
            language="fi",
            query=f"kysymys {i}",
            searches=i + 1,
            without_results=i + 1,
            last_searched_at=now - timedelta(minutes=i),
        )
        for i in range(REPORT_LIMIT + 5)
    )
    table = rows(owner_client.get("/helpcenter/report/").content.decode(), "unanswered-table")
    assert len(table) == REPORT_LIMIT
    assert table[0][0] == f"kysymys {REPORT_LIMIT + 4}"


def test_top_articles_by_views_with_votes(
    help_store: Store, teammate: Agent, finnish_articles: dict[str, ArticleTranslation]
) -> None:
    swedish = publish(help_store, "sv", "Returer", "Returnera inom 30 dagar.")
    counts = {
        finnish_articles["returns"].pk: (120, 30, 10),
        finnish_articles["delivery"].pk: (300, 0, 0),
        swedish.pk: (50, 1, 3),
    }
    for pk, (views, helpful, not_helpful) in counts.items():
        ArticleTranslation.objects.filter(pk=pk).update(
            views=views, helpful=helpful, not_helpful=not_helpful
        )
    # Every member reads the report, editors or not.
    client = logged_in(teammate)
    html = client.get("/helpcenter/report/").content.decode()
    assert rows(html, "top-articles-table") == [
        ["Toimitusajat ja toimitustavat", "fi", "300", "0", "0", "—"],
        ["Näin palautat tuotteen", "fi", "120", "30", "10", "75 %"],
        ["Returer", "sv", "50", "1", "3", "25 %"],
    ]
    finnish = client.get("/helpcenter/report/?language=fi").content.decode()
    assert "Returer" not in finnish


def test_the_report_of_another_store_is_not_found(help_store: Store, outsider: Agent) -> None:
    assert logged_in(outsider).get("/helpcenter/report/?store=revontuli").status_code == 404

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tiski.events import Event


@dataclass(frozen=True, kw_only=True)
class HelpEvent(Event):
    # Help center edits concern editors, not the inbox sockets of every agent.
    def groups(self) -> list[str]:
        return []


@dataclass(frozen=True, kw_only=True)
class ArticleSaved(HelpEvent):
    type: ClassVar[str] = "help_article.saved"
    article_id: int
    translation_id: int
    language: str
    revision: int
    status: str


@dataclass(frozen=True, kw_only=True)
class ArticleDeleted(HelpEvent):
    type: ClassVar[str] = "help_article.deleted"
    article_id: int


@dataclass(frozen=True, kw_only=True)
class CategorySaved(HelpEvent):
    type: ClassVar[str] = "help_category.saved"
    category_id: int
    languages: list[str]


@dataclass(frozen=True, kw_only=True)
class CategoryDeleted(HelpEvent):
    type: ClassVar[str] = "help_category.deleted"
    category_id: int

"""The in-process half of bench/helpcenter.py: builds a help center of N articles per
language through the real actions, then times searches. Run with the database in
DATABASE_URL (already migrated); prints one JSON line.

    python bench/helpcenter_data.py --articles 5000 --queries 400 [--generate-only]

Text: each language's words come from the demo shops' own help center articles (real,
inflected Finnish, Swedish, Polish and English) plus compounds of them, drawn with a
Zipf distribution, so common words match thousands of articles (the ranking's worst
case) and rare ones a few. Queries mix whole words in other inflections, two-word
questions, half-typed words (search-as-you-type) and words with a letter swapped.

The baseline, timed on the same queries and database: the naive search a helpdesk
without a full-text engine does, ``title or body icontains`` the query's first word,
newest first (one SQL LIKE scan; no stems, no typos, no ranking).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiski.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402

from tiski.core.actors import Actor  # noqa: E402
from tiski.demo.help_tunturikettu import FI_HELP  # noqa: E402
from tiski.demo.help_ziarno import PL_HELP  # noqa: E402
from tiski.helpcenter.actions import ArticleText, save_article, save_category  # noqa: E402
from tiski.helpcenter.analysis import words  # noqa: E402
from tiski.helpcenter.models import ArticleStatus, ArticleTranslation  # noqa: E402
from tiski.helpcenter.search import search  # noqa: E402
from tiski.stores.actions import create_store  # noqa: E402
from tiski.stores.models import Store  # noqa: E402

SLUG = "bench-help"
LANGUAGES = ("fi", "sv", "en", "pl")
ACTOR = Actor.system("bench")


def vocabulary(language: str, rng: random.Random) -> list[str]:
    """Distinct words of the demo articles in ``language``, plus compounds of them."""
    found: list[str] = []
    for demo in (FI_HELP, PL_HELP):
        for article in demo.articles:
            if language in article.texts:
                title, body = article.texts[language]
                found.extend(w for w in words(f"{title} {body}") if w.isalpha() and len(w) > 2)
    base = sorted(set(found))
    # Finnish and Swedish write compounds as one word; Polish and English mostly do not,
    # but the extra words still make a realistic long tail of rare terms.
    compounds = sorted({rng.choice(base) + rng.choice(base) for _ in range(len(base) * 6)})
    # Real words are the common ones (the head of the Zipf curve), compounds the tail.
    rng.shuffle(base)
    rng.shuffle(compounds)
    return base + compounds


def zipf_weights(n: int) -> list[float]:
    return [1 / (rank + 1) for rank in range(n)]


def text(pool: list[str], weights: list[float], rng: random.Random, count: int) -> str:
    return " ".join(rng.choices(pool, weights=weights, k=count))


def body(pool: list[str], weights: list[float], rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(3, 7)):
        sentence = text(pool, weights, rng, rng.randint(25, 70)).capitalize()
        paragraphs.append(sentence + ".")
    if rng.random() < 0.3:
        paragraphs.insert(1, "\n".join(f"- {text(pool, weights, rng, 4)}" for _ in range(4)))
    return "\n\n".join(paragraphs)


def generate(store: Store, articles: int, rng: random.Random) -> None:
    for language in LANGUAGES:
        pool = vocabulary(language, rng)
        weights = zipf_weights(len(pool))
        have = ArticleTranslation.objects.filter(store=store, language=language).count()
        categories = [
            save_category(store, names={language: (f"{language} {n}", "")}, actor=ACTOR)
            for n in range(20)
        ]
        for start in range(have, articles, 500):
            with transaction.atomic():
                for _ in range(start, min(articles, start + 500)):
                    title = text(pool, weights, rng, rng.randint(3, 7)).capitalize()
                    save_article(
                        store,
                        language=language,
                        text=ArticleText(title[:190], body(pool, weights, rng)),
                        actor=ACTOR,
                        category=rng.choice(categories),
                        status=ArticleStatus.PUBLISHED,
                    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def queries(language: str, count: int, rng: random.Random) -> list[str]:
    pool = vocabulary(language, rng)
    common = pool[:300]
    made: list[str] = []
    for n in range(count):
        kind = n % 4
        word = rng.choice(common)
        if kind == 0:  # a word
            made.append(word)
        elif kind == 1:  # a question of two words
            made.append(f"{word} {rng.choice(common)}")
        elif kind == 2:  # typing: the first letters
            made.append(word[: max(3, len(word) // 2)])
        else:  # a typo: two letters swapped
            i = rng.randrange(1, max(2, len(word) - 1))
            made.append(word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :])
    return made


def timed(fn, items: list[str]) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    times, found = [], 0
    for item in items:
        started = time.perf_counter()
        found += 1 if fn(item) else 0
        times.append((time.perf_counter() - started) * 1000)
    return times, found


def naive(store_id: int, language: str, query: str) -> list[int]:
    first = (words(query) or [""])[0]
    rows = (
        ArticleTranslation.objects.filter(
            store_id=store_id, language=language, status=ArticleStatus.PUBLISHED
        )
        .filter(Q(title__icontains=first) | Q(body__icontains=first))
        .order_by("-updated_at")
        .values_list("pk", flat=True)[:10]
    )
    return list(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--generate-only", action="store_true")
    args = parser.parse_args()
    rng = random.Random(6)
    store = Store.objects.filter(slug=SLUG).first() or create_store(
        actor=ACTOR,
        name="Bench Help",
        slug=SLUG,
        reference_prefix="BHC",
        country="FI",
        default_language="fi",
        languages=list(LANGUAGES),
    )
    started = time.perf_counter()
    generate(store, args.articles, rng)
    generated = time.perf_counter() - started
    result: dict[str, object] = {"generate_s": round(generated, 1), "store": store.pk}
    if not args.generate_only:
        per_language = {}
        for language in LANGUAGES:
            items = queries(language, args.queries, random.Random(language))
            # Warm the vocabulary and the database's caches the way a running desk is.
            for item in items[:20]:
                search(store.pk, language, item)
            ours, ours_found = timed(lambda q, lang=language: search(store.pk, lang, q).hits, items)
            base, base_found = timed(lambda q, lang=language: naive(store.pk, lang, q), items)
            per_language[language] = {
                "ours_ms": ours,
                "ours_found": ours_found,
                "naive_ms": base,
                "naive_found": base_found,
            }
        result["search"] = per_language
        sample = ArticleTranslation.objects.filter(store=store).select_related("article")
        result["pages"] = [
            f"/help/{SLUG}/{t.language}/a/{t.article_id}/{quote(t.slug)}/"
            for t in sample.order_by("?")[:1000]
        ]
        result["homes"] = [f"/help/{SLUG}/{lang}/" for lang in LANGUAGES] * 50
        result["searches"] = [
            f"/help/{SLUG}/{lang}/search/?q={quote(q)}"
            for lang in LANGUAGES
            for q in queries(lang, 50, random.Random(lang + "page"))
        ]
    print(json.dumps(result))


if __name__ == "__main__":
    main()

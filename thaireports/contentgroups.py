"""Where Pelican's generators keep their content objects. Plugins that visit
every report or page walk these lists, so none is forgotten in one place."""
from __future__ import annotations

ARTICLE_GROUPS = ("articles", "translations", "drafts", "drafts_translations",
                  "hidden_articles", "hidden_translations")
PAGE_GROUPS = ("pages", "translations", "hidden_pages", "hidden_translations", "draft_pages",
               "draft_translations")


def contents_of(generator, groups):
    """Every content object `generator` holds in `groups`."""
    for group in groups:
        yield from getattr(generator, group, None) or ()

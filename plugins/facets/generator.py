"""Writes the province, agency and program pages, their index pages and
their Atom feeds, and shares the facet counts with every template."""
from __future__ import annotations

import heapq
import os
from functools import partial

from pelican import signals
from pelican.generators import Generator

from thaireports.vocabulary import KINDS, load_vocabulary

from .taxonomy import CLASSES


def _newest_first(articles):
    return sorted(articles, key=lambda a: a.date, reverse=True)


def _related(article, facets, count):
    """The `count` newest other reports sharing one of `facets`. Each facet's
    list is already newest first, so merging them lazily stops after `count`
    hits instead of sorting every report of every shared facet."""
    seen, out = set(), []
    lists = [f.articles for f in facets]
    for other in heapq.merge(*lists, key=lambda a: a.date, reverse=True):
        if other is article or id(other) in seen:
            continue
        seen.add(id(other))
        out.append(other)
        if len(out) == count:
            break
    return out


class FacetsGenerator(Generator):
    """Runs after Pelican's ArticlesGenerator (plugin generators come after the
    built-in ones), so the reports are read and ordered when it starts."""

    def generate_context(self):
        from . import facet_for, STATE

        vocab = load_vocabulary()
        settings = self.settings
        self.facets = {kind: [facet_for(kind, key, settings) for key in vocab.entries(kind)]
                       for kind in KINDS}
        for facets in self.facets.values():
            for f in facets:
                f.articles = []
                f.inferred_paths = set()

        articles = list(self.context.get("articles", []))
        for article in articles:
            inferred = getattr(article, "inferred", set())
            for kind in KINDS:
                for f in getattr(article, CLASSES[kind].plural, []) or []:
                    f.articles.append(article)
                    if kind in inferred:
                        f.inferred_paths.add(article.source_path)
        for facets in self.facets.values():
            for f in facets:
                f.articles = _newest_first(f.articles)

        count = settings.get("FACETS_RELATED_COUNT", 5)
        everything = articles + list(self.context.get("hidden_articles", [])) + \
            list(self.context.get("drafts", []))
        for article in everything:
            shared = list(getattr(article, "provinces", [])) + list(getattr(article, "programs", []))
            article.related = _related(article, shared, count)

        by_region = vocab.by_region()
        provinces = {f.key: f for f in self.facets["province"]}
        self.provinces_by_region = [
            (vocab.regions[region], sorted((provinces[e.key] for e in entries), key=lambda f: f.name))
            for region, entries in by_region.items()
        ]
        years = []
        for period in self.context.get("period_archives", {}).get("year", []):
            year = period["period_num"][0]
            years.append({"year": year, "year_be": year + 543, "url": period["url"],
                          "count": len(period["articles"])})
        self.context.update({
            "facets": self.facets,
            "facet_counts": {kind: {f.key: f.count for f in facets}
                             for kind, facets in self.facets.items()},
            "provinces_by_region": self.provinces_by_region,
            "archive_years": sorted(years, key=lambda y: y["year"], reverse=True),
        })
        STATE.facet_generator = self

    def generate_output(self, writer):
        write = partial(writer.write_file, relative_urls=self.settings["RELATIVE_URLS"])
        for kind, facets in self.facets.items():
            template = self.get_template(kind)
            for f in facets:
                write(f.save_as, template, self.context, url=f.url, page_name=f.page_name,
                      paginated={"articles": f.articles}, articles=f.articles,
                      template_name=kind, blog=True, facet=f, **{kind: f})
                self._write_feed(writer, f)

        plural = {"province": "provinces", "agency": "agencies", "program": "programs"}
        for kind, name in plural.items():
            save_as = self.settings.get(f"{name.upper()}_SAVE_AS")
            if not save_as:
                continue
            write(save_as, self.get_template(name), self.context,
                  url=self.settings.get(f"{name.upper()}_URL"), template_name=name,
                  page_name=name, facet_kind=kind, facet_list=self.facets[kind],
                  **{name: self.facets[kind]})

    def _write_feed(self, writer, facet):
        path = facet.feed_path
        if not path:
            return
        key = f"{type(facet).__name__.upper()}_FEED_ATOM_URL"
        url = str(self.settings.get(key) or self.settings[key[:-4]]).format(slug=facet.slug)
        # Built without a path so the feed's id can be its own URL: Pelican
        # gives every feed the site's URL as id, and readers merge feeds
        # that share an id.
        feed = writer.write_feed(facet.articles, self.context, None, url,
                                 feed_title=f"{facet.name} ({facet.name_en})")
        feed.feed["id"] = feed.feed["feed_url"]
        feed.feed["link"] = f"{self.settings.get('SITEURL', '').rstrip('/')}/{facet.url}"
        target = os.path.join(self.output_path, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as fp:
            feed.write(fp, "utf-8")
        signals.feed_written.send(target, context=self.context, feed=feed)

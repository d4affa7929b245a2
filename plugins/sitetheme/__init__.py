"""The theme's Python side: the interface message catalogue and the English
mirror of every page (i18n), build-time data for the province map and the
timeline (charts), and Jinja filters for Thai dates."""
from pathlib import Path

from pelican import signals

from . import bytecode, charts, directcalls, i18n, memo


def _install(generator):
    env = generator.env
    memo.clear()
    # The catalogue and the map grid go in the shared context, not in Jinja
    # globals: the render cache fingerprints the context's upper-case entries,
    # so editing messages.yaml or provincegrid.yaml re-renders the pages.
    theme = Path(generator.settings["THEME"])
    generator.context["MESSAGES"] = i18n.load_catalogue(str(theme / "messages.yaml"))
    generator.context["PROVINCE_GRID"] = charts.load_grid(str(theme / "provincegrid.yaml"))
    if "jinja2.ext.do" not in env.extensions:
        env.add_extension("jinja2.ext.do")
    directcalls.install(env, {**i18n.GLOBALS, **charts.GLOBALS})
    env.filters.update(i18n.FILTERS)
    env.filters.update(charts.FILTERS)
    bytecode.install(env, generator.settings.get("CACHE_PATH"))


def _facts(generator):
    generator.context["report_facts"] = charts.facts(generator.articles)


def _writer(pelican):
    return i18n.MirrorWriter


def register():
    signals.generator_init.connect(_install)
    signals.get_writer.connect(_writer)
    signals.article_generator_finalized.connect(_facts)

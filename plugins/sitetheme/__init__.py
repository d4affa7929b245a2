"""The theme's Python side: the interface message catalogue and the English
mirror of every page (i18n), build-time data for the province map and the
timeline (charts), and Jinja filters for Thai dates."""
from pelican import signals

from . import charts, i18n


def _install(generator):
    env = generator.env
    env.globals["MESSAGES"] = i18n.load_catalogue(i18n.catalogue_path(generator.settings))
    if "jinja2.ext.do" not in env.extensions:
        env.add_extension("jinja2.ext.do")
    env.globals.update(i18n.GLOBALS)
    env.globals.update(charts.GLOBALS)
    env.filters.update(i18n.FILTERS)
    env.filters.update(charts.FILTERS)


def _writer(pelican):
    return i18n.MirrorWriter


def register():
    signals.generator_init.connect(_install)
    signals.get_writer.connect(_writer)

"""Shared core of the archive: the controlled vocabulary, Thai dates and text,
tagging, and the Markdown report format. Used by the scraper, the Pelican
plugins, the tasks and the theme alike."""

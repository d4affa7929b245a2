"""Placeholder until the minify plugin lands."""


def register():
    pass

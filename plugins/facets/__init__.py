"""Placeholder until the facets plugin lands."""


def register():
    pass

"""Placeholder until the search plugin lands."""


def register():
    pass

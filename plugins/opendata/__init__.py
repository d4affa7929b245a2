"""Placeholder until the opendata plugin lands."""


def register():
    pass

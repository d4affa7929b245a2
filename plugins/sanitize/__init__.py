"""Placeholder until the sanitize plugin lands."""


def register():
    pass

"""Placeholder until the images plugin lands."""


def register():
    pass

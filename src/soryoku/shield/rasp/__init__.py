"""Contextual injection decisions: does a user input change the structure of what reaches a sink?

Pure functions, no hooks: :mod:`soryoku.shield.hooks` calls them with the current request's inputs.
"""

"""Thin adapters: translate platform events into commands and neutral replies into each
platform's format. Nothing here decides anything."""

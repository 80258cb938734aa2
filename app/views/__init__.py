"""Flet components, one module per screen. Views never touch SQL or the network: they render
a model from ``app/state`` and call its actions."""

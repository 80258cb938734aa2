"""Resolvers, one module per domain; each exposes ``bindables`` for the executable schema."""

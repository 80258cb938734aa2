"""Growlink backend: the GraphQL server and its storage engines."""

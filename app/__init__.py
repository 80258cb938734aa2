"""The Growlink Flet client."""

"""Offline sync, the server side (docs/sync-protocol.md): change feed, push, pull and pokes.

Modules import nothing from each other at package import time, so ``services.writes`` can
use ``sync.feed`` while ``sync.push`` uses the services.
"""

"""Offline sync's endpoints, above the services (docs/sync-protocol.md): push, merge, pull, issues.

A device change is merged by calling the services (``merge``); the feed the pull reads is
written by the services' one write path through ``backend.changefeed``.
"""

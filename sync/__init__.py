"""The offline-first sync engine: local store, outbox, push and pull (see docs/sync-protocol)."""

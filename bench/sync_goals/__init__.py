"""The parts of ``bench/sync.py``, one goal of docs/sync-protocol.md section 7 each (S2 in
two: its seeded world and its measurement), and the devices they all drive."""

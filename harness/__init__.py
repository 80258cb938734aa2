"""What the tests and the benchmarks both run against: free ports on 127.0.0.1, DynamoDB Local
(or moto's server), ``redis-server`` and ``growlink-server serve`` as child processes, several
servers on one store, and new accounts.

Not shipped with the distribution: it exists for ``tests/`` (as the pytest plugin
``harness.pytest_plugin``) and ``bench/``.
"""

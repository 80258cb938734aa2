"""Growlink business rules as pure functions.

The server and the offline device client import the same rules from here, so a habit
streak or a session price computed on the phone matches the one the server stores.
Nothing in this package does I/O: callers pass in the current time, the stored values
and the actor's role, and get back a value or a `domain.errors.DomainError`.
"""

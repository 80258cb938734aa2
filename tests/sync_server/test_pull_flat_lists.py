"""Pull pages completed by the server's one-loop executor (``backend.api.leaf_lists``) are
exactly the pages graphql-core's standard executor builds, for each reader: the per-reader
visibility of issue 10 (anonymous feedback detached for the mentor, another user's email
hidden) is decided before GraphQL, and stays."""

from __future__ import annotations

from typing import Any

from graphql import ExecutionResult, execute, parse

from backend.api.schema import build_schema
from backend.services.context import ServiceContext, Viewer
from tests.api.asgi import Api, Person
from tests.api.counting_executor import CountingExecutor
from tests.api.mentorship_world import SUBMIT_FEEDBACK, completed, feedback_input, travel
from tests.sync_server.sync_calls import PULL, pull_all


async def executed(api: Api, person: Person, executor: Any) -> dict[str, Any]:
    """Every page of ``person``'s initial sync, executed in this process by ``executor``."""
    schema, document = build_schema(), parse(PULL)
    changes: list[dict[str, Any]] = []
    cursor = None
    while True:
        ctx = ServiceContext(api.services, Viewer(person.id))
        variables = {"cursor": cursor, "limit": 2}  # several pages, each a list
        result = execute(
            schema, document, variable_values=variables, context_value=ctx, executor_class=executor
        )
        result = await result if not isinstance(result, ExecutionResult) else result
        assert not result.errors and result.data is not None
        page = result.data["pullChanges"]
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["hasMore"]:
            return {"changes": changes, "cursor": cursor}


async def test_each_readers_pages_equal_the_standard_executors(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    zed = await api.sign_up("Zed")
    session_id = await completed(api, ann, mona)
    travel(api, ann, mona, zed, hours=25)
    await api.data(SUBMIT_FEEDBACK, {"i": feedback_input(session_id, isAnonymous=True)}, as_=ann)

    for person in (mona, ann, zed):
        standard = await executed(api, person, None)
        before = CountingExecutor.flat
        fast = await executed(api, person, CountingExecutor)
        assert CountingExecutor.flat > before  # the one loop did complete these pages
        assert fast == standard
        served, cursor, _ = await pull_all(api, person, limit=2)  # the app, over its HTTP
        assert {"changes": served, "cursor": cursor} == standard

    monas = (await executed(api, mona, CountingExecutor))["changes"]
    feedback = [c for c in monas if c["entity"] == "SESSION_FEEDBACK"]  # snapshot and feed
    assert feedback and all("menteeId" not in c["item"] for c in feedback)
    assert session_id not in str(feedback)
    profiles = [c for c in monas if c["key"] == {"userId": ann.id}]
    assert profiles and all("email" not in c["item"] for c in profiles)

"""Expected errors are one log line with their code; unexpected ones carry a traceback and a
request id that the client sees too."""

import logging

from graphql import GraphQLError

from backend.api.errors import format_error


async def test_an_expected_error_is_one_line_without_a_traceback(api, caplog):
    caplog.set_level(logging.INFO)
    body = await api.call('{ getGoal(goalId: "g") { title } }')
    code = body["errors"][0]["extensions"]["code"]
    records = [r for r in caplog.records if r.name.startswith(("growlink", "ariadne"))]
    assert len(records) == 1
    assert records[0].exc_info is None
    assert code in records[0].getMessage()
    assert "\n" not in records[0].getMessage()


def test_an_unexpected_error_is_logged_with_a_traceback_and_its_id_is_answered(caplog):
    try:
        raise KeyError("habit_items.sk")
    except KeyError as fault:
        error = GraphQLError("boom", original_error=fault, path=["me"])
    formatted = format_error(error)
    request_id = formatted["extensions"]["requestId"]
    assert formatted["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert request_id in formatted["message"]
    assert "habit_items" not in str(formatted)
    (record,) = [r for r in caplog.records if r.name == "growlink.api"]
    assert record.exc_info is not None
    assert request_id in record.getMessage()


async def test_messages_never_name_storage_tables_or_attributes(api):
    mia = await api.sign_up("Mia")
    body = await api.call('{ getUser(userId: "") { name } }', as_=mia)
    message = body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "Users" not in message and "userId" not in message


async def test_a_read_refusal_does_not_speak_of_changing(api):
    mia, ann = await api.sign_up("Mia"), await api.sign_up("Ann")
    body = await api.call(
        "query($u: ID!) { listTodosForUser(userId: $u) { todoId } }",
        {"u": ann.id},
        as_=mia,
    )
    error = body["errors"][0]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert "change" not in error["message"]

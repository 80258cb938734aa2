"""The real server: `growlink-server serve` in its own process, over HTTP on 127.0.0.1."""

import httpx
import pytest


@pytest.fixture
def server(tmp_path, server_process):
    db = tmp_path / "server.db"
    process = server_process(db)
    yield process.url, db
    process.stop()


def test_health_check_answers(server):
    url, _ = server
    assert httpx.get(f"{url}/health").json() == {"status": "ok"}


def test_sign_up_then_query_as_that_user_over_http(server):
    url, db = server
    sign_up = httpx.post(
        f"{url}/graphql",
        json={
            "query": """mutation($i: SignUpInput!) {
                signUp(input: $i) { accessToken user { userId username } } }""",
            "variables": {
                "i": {
                    "email": "http@example.com",
                    "username": "http",
                    "name": "Over HTTP",
                    "password": "correct horse battery",
                    "role": "MENTEE",
                }
            },
        },
    ).json()
    token = sign_up["data"]["signUp"]["accessToken"]
    me = httpx.post(
        f"{url}/graphql",
        json={"query": "{ me { userId email } }"},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    assert me["data"]["me"] == {
        "userId": sign_up["data"]["signUp"]["user"]["userId"],
        "email": "http@example.com",
    }
    assert db.exists() and (db.parent / "server.db.secret").exists()


def test_a_refused_request_has_a_code_and_no_trace(server):
    url, _ = server
    body = httpx.post(
        f"{url}/graphql",
        json={"query": 'mutation { verifyUser(userId: "x") { verified } }'},
    ).json()
    assert body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert "Traceback" not in str(body)


def test_answers_are_compressed_as_the_client_accepts(server):
    """Large answers (the schema's introspection here, a pull page in use) come zstd- or
    gzip-encoded as ``Accept-Encoding`` allows, and decode to the same JSON."""
    url, _ = server
    query = {"query": "{ __schema { types { name fields { name } } } }"}
    answers = {}
    for accept in ("gzip, deflate, zstd", "gzip", "identity"):
        response = httpx.post(f"{url}/graphql", json=query, headers={"Accept-Encoding": accept})
        assert response.headers["vary"] == "Accept-Encoding"
        answers[accept] = (response.headers.get("content-encoding"), response.json())
    assert [coding for coding, _ in answers.values()] == ["zstd", "gzip", None]
    bodies = [body for _, body in answers.values()]
    assert bodies[0] == bodies[1] == bodies[2] and "errors" not in bodies[0]

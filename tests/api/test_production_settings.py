"""Production settings: no GraphiQL, no introspection for signed-out callers; and an expired
token is UNAUTHENTICATED, not "signed out"."""

import httpx
from graphql import get_introspection_query

from backend.app import create_app

INTROSPECT = "{ __schema { queryType { name } } }"


async def _production_client(api):
    app = create_app(api.services, production=True)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://g.test")


async def test_production_refuses_introspection_to_signed_out_callers(api):
    person = await api.sign_up("Mia")
    async with await _production_client(api) as client:
        anonymous = (await client.post("/graphql", json={"query": INTROSPECT})).json()
        assert anonymous["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        signed_in = await client.post(
            "/graphql",
            json={"query": get_introspection_query()},
            headers={"Authorization": f"Bearer {person.token}"},
        )
        assert "errors" not in signed_in.json()
        # the same text again, signed out: the remembered validation does not leak across
        again = (await client.post("/graphql", json={"query": get_introspection_query()})).json()
        assert again["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert (await client.post("/graphql", json={"query": "{ __typename }"})).json() == {
            "data": {"__typename": "Query"}
        }


async def test_production_serves_no_graphiql(api):
    async with await _production_client(api) as client:
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        assert "graphiql" not in page.text.lower()
        assert page.status_code == 405
    development = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert "graphiql" in development.text.lower()


async def test_me_with_an_expired_token_is_unauthenticated(api, clock):
    person = await api.sign_up("Mia")
    assert (await api.data("{ me { userId } }", as_=person))["me"]["userId"] == person.id
    clock.advance(hours=1)
    body = await api.call("{ me { userId } }", as_=person)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await api.data("{ me { userId } }"))["me"] is None

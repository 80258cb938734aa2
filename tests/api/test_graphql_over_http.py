"""GraphQL over HTTP per its specification: media types, status codes, GET."""

RESPONSE_JSON = "application/graphql-response+json"


async def test_application_json_answers_200_even_when_the_request_is_refused(api):
    response = await api.client.post("/graphql", json={"query": "{ nonsense }"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_graphql_response_json_is_negotiated_with_the_specs_status_codes(api):
    headers = {"Accept": RESPONSE_JSON}
    invalid = await api.client.post("/graphql", json={"query": "{ nonsense }"}, headers=headers)
    assert invalid.status_code == 400
    assert invalid.headers["content-type"].startswith(RESPONSE_JSON)
    ran = await api.client.post("/graphql", json={"query": "{ __typename }"}, headers=headers)
    assert ran.status_code == 200 and ran.json() == {"data": {"__typename": "Query"}}
    assert ran.headers["content-type"].startswith(RESPONSE_JSON)


async def test_queries_run_by_get_and_mutations_by_get_are_405(api):
    got = await api.client.get(
        "/graphql", params={"query": "{ __typename }"}, headers={"Accept": "application/json"}
    )
    assert got.status_code == 200 and got.json() == {"data": {"__typename": "Query"}}
    mutation = 'mutation { signIn(email: "a@b.c", password: "x") { accessToken } }'
    refused = await api.client.get("/graphql", params={"query": mutation})
    assert refused.status_code == 405
    assert refused.headers["allow"] == "POST"


async def test_graphiql_only_when_a_browser_asks_for_html(api):
    page = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    not_html = await api.client.get("/graphql", headers={"Accept": "application/json"})
    assert not_html.status_code == 400
    assert not_html.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"

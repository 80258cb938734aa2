"""A fresh probe of issue #10's kinds against a real server on 127.0.0.1 (SQLite): the
hand-written attacks of its list 1-11, then schemathesis' GraphQL mode for a bounded time as
anonymous, mentee and mentor. Prints each finding, or "nothing" for a section.

The world (a mentor, two mentees, a completed session with anonymous feedback) is written
in process on the server's file first, with a clock two days back, since feedback opens a
day after a session; the server then starts on that file. Sign-in attacks send their own
``X-Forwarded-For`` (uvicorn trusts it from 127.0.0.1), so each has a fresh address budget.

Run: ``.venv/bin/python -m bench.probe [--fuzz-seconds 90]`` (per caller; about 10 minutes
of CPU in all with the default).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from backend.app import create_app
from backend.auth.tokens import TokenIssuer
from backend.services.context import Services
from backend.storage.sqlite_engine import SQLiteEngine
from bench.edge_attacks import DEEP_SCHEMA
from bench.process_usage import rss_mb
from domain.clock import FixedClock
from harness.processes import ServerProcess

SECRET = "probe-secret-" + "x" * 40
PASSWORD = "correct horse battery"
AUDIT = Path(__file__).resolve().parent.parent / "tools" / "graphql-http-audit"
STORAGE_NAMES = re.compile(
    r"_version|_ttl|_deleted|_lastChangedAt|#(?:login|refresh|throttle|slots|username)#"
    r"|ConditionalCheck|TransactionCancel|sqlite|boto|[Dd]ynamo|\btable\b|SyncState"
    r"|SessionFeedbacks|HabitCompletions|MentorSessionNotes|ChangeFeed"
)
SIGN_IN = """mutation($e: String!, $p: String!) {
  signIn(email: $e, password: $p) { accessToken refreshToken user { userId } } }"""
REFRESH = "mutation($t: String!) { refreshToken(token: $t) { accessToken refreshToken } }"
SIGN_UP = """mutation($i: SignUpInput!) { signUp(input: $i) { accessToken user { userId } } }"""
PUSH = """mutation($i: PushChangesInput!) { pushChanges(input: $i) {
  lastMutationId results { mutationId status error { code } } } }"""


@dataclass
class Person:
    name: str
    email: str
    user_id: str = ""
    token: str = ""


@dataclass
class Probe:
    """The server under probe, every error message it gave, and the findings so far."""

    url: str
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=120))
    messages: list[str] = field(default_factory=list)
    findings: dict[str, list[str]] = field(default_factory=dict)
    section: str = ""

    def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        token: str = "",
        *,
        address: str | None = None,
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if address:
            headers["X-Forwarded-For"] = address
        body = {"query": query, "variables": variables or {}}
        response = self.client.post(f"{self.url}/graphql", json=body, headers=headers)
        if response.status_code >= 500:
            self.find(f"HTTP {response.status_code} for {query[:60]!r}")
        answer: dict[str, Any] = response.json()
        self.messages += [str(e.get("message")) for e in answer.get("errors") or []]
        return answer

    def code(self, answer: dict[str, Any]) -> str | None:
        errors = answer.get("errors") or []
        return (errors[0].get("extensions") or {}).get("code") if errors else None

    def expect(self, what: str, answer: dict[str, Any], code: str | None) -> None:
        """A finding unless ``answer`` fails with ``code`` (None: succeeds)."""
        got = self.code(answer)
        if got != code:
            self.find(f"{what}: expected {code or 'success'}, got {got or 'success'}")

    def find(self, finding: str) -> None:
        self.findings.setdefault(self.section, []).append(finding)


# -- the world -------------------------------------------------------------------------------


async def seed_world(db: Path) -> dict[str, Person]:
    """Mona (mentor), Ann and Bea (mentees); Ann's session with Mona, completed two days ago,
    with Ann's anonymous feedback."""
    clock = FixedClock(datetime.now(UTC) - timedelta(days=2))
    store = SQLiteEngine(db)
    services = Services(store=store, clock=clock, tokens=TokenIssuer(SECRET, clock))
    transport = httpx.ASGITransport(app=create_app(services))
    people = {
        key: Person(name, f"{key}-{uuid.uuid4().hex[:6]}@example.com")
        for key, name in (("mona", "Mona"), ("ann", "Ann"), ("bea", "Bea"))
    }
    async with httpx.AsyncClient(transport=transport, base_url="http://seed") as client:

        async def call(query: str, variables: dict[str, Any], who: Person | None = None) -> Any:
            headers = {"Authorization": f"Bearer {who.token}"} if who else {}
            body = {"query": query, "variables": variables}
            answer = (await client.post("/graphql", json=body, headers=headers)).json()
            assert not answer.get("errors"), answer["errors"]
            return answer["data"]

        for key, person in people.items():
            role = "MENTOR" if key == "mona" else "MENTEE"
            signed = await call(SIGN_UP, {"i": _sign_up_input(person, role)})
            person.user_id = signed["signUp"]["user"]["userId"]
            person.token = signed["signUp"]["accessToken"]
        mona, ann = people["mona"], people["ann"]
        day = (clock.now() + timedelta(days=1)).date().isoformat()
        session: dict[str, Any] = {
            "mentorId": mona.user_id,
            "type": "virtual",
            "date": day,
            "time": "14:00",
        }
        session |= {"duration": 60, "meetingLink": "https://meet.example/probe"}
        made = await call(
            "mutation($i: CreateSessionInput!) { createSession(input: $i) { sessionId } }",
            {"i": session},
            ann,
        )
        session_id = made["createSession"]["sessionId"]
        for step in ("confirmSession", "completeSession"):
            clock.advance(seconds=1)
            await call(
                f"mutation($s: ID!) {{ {step}(sessionId: $s) {{ status }} }}",
                {"s": session_id},
                mona,
            )
        clock.advance(hours=25)
        ann.token = services.tokens.issue(ann.user_id).access_token
        feedback = {"sessionId": session_id, "rating": 4, "isAnonymous": True}
        feedback |= {"growthArea": "Speaking", "growthIdea": "Record a talk a week"}
        feedback |= {"whatWentWell": "Kind, clear advice", "whatToImprove": "More examples"}
        await call(
            "mutation($i: SessionFeedbackInput!) { submitSessionFeedback(input: $i) "
            "{ feedbackId } }",
            {"i": feedback},
            ann,
        )
    await store.close()
    people["session"] = Person("session", "", session_id)
    return people


def _sign_up_input(person: Person, role: str) -> dict[str, Any]:
    return {
        "email": person.email,
        "username": person.email.split("@")[0].replace("-", ""),
        "name": person.name,
        "password": PASSWORD,
        "role": role,
        "timeZone": "Europe/Lisbon",
    }


def sign_in(probe: Probe, person: Person) -> None:
    answer = probe.post(SIGN_IN, {"e": person.email, "p": PASSWORD}, address=_address())
    person.token = answer["data"]["signIn"]["accessToken"]


def _address() -> str:
    """A fresh client address (sent as X-Forwarded-For)."""
    raw = uuid.uuid4().bytes
    return f"10.{raw[0]}.{raw[1]}.{raw[2]}"


# -- the hand-written attacks (issue #10's list) -----------------------------------------------


def aliases(probe: Probe) -> None:
    """1: many aliases of introspection or of an ordinary field are refused fast (the issue
    measured 17 s for the first; 2 s leaves room for a loaded machine)."""
    for name, query in (
        ("600 x __schema", "{ " + " ".join(f"a{n}: {DEEP_SCHEMA}" for n in range(600)) + " }"),
        ("2000 x __typename", "{ " + " ".join(f"a{n}: __typename" for n in range(2000)) + " }"),
        (
            "deep fragments",
            "query { ...A } fragment A on Query { __schema { types { ...B } } }"
            " fragment B on __Type { fields { type { ofType { ofType { ofType { name } } } } } }",
        ),
    ):
        started = time.perf_counter()
        answer = probe.post(query)
        elapsed = time.perf_counter() - started
        print(f"  {name}: {elapsed:.2f} s, refused: {bool(answer.get('errors'))}")
        if elapsed > 2.0 or (name != "deep fragments" and not answer.get("errors")):
            probe.find(f"{name}: {elapsed:.2f} s, refused: {bool(answer.get('errors'))}")


def bodies(probe: Probe, pid: int) -> None:
    """2, 3: a huge body is 413, deep JSON 400, and distinct big queries do not grow memory."""
    before = rss_mb(pid)
    huge = b'{"query": "{ __typename }' + b" " * (100 * 1024 * 1024) + b'"}'
    response = probe.client.post(
        f"{probe.url}/graphql", content=huge, headers={"content-type": "application/json"}
    )
    if response.status_code != 413:
        probe.find(f"a 100 MB body answered {response.status_code}")
    deep = "[" * 1000 + "]" * 1000
    response = probe.client.post(
        f"{probe.url}/graphql",
        content=f'{{"query": "{{ __typename }}", "variables": {{"x": {deep}}}}}',
        headers={"content-type": "application/json"},
    )
    if response.status_code != 400:
        probe.find(f"JSON nested 1,000 deep answered {response.status_code}")
    for n in range(30):
        query = f"query Q{n} {{ __typename }}" + " " * (900 * 1024)
        probe.client.post(f"{probe.url}/graphql", json={"query": query})
    grown = rss_mb(pid) - before
    print(
        f"  memory: RSS {before:.0f} MB at rest, +{grown:.0f} MB after the body and cache attacks"
    )
    if grown > 100:
        probe.find(f"RSS grew {grown:.0f} MB after a 100 MB body and 30 x 900 kB queries")


def guessing(probe: Probe, world: dict[str, Person]) -> None:
    """3, 4: guessing is throttled, does not stall others, and tells nothing of accounts."""
    ann, bea = world["ann"], world["bea"]
    address = _address()
    for n in range(10):
        probe.post(SIGN_IN, {"e": bea.email, "p": f"wrong {n}"}, address=address)
    answer = probe.post(SIGN_IN, {"e": bea.email, "p": PASSWORD}, address=_address())
    probe.expect("the 11th sign-in after 10 wrong passwords", answer, "TOO_MANY_REQUESTS")
    errors = answer.get("errors") or [{}]
    if not (errors[0].get("extensions") or {}).get("retryAfter"):
        probe.find("TOO_MANY_REQUESTS without retryAfter")

    def timed(email: str) -> float:
        started = time.perf_counter()
        probe.post(SIGN_IN, {"e": email, "p": "not it at all"}, address=_address())
        return time.perf_counter() - started

    known = [timed(p.email) for p in (world["mona"], ann) for _ in range(4)]
    unknown = [timed(f"nobody-{uuid.uuid4().hex[:8]}@example.com") for _ in range(8)]
    k, u = statistics.median(known) * 1000, statistics.median(unknown) * 1000
    print(f"  signIn median: known email + wrong password {k:.0f} ms, unknown email {u:.0f} ms")
    if abs(k - u) > 0.5 * max(k, u):
        probe.find(f"sign-in timing tells accounts apart: {k:.0f} ms vs {u:.0f} ms")

    stop = threading.Event()

    def guess() -> None:
        with httpx.Client(timeout=120) as own:
            while not stop.is_set():
                body = {"query": SIGN_IN, "variables": {"e": ann.email, "p": "guess"}}
                own.post(f"{probe.url}/graphql", json=body, headers={"X-Forwarded-For": _address()})

    guessers = [threading.Thread(target=guess) for _ in range(8)]
    for thread in guessers:
        thread.start()
    latencies = []
    for _ in range(40):
        started = time.perf_counter()
        probe.client.post(f"{probe.url}/graphql", json={"query": "{ __typename }"})
        latencies.append((time.perf_counter() - started) * 1000)
    stop.set()
    for thread in guessers:
        thread.join()
    p95 = statistics.quantiles(latencies, n=20)[-1]
    print(
        f"  an unrelated query while 8 clients guess: p50 {statistics.median(latencies):.1f} ms,"
        f" p95 {p95:.1f} ms"
    )
    if p95 > 500:
        probe.find(f"an unrelated query took {p95:.0f} ms (p95) while 8 clients guessed")
    by_email = probe.post(
        "query($e: String!) { getUserByEmail(email: $e) { userId } }", {"e": ann.email}, bea.token
    )
    probe.expect("getUserByEmail by a mentee", by_email, "FORBIDDEN")


def anonymity(probe: Probe, world: dict[str, Person]) -> None:
    """5: nothing the mentor can read pairs the anonymous feedback with Ann."""
    mona, ann, session_id = world["mona"], world["ann"], world["session"].user_id
    query = """query($s: ID!, $m: ID!) {
      getSession(sessionId: $s) { mentee { userId name } feedback { feedbackId isAnonymous }
        feedbackSubmitted rating review }
      listSessionsForMentor(mentorId: $m) { sessionId mentee { userId } feedback { feedbackId }
        rating review }
      listFeedbacksForMentor(mentorId: $m) { feedbackId mentee { userId name email }
        session { sessionId date mentee { userId } } }
      listReviewsForTarget(targetId: $m) { author { userId name } rating }
      listNotifications(userId: $m) { type message relatedId } }"""
    answer = probe.post(query, {"s": session_id, "m": mona.user_id}, mona.token)
    probe.expect("the mentor's reads", answer, None)
    data = answer.get("data") or {}
    if not data.get("listFeedbacksForMentor"):
        probe.find("the mentor does not see the anonymous feedback at all")
    about_feedback = json.dumps(
        [data.get("listFeedbacksForMentor"), data.get("listReviewsForTarget")]
        + [n for n in data.get("listNotifications") or [] if "feedback" in str(n.get("type"))]
    )
    for secret in (ann.user_id, ann.email, "Ann", session_id):
        if secret in about_feedback:
            probe.find(f"the mentor's view of the feedback contains {secret!r}")
    about_session = json.dumps([data.get("getSession"), data.get("listSessionsForMentor")])
    feedback_ids = {f["feedbackId"] for f in data.get("listFeedbacksForMentor") or []}
    if any(fid in about_session for fid in feedback_ids) or '"rating": 4' in about_session:
        probe.find("the mentor's view of the session shows the anonymous feedback")
    feed = probe.post(
        "query { pullChanges(limit: 500) { changes { entity item } } }", {}, mona.token
    )
    probe.expect("the mentor's pull", feed, None)
    items = [c["item"] for c in (feed.get("data") or {}).get("pullChanges", {}).get("changes", [])]
    for item in items:
        text = json.dumps(item)
        if "Kind, clear advice" in text and (ann.user_id in text or session_id in text):
            probe.find("the mentor's sync feed pairs the feedback with Ann or her session")


def profiles(probe: Probe, world: dict[str, Person]) -> None:
    """6: a mentee's personal fields reach only her circle; nothing of mentees signed out."""
    ann, bea = world["ann"], world["bea"]
    listed = probe.post("{ listUsersByRole(role: MENTEE) { userId } }")
    if (listed.get("data") or {}).get("listUsersByRole"):
        probe.find("signed out, listUsersByRole(MENTEE) lists mentees")
    personal = "query($u: ID!) { getUser(userId: $u) { name email location timeZone interests } }"
    seen = (probe.post(personal, {"u": ann.user_id}, bea.token).get("data") or {}).get("getUser")
    if not seen or seen.get("name") != ann.name:
        probe.find(f"another signed-in user cannot read Ann's public profile: {seen}")
    elif any(seen.get(f) for f in ("email", "location", "timeZone", "interests")):
        probe.find(f"another mentee reads Ann's personal fields: {seen}")


def pushes(probe: Probe, world: dict[str, Person]) -> None:
    """7: a bad change is REJECTED on its own; the rest apply and the queue moves on."""
    bea = world["bea"]

    def todo(n: int, text: str) -> dict[str, Any]:
        key = {"userId": bea.user_id, "todoId": str(uuid.uuid4())}
        return {
            "mutationId": n,
            "entity": "TODO",
            "key": key,
            "op": "PUT",
            "fields": {"text": text},
        }

    changes = [
        todo(1, "fine"),
        todo(2, "lone \ud800 surrogate"),
        todo(3, "nul \x00 char"),
        todo(4, "also fine"),
    ]
    raw = json.dumps(
        {"query": PUSH, "variables": {"i": {"clientId": str(uuid.uuid4()), "changes": changes}}}
    )
    response = probe.client.post(
        f"{probe.url}/graphql",
        content=raw.encode("utf-8", "surrogatepass"),
        headers={"content-type": "application/json", "Authorization": f"Bearer {bea.token}"},
    )
    answer = response.json()
    pushed = (answer.get("data") or {}).get("pushChanges") or {}
    statuses = [r["status"] for r in pushed.get("results", [])]
    if pushed.get("lastMutationId") != 4 or statuses != [
        "APPLIED",
        "REJECTED",
        "REJECTED",
        "APPLIED",
    ]:
        probe.find(f"a batch with bad changes: {answer.get('errors') or pushed}")
    nan = raw.replace('"fine"', "NaN", 1)
    response = probe.client.post(
        f"{probe.url}/graphql",
        content=nan.encode("utf-8", "surrogatepass"),
        headers={"content-type": "application/json", "Authorization": f"Bearer {bea.token}"},
    )
    if response.status_code >= 500:
        probe.find(f"NaN in a push answered {response.status_code}")
    created = probe.post(
        "mutation($i: CreateTodoInput!) { createTodo(input: $i) { todoId } }",
        {"i": {"text": "bad \x07 bell"}},
        bea.token,
    )
    probe.expect("createTodo with a control character", created, "BAD_USER_INPUT")


def refresh_reuse(probe: Probe, world: dict[str, Person]) -> None:
    """8: a refresh token works once; reuse ends the sign-in; signOut ends it."""
    mona = world["mona"]
    first = probe.post(SIGN_IN, {"e": mona.email, "p": PASSWORD}, address=_address())
    tokens = [first["data"]["signIn"]["refreshToken"]]
    for _ in range(2):
        tokens.append(
            probe.post(REFRESH, {"t": tokens[-1]})["data"]["refreshToken"]["refreshToken"]
        )
    probe.expect(
        "reusing a refresh token two rotations old",
        probe.post(REFRESH, {"t": tokens[0]}),
        "UNAUTHENTICATED",
    )
    probe.expect(
        "the newest token after a reuse", probe.post(REFRESH, {"t": tokens[-1]}), "UNAUTHENTICATED"
    )
    again = probe.post(SIGN_IN, {"e": mona.email, "p": PASSWORD}, address=_address())
    token = again["data"]["signIn"]["refreshToken"]
    probe.post("mutation($t: String!) { signOut(refreshToken: $t) }", {"t": token})
    probe.expect("a refresh after signOut", probe.post(REFRESH, {"t": token}), "UNAUTHENTICATED")


def bad_data(probe: Probe, world: dict[str, Person]) -> None:
    """9: look-alike emails and far-future sessions are refused."""
    ann, mona = world["ann"], world["mona"]
    for label, email in (
        ("NUL", "eve\x00@example.com"),
        ("zero-width", "e\u200bve@example.com"),
    ):
        person = Person("Eve", email)
        answer = probe.post(
            SIGN_UP,
            {"i": _sign_up_input(person, "MENTEE") | {"username": f"eve{uuid.uuid4().hex[:6]}"}},
        )
        probe.expect(f"signUp with a {label} in the email", answer, "BAD_USER_INPUT")
    wide = ann.email.replace("a", "\uff41", 1)  # a full-width "a": the same account
    answer = probe.post(
        SIGN_UP,
        {
            "i": _sign_up_input(Person("Ann", wide), "MENTEE")
            | {"username": f"ann{uuid.uuid4().hex[:6]}"}
        },
    )
    probe.expect("signUp with a full-width look-alike of an email", answer, "CONFLICT")
    far = {
        "mentorId": mona.user_id,
        "type": "virtual",
        "date": "9999-01-01",
        "time": "10:00",
        "duration": 60,
        "meetingLink": "https://meet.example/far",
    }
    answer = probe.post(
        "mutation($i: CreateSessionInput!) { createSession(input: $i) { sessionId } }",
        {"i": far},
        ann.token,
    )
    probe.expect("a session in the year 9999", answer, "BAD_USER_INPUT")


def noise(probe: Probe, world: dict[str, Person], log: Path) -> None:
    """10: expected errors are one short log line; messages name no storage; read refusals
    read as such."""
    bea, ann = world["bea"], world["ann"]
    before = log.stat().st_size if log.exists() else 0
    for _ in range(50):
        probe.post(
            "query($u: ID!) { listGoalsForUser(userId: $u) { goalId } }",
            {"u": ann.user_id},
            bea.token,
        )
    grown = (log.stat().st_size if log.exists() else 0) - before
    text = log.read_text(errors="replace") if log.exists() else ""
    print(f"  log: {grown} bytes for 50 refused reads")
    if grown > 50 * 300 or "Traceback" in text[before:]:
        probe.find(
            f"50 expected errors wrote {grown} bytes of log (traceback: {'Traceback' in text})"
        )
    refusal = probe.post(
        "query($u: ID!) { listGoalsForUser(userId: $u) { goalId } }", {"u": ann.user_id}, bea.token
    )
    message = ((refusal.get("errors") or [{}])[0]).get("message", "")
    if "change" in message:
        probe.find(f"a read refusal says {message!r}")


def audit(probe: Probe) -> None:
    """11: the graphql-http audit of GraphQL over HTTP."""
    node = shutil.which("node")
    if node is None or not (AUDIT / "node_modules" / "graphql-http").is_dir():
        probe.find("skipped: node or the audit's npm packages are missing (./dev setup)")
        return
    run = subprocess.run(
        [node, str(AUDIT / "audit.mjs"), f"{probe.url}/graphql"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    results = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    bad = [r for r in results if r["status"] in ("warn", "error")]
    ok = sum(r["status"] == "ok" for r in results)
    print(
        f"  graphql-http audit: {ok} ok, {len(results) - ok - len(bad)} notices (MAY), "
        f"{len(bad)} warnings or errors, of {len(results)}"
    )
    for result in bad:
        probe.find(f"audit {result['status']}: {result['name']} ({result.get('reason')})")


def leaks(probe: Probe) -> None:
    """10: no error message the probe saw names storage."""
    named = sorted({m for m in probe.messages if STORAGE_NAMES.search(m)})
    print(f"  {len(probe.messages)} error messages read, {len(set(probe.messages))} distinct")
    for message in named[:20]:
        probe.find(f"an error message names storage: {message[:160]!r}")


# -- schemathesis -------------------------------------------------------------------------------


def fuzz(probe: Probe, caller: str, token: str, seconds: float) -> None:
    """schemathesis' GraphQL mode for ``seconds``: no 5xx, every error with a code, no
    INTERNAL_SERVER_ERROR, no answer slower than 2 s, no storage names."""
    import schemathesis
    from graphql.language import StringValueNode
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st
    from schemathesis.core.result import Ok

    schemathesis.graphql.scalar(
        "AWSJSON",
        st.sampled_from(['{"a": 1}', "[]", "null", "not json", '"text"', '{"a": NaN}']).map(
            lambda text: StringValueNode(value=text)
        ),
    )
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    schema = schemathesis.graphql.from_url(f"{probe.url}/graphql", headers=headers)
    operations = [r.ok() for r in schema.get_all_operations() if isinstance(r, Ok)]
    deadline = time.monotonic() + seconds
    calls = 0
    seen: set[str] = set()
    while time.monotonic() < deadline:
        for operation in operations:
            if time.monotonic() >= deadline:
                break

            @settings(
                max_examples=5,
                deadline=None,
                database=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy())
            def probe_case(case: Any) -> None:
                nonlocal calls
                started = time.perf_counter()
                response = case.call(headers=headers)
                elapsed = time.perf_counter() - started
                calls += 1
                label = case.operation.label
                try:
                    body = response.json()
                except ValueError:
                    body = None
                problems = []
                if response.status_code >= 500:
                    problems.append(f"HTTP {response.status_code}")
                if elapsed > 2.0:
                    problems.append(f"{elapsed:.1f} s")
                for error in (body or {}).get("errors", []) if isinstance(body, dict) else []:
                    code = (error.get("extensions") or {}).get("code")
                    probe.messages.append(str(error.get("message")))
                    if not code or code == "INTERNAL_SERVER_ERROR":
                        problems.append(f"{code or 'no code'}: {error.get('message')}")
                for problem in problems:
                    key = f"{label}: {problem}"[:200]
                    if key not in seen:
                        seen.add(key)
                        probe.find(f"[{caller}] {key}")

            probe_case()
    print(f"  schemathesis as {caller}: {calls} requests over {len(operations)} operations")


# -- the run -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz-seconds", type=float, default=90.0, help="per caller")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "probe.db"
        world = asyncio.run(seed_world(db))
        log = Path(folder) / "server.log"
        server = ServerProcess(
            db, env={"GROWLINK_JWT_SECRET": SECRET}, log=log, options=["--log-level", "info"]
        )
        probe = Probe(server.url)
        try:
            for person in (world["mona"], world["ann"], world["bea"]):
                sign_in(probe, person)
            sections: list[tuple[str, Callable[[], None]]] = [
                ("1 aliases", lambda: aliases(probe)),
                ("2-3 body and cache", lambda: bodies(probe, _pid(server))),
                ("3-4 guessing and enumeration", lambda: guessing(probe, world)),
                ("5 anonymous feedback", lambda: anonymity(probe, world)),
                ("6 profile fields", lambda: profiles(probe, world)),
                ("7 bad push changes", lambda: pushes(probe, world)),
                ("8 refresh reuse", lambda: refresh_reuse(probe, world)),
                ("9 bad data", lambda: bad_data(probe, world)),
                ("10 log noise", lambda: noise(probe, world, log)),
                ("11 graphql-http audit", lambda: audit(probe)),
            ]
            for caller, token in (
                ("anonymous", ""),
                ("mentee", world["bea"].token),
                ("mentor", world["mona"].token),
            ):
                sections.append(
                    (f"schemathesis as {caller}", _fuzzing(probe, caller, token, args.fuzz_seconds))
                )
            sections.append(("10 storage names in messages", lambda: leaks(probe)))
            for name, run in sections:
                probe.section = name
                print(f"{name}:", flush=True)
                try:
                    run()
                except Exception as exc:  # one broken attack must not hide the others
                    probe.find(f"the attack itself failed: {type(exc).__name__}: {exc}")
                for finding in probe.findings.get(name, []) or ["nothing"]:
                    print(f"  - {finding}", flush=True)
        finally:
            server.stop()


def _pid(server: ServerProcess) -> int:
    assert server.proc is not None, "the server process did not start"
    return server.proc.pid


def _fuzzing(probe: Probe, caller: str, token: str, seconds: float) -> Callable[[], None]:
    return lambda: fuzz(probe, caller, token, seconds)


if __name__ == "__main__":
    main()

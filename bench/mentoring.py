"""The poke goal of issue 11's first two-person test, measured: a mentor's open app shows a
reflection his mentee shared within 5 s of her sync reaching the server.

    python bench/mentoring.py [--samples 10] [--no-restart]

The world: a fresh ``growlink-server serve`` on SQLite, a mentee and her mentor (a goal of hers
he mentors), the real app (``growlink app --web``) with the mentor signed in, in headless
Chromium, on Mentoring. Each sample is the e2e test's loop: the server goes away (her
reflection is written offline) for 3 to 10 s, comes back, and her device syncs 0 to 8 s later
(its own retry; both waits are random, seeded); her shared reflection then commits on the
server (here through the API, so the instant is known) and the clock runs until its words are
on his screen. ``--no-restart`` measures the steady state (the server never went away).
Nothing is asserted: the script prints each sample and p50 / p95 / max.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/ must not shadow the project's packages

import httpx  # noqa: E402

from bench.app_goals.browser import NoChromium, chromium  # noqa: E402
from harness.accounts import PASSWORD, Account, sign_up_blocking  # noqa: E402
from harness.browser import AppProcess, new_tab  # noqa: E402
from harness.ports import free_port  # noqa: E402
from harness.processes import ServerProcess  # noqa: E402

GOAL_MS = 5000.0
VIEWPORT = {"width": 1000, "height": 760}
CREATE_GOAL = "mutation($i: CreateGoalInput!) { createGoal(input: $i) { goalId } }"
CREATE = "mutation($i: CreateReflectionInput!) { createReflection(input: $i) { reflectionId } }"
UPDATE = """mutation($d: String!, $i: UpdateReflectionInput!) {
  updateReflection(date: $d, input: $i) { reflectionId } }"""
ON_SCREEN = """words => [...document.querySelectorAll('flt-semantics')].some(node =>
    (node.getAttribute('aria-label') || '').includes(words)
    || (node.textContent || '').includes(words))"""


def _call(url: str, query: str, variables: dict[str, object], token: str) -> dict[str, object]:
    answer = httpx.post(
        f"{url}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    if answer.get("errors"):
        raise RuntimeError(str(answer["errors"]))
    data: dict[str, object] = answer["data"]
    return data


def _share(url: str, mentee: Account, mentor: Account, words: str, first: bool) -> None:
    """Her reflection of today, shared with him, with ``words`` (created once, then edited)."""
    today = dt.datetime.now(dt.UTC).date().isoformat()  # her zone is UTC
    shared = {"isShared": True, "sharedWithMentorId": mentor.user_id, "text": words}
    if first:
        _call(url, CREATE, {"i": {"date": today, "mood": "GOOD", **shared}}, mentee.token)
    else:
        _call(url, UPDATE, {"d": today, "i": shared}, mentee.token)


def _wait_until_ready(url: str, deadline: float = 30.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError("the server did not come back")


def measure(samples: int, restart: bool, seed: int) -> list[float]:
    rng = random.Random(seed)
    folder = Path(tempfile.mkdtemp(prefix="growlink-bench-mentoring-"))
    server = ServerProcess(folder / "server.db", log=folder / "server.log")
    app: AppProcess | None = None
    seen: list[float] = []
    try:
        mentor = sign_up_blocking(server.url, role="MENTOR")
        mentee = sign_up_blocking(server.url)
        _call(
            server.url,
            CREATE_GOAL,
            {"i": {"title": "Swim 1 km", "mentorId": mentor.user_id}},
            mentee.token,
        )
        app = AppProcess(free_port(), folder / "app-data", server.url)
        with chromium() as browser:
            tab = new_tab(browser, app.url, folder / "shots", VIEWPORT).open()
            tab.sign_in(mentor.email, PASSWORD)
            tab.wait_for("mentoring-title", timeout=60)
            for n in range(samples):
                if restart:
                    server.kill()
                    time.sleep(rng.uniform(3, 10))  # she writes offline
                    server.start()
                    _wait_until_ready(server.url)
                    time.sleep(rng.uniform(0, 8))  # her device's own retry comes round
                words = f"Sample {n}: swam {rng.randint(100, 999)} m before work"
                _share(server.url, mentee, mentor, words, first=n == 0)
                committed = time.monotonic()
                tab.page.wait_for_function(ON_SCREEN, arg=words, timeout=120_000)
                took = (time.monotonic() - committed) * 1000
                seen.append(took)
                print(f"  sample {n + 1:2d}: {took:7.0f} ms", flush=True)
            tab.context.close()
    finally:
        if app is not None:
            app.stop()
        server.stop()
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--no-restart", dest="restart", action="store_false")
    parser.add_argument("--seed", type=int, default=11)
    options = parser.parse_args()
    mode = "after a server restart" if options.restart else "server up all along"
    print(f"shared reflection to the mentor's screen, {mode}, {options.samples} samples:")
    try:
        seen = measure(options.samples, options.restart, options.seed)
    except NoChromium as exc:
        print(f"skipped: {exc}")
        return
    ordered = sorted(seen)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(
        f"p50 {statistics.median(ordered):.0f} ms · p95 {p95:.0f} ms · max {ordered[-1]:.0f} ms"
        f" · goal {GOAL_MS:.0f} ms · over the goal: {sum(v > GOAL_MS for v in seen)}"
        f" of {len(seen)}"
    )


if __name__ == "__main__":
    main()

"""The issue's mentee day, end to end: the demo mentee signs in, the backend stops, she ticks
two habits, back-fills yesterday and writes a shared reflection; the status shows the pending
count; the backend returns and the status reads "Synced"; the server (over GraphQL) holds
every change exactly once; a reload shows the same state.

It drives the Today and Reflect screens by their issue-8 identifiers, so it can only pass
once the screens' branches are merged with the app core.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.app.browser.harness import MENTEE, WIDE, graphql, new_tab, sign_in_token

REFLECTION = "Ran before work even though it rained. Small wins."


def test_a_mentee_day_offline_then_synced_exactly_once(browser, backend, app_process, shots):
    token, user_id = sign_in_token(backend.url, MENTEE)
    zone = graphql(backend.url, "{ me { timeZone } }", {}, token)["me"]["timeZone"]
    today = datetime.now(ZoneInfo(zone)).date()
    yesterday = today - timedelta(days=1)

    tab = new_tab(browser, app_process.url, shots, WIDE).open()
    try:
        tab.sign_in(MENTEE)
        tab.wait_text("sync-status", "Synced", timeout=60)
        tab.wait_for("nav-today")
        tab.click("nav-today")
        checks = tab.identifiers("habit-check-")
        unticked = [c for c in checks if not tab.checked(c)]
        assert len(unticked) >= 2, f"need two habits not yet done today, found {checks}"
        first, second = unticked[:2]
        first_id = first.removeprefix("habit-check-")
        second_id = second.removeprefix("habit-check-")
        tab.shot("today-before")

        backend.kill()
        tab.click(first)
        tab.click(second)
        assert tab.checked(first) and tab.checked(second)
        tab.click(f"backfill-day-{yesterday.isoformat()}")
        tab.wait_for(first)
        yesterday_was_done = tab.checked(first)
        if not yesterday_was_done:
            tab.click(first)  # back-fill the first habit for yesterday
        tab.shot("today-offline")

        tab.click("nav-reflect")
        tab.click("reflection-mood-GOOD")
        tab.type("reflection-text", REFLECTION)
        tab.click("reflection-share")
        tab.click("reflection-save")
        pending = tab.wait_text("sync-status", r"Offline · \d+ pending", timeout=30)
        assert int(pending.split("·")[1].split()[0]) >= 3
        tab.shot("reflect-offline")
    finally:
        backend.start()
    try:
        tab.wait_text("sync-status", "Synced", timeout=60)
        tab.shot("synced")

        token, _ = sign_in_token(backend.url, MENTEE)
        completions = graphql(
            backend.url,
            "query($u: ID!, $f: String, $t: String) { listCompletionsForUser(userId: $u, "
            "dateFrom: $f, dateTo: $t, limit: 500) { habitId date completed } }",
            {"u": user_id, "f": yesterday.isoformat(), "t": today.isoformat()},
            token,
        )["listCompletionsForUser"]
        done = [(c["habitId"], c["date"]) for c in completions if c["completed"]]
        assert len(done) == len(set(done))  # exactly once each
        assert (first_id, today.isoformat()) in done
        assert (second_id, today.isoformat()) in done
        assert (first_id, yesterday.isoformat()) in done
        reflection = graphql(
            backend.url,
            "query($u: ID!, $d: String!) { getReflection(userId: $u, date: $d) "
            "{ mood text isShared } }",
            {"u": user_id, "d": today.isoformat()},
            token,
        )["getReflection"]
        assert reflection == {"mood": "GOOD", "text": REFLECTION, "isShared": True}

        tab.open("/today")
        tab.wait_for(first)
        assert tab.checked(first) and tab.checked(second)
        tab.shot("today-after-reload")
    finally:
        tab.context.close()

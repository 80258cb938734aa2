"""The issue's mentee day, end to end: the demo mentee signs in, the backend stops, she ticks
two habits, back-fills yesterday (a habit not done then, or one un-ticked and re-ticked, so
the back-fill always writes) and writes a shared reflection; the status shows the pending
count; the backend returns and the status reads "Synced"; the server (over GraphQL) holds
every change exactly once; a reload shows the same state.

It drives the Today and Reflect screens by their issue-8 identifiers, so it can only pass
once the screens' branches are merged with the app core.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from app.views.dates import short_day
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
        assert len(checks) >= 2, f"need two habits due today, found {checks}"
        # The demo may have ticked today already (it depends on the hour it was seeded):
        # un-tick, online, so the offline ticks below are new writes.
        for check in checks[:2]:
            if tab.checked(check):
                tab.click(check)
                tab.wait_checked(check, False)
        tab.wait_text("sync-status", "Synced", timeout=60)
        unticked = [c for c in checks if not tab.checked(c)]
        assert len(unticked) >= 2, f"could not un-tick two habits: {checks}"
        first, second = unticked[:2]
        first_id = first.removeprefix("habit-check-")
        second_id = second.removeprefix("habit-check-")
        tab.shot("today-before")

        backend.kill()
        tab.click(first)
        tab.click(second)
        tab.wait_checked(first)
        tab.wait_checked(second)
        tab.click(f"backfill-day-{yesterday.isoformat()}")
        tab.wait_text("today-title", short_day(yesterday))
        yesterday_checks = tab.identifiers("habit-check-")
        assert yesterday_checks, "no habit was due yesterday"
        open_yesterday = [c for c in yesterday_checks if not tab.checked(c)]
        backfilled = open_yesterday[0] if open_yesterday else yesterday_checks[0]
        if not open_yesterday:  # all done already: un-tick one so the re-tick is a new write
            tab.click(backfilled)
            tab.wait_checked(backfilled, False)
        tab.click(backfilled)  # back-fill it for yesterday, offline
        tab.wait_checked(backfilled)
        backfilled_id = backfilled.removeprefix("habit-check-")
        tab.shot("today-offline-backfilled")

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
        assert (backfilled_id, yesterday.isoformat()) in done
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
        tab.wait_checked(first)
        tab.wait_checked(second)
        tab.shot("today-after-reload")
    finally:
        tab.context.close()

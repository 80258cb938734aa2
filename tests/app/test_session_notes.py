"""The mentor's private session notes: read from his device, saved online (offline the box
says so and keeps the draft), and never on the mentee's device nor her screen, against the
real server."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from app.state import online
from app.state.context import ScreenContext, UserContext
from app.state.session_notes import NotesDraft, notes_input, notes_of, save_notes
from app.views.sessions import SessionsScreen
from domain.clock import FixedClock
from domain.errors import RuleViolation
from harness.accounts import sign_up_blocking
from sync import Entity
from tests.app.conftest import USER
from tests.app.flet_page import FakePage
from tests.app.seeding import from_server
from tests.sync.real_server import Device

MENTEE = "mentee-bia"


def _session(session_id: str, mentor: str, mentee: str, day: str = "2026-11-26") -> dict:
    return {
        "sessionId": session_id,
        "mentorId": mentor,
        "menteeId": mentee,
        "type": "virtual",
        "meetingLink": "https://meet.growlink.app/x",
        "date": day,
        "time": "15:00",
        "duration": 60,
        "status": "CONFIRMED",
    }


def _notes(session_id: str, mentor: str, **fields: str) -> dict:
    return {
        "sessionId": session_id,
        "noteId": f"n-{session_id}",
        "mentorId": mentor,
        "summary": "Talked about sleep",
        "updatedAt": "2026-11-23T18:00:00.000000Z",
        **fields,
    }


def test_notes_are_mine_only_and_a_save_keeps_the_fields_it_does_not_edit(user: UserContext):
    from_server(
        user.store,
        Entity.MENTOR_SESSION_NOTES,
        _notes("s-1", USER, followUps="Ask about runs", privateNotes="Tired lately"),
        _notes("s-2", "another-mentor"),
    )
    mine = notes_of(user, "s-1")
    assert mine is not None and mine.draft == NotesDraft("Talked about sleep", "Ask about runs")
    assert notes_of(user, "s-2") is None and notes_of(user, "s-none") is None
    sent = notes_input(user, "s-1", NotesDraft("  Sleep, then runs ", "  "))
    assert sent == {
        "sessionId": "s-1",
        "summary": "Sleep, then runs",
        "followUps": None,
        "growthFocus": None,
        "privateNotes": "Tired lately",
    }
    with pytest.raises(RuleViolation) as refused:
        notes_input(user, "s-1", NotesDraft("   ", "x"))
    assert refused.value.field == "summary"


async def test_offline_the_notes_box_says_so_and_keeps_the_draft(fake_page: FakePage, screen):
    from_server(screen.user.store, Entity.SESSION, _session("s-1", USER, MENTEE))
    told: list[str] = []
    fake_page.render(lambda: SessionsScreen(replace(screen, notify=told.append)))
    await fake_page.settle()
    assert "No notes yet" in fake_page.texts()
    await fake_page.click(fake_page.by_id("session-notes-s-1"))
    await fake_page.settle()
    await fake_page.click(fake_page.by_id("session-notes-s-1-save"))
    await fake_page.settle(0.3)
    assert "Summary: must not be empty" in fake_page.texts()
    await fake_page.type_into(fake_page.by_id("session-notes-s-1-summary"), "Sleep first")
    await fake_page.click(fake_page.by_id("session-notes-s-1-save"))
    await fake_page.settle(0.5)  # the fixture's server address answers nothing
    assert any(t.startswith("You are offline: saving notes") for t in fake_page.texts())
    field = fake_page.by_id("session-notes-s-1-summary")
    assert field.content.value == "Sleep first" and told == []
    await fake_page.click(fake_page.by_id("session-notes-s-1-close"))
    await fake_page.settle()
    assert "Draft, not saved: Sleep first" in fake_page.texts()
    assert screen.user.store.query(Entity.MENTOR_SESSION_NOTES) == []


async def test_a_mentees_session_has_no_notes_box(fake_page: FakePage, screen):
    from_server(screen.user.store, Entity.SESSION, _session("s-mine", "m-bea", USER))
    fake_page.render(lambda: SessionsScreen(screen))
    await fake_page.settle()
    assert fake_page.by_id("session-s-mine")
    assert not fake_page.find(
        lambda c: str(getattr(c, "identifier", "") or "").startswith("session-notes-")
    )


@pytest.fixture(scope="module")
def server(server_process, tmp_path_factory):
    return server_process(tmp_path_factory.mktemp("notes-server") / "server.db")


async def test_saved_notes_reach_the_mentors_device_and_never_the_mentees(
    server, tmp_path: Path, fake_page: FakePage
):
    mentor = sign_up_blocking(server.url, role="MENTOR")
    mentee = sign_up_blocking(server.url)
    day = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).date().isoformat()
    booked = httpx.post(
        f"{server.url}/graphql",
        json={
            "query": "mutation($i: CreateSessionInput!) { createSession(input: $i) { sessionId } }",
            "variables": {
                "i": {
                    "mentorId": mentor.user_id,
                    "type": "virtual",
                    "meetingLink": "https://meet.growlink.app/n",
                    "date": day,
                    "time": "14:00",
                    "duration": 60,
                }
            },
        },
        headers={"Authorization": f"Bearer {mentee.token}"},
        timeout=30,
    ).json()
    session_id = booked["data"]["createSession"]["sessionId"]
    his = await Device(tmp_path / "his.db", server.url, poke=False).sign_in(mentor.email)
    hers = await Device(tmp_path / "hers.db", server.url, poke=False).sign_in(mentee.email)
    try:
        clock = FixedClock(dt.datetime.now(dt.UTC))
        him = UserContext(his.store, clock, mentor.user_id, "UTC")
        her = UserContext(hers.store, clock, mentee.user_id, "UTC")
        await save_notes(him, session_id, NotesDraft("She wants to run 5 km", "Shoes"))
        with pytest.raises(online.Refused) as refused:  # her own token: the server says no
            await save_notes(her, session_id, NotesDraft("Mine now", ""))
        assert refused.value.code == "FORBIDDEN"
        await his.sync()
        await hers.sync()
        saved = notes_of(him, session_id)
        assert saved is not None and saved.draft == NotesDraft("She wants to run 5 km", "Shoes")
        assert hers.store.get(Entity.SESSION, {"sessionId": session_id}) is not None
        assert hers.store.query(Entity.MENTOR_SESSION_NOTES) == []
        fake_page.render(lambda: SessionsScreen(ScreenContext(her)))
        await fake_page.settle()
        assert fake_page.by_id(f"session-{session_id}")
        assert not any("run 5 km" in text for text in fake_page.texts())
        assert not fake_page.find(
            lambda c: str(getattr(c, "identifier", "") or "").startswith("session-notes-")
        )
    finally:
        await his.close()
        await hers.close()

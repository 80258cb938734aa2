"""The spec's Authorization Model, in one place.

- Users: the owner has full access to their data; which profile fields others see is
  decided per field in ``profiles``; admins verify users and manage venues.
- Sessions: the mentor and the mentee have full access; nobody else has any.
- Goals and habits: the owner has full access; the assigned mentor (``mentorId``) may read.
- Reflections: the owner has full access; the mentor may read, and add feedback, only when
  ``isShared`` is true and ``sharedWithMentorId`` is that mentor.
- Session feedback: the session's mentee creates it; mentee and mentor read it; when anonymous
  the mentor does not learn who wrote it.
- Mentor session notes: the session's mentor only.
- Venues are public (even without signing in); admins create and change them.
- Reviews: any signed-in user reads them; a review made from anonymous feedback hides its
  author from everyone but that author.
- Events are public; the host (or an admin) changes an event, sees its attendance list and
  marks attendance; a registration is its user's; the meeting link is for the host, admins
  and registered attendees.
- Notifications: their user only (admins may list them by type).
- Categories are public; admins create them; users link themselves.

Every check raises ``NotAllowed`` (FORBIDDEN); the callers decide what to read.
"""

from __future__ import annotations

from domain.errors import NotAllowed

from ..storage.items import ItemView
from .context import Viewer


def is_owner(viewer: Viewer | None, user_id: str | None) -> bool:
    return viewer is not None and user_id is not None and viewer.user_id == user_id


def require_self_or_admin(viewer: Viewer, user_id: str, what: str = "this") -> None:
    if viewer.user_id != user_id and not viewer.is_admin:
        raise NotAllowed(f"only the owner may access {what}")


def require_self(viewer: Viewer, user_id: str, what: str = "this") -> None:
    """For reads of one's own lists: the refusal says "see", never "change"."""
    if viewer.user_id != user_id:
        raise NotAllowed(f"only the owner may see {what}")


def require_admin(viewer: Viewer) -> None:
    if not viewer.is_admin:
        raise NotAllowed("only an admin may do this")


# -- sessions -----------------------------------------------------------------------------


def is_participant(viewer: Viewer, session: ItemView) -> bool:
    return viewer.user_id in (session.get("mentorId"), session.get("menteeId"))


def require_participant(viewer: Viewer, session: ItemView) -> None:
    if not is_participant(viewer, session):
        raise NotAllowed("only the session's mentor and mentee may access it")


# -- goals and habits ---------------------------------------------------------------------


def can_read_goal(viewer: Viewer, goal: ItemView) -> bool:
    return viewer.user_id in (goal.get("userId"), goal.get("mentorId"))


def require_goal_reader(viewer: Viewer, goal: ItemView) -> None:
    if not can_read_goal(viewer, goal):
        raise NotAllowed("only the goal's owner and assigned mentor may read it")


def require_goal_owner(viewer: Viewer, goal: ItemView) -> None:
    if viewer.user_id != goal.get("userId"):
        raise NotAllowed("only the goal's owner may change it")


def require_goal_mentor(viewer: Viewer, goal: ItemView) -> None:
    """Only the mentor assigned to the goal (``mentorId``) may approve it."""
    if goal.get("mentorId") is None or viewer.user_id != goal.get("mentorId"):
        raise NotAllowed("only the goal's assigned mentor may approve it")


def require_habit_reader(viewer: Viewer, habit: ItemView, goal: ItemView | None) -> None:
    """A habit is readable by its owner and by the mentor assigned to its goal."""
    if viewer.user_id == habit.get("userId"):
        return
    if goal is not None and viewer.user_id == goal.get("mentorId"):
        return
    raise NotAllowed("only the habit's owner and the goal's mentor may read it")


def require_habit_owner(viewer: Viewer, habit: ItemView) -> None:
    if viewer.user_id != habit.get("userId"):
        raise NotAllowed("only the habit's owner may change it")


# -- reflections --------------------------------------------------------------------------


def is_shared_with(viewer: Viewer, reflection: ItemView) -> bool:
    return (
        bool(reflection.get("isShared")) and reflection.get("sharedWithMentorId") == viewer.user_id
    )


def require_reflection_reader(viewer: Viewer, reflection: ItemView) -> None:
    if viewer.user_id != reflection.get("userId") and not is_shared_with(viewer, reflection):
        raise NotAllowed("this reflection is not shared with you")


def require_reflection_mentor(viewer: Viewer, reflection: ItemView) -> None:
    if not is_shared_with(viewer, reflection):
        raise NotAllowed("only the mentor this reflection is shared with may add feedback")


# -- feedback and notes -------------------------------------------------------------------


def require_feedback_reader(viewer: Viewer, feedback: ItemView) -> None:
    if viewer.user_id not in (feedback.get("menteeId"), feedback.get("mentorId")):
        raise NotAllowed("only the session's mentee and mentor may read its feedback")


def hides_mentee(viewer: Viewer | None, feedback: ItemView) -> bool:
    """Anonymous feedback hides its author from everyone but the author."""
    return bool(feedback.get("isAnonymous")) and not is_owner(viewer, feedback.get("menteeId"))


def require_notes_mentor(viewer: Viewer, mentor_id: str | None) -> None:
    if viewer.user_id != mentor_id:
        raise NotAllowed("mentor session notes are private to the session's mentor")


# -- reviews ------------------------------------------------------------------------------


def hides_review_author(viewer: Viewer | None, review: ItemView) -> bool:
    """A review made from anonymous feedback hides its author from everyone but the author."""
    return bool(review.get("isAnonymous")) and not is_owner(viewer, review.get("authorId"))


# -- community: reflections lists, events, notifications ------------------------------------

MENTOR_ROLES = ("MENTOR", "BOTH")


def is_mentor(user: ItemView | None) -> bool:
    return user is not None and user.get("role") in MENTOR_ROLES


def require_mentor_reader(viewer_user: ItemView | None) -> None:
    """Someone else's reflections are listed only for a mentor (who sees those shared with them)."""
    if not is_mentor(viewer_user):
        raise NotAllowed("only the owner, or a mentor they share with, may list reflections")


def require_shared_list_owner(viewer: Viewer, mentor_id: str) -> None:
    if viewer.user_id != mentor_id:
        raise NotAllowed("only that mentor may list the reflections shared with them")


def is_event_host_or_admin(viewer: Viewer | None, event: ItemView) -> bool:
    return viewer is not None and (viewer.is_admin or viewer.user_id == event.get("hostId"))


def require_event_host_or_admin(viewer: Viewer, event: ItemView) -> None:
    if not is_event_host_or_admin(viewer, event):
        raise NotAllowed("only the event's host or an admin may do this")


def require_attendance_reader(viewer: Viewer, user_id: str, event: ItemView | None) -> None:
    """A registration is visible to its user, the event's host and admins."""
    if viewer.user_id == user_id or viewer.is_admin:
        return
    if event is not None and viewer.user_id == event.get("hostId"):
        return
    raise NotAllowed("only the attendee, the event's host or an admin may see this registration")


def require_own_registrations(viewer: Viewer, user_id: str) -> None:
    if viewer.user_id != user_id:
        raise NotAllowed("only the user may list their event registrations")


def can_see_meeting_link(
    viewer: Viewer | None, event: ItemView, attendance: ItemView | None
) -> bool:
    """The host, admins and attendees whose registration is not cancelled."""
    if is_event_host_or_admin(viewer, event):
        return True
    return attendance is not None and attendance.get("status") != "cancelled"


def require_notification_owner(viewer: Viewer, user_id: str) -> None:
    if viewer.user_id != user_id:
        raise NotAllowed("notifications are private to their user")

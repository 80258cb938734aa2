"""The fields a device may write, per entity: what the server reads from a pushed change.

A field not listed here is ignored by the merge (the server owns it: ids, owners, derived
counts, bookkeeping). A goal's and a habit's ``status`` travel too, but move through their
status rules rather than being copied; a habit's ``goalId`` is read only when it is created.
"""

from __future__ import annotations

GOAL_FIELDS = ("title", "identity", "description", "category", "dueDate", "mentorId")
HABIT_FIELDS = ("title", "description", "frequency", "duration", "cue", "reward")
COMPLETION_NOTE_FIELDS = ("notes", "evidence")
"""What a completion carries besides ``completed`` / ``completedOn``; merged field by field."""
TODO_FIELDS = ("text", "done", "priority", "dueDate", "goalId")
REFLECTION_FIELDS = (
    "mood",
    "moodScore",
    "text",
    "content",
    "goalId",
    "isShared",
    "sharedWithMentorId",
)
"""The owner's fields; the mentor it is shared with writes only ``mentorFeedback``."""
REFLECTION_TEXT_FIELDS = ("text", "content")
"""The reflection fields whose concurrent edits clash instead of merging."""
MENTOR_FEEDBACK_FIELD = "mentorFeedback"
SESSION_REQUEST_FIELDS = (
    "mentorId",
    "type",
    "venueId",
    "date",
    "time",
    "duration",
    "topic",
    "meetingLink",
)
NOTIFICATION_FIELDS = frozenset({"read"})
"""The only field of a notification a device may change."""

"""The user's goals grouped by status, each with its habits and progress, and the goal changes
the device queues (create, edit, submit, complete, archive).

Every status change is checked with ``domain.goals`` before it is written, and the server
applies it again through the same rules (backend/sync/merge.py). Submitting a goal with a
mentor makes it ``pending_approval`` and only that mentor's approval (online, on their
device) makes it ``active``; a goal without a mentor becomes active at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain import goals as rules
from domain.goals import GoalStatus
from domain.streaks import completion_rate, current_streak
from domain.text import require_text
from sync import Entity

from .context import UserContext
from .habit import completion_days, created_on

STATUS_ORDER = (
    GoalStatus.ACTIVE,
    GoalStatus.PENDING_APPROVAL,
    GoalStatus.DRAFT,
    GoalStatus.COMPLETED,
    GoalStatus.ARCHIVED,
)
"""Groups as the screen lists them: what the user works on first, history last."""

STATUS_LABELS: dict[GoalStatus, str] = {
    GoalStatus.ACTIVE: "Active",
    GoalStatus.PENDING_APPROVAL: "Waiting for approval",
    GoalStatus.DRAFT: "Drafts",
    GoalStatus.COMPLETED: "Completed",
    GoalStatus.ARCHIVED: "Archived",
}


@dataclass(frozen=True)
class GoalDraft:
    """What the user typed in the goal form."""

    title: str
    identity: str = ""
    description: str = ""
    mentor_id: str = ""
    """"" for no mentor."""

    def checked(self) -> GoalDraft:
        require_text(self.title, field="title", max_length=200)
        return self

    def fields(self) -> dict[str, str]:
        return {
            "title": self.title.strip(),
            "identity": self.identity.strip(),
            "description": self.description.strip(),
        }


@dataclass(frozen=True)
class HabitRow:
    habit_id: str
    title: str
    frequency: str
    duration: int
    status: str
    streak: int
    pending: bool


@dataclass(frozen=True)
class GoalCard:
    goal_id: str
    title: str
    identity: str
    description: str
    status: GoalStatus
    progress: int
    mentor_id: str
    mentor_name: str | None
    pending: bool
    habits: tuple[HabitRow, ...]

    @property
    def has_mentor(self) -> bool:
        return bool(self.mentor_id)

    @property
    def editable(self) -> bool:
        """Archived goals are history; every other goal can be edited and given habits."""
        return self.status is not GoalStatus.ARCHIVED

    @property
    def can_submit(self) -> bool:
        return self.status is GoalStatus.DRAFT

    @property
    def submit_label(self) -> str:
        return "Submit for approval" if self.has_mentor else "Start this goal"

    @property
    def can_complete(self) -> bool:
        return self.status is GoalStatus.ACTIVE

    @property
    def can_archive(self) -> bool:
        return self.status is not GoalStatus.ARCHIVED

    def draft(self) -> GoalDraft:
        return GoalDraft(
            title=self.title,
            identity=self.identity,
            description=self.description,
            mentor_id=self.mentor_id,
        )


@dataclass(frozen=True)
class GoalGroup:
    status: GoalStatus
    label: str
    goals: tuple[GoalCard, ...]


@dataclass(frozen=True)
class MentorChoice:
    user_id: str
    name: str


@dataclass(frozen=True)
class GoalsModel:
    groups: tuple[GoalGroup, ...]
    """Only the statuses that have goals, in ``STATUS_ORDER``."""
    mentors: tuple[MentorChoice, ...] = ()
    """The mentors whose profiles are on the device, to assign to a goal offline."""

    @property
    def empty(self) -> bool:
        return not self.groups


MENTOR_ROLES = frozenset({"MENTOR", "BOTH"})


def _display_name(person: dict[str, Any]) -> str:
    return str(person.get("name") or person.get("username") or "your mentor")


def _mentor_name(user: UserContext, mentor_id: str | None) -> str | None:
    if not mentor_id:
        return None
    return _display_name(user.store.get(Entity.USER, {"userId": mentor_id}) or {})


def mentor_choices(user: UserContext) -> tuple[MentorChoice, ...]:
    """The mentors the device knows (their public profiles are pulled), by name."""
    found = [
        MentorChoice(str(person["userId"]), _display_name(person))
        for person in user.store.query(Entity.USER)
        if person.get("role") in MENTOR_ROLES and person.get("userId") != user.user_id
    ]
    return tuple(sorted(found, key=lambda choice: choice.name.casefold()))


def _habit_rows(user: UserContext, goal_id: str) -> tuple[tuple[HabitRow, ...], int]:
    """The goal's habits (by title) and its progress: the mean completion rate of all its
    habits, as the server's ``Goal.progress`` (``domain.goals.goal_progress``)."""
    today = user.today()
    rows: list[HabitRow] = []
    rates: list[float] = []
    for habit in user.store.query(Entity.HABIT, goalId=goal_id):
        frequency = str(habit.get("frequency", "daily"))
        days = completion_days(user, str(habit["habitId"]))
        rates.append(
            completion_rate(
                days, created_on=created_on(user, habit), today=today, frequency=frequency
            )
        )
        rows.append(
            HabitRow(
                habit_id=str(habit["habitId"]),
                title=str(habit.get("title", "")),
                frequency=frequency,
                duration=int(habit.get("duration", 2)),
                status=str(habit.get("status", "active")),
                streak=current_streak(days, today=today, frequency=frequency),
                pending=bool(habit.get("_pending")),
            )
        )
    rows.sort(key=lambda row: (row.status != "active", row.title.casefold()))
    return tuple(rows), rules.goal_progress(rates)


def _card(user: UserContext, goal: dict[str, Any]) -> GoalCard:
    goal_id = str(goal["goalId"])
    habits, progress = _habit_rows(user, goal_id)
    mentor_id = goal.get("mentorId")
    return GoalCard(
        goal_id=goal_id,
        title=str(goal.get("title", "")),
        identity=str(goal.get("identity") or ""),
        description=str(goal.get("description") or ""),
        status=GoalStatus(goal.get("status", GoalStatus.DRAFT.value)),
        progress=progress,
        mentor_id=str(mentor_id or ""),
        mentor_name=_mentor_name(user, mentor_id),
        pending=bool(goal.get("_pending")),
        habits=habits,
    )


def load_goals(user: UserContext) -> GoalsModel:
    """The signed-in user's goals, grouped by status, newest first within a group."""
    goals = user.store.query(Entity.GOAL, userId=user.user_id)
    goals.sort(key=lambda goal: str(goal.get("createdAt", "")), reverse=True)
    cards = [_card(user, goal) for goal in goals]
    groups = tuple(
        GoalGroup(status, STATUS_LABELS[status], found)
        for status in STATUS_ORDER
        if (found := tuple(card for card in cards if card.status is status))
    )
    return GoalsModel(groups=groups, mentors=mentor_choices(user))


# -- actions ----------------------------------------------------------------------------------


def create_goal(user: UserContext, draft: GoalDraft) -> str:
    """A new draft goal; returns its id."""
    fields = draft.checked().fields()
    row = user.store.create_goal(
        fields["title"],
        identity=fields["identity"] or None,
        description=fields["description"] or None,
        mentor_id=draft.mentor_id or None,
    )
    return str(row["goalId"])


def _goal(user: UserContext, goal_id: str) -> dict[str, Any]:
    goal = user.store.get(Entity.GOAL, {"goalId": goal_id})
    if goal is None:
        raise LookupError(f"goal {goal_id} is not on this device")
    return goal


def edit_goal(user: UserContext, goal_id: str, draft: GoalDraft) -> dict[str, Any]:
    """Change title, identity, description and mentor (archived goals never change).

    A new mentor sends an active goal back for approval, and removing the mentor of a pending
    goal makes it a draft (``domain.goals.status_after_mentor_change``); the server does the
    same, and the status is sent so the row reads right before it answers.
    """
    fields: dict[str, Any] = dict(draft.checked().fields())
    goal = _goal(user, goal_id)
    old_mentor = goal.get("mentorId") or None
    new_mentor = draft.mentor_id or None
    status = rules.status_after_mentor_change(
        goal.get("status", GoalStatus.DRAFT.value),
        old_mentor_id=old_mentor,
        new_mentor_id=new_mentor,
    )
    if new_mentor != old_mentor:
        fields["mentorId"] = new_mentor
    if status != goal.get("status"):
        fields["status"] = status.value
    return user.store.patch(Entity.GOAL, {"goalId": goal_id}, fields)


def _move(user: UserContext, goal_id: str, target: GoalStatus) -> dict[str, Any]:
    return user.store.patch(Entity.GOAL, {"goalId": goal_id}, {"status": target.value})


def submit_goal(user: UserContext, goal_id: str) -> dict[str, Any]:
    """A draft goes to its mentor for approval, or becomes active when it has no mentor."""
    goal = _goal(user, goal_id)
    target = rules.submit_for_approval(
        goal.get("status", GoalStatus.DRAFT.value), has_mentor=bool(goal.get("mentorId"))
    )
    return _move(user, goal_id, target)


def complete_goal(user: UserContext, goal_id: str) -> dict[str, Any]:
    return _move(user, goal_id, rules.complete(_goal(user, goal_id).get("status", "")))


def archive_goal(user: UserContext, goal_id: str) -> dict[str, Any]:
    """Goals are archived, never deleted: the history stays on every device."""
    return _move(user, goal_id, rules.archive(_goal(user, goal_id).get("status", "")))

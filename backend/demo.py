"""``growlink-server seed-demo``: a realistic demo world, built by replaying what people do.

Nothing is written behind the API's back: the seeder signs people up and sends the same
GraphQL mutations a client would, while a clock travels day by day through the last 60 days.
So every rule holds for demo data too (completions within 7 days, feedback windows, prices,
streaks, badges, notifications), and the data looks like real use: mentors in several cities,
partner venues of each tier, identity goals with habits ticked most days, daily moods and
Sunday reflections (some shared with a mentor, some with feedback), past and upcoming sessions,
events with registrations.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from graphql import graphql

from domain.clock import FixedClock, local_today

from .api.schema import build_schema
from .auth.tokens import TokenIssuer
from .services.context import ServiceContext, Services, Viewer
from .services.users import promote_to_admin
from .storage.base import Store

DEMO_PASSWORD = "growlink-demo"
DEMO_DAYS = 60


@dataclass
class Person:
    user_id: str
    email: str
    name: str
    role: str
    time_zone: str
    city: str
    is_admin: bool = False
    slot_hour: int = 9
    goals: list[str] = field(default_factory=list)
    habits: list[tuple[str, str]] = field(default_factory=list)  # (habitId, frequency)
    mentor: Person | None = None


MENTORS = [
    ("Maya Okafor", "Austin", "America/Chicago", "premium", "Product leadership"),
    ("Jonas Berg", "Berlin", "Europe/Berlin", "exclusive", "Engineering management"),
    ("Lucia Ferreira", "Lisbon", "Europe/Lisbon", "standard", "Design careers"),
    ("Daniel Kim", "New York", "America/New_York", "premium", "Fitness and wellbeing"),
]
MENTEES = [
    ("Ana Souza", "Lisbon", "Europe/Lisbon"),
    ("Ben Carter", "Austin", "America/Chicago"),
    ("Chloe Martin", "New York", "America/New_York"),
    ("Deniz Yilmaz", "Berlin", "Europe/Berlin"),
    ("Emeka Obi", "Austin", "America/Chicago"),
    ("Fatima Zahra", "Berlin", "Europe/Berlin"),
]
CATEGORIES = [
    ("Career", "Grow at work and find the next step", "briefcase", "#3B82F6"),
    ("Fitness", "Move a little every day", "dumbbell", "#10B981"),
    ("Wellness", "Sleep, stress and balance", "leaf", "#8B5CF6"),
    ("Relationships", "Friends, family and colleagues", "heart", "#F43F5E"),
    ("Creativity", "Make things for the joy of it", "palette", "#F59E0B"),
]
VENUES = [
    ("Central Library", "library", "Austin", "TX", True, "gold"),
    ("Hive Co-working", "co_working", "Austin", "TX", True, "bronze"),
    ("Stadtbibliothek Mitte", "library", "Berlin", "BE", True, "silver"),
    ("Kaffee Kollektiv", "cafe", "Berlin", "BE", False, None),
    ("Biblioteca de Alcantara", "library", "Lisbon", "Lisboa", True, "gold"),
    ("Brooklyn Commons", "community_center", "New York", "NY", True, "silver"),
]
GOALS = [
    (
        "a runner",
        "Run a 10k by spring",
        "Fitness",
        [("Put on running shoes", "daily", 1), ("Plan next week's runs", "weekly", 2)],
    ),
    (
        "a calm person",
        "Handle stress better",
        "Wellness",
        [("Breathe for two minutes", "daily", 2), ("Write one worry down", "daily", 1)],
    ),
    ("a reader", "Read 12 books this year", "Creativity", [("Read one page", "daily", 2)]),
    (
        "a confident speaker",
        "Speak up in meetings",
        "Career",
        [("Note one idea to share", "daily", 1), ("Review the week's wins", "weekly", 2)],
    ),
]
UPDATE_PROFILE = (
    "mutation($id: ID!, $i: UpdateUserInput!) {"
    " updateUserProfile(userId: $id, input: $i) { userId } }"
)

COMPLETE_HABIT = "mutation($h: ID!, $d: String!) { completeHabit(habitId: $h, date: $d) { date } }"

CANCEL_SESSION = 'mutation($s: ID!) { cancelSession(sessionId: $s, reason: "Travel") { status } }'

COMPLETE_SESSION = (
    'mutation($s: ID!) { completeSession(sessionId: $s, notes: "Good progress") { status } }'
)

UPSERT_NOTES = (
    "mutation($i: UpsertMentorSessionNotesInput!) {"
    " upsertMentorSessionNotes(input: $i) { noteId } }"
)

SUBMIT_FEEDBACK = (
    "mutation($i: SessionFeedbackInput!) { submitSessionFeedback(input: $i) { feedbackId } }"
)

CREATE_WEEKLY = (
    "mutation($i: CreateWeeklyReflectionInput!) {"
    " createWeeklyReflection(input: $i) { reflectionId } }"
)

REFLECTION_FEEDBACK = (
    "mutation($r: ID!, $f: String!) {"
    " addReflectionFeedback(reflectionId: $r, feedback: $f) { date } }"
)
MOODS = [("GREAT", 9), ("GOOD", 7), ("NEUTRAL", 5), ("BAD", 3)]


class Demo:
    """Drives the API in-process as many users, on a clock it moves."""

    def __init__(self, store: Store, *, end: datetime, seed: int) -> None:
        self.clock = FixedClock(end - timedelta(days=DEMO_DAYS))
        self.services = Services(
            store, self.clock, TokenIssuer("demo-seed-" + "x" * 32, self.clock)
        )
        self.schema = build_schema()
        self.rng = random.Random(seed)
        self.end = end
        self.counts: dict[str, int] = {}

    async def run(
        self, query: str, variables: dict[str, Any] | None = None, *, as_: Person | None = None
    ) -> Any:
        viewer = Viewer(as_.user_id, is_admin=as_.is_admin) if as_ else None
        ctx = ServiceContext(self.services, viewer)
        result = await graphql(
            self.schema, query, variable_values=variables or {}, context_value=ctx
        )
        if result.errors:
            raise RuntimeError(
                f"demo step failed: {result.errors[0].message} in {query.split('(')[0]}"
            )
        name = query.split("{", 1)[1].split("(")[0].strip()
        self.counts[name] = self.counts.get(name, 0) + 1
        return result.data

    def tick(self, **delta: float) -> None:
        self.clock.advance(**delta)

    async def sign_up(self, name: str, role: str, city: str, tz: str) -> Person:
        username = name.lower().replace(" ", ".")
        email = f"{username}@growlink.demo"
        data = await self.run(
            "mutation($i: SignUpInput!) { signUp(input: $i) { user { userId } } }",
            {
                "i": {
                    "email": email,
                    "username": username,
                    "name": name,
                    "password": DEMO_PASSWORD,
                    "role": role,
                    "timeZone": tz,
                }
            },
        )
        return Person(data["signUp"]["user"]["userId"], email, name, role, tz, city)


async def seed_demo(store: Store, *, end: datetime | None = None, seed: int = 7) -> dict[str, int]:
    """Fill ``store`` with the demo world ending at ``end`` (default: now); returns counts."""
    demo = Demo(store, end=end or datetime.now(UTC), seed=seed)
    rng = demo.rng

    admin = await demo.sign_up("Growlink Admin", "BOTH", "Austin", "America/Chicago")
    await promote_to_admin(demo.services, admin.email)
    admin.is_admin = True

    category_ids = []
    for name, description, icon, color in CATEGORIES:
        data = await demo.run(
            "mutation($i: CreateCategoryInput!) { createCategory(input: $i) { categoryId } }",
            {"i": {"name": name, "description": description, "icon": icon, "color": color}},
            as_=admin,
        )
        category_ids.append(data["createCategory"]["categoryId"])

    venues_by_city: dict[str, list[str]] = {}
    for name, vtype, city, state, partner, tier in VENUES:
        data = await demo.run(
            "mutation($i: CreateVenueInput!) { createVenue(input: $i) { venueId } }",
            {
                "i": {
                    "name": name,
                    "type": vtype,
                    "address": f"{rng.randrange(1, 200)} Main Street",
                    "city": city,
                    "state": state,
                    "capacity": rng.choice([20, 40, 80]),
                    "country": "USA"
                    if city in ("Austin", "New York")
                    else ("Germany" if city == "Berlin" else "Portugal"),
                    "amenities": ["wifi", "quiet rooms"],
                    "isPartner": partner,
                    "partnershipTier": tier,
                }
            },
            as_=admin,
        )
        venues_by_city.setdefault(city, []).append(data["createVenue"]["venueId"])

    mentors = []
    for name, city, tz, tier, title in MENTORS:
        mentor = await demo.sign_up(name, "MENTOR", city, tz)
        await demo.run(
            UPDATE_PROFILE,
            {
                "id": mentor.user_id,
                "i": {
                    "title": title,
                    "location": city,
                    "bio": f"{title} mentor in {city}.",
                    "skills": [title, "Coaching"],
                    "membershipTier": tier,
                },
            },
            as_=admin,
        )
        await demo.run(
            "mutation($id: ID!) { verifyUser(userId: $id) { userId } }",
            {"id": mentor.user_id},
            as_=admin,
        )
        for category_id in rng.sample(category_ids, 2):
            await demo.run(
                "mutation($c: ID!) { addUserCategory(categoryId: $c) { createdAt } }",
                {"c": category_id},
                as_=mentor,
            )
        mentors.append(mentor)

    mentees = []
    for n, (name, city, tz) in enumerate(MENTEES):
        mentee = await demo.sign_up(name, "MENTEE", city, tz)
        mentee.mentor = mentors[n % len(mentors)]
        mentee.slot_hour = 9 + n  # mentees who share a mentor never ask for the same hour
        await demo.run(
            UPDATE_PROFILE,
            {
                "id": mentee.user_id,
                "i": {
                    "location": city,
                    "interests": rng.sample(
                        ["Product Design", "Running", "Reading", "Public speaking", "Mindfulness"],
                        2,
                    ),
                },
            },
            as_=mentee,
        )
        for identity, title, category, habits in rng.sample(GOALS, 2):
            goal = (
                await demo.run(
                    "mutation($i: CreateGoalInput!) { createGoal(input: $i) { goalId } }",
                    {
                        "i": {
                            "identity": f"I want to become {identity}",
                            "title": title,
                            "category": category,
                            "mentorId": mentee.mentor.user_id,
                        }
                    },
                    as_=mentee,
                )
            )["createGoal"]["goalId"]
            await demo.run(
                "mutation($g: ID!) { submitGoalForApproval(goalId: $g) { status } }",
                {"g": goal},
                as_=mentee,
            )
            await demo.run(
                "mutation($g: ID!) { approveGoal(goalId: $g) { status } }",
                {"g": goal},
                as_=mentee.mentor,
            )
            mentee.goals.append(goal)
            for habit_title, frequency, minutes in habits:
                habit = (
                    await demo.run(
                        "mutation($i: CreateHabitInput!) { createHabit(input: $i) { habitId } }",
                        {
                            "i": {
                                "goalId": goal,
                                "title": habit_title,
                                "frequency": frequency,
                                "duration": minutes,
                                "cue": {
                                    "time": rng.choice(["07:30", "after breakfast", "21:00"]),
                                    "place": rng.choice(
                                        ["at my desk", "in the kitchen", "by the door"]
                                    ),
                                },
                                "reward": "a cup of good coffee",
                            }
                        },
                        as_=mentee,
                    )
                )["createHabit"]["habitId"]
                mentee.habits.append((habit, frequency))
        mentees.append(mentee)

    await _live_sixty_days(demo, mentees, venues_by_city)
    await _upcoming(demo, admin, mentors, mentees, venues_by_city)
    return demo.counts


async def _live_sixty_days(
    demo: Demo, mentees: list[Person], venues_by_city: dict[str, list[str]]
) -> None:
    rng = demo.rng
    pending_feedback: list[tuple[datetime, Person, str]] = []
    to_complete: list[tuple[datetime, Person, str]] = []
    lived: dict[str, date] = {}
    for day in range(DEMO_DAYS):
        demo.clock.set(demo.end - timedelta(days=DEMO_DAYS - day, hours=-1))
        for mentee in mentees:
            today = local_today(demo.clock.now(), mentee.time_zone)
            if lived.get(mentee.user_id) == today:
                continue  # 24 h after a DST change can be the same local day again
            lived[mentee.user_id] = today
            for habit_id, frequency in mentee.habits:
                chance = 0.8 if frequency == "daily" else (0.9 if today.weekday() == 5 else 0.0)
                if rng.random() < chance:
                    await demo.run(
                        COMPLETE_HABIT,
                        {"h": habit_id, "d": today.isoformat()},
                        as_=mentee,
                    )
            await _reflect(demo, mentee, today)
            if day % 12 == 3 and mentee.mentor:
                await _book(demo, mentee, venues_by_city, to_complete, days_ahead=2)
        demo.tick(minutes=30)
        for when, mentee, session_id in [t for t in to_complete if t[0] <= demo.clock.now()]:
            to_complete.remove((when, mentee, session_id))
            assert mentee.mentor is not None
            if rng.random() < 0.15:
                await demo.run(
                    CANCEL_SESSION,
                    {"s": session_id},
                    as_=mentee,
                )
                continue
            await demo.run(
                COMPLETE_SESSION,
                {"s": session_id},
                as_=mentee.mentor,
            )
            await demo.run(
                UPSERT_NOTES,
                {
                    "i": {
                        "sessionId": session_id,
                        "summary": "Reviewed the week's habits",
                        "followUps": "Try habit stacking",
                        "growthFocus": "Consistency",
                    }
                },
                as_=mentee.mentor,
            )
            pending_feedback.append((demo.clock.now() + timedelta(hours=30), mentee, session_id))
        for when, mentee, session_id in [t for t in pending_feedback if t[0] <= demo.clock.now()]:
            pending_feedback.remove((when, mentee, session_id))
            await demo.run(
                SUBMIT_FEEDBACK,
                {
                    "i": {
                        "sessionId": session_id,
                        "rating": rng.choice([4, 5, 5]),
                        "growthArea": "Consistency",
                        "growthIdea": "Stack the habit on my morning coffee",
                        "whatWentWell": "Clear next steps",
                        "whatToImprove": "More time for questions",
                        "isAnonymous": rng.random() < 0.2,
                    }
                },
                as_=mentee,
            )


async def _reflect(demo: Demo, mentee: Person, today: date) -> None:
    rng = demo.rng
    mood, score = rng.choice(MOODS)
    shared = rng.random() < 0.5 and mentee.mentor is not None
    sharing = (
        {"isShared": True, "sharedWithMentorId": mentee.mentor.user_id}
        if shared and mentee.mentor
        else {}
    )
    if today.weekday() == 6:
        data = await demo.run(
            CREATE_WEEKLY,
            {
                "i": {
                    "date": today.isoformat(),
                    "mood": mood,
                    "moodScore": score,
                    "goalId": mentee.goals[0],
                    "content": {
                        "whatWentWell": "Kept my morning habit most days",
                        "whatFeltHard": "Evenings after long meetings",
                        "insights": "Small starts beat big plans",
                        "gratitude": ["my mentor", "a sunny walk"],
                    },
                    **sharing,
                }
            },
            as_=mentee,
        )
        if shared and mentee.mentor and rng.random() < 0.7:
            await demo.run(
                REFLECTION_FEEDBACK,
                {
                    "r": data["createWeeklyReflection"]["reflectionId"],
                    "f": "Lovely week. What made the mornings work?",
                },
                as_=mentee.mentor,
            )
    elif rng.random() < 0.55:
        await demo.run(
            "mutation($i: CreateReflectionInput!) { createReflection(input: $i) { date } }",
            {
                "i": {
                    "date": today.isoformat(),
                    "mood": mood,
                    "moodScore": score,
                    "text": rng.choice(
                        [
                            "Did the two minutes even when tired.",
                            "Busy day, still showed up.",
                            "Felt good to tick everything off.",
                            "Skipped one, back tomorrow.",
                        ]
                    ),
                    **sharing,
                }
            },
            as_=mentee,
        )


async def _book(
    demo: Demo,
    mentee: Person,
    venues_by_city: dict[str, list[str]],
    to_complete: list[tuple[datetime, Person, str]] | None,
    *,
    days_ahead: int,
) -> str:
    rng = demo.rng
    assert mentee.mentor is not None
    start = (demo.clock.now() + timedelta(days=days_ahead)).replace(
        hour=mentee.slot_hour, minute=0, second=0, microsecond=0
    )
    venues = venues_by_city.get(mentee.city, [])
    in_person = bool(venues) and rng.random() < 0.5
    booking: dict[str, Any] = {
        "mentorId": mentee.mentor.user_id,
        "date": start.date().isoformat(),
        "time": start.strftime("%H:%M"),
        "duration": 45,
        "topic": rng.choice(["Weekly check-in", "Career next steps", "Habit review"]),
    }
    if in_person:
        booking.update({"type": "in_person", "venueId": rng.choice(venues)})
    else:
        booking.update({"type": "virtual", "meetingLink": "https://meet.example.com/growlink-demo"})
    session_id = (
        await demo.run(
            "mutation($i: CreateSessionInput!) { createSession(input: $i) { sessionId } }",
            {"i": booking},
            as_=mentee,
        )
    )["createSession"]["sessionId"]
    await demo.run(
        "mutation($s: ID!) { confirmSession(sessionId: $s) { status } }",
        {"s": session_id},
        as_=mentee.mentor,
    )
    if to_complete is not None:
        to_complete.append((start + timedelta(minutes=50), mentee, session_id))
    return str(session_id)


async def _upcoming(
    demo: Demo,
    admin: Person,
    mentors: list[Person],
    mentees: list[Person],
    venues_by_city: dict[str, list[str]],
) -> None:
    rng = demo.rng
    demo.clock.set(demo.end - timedelta(minutes=5))
    for mentee in mentees:
        await _book(demo, mentee, venues_by_city, None, days_ahead=rng.choice([1, 3, 6]))
    for n, (title, etype) in enumerate(
        [
            ("Habit stacking workshop", "workshop"),
            ("Mentors and mentees meetup", "networking"),
            ("Sunday reflection hangout", "hangout"),
            ("Coffee and goals", "casual_meetup"),
        ]
    ):
        host = mentors[n % len(mentors)]
        city_venues = venues_by_city.get(host.city, [])
        start = (demo.clock.now() + timedelta(days=3 + 4 * n)).replace(
            hour=18, minute=0, second=0, microsecond=0
        )
        virtual = not city_venues or n % 2 == 1
        event = (
            await demo.run(
                "mutation($i: CreateEventInput!) { createEvent(input: $i) { eventId } }",
                {
                    "i": {
                        "title": title,
                        "description": f"{title} hosted by {host.name}.",
                        "type": etype,
                        "date": start.date().isoformat(),
                        "time": "18:00",
                        "duration": 90,
                        "maxAttendees": 25,
                        "isVirtual": virtual,
                        "tags": ["growth", etype],
                        **(
                            {"meetingLink": "https://meet.example.com/growlink-event"}
                            if virtual
                            else {"venueId": city_venues[0]}
                        ),
                    }
                },
                as_=host,
            )
        )["createEvent"]["eventId"]
        for mentee in rng.sample(mentees, 3):
            await demo.run(
                "mutation($e: ID!) { registerForEvent(eventId: $e) { status } }",
                {"e": event},
                as_=mentee,
            )

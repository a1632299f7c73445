"""Demo participatory budgets for the fictional Demo Borough: one process in each phase. Safe to run again.

* Castle ward: sharing ideas;
* Market ward: council review (ideas in every review state, one ballot project);
* North Area Committee: voting open (knapsack ballot; a few hundred ballots already in, so the demo resident of
  Castle ward can still vote);
* South Area Committee: finished, results published (3,000 synthetic ballots counted with Equal Shares);
* Central Area Committee: delivering the projects funded last year (statuses, milestones, a cancellation).

The dates are set relative to the day the demo is built. Synthetic voters have no accounts: their voter records
carry a ``paper_reference`` of the form ``synthetic-00001``. Ballots are generated from a fixed random seed, so
every demo borough gets the same results.
"""

from __future__ import annotations

import datetime
import random
import secrets
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from localpower.budgets.models import (
    Ballot,
    BallotKind,
    Category,
    Delivery,
    DeliveryStatus,
    DeliveryUpdate,
    Idea,
    IdeaStatus,
    Milestone,
    Process,
    ProcessState,
    Project,
    VoterRecord,
)
from localpower.budgets.services.results import compute_result, mark_published
from localpower.budgets.services.voting import format_receipt

DAY = datetime.timedelta(days=1)
SEED = 20261123

# (title, cost, category)
SOUTH_PROJECTS = [
    ("New play equipment in Riverside Park", 18000, "Young people"),
    ("Riverside footpath lighting", 12000, "Safety"),
    ("Community fridge at Meadow Hall", 3500, "Community"),
    ("Trees along Oakwood Road", 6000, "Green spaces"),
    ("Youth club minibus", 15000, "Young people"),
    ("Benches and planters on Southfields High Street", 4500, "Green spaces"),
    ("Free swimming lessons for children", 9000, "Young people"),
    ("Defibrillators at three community centres", 5400, "Safety"),
    ("Repair café tools and training", 2500, "Community"),
    ("Wildflower meadow at the old allotments", 3000, "Green spaces"),
    ("Outdoor gym in Meadow Park", 11000, "Health"),
    ("Dementia-friendly café mornings", 2800, "Health"),
]
# How popular each project is with the synthetic voters (chance of approving it).
SOUTH_POPULARITY = [0.55, 0.35, 0.30, 0.40, 0.25, 0.20, 0.45, 0.30, 0.15, 0.22, 0.28, 0.18]

NORTH_PROJECTS = [
    ("Castle Park toilets reopened", 14000),
    ("Abbey Road crossing for the school", 9000),
    ("Northgate skate park repairs", 7500),
    ("Hillside community garden", 4000),
    ("Bus shelter seating", 3000),
    ("Library homework club", 2500),
    ("Street art on the underpass", 5000),
    ("Bike racks at the shops", 1800),
]

CENTRAL_PROJECTS = [
    ("Canal towpath resurfacing", 16000, DeliveryStatus.IN_PROGRESS),
    ("Market square Christmas lights", 6000, DeliveryStatus.DELIVERED),
    ("Priory Hall kitchen refit", 8000, DeliveryStatus.CANCELLED),
    ("Station Road bulb planting", 1500, DeliveryStatus.DELIVERED),
    ("Pop-up youth theatre", 4500, DeliveryStatus.PLANNED),
    ("Canalside litter pickers' kit", 900, None),
]


def _dates(phase_index: int, now: datetime.datetime, length: int = 14) -> dict:
    """A timetable with phases ``length`` days long, placing ``now`` inside phase ``phase_index``."""
    start = now - phase_index * length * DAY - (length // 2) * DAY
    names = [
        "ideas_open_at",
        "review_opens_at",
        "voting_opens_at",
        "voting_closes_at",
        "results_at",
        "delivery_starts_at",
    ]
    return {name: start + i * length * DAY for i, name in enumerate(names)}


def _process(area, slug: str, title: str, phase_index: int, now, **fields) -> tuple[Process, bool]:
    existing = Process.objects.filter(slug=slug).first()
    if existing is not None:
        return existing, False
    process = Process(
        area=area,
        slug=slug,
        title=title,
        state=ProcessState.SCHEDULED,
        **_dates(phase_index, now, fields.pop("length", 14)),
        **fields,
    )
    process.full_clean()
    process.save()
    return process, True


def _resident(email_local: str):
    from localpower.accounts.models import User

    return User.objects.filter(email=f"{email_local}@demo.example.org").first()


def _synthetic_ballots(process: Process, contents: list[dict], rng: random.Random) -> None:
    """Voter records and ballots for synthetic voters, inserted in bulk."""
    day = timezone.localdate(process.voting_opens_at)
    records = [
        VoterRecord(
            process=process,
            paper_reference=f"synthetic-{i + 1:05d}",
            voted_at=process.voting_opens_at,
            last_cast_on=day,
        )
        for i in range(len(contents))
    ]
    VoterRecord.objects.bulk_create(records, batch_size=1000)
    ballots = [
        Ballot(process=process, content=c, receipt=format_receipt(secrets.token_bytes(10)), cast_on=day)
        for c in contents
    ]
    rng.shuffle(ballots)
    Ballot.objects.bulk_create(ballots, batch_size=1000)


def _approval_contents(
    project_ids: list[int], popularity: list[float], n: int, rng: random.Random
) -> list[dict]:
    contents = []
    for _i in range(n):
        chosen = [pid for pid, p in zip(project_ids, popularity, strict=True) if rng.random() < p]
        if not chosen:
            chosen = [rng.choice(project_ids)]
        contents.append({"projects": sorted(chosen)})
    return contents


def _categories(process: Process, names) -> dict[str, Category]:
    return {
        name: Category.objects.get_or_create(process=process, name=name)[0] for name in sorted(set(names))
    }


def _ideas_phase(areas, now) -> None:
    process, new = _process(
        areas["wards"]["castle"],
        "castle-ward-fund",
        "Castle ward community fund",
        0,
        now,
        budget=Decimal("15000"),
        description="Share your ideas for making Castle ward a better place. Residents will vote on them later.",
        ballot_kind=BallotKind.APPROVAL,
    )
    if not new:
        return
    rosa = _resident("resident.castle")
    categories = _categories(process, ["Green spaces", "Young people", "Community"])
    for title, cost, category in (
        ("Summer fair stage", "1200", "Community"),
        ("More bins in Castle Park", "800", "Green spaces"),
        ("Table tennis tables", "2500", "Young people"),
    ):
        Idea.objects.create(
            process=process,
            author=rosa,
            title=title,
            description=f"{title} for everyone in Castle ward.",
            estimated_cost=Decimal(cost),
            category=categories[category],
            location_text="Castle Park",
        )


def _review_phase(areas, now) -> None:
    process, new = _process(
        areas["wards"]["market"],
        "market-ward-fund",
        "Market ward community fund",
        1,
        now,
        budget=Decimal("20000"),
        description="The council is checking the ideas residents shared.",
    )
    if not new:
        return
    mia = _resident("resident.market")
    ideas = {
        title: Idea.objects.create(
            process=process, author=mia, title=title, description=f"{title}.", estimated_cost=Decimal(cost)
        )
        for title, cost in (
            ("Water fountain in the market square", "6000"),
            ("Drinking water fountain", "5000"),
            ("Heated bus shelter", "40000"),
            ("Market stall for local charities", "3000"),
            ("Cycle repair station", "2000"),
        )
    }
    fountain = ideas["Water fountain in the market square"]
    Idea.objects.filter(pk=ideas["Drinking water fountain"].pk).update(
        status=IdeaStatus.MERGED,
        merged_into=fountain,
        public_reason="The same as the market square fountain idea.",
    )
    Idea.objects.filter(pk=ideas["Heated bus shelter"].pk).update(
        status=IdeaStatus.NOT_FEASIBLE,
        public_reason="Bus shelters belong to the county council, and heating one costs more than this budget.",
    )
    Idea.objects.filter(pk=ideas["Cycle repair station"].pk).update(status=IdeaStatus.UNDER_REVIEW)
    project = Project.objects.create(
        process=process,
        title="Market square water fountain",
        cost=Decimal("5500"),
        feasibility_reason="Mains water is nearby.",
    )
    Idea.objects.filter(pk=fountain.pk).update(status=IdeaStatus.ON_BALLOT, project=project)
    Idea.objects.filter(pk=ideas["Market stall for local charities"].pk).update(
        status=IdeaStatus.FEASIBLE, public_reason="The market manager has agreed a free pitch."
    )


def _voting_phase(areas, now, rng) -> None:
    process, new = _process(
        areas["committees"]["north"],
        "north-area-budget",
        "North area budget",
        2,
        now,
        budget=Decimal("30000"),
        description="Choose the projects you want, up to the total budget.",
        ballot_kind=BallotKind.KNAPSACK,
    )
    if not new:
        return
    projects = [Project.objects.create(process=process, title=t, cost=Decimal(c)) for t, c in NORTH_PROJECTS]
    ids = [p.pk for p in projects]
    costs = {p.pk: p.cost for p in projects}
    contents = []
    for _i in range(300):
        order = rng.sample(ids, len(ids))
        chosen, spent = [], Decimal(0)
        for pid in order[: rng.randint(1, 5)]:
            if spent + costs[pid] <= process.budget:
                chosen.append(pid)
                spent += costs[pid]
        contents.append({"projects": sorted(chosen)})
    _synthetic_ballots(process, contents, rng)


def _finished(area, slug, title, phase_index, now, rng, projects, popularity, voters, length=14):
    process, new = _process(
        area,
        slug,
        title,
        phase_index,
        now,
        length=length,
        budget=Decimal("60000") if len(projects) > 6 else Decimal("25000"),
        description="Residents voted; the projects below were funded.",
    )
    if not new:
        return process, False
    categories = _categories(process, [category for _t, _c, category in projects if category])
    made = [
        Project.objects.create(
            process=process,
            title=title,
            cost=Decimal(cost),
            category=categories.get(category) if category else None,
        )
        for title, cost, category in projects
    ]
    _synthetic_ballots(process, _approval_contents([p.pk for p in made], popularity, voters, rng), rng)
    result = compute_result(actor=None, process=process)
    mark_published(result, actor=None)
    return process, True


def _delivery_phase(areas, now, rng) -> None:
    process, new = _finished(
        areas["committees"]["central"],
        "central-area-budget-last-year",
        "Central area budget (last year)",
        5,
        now,
        rng,
        [(title, cost, None) for title, cost, _status in CENTRAL_PROJECTS],
        [0.5, 0.45, 0.3, 0.35, 0.25, 0.2],
        800,
        length=60,
    )
    if not new:
        return
    wanted = {title: status for title, _cost, status in CENTRAL_PROJECTS}
    for delivery in Delivery.objects.filter(project__process=process).select_related("project"):
        status = wanted.get(delivery.project.title) or DeliveryStatus.PLANNED
        delivery.status = status
        delivery.cancelled_reason = (
            "The hall's roof needs repair first; the money goes back into next year's budget."
            if status == DeliveryStatus.CANCELLED
            else ""
        )
        delivery.full_clean()
        delivery.save()
        DeliveryUpdate.objects.create(
            delivery=delivery, status=status, note=f"Status: {delivery.get_status_display()}."
        )
        Milestone.objects.create(
            delivery=delivery,
            title="Supplier chosen",
            due_on=timezone.localdate() - 30 * DAY,
            completed_on=timezone.localdate() - 35 * DAY,
        )
        Milestone.objects.create(
            delivery=delivery, title="Work finished", due_on=timezone.localdate() + 60 * DAY
        )


@transaction.atomic
def build_demo_budgets(areas: dict) -> list[Process]:
    """Create the demo processes (skipping any that exist); return all five. ``areas`` as from build_demo_places."""
    now = timezone.now()
    rng = random.Random(SEED)
    _ideas_phase(areas, now)
    _review_phase(areas, now)
    _voting_phase(areas, now, rng)
    _finished(
        areas["committees"]["south"],
        "south-area-budget",
        "South area budget",
        4,
        now,
        rng,
        SOUTH_PROJECTS,
        SOUTH_POPULARITY,
        3000,
    )
    _delivery_phase(areas, now, rng)
    slugs = [
        "castle-ward-fund",
        "market-ward-fund",
        "north-area-budget",
        "south-area-budget",
        "central-area-budget-last-year",
    ]
    return [Process.objects.get(slug=s) for s in slugs]

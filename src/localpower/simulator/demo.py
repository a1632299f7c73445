"""Demo data: "Balancing next year's budget" for the whole demo borough, open now, with 300 synthetic responses;
and the North Area Committee's simulator from earlier this year, closed with 120 responses and public results.

The borough's has ten services (£59m in all) and a target to save at least £4.2m, in steps of 5 %; the North's
keeps five services within £1.2m. Synthetic respondents have no accounts: their submissions have no
``Respondent`` row (as budgets' synthetic ballots have no account), so the demo residents can still respond. Every synthetic budget is balanced: each synthetic person perhaps
raises one or two services they care about, then cuts step by step, choosing where to cut by their own leanings,
until the target is met. A fixed random seed gives every demo borough the same responses. Safe to run again:
nothing is added to a simulator that already exists.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from localpower.core import audit
from localpower.simulator import maths
from localpower.simulator.models import Choice, Consequence, Service, Simulator, SimulatorState, Submission

SEED = 20271
SLUG = "balancing-next-years-budget"
RESPONSES = 300
DAY = datetime.timedelta(days=1)

INTRODUCTION = (
    "Like every council, we must set a balanced budget each year. Next year our costs rise faster than our "
    "income, so we need to save at least £4.2 million from the £59 million we spend on the services below.\n\n"
    "Try it yourself. Choose how much each service should change; you will see what the change would mean. You "
    "can raise some services if you find bigger savings elsewhere. Tell us why if you like.\n\n"
    "Councillors will see every response, and the community budget worked out from them, before they set the "
    "budget in February."
)

# name, spend (£), biggest cut %, biggest increase %, how willing people are to cut it (weight), description,
# consequences {level: text}
SERVICES = [
    (
        "Adult social care",
        22_000_000,
        -10,
        10,
        1,
        "Care at home, care homes and support for disabled adults.",
        {
            -10: "Fewer people would qualify for care at home, and waiting lists for assessments would grow to about "
            "three months.",
            -5: "Day centres would open four days a week instead of five.",
            5: "Shorter waits for assessments and more help for carers.",
            10: "A new reablement team to help people home from hospital sooner.",
        },
    ),
    (
        "Children's services",
        14_000_000,
        -10,
        10,
        1,
        "Social work, fostering, early help and special needs.",
        {
            -10: "Two children's centres would close and early help would only reach families in crisis.",
            -5: "Fewer family support workers; longer waits for early help.",
            10: "More foster carers recruited locally, so fewer children placed far from home.",
        },
    ),
    (
        "Waste and recycling",
        6_500_000,
        -20,
        10,
        3,
        "Bin collections, recycling centres and street cleaning.",
        {
            -20: "General waste collected every three weeks and one recycling centre closed.",
            -10: "Garden waste collection becomes a paid-for service.",
            10: "Food waste collection for every home.",
        },
    ),
    (
        "Roads and pavements",
        4_800_000,
        -30,
        10,
        3,
        "Repairs, gritting, street lights and crossings.",
        {
            -30: "Only dangerous potholes repaired; gritting on main roads only; street lights dimmed after midnight.",
            -15: "Pavement repairs take twice as long.",
            10: "Twenty more roads resurfaced each year.",
        },
    ),
    (
        "Housing support and homelessness",
        3_600_000,
        -20,
        10,
        2,
        "Advice, temporary housing and prevention.",
        {
            -20: "More families in bed and breakfasts, which often costs more later.",
            -10: "The housing advice line open mornings only.",
            10: "A prevention team that stops more evictions before they happen.",
        },
    ),
    (
        "Parks and open spaces",
        2_400_000,
        -30,
        10,
        4,
        "Parks, play areas, trees and allotments.",
        {
            -30: "Grass cut monthly, play areas not replaced when worn out, park toilets closed.",
            -15: "Flower beds replaced by grass; fewer park rangers.",
            10: "Three play areas renewed and more trees planted.",
        },
    ),
    (
        "Libraries",
        2_100_000,
        -40,
        10,
        5,
        "Seven libraries, the mobile library and online services.",
        {
            -40: "Four of the seven libraries close; the mobile library stops.",
            -20: "Libraries open three days a week; two run by volunteers.",
            -10: "Shorter opening hours on weekday evenings.",
            10: "Sunday opening at the central library.",
        },
    ),
    (
        "Leisure centres",
        1_800_000,
        -50,
        10,
        5,
        "Two leisure centres and the swimming pool.",
        {
            -50: "The older leisure centre closes; prices rise by a fifth at the other.",
            -25: "Prices rise by a tenth and the pool closes on Mondays.",
            10: "Free swimming for under-16s in the school holidays.",
        },
    ),
    (
        "Community safety",
        1_200_000,
        -30,
        10,
        3,
        "CCTV, anti-social behaviour officers and youth work.",
        {
            -30: "Youth clubs close and CCTV is watched in office hours only.",
            -10: "One fewer anti-social behaviour officer.",
            10: "Two more youth workers on evenings and weekends.",
        },
    ),
    (
        "Arts, culture and events",
        600_000,
        -50,
        10,
        6,
        "The museum, grants to arts groups and summer events.",
        {
            -50: "The museum opens at weekends only and the summer festival stops.",
            -25: "Grants to arts groups halved.",
            10: "A new arts programme in every ward.",
        },
    ),
]

COMMENTS = {
    "Adult social care": ["My mum relies on carers every morning. Please do not cut this.",
                          "Care at home saves the NHS money. Protect it."],
    "Children's services": ["Children only get one childhood.", "Early help stops bigger problems later."],
    "Waste and recycling": ["Fortnightly bins are fine if recycling is easy.", "Charge for garden waste, it is fair."],
    "Roads and pavements": ["The potholes on my road are dangerous for cyclists.",
                            "Pavements matter more than roads for older people."],
    "Housing support and homelessness": ["Bed and breakfasts cost more in the end.",
                                         "Prevention is cheaper than temporary housing."],
    "Parks and open spaces": ["Parks kept us sane in lockdown.", "Let friends groups look after the flower beds."],
    "Libraries": ["Volunteers could run the smaller libraries.", "The library is the only warm, free place left.",
                  "Most people read online now."],
    "Leisure centres": ["Charge a bit more rather than close.", "The old centre is hardly used in the day."],
    "Community safety": ["Youth clubs keep kids off the streets.", "CCTV does not stop anything."],
    "Arts, culture and events": ["The festival brings people into town.",
                                 "Nice to have, but not when care is being cut."],
}  # fmt: skip


NORTH_SLUG = "north-area-budget-this-year"
NORTH_RESPONSES = 120
NORTH_INTRODUCTION = (
    "The North Area Committee decides how £1.3 million of the council's money is spent in Abbey, Castle, "
    "Northgate and Hillside wards. This year it had to keep within £1.2 million. We asked residents how."
)
NORTH_SERVICES = [
    ("Grass cutting and verges", 420_000, -30, 10, 3, "Cutting parks, verges and estates.", {
        -30: "Verges cut three times a year; wildflower areas left uncut.",
        -10: "Estates cut every three weeks instead of two.",
    }),
    ("Street cleaning", 380_000, -30, 10, 2, "Sweeping, litter bins and fly-tipping.", {
        -30: "Residential streets swept every eight weeks.",
        -10: "Fewer litter bins emptied at weekends.",
        10: "A fly-tipping team on weekends.",
    }),
    ("Youth activities", 210_000, -30, 20, 2, "Youth clubs and holiday activities.", {
        -30: "The Northgate youth club closes.",
        -10: "Holiday activities for two weeks instead of four.",
        20: "A new youth club in Hillside.",
    }),
    ("Community grants", 160_000, -50, 20, 4, "Small grants to local groups.", {
        -50: "Grants only for groups working with older or disabled people.",
        -20: "Grants capped at £1,000.",
    }),
    ("Minor highway works", 130_000, -30, 20, 3, "Dropped kerbs, bollards and small repairs.", {
        -30: "Only safety repairs.",
        20: "Ten more dropped kerbs a year.",
    }),
]  # fmt: skip
NORTH_COMMENTS = {
    "Grass cutting and verges": ["Leave more for wildflowers.", "The verges by the school get dangerous."],
    "Street cleaning": ["Fly-tipping is the biggest problem in Castle."],
    "Youth activities": ["There is nothing else for teenagers to do here."],
    "Community grants": ["Small grants go a long way."],
    "Minor highway works": ["Dropped kerbs matter for wheelchair users."],
}


def build_demo_simulators(areas) -> None:
    """The borough-wide simulator (open now) and the North Area Committee's (closed, with public results)."""
    now = timezone.now()
    _build(
        areas["borough"],
        slug=SLUG,
        title="Balancing next year's budget",
        introduction=INTRODUCTION,
        dates=(now - 14 * DAY, now + 21 * DAY),
        target=("save", Decimal("4200000")),
        services=SERVICES,
        comments=COMMENTS,
        responses=RESPONSES,
        seed=SEED,
    )
    _build(
        areas["committees"]["north"],
        slug=NORTH_SLUG,
        title="North area budget: keeping within £1.2 million",
        introduction=NORTH_INTRODUCTION,
        dates=(now - 60 * DAY, now - 30 * DAY),
        target=("within", Decimal("1200000")),
        services=NORTH_SERVICES,
        comments=NORTH_COMMENTS,
        responses=NORTH_RESPONSES,
        seed=SEED + 1,
        state=SimulatorState.CLOSED,
    )


def _build(area, *, slug, title, introduction, dates, target, services, comments, responses, seed, **extra):
    if Simulator.objects.filter(slug=slug).exists():
        return
    simulator = Simulator.objects.create(
        area=area,
        title=title,
        slug=slug,
        introduction=introduction,
        state=extra.get("state", SimulatorState.PUBLISHED),
        opens_at=dates[0],
        closes_at=dates[1],
        target_kind=target[0],
        target_amount=target[1],
        step_pct=5,
        anonymous=True,
        audience="residents",
    )
    built, weights = [], []
    for order, (name, spend, low, high, weight, description, texts) in enumerate(services, start=1):
        service = Service.objects.create(
            simulator=simulator,
            name=name,
            description=description,
            current_spend=Decimal(spend),
            min_change_pct=low,
            max_change_pct=high,
            order=order * 10,
        )
        Consequence.objects.bulk_create(
            Consequence(service=service, change_pct=pct, text=text) for pct, text in texts.items()
        )
        service.simulator = simulator
        built.append(service)
        weights.append(weight)
    _synthetic_responses(simulator, built, weights, comments, responses, random.Random(seed))
    audit.record(
        action="simulator.demo_built",
        target=simulator,
        summary=f"Demo simulator with {responses} synthetic responses",
    )


def _synthetic_budget(services, weights, allowed: Decimal, rng: random.Random) -> list[int]:
    step = services[0].simulator.step_pct
    # Each person leans their own way: the usual willingness to cut each service, shaken up.
    leanings = [w * rng.uniform(0.2, 1.8) for w in weights]
    pcts = [0] * len(services)
    for index in rng.sample(range(len(services)), k=rng.choice([0, 0, 1, 1, 2])):
        if leanings[index] < 3:  # people raise services they would not cut
            pcts[index] = min(services[index].max_change_pct, rng.choice([5, 10]))
    spends = [s.current_spend for s in services]
    while maths.total_change(spends, pcts) > allowed:
        open_ = [i for i, s in enumerate(services) if pcts[i] - step >= s.min_change_pct]
        if not open_:
            if not any(p > 0 for p in pcts):
                break  # cannot happen: every service at its biggest cut meets the target
            pcts = [min(p, 0) for p in pcts]  # give up the increases
            continue
        index = rng.choices(open_, weights=[leanings[i] for i in open_])[0]
        pcts[index] -= step
    return pcts


def _synthetic_responses(simulator, services, weights, comments, count: int, rng: random.Random) -> None:
    current = sum((s.current_spend for s in services), Decimal(0))
    allowed = maths.allowed_change(simulator.target_kind, simulator.target_amount, current)
    last_day = min(timezone.localdate(), timezone.localdate(simulator.closes_at))
    submissions, choices = [], []
    for _n in range(count):
        pcts = _synthetic_budget(services, weights, allowed, rng)
        submission = Submission(
            simulator=simulator,
            submitted_on=last_day - datetime.timedelta(days=rng.randrange(14)),
            total_change=maths.total_change([s.current_spend for s in services], pcts),
        )
        submissions.append(submission)
        commented = rng.sample(range(len(services)), k=rng.choice([0, 0, 0, 1, 1, 2]))
        for index, service in enumerate(services):
            comment = rng.choice(comments[service.name]) if index in commented else ""
            choices.append(
                Choice(submission=submission, service=service, change_pct=pcts[index], comment=comment)
            )
    Submission.objects.bulk_create(submissions)
    Choice.objects.bulk_create(choices, batch_size=1000)

"""Build the demo borough: a fictional council with its areas, people and activity. Safe to run again."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create (or bring up to date) the fictional demo borough and print sign-in details."

    def handle(self, *args, **options):
        from localpower.accounts.demo import build_demo_people
        from localpower.budgets.demo import build_demo_budgets
        from localpower.consultations.demo import build_demo_consultations
        from localpower.conversations.demo import build_demo_conversations
        from localpower.places.demo import build_demo_places
        from localpower.simulator.demo import build_demo_simulators

        with transaction.atomic():
            areas = build_demo_places()
            people = build_demo_people(areas)
            build_demo_budgets(areas)
            build_demo_consultations(areas)
            build_demo_simulators(areas)
            build_demo_conversations(areas)

        self.stdout.write(self.style.SUCCESS(f"Demo borough ready: {settings.COUNCIL_NAME}."))
        self.stdout.write("Sign in at /sign-in/ as any of these (demo data only):")
        width = max((len(role) for role, _email, _password in people), default=0)
        for role, email, password in people:
            self.stdout.write(f"  {role.ljust(width)}  {email}  password: {password}")

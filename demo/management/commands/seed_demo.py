"""`python manage.py seed_demo`: the demo clinic, its patients, cohorts and sessions, and one
sign-in per role (printed at the end). Safe to run again: see the demo package."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.seed import demo_seed


class Command(BaseCommand):
    help = "Create or refresh the demo data and print the demo sign-ins (demo only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. The demo passwords are public: never on a live site.",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with published passwords, so it runs only with "
                "DEBUG=true (or --force on a throwaway database)."
            )
        began = time.monotonic()
        result = demo_seed()
        took = time.monotonic() - began
        counts = ", ".join(f"{n} {name}" for name, n in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {took:.1f}s: {counts}."))
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING("Demo sign-ins: DEMO ONLY, these passwords are public")
        )
        width = max(len(s.email) for s in result.sign_ins)
        for sign_in in result.sign_ins:
            self.stdout.write(f"  {sign_in.role:<15} {sign_in.email:<{width}}  {sign_in.password}")
        self.stdout.write("")
        self.stdout.write("Sign in at /account/login/ (members may also ask for a code by email).")

"""`acupath waitlist_offer`: e-mail freed times to the waitlist now (`acupath worker` does it every five minutes)."""

from typing import Any

from django.core.management.base import BaseCommand

from acupath.booking.services import waitlist_offer_freed_slots


class Command(BaseCommand):
    help = "Offer cancelled future times that are still free to the patients waiting for them."

    def handle(self, *args: Any, **options: Any) -> None:
        offers = waitlist_offer_freed_slots()
        self.stdout.write(f"{len(offers)} offer(s) sent.")

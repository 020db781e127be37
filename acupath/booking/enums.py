from django.db import models


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Awaiting the clinic's confirmation"
    WAITLISTED = "waitlisted", "On the waitlist"
    CONFIRMED = "confirmed", "Confirmed by the clinic"
    DECLINED = "declined", "Declined by the clinic"
    CANCELLED = "cancelled", "Cancelled by the visitor"
    REFERRED = "referred", "Sent to emergency care (urgent referral, same day)"


# Requests whose appointment the visitor may still cancel or move with their link.
OPEN_REQUESTS = (RequestStatus.PENDING, RequestStatus.CONFIRMED)


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for a time"
    BOOKED = "booked", "Booked from an offer"
    REMOVED = "removed", "Left the waitlist"


class WaitlistSource(models.TextChoices):
    ONLINE = "online", "Online booking page"
    DESK = "desk", "Front desk"


class OfferStatus(models.TextChoices):
    OPEN = "open", "Offered, not yet claimed"
    CLAIMED = "claimed", "Claimed"
    TAKEN = "taken", "Taken by someone else first"

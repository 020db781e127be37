from django.db import models


class ConsultationKind(models.TextChoices):
    INITIAL = "initial", "Initial consultation"
    REASSESSMENT = "reassessment", "Re-assessment"


class Cause(models.TextChoices):
    POSTURE = "posture", "Poor posture or ergonomics"
    STRAIN_INJURY = "strain_injury", "Muscle strain or injury"
    DISC_SPINAL = "disc_spinal", "Herniated disc or other spinal problem"
    ARTHRITIS = "arthritis", "Arthritis"
    SCIATICA = "sciatica", "Sciatica"
    STRESS_TENSION = "stress_tension", "Stress and tension"


class BackRegion(models.TextChoices):
    LUMBAR = "lumbar", "Lower back (lumbar)"
    THORACIC = "thoracic", "Upper / mid back (thoracic)"
    SACROILIAC = "sacroiliac", "Sacroiliac / buttock"


class LegPain(models.TextChoices):
    NONE = "none", "No leg pain"
    BUTTOCK_THIGH = "buttock_thigh", "Buttock or thigh"
    POSTERIOR_LEG = "posterior_leg", "Back of the leg"
    LATERAL_LEG = "lateral_leg", "Side of the leg"
    BELOW_KNEE = "below_knee", "Below the knee"


class DurationClass(models.TextChoices):
    ACUTE = "acute", "Acute (under 6 weeks)"
    SUBACUTE = "subacute", "Subacute (6-12 weeks)"
    CHRONIC = "chronic", "Chronic (12 weeks or more)"


class RedFlagDecision(models.TextChoices):
    """The same codes as ``domain.referrals.Decision``, most urgent first."""

    REFER_EMERGENCY = "refer_emergency", "Refer as an emergency, same day"
    REFER_URGENT = "refer_urgent", "Refer urgently (within 2 weeks)"
    REFER_SOON = "refer_soon", "Refer soon (GP review within a few weeks)"
    REFER_ROUTINE = "refer_routine", "Refer routinely"
    NOT_RELEVANT = "not_relevant", "Judged not relevant"


class RedFlagTier(models.TextChoices):
    """The same codes as ``domain.red_flags.Urgency``."""

    EMERGENCY = "emergency", "Emergency (same day)"
    URGENT = "urgent", "Urgent (within 2 weeks)"
    SOON = "soon", "Soon (within a few weeks)"
    ROUTINE = "routine", "Routine"


class ReferralDestination(models.TextChoices):
    EMERGENCY_DEPARTMENT = "emergency_department", "Emergency department"
    GP = "gp", "GP (family doctor)"


class ReferralOutcome(models.TextChoices):
    """The same codes as ``domain.referrals.Outcome``."""

    CLEARED = "cleared", "Cleared: no serious cause found, acupuncture may go ahead"
    CONFIRMED = "confirmed", "Confirmed: a serious cause was found, no acupuncture for this back problem"
    NOT_ATTENDED = "not_attended", "Not attended: the patient has not been assessed"


class PrevisitStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted, waiting for the visit"
    USED = "used", "Used in a consultation"
    REPLACED = "replaced", "Replaced by a newer submission"


class SkinSite(models.TextChoices):
    """Where the skin is broken, infected or inflamed; the same region codes as the acupoint
    catalogue, so the planning safety rule can keep needles away from them."""

    LUMBAR = "lumbar", "Lower back"
    SACRAL = "sacral", "Sacrum"
    BUTTOCK = "buttock", "Buttock"
    UPPER_BACK = "upper_back", "Upper back"
    NECK = "neck", "Neck"
    SHOULDER = "shoulder", "Shoulder"
    CHEST = "chest", "Chest"
    ARM = "arm", "Arm"
    HAND = "hand", "Hand"
    THIGH = "thigh", "Thigh"
    KNEE = "knee", "Knee"
    LOWER_LEG = "lower_leg", "Lower leg"
    FOOT = "foot", "Foot"
    UPPER_ABDOMEN = "upper_abdomen", "Upper abdomen"
    LOWER_ABDOMEN = "lower_abdomen", "Lower abdomen"
    HEAD = "head", "Head"
    FACE = "face", "Face"

"""Earlier referral decisions (made before referrals were records) get a Referral waiting for its
outcome, so that the treatment gate holds an urgent one until its outcome is recorded."""

from django.db import migrations

TIER = {"refer_emergency": "emergency", "refer_urgent": "urgent", "refer_soon": "soon", "refer_routine": "routine"}


def forwards(apps, schema_editor):
    Review = apps.get_model("intake", "RedFlagReview")
    Referral = apps.get_model("intake", "Referral")
    for review in Review.objects.filter(referral__isnull=True, decision__in=list(TIER)).select_related("consultation"):
        tier = TIER[review.decision]
        referral = Referral.objects.create(
            patient_id=review.consultation.patient_id,
            consultation_id=review.consultation_id,
            tier=tier,
            destination="emergency_department" if tier == "emergency" else "gp",
            flags=[review.flag],
            created_by_id=review.created_by_id,
        )
        Review.objects.filter(pk=review.pk).update(referral=referral)


def backwards(apps, schema_editor):
    Review = apps.get_model("intake", "RedFlagReview")
    Referral = apps.get_model("intake", "Referral")
    ids = list(Review.objects.filter(referral__isnull=False).values_list("referral_id", flat=True))
    Review.objects.update(referral=None)
    Referral.objects.filter(pk__in=ids).delete()


class Migration(migrations.Migration):
    dependencies = [("intake", "0003_red_flag_referrals")]

    operations = [migrations.RunPython(forwards, backwards)]

"""Check the new kind codes, and that "other" is described, once 0004 has moved the rows over."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("treatment", "0004_adverse_event_kinds_data"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='adverseevent',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['bleeding_haematoma', 'needle_site_pain', 'vegetative', 'syncope', 'aggravation', 'tiredness', 'forgotten_needle', 'broken_needle', 'burn', 'local_infection', 'nerve_injury', 'pneumothorax', 'other'])), name='adverse_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='adverseevent',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'other'), _negated=True), models.Q(('description', ''), _negated=True), _connector='OR'), name='adverse_other_described'),
        ),
    ]

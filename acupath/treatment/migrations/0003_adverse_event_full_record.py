"""The full adverse-event record: seriousness criteria, causality, outcome, follow-up, owner alerts.

The new kind and "other needs a description" constraints come in 0005, after 0004 has moved the
existing rows onto the new kind codes.
"""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('patients', '0002_name_prefix_indexes'),
        ('treatment', '0002_session_workflow_adverse_events'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AdverseEventAlert',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('raised_at', models.DateTimeField()),
                ('acknowledged_at', models.DateTimeField(blank=True, null=True)),
                ('acknowledgement_note', models.CharField(blank=True, max_length=300)),
            ],
            options={
                'ordering': ['-raised_at', '-id'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='adverseevent',
            name='adverse_kind_valid',
        ),
        migrations.AddField(
            model_name='adverseevent',
            name='causality',
            field=models.CharField(choices=[('certain', 'Certain'), ('probable', 'Probable / likely'), ('possible', 'Possible'), ('unlikely', 'Unlikely'), ('conditional', 'Conditional / unclassified (more data being examined)'), ('unassessable', 'Unassessable / unclassifiable')], default='unassessable', max_length=12),
        ),
        migrations.AddField(
            model_name='adverseevent',
            name='follow_up',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='adverseevent',
            name='followed_up_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='adverseevent',
            name='is_serious',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='adverseevent',
            name='outcome',
            field=models.CharField(choices=[('recovered', 'Recovered'), ('recovering', 'Recovering'), ('not_recovered', 'Not recovered'), ('recovered_with_sequelae', 'Recovered with lasting effects'), ('fatal', 'Fatal'), ('unknown', 'Unknown')], default='unknown', max_length=24),
        ),
        migrations.AddField(
            model_name='adverseevent',
            name='serious_congenital_anomaly',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='adverseevent',
            name='serious_death',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='adverseevent',
            name='serious_disability',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='adverseevent',
            name='serious_hospitalisation',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='adverseevent',
            name='serious_life_threatening',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='adverseevent',
            name='serious_medically_important',
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name='adverseevent',
            name='kind',
            field=models.CharField(choices=[('bleeding_haematoma', 'Bleeding or haematoma (bruise)'), ('needle_site_pain', 'Pain at the needle site'), ('vegetative', 'Dizziness, nausea or sweating'), ('syncope', 'Fainting (needle syncope)'), ('aggravation', 'Symptoms worse after treatment'), ('tiredness', 'Tiredness or drowsiness'), ('forgotten_needle', 'Forgotten or lost needle'), ('broken_needle', 'Broken needle'), ('burn', 'Burn (moxibustion or heat lamp)'), ('local_infection', 'Infection at a needle site'), ('nerve_injury', 'Nerve injury (numbness, tingling, weakness)'), ('pneumothorax', 'Pneumothorax (collapsed lung)'), ('other', 'Other (describe it)')], max_length=20),
        ),
        migrations.AddConstraint(
            model_name='adverseevent',
            constraint=models.CheckConstraint(condition=models.Q(('causality__in', ['certain', 'probable', 'possible', 'unlikely', 'conditional', 'unassessable'])), name='adverse_causality_valid'),
        ),
        migrations.AddConstraint(
            model_name='adverseevent',
            constraint=models.CheckConstraint(condition=models.Q(('outcome__in', ['recovered', 'recovering', 'not_recovered', 'recovered_with_sequelae', 'fatal', 'unknown'])), name='adverse_outcome_valid'),
        ),
        migrations.AddConstraint(
            model_name='adverseevent',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('is_serious', False), ('serious_congenital_anomaly', False), ('serious_death', False), ('serious_disability', False), ('serious_hospitalisation', False), ('serious_life_threatening', False), ('serious_medically_important', False)), models.Q(('is_serious', True), models.Q(('serious_death', True), ('serious_life_threatening', True), ('serious_hospitalisation', True), ('serious_disability', True), ('serious_congenital_anomaly', True), ('serious_medically_important', True), _connector='OR')), _connector='OR'), name='adverse_serious_matches_criteria'),
        ),
        migrations.AddConstraint(
            model_name='adverseevent',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('serious_death', True), ('outcome', 'fatal')), models.Q(('serious_death', False), models.Q(('outcome', 'fatal'), _negated=True)), _connector='OR'), name='adverse_death_is_fatal'),
        ),
        migrations.AddField(
            model_name='adverseeventalert',
            name='acknowledged_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='adverseeventalert',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='adverseeventalert',
            name='event',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='alert', to='treatment.adverseevent'),
        ),
        migrations.AddField(
            model_name='adverseeventalert',
            name='updated_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='adverseeventalert',
            index=models.Index(fields=['acknowledged_at', '-raised_at'], name='adverse_alert_open'),
        ),
        migrations.AddConstraint(
            model_name='adverseeventalert',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('acknowledged_at__isnull', True), ('acknowledged_by__isnull', True)), models.Q(('acknowledged_at__isnull', False), ('acknowledged_by__isnull', False)), _connector='OR'), name='adverse_alert_ack_has_who_and_when'),
        ),
    ]

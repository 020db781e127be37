"""The duplicate check at registration: its rules over the database, one query, read from indexes."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from acupath.patients.enums import DuplicatePolicy, DuplicateReason, PatientStatus
from acupath.patients.models import Patient
from acupath.patients.selectors import duplicate_rows, patient_duplicates
from acupath.patients.services import DuplicateFound, PatientDetails, patient_register
from tests.factories import ClinicFactory, PatientFactory

pytestmark = pytest.mark.django_db

BORN = dt.date(1988, 7, 14)


def details(**change):
    values = {
        "given_name": "Kavya",
        "family_name": "Hegde",
        "birth_date": BORN,
        "sex": "female",
        "phone": "+91 70000 11111",
        "email": "kavya.new@example.in",
    }
    return PatientDetails(**(values | change))


@pytest.fixture
def kavya(clinic):
    return patient_register(
        actor=None,
        clinic=clinic,
        details=details(phone="+91 98450 22222", email="Kavya@Example.in"),
    )


def reasons(clinic, **change):
    return [(c.patient.family_name, set(c.reasons)) for c in patient_duplicates(clinic, details(**change))]


def test_same_birth_date_and_a_similar_name_is_a_candidate(kavya, clinic):
    assert reasons(clinic, given_name="kavya", family_name="Hegd") == [("Hegde", {DuplicateReason.BIRTH_DATE_AND_NAME})]


def test_the_same_phone_written_differently_is_a_candidate(kavya, clinic):
    found = reasons(clinic, given_name="K", family_name="Other", birth_date=dt.date(1990, 1, 1), phone="098450-22222")
    assert found == [("Hegde", {DuplicateReason.PHONE})]


def test_the_same_email_in_another_case_is_a_candidate(kavya, clinic):
    found = reasons(clinic, given_name="X", family_name="Y", birth_date=dt.date(1990, 1, 1), email="KAVYA@example.IN")
    assert found == [("Hegde", {DuplicateReason.EMAIL})]


def test_the_same_identifier_is_a_candidate(clinic):
    PatientFactory(clinic=clinic, identifier_type="aadhaar", identifier="234567890124", family_name="Rao")
    found = reasons(clinic, identifier_type="aadhaar", identifier="2345 6789 0124")
    assert found == [("Rao", {DuplicateReason.IDENTIFIER})]


def test_a_similar_name_born_on_another_day_is_not_a_candidate(kavya, clinic):
    assert reasons(clinic, birth_date=BORN + dt.timedelta(days=1)) == []


def test_a_different_name_born_the_same_day_is_not_a_candidate(kavya, clinic):
    assert reasons(clinic, given_name="Ravi", family_name="Shetty") == []


def test_every_matching_rule_is_named_and_the_strongest_match_comes_first(kavya, clinic):
    PatientFactory(clinic=clinic, given_name="Kavya", family_name="Hegde", birth_date=BORN, email="k2@example.in")
    found = reasons(clinic, phone="+91 98450 22222")
    assert found[0] == ("Hegde", {DuplicateReason.PHONE, DuplicateReason.BIRTH_DATE_AND_NAME})
    assert found[1] == ("Hegde", {DuplicateReason.BIRTH_DATE_AND_NAME})


def test_merged_records_and_other_clinics_are_not_candidates(kavya, clinic):
    other = ClinicFactory(name="Other Clinic")
    PatientFactory(clinic=other, given_name="Kavya", family_name="Hegde", birth_date=BORN)
    survivor = PatientFactory(clinic=clinic, given_name="Zed", family_name="Zed")
    Patient.objects.filter(pk=kavya.pk).update(status=PatientStatus.MERGED, merged_into=survivor)
    assert reasons(clinic) == []


def test_registering_a_likely_duplicate_is_refused_with_the_candidates(kavya, clinic):
    with pytest.raises(DuplicateFound) as refused:
        patient_register(actor=None, clinic=clinic, details=details())
    assert [c.patient for c in refused.value.candidates] == [kavya]
    assert Patient.objects.count() == 1


def test_registering_anyway_after_checking_makes_a_second_record(kavya, clinic):
    second = patient_register(actor=None, clinic=clinic, details=details(), duplicates=DuplicatePolicy.CONFIRMED_NEW)
    assert second.pk != kavya.pk and not second.duplicate_suspected


def test_online_booking_policy_registers_and_flags_for_the_desk(kavya, clinic):
    flagged = patient_register(actor=None, clinic=clinic, details=details(), duplicates=DuplicatePolicy.FLAG)
    assert flagged.duplicate_suspected


def test_the_check_is_one_query_whatever_the_register_size(kavya, clinic):
    def count():
        with CaptureQueriesContext(connection) as captured:
            patient_duplicates(clinic, details(phone="+91 98450 22222"))
        return len(captured.captured_queries)

    small = count()
    PatientFactory.create_batch(30, clinic=clinic, birth_date=BORN)
    assert small == count() == 1


def _plan(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return " ".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = off")  # a tiny table: ask whether indexes *can* answer
        try:
            cursor.execute(f"EXPLAIN {sql}", params)
            return " ".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")


@pytest.mark.parametrize("with_keys", [True, False])
def test_the_check_reads_one_index_per_rule_not_every_patient(kavya, clinic, with_keys):
    keys = {"phone": "+91 98450 22222", "identifier_type": "aadhaar", "identifier": "234567890124"}
    queryset = duplicate_rows(details(**keys) if with_keys else details(phone="", email="x@example.in"))
    plan = _plan(*queryset.query.sql_with_params())
    indexes = ("patient_birth_date", "patient_phone_key", "patient_email", "patient_identifier")
    for index in indexes if with_keys else ("patient_birth_date", "patient_email"):
        assert index in plan, plan
    if connection.vendor == "sqlite":
        assert not re.search(r"SCAN patients_patient(?! USING)", plan) and "TEMP B-TREE" not in plan, plan
    else:
        assert "Seq Scan" not in plan and "Sort" not in plan, plan

"""The patient search: first letters of any name, any case, in name order, read from an index."""

import re

import pytest
from django.db import connection

from acupath.patients.selectors import patient_search
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def names(user, q=""):
    return [f"{p.given_name} {p.family_name}" for p in patient_search(user, q)]


@pytest.fixture
def register(clinic):
    for given, family in (
        ("Ravi", "Shetty"),
        ("asha", "rao"),
        ("Meera", "de Souza"),
        ("Rahul", "Das"),
        ("Kiran", "Ra_o"),
        ("Raman", "Iyer"),
    ):
        PatientFactory(clinic=clinic, given_name=given, family_name=family)


def test_the_list_is_in_name_order_whatever_the_case(register, practitioner):
    assert names(practitioner.user) == [
        "Rahul Das",
        "Meera de Souza",
        "Raman Iyer",
        "Kiran Ra_o",
        "asha rao",
        "Ravi Shetty",
    ]


def test_every_word_must_start_a_given_or_family_name_in_any_case(register, practitioner):
    assert names(practitioner.user, "RA") == ["Rahul Das", "Raman Iyer", "Kiran Ra_o", "asha rao", "Ravi Shetty"]
    assert names(practitioner.user, "ra sh") == ["Ravi Shetty"]
    assert names(practitioner.user, "de") == ["Meera de Souza"]
    assert names(practitioner.user, "souza") == []  # a name's start, not any part of it


def test_wildcards_typed_in_a_search_are_taken_literally(register, practitioner):
    assert names(practitioner.user, "ra_") == ["Kiran Ra_o"]
    assert names(practitioner.user, "%") == []


@pytest.mark.parametrize("q", ["", "ra"])
def test_the_search_reads_a_name_index_not_every_patient(register, practitioner, q):
    queryset = patient_search(practitioner.user, q)[:50]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "patient_family_nocase" in plan and not re.search(r"SCAN patients_patient(?! USING)", plan)
            if not q:  # the list walks the index in order and stops after a page, no sort
                assert "TEMP B-TREE" not in plan
        else:
            cursor.execute("SET enable_seqscan = off")  # a six-row table: ask whether an index *can* answer
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            cursor.execute("RESET enable_seqscan")
            index = "patient_family_prefix" if q else "patient_name_ci"
            assert index in plan and "Seq Scan" not in plan

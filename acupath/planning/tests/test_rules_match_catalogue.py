"""Every point code a rules file names must exist in the acupoint catalogue, in WHO form."""

from acupath.knowledge.domain.catalogue import load_catalogue
from acupath.planning.domain.rules import referenced_codes


def test_every_code_in_the_planning_rules_is_a_catalogue_point():
    catalogue = load_catalogue()
    known = {p.code for p in catalogue.points}
    referenced = referenced_codes()
    assert referenced, "the rules files name no points at all"
    assert referenced - known == set()


def test_rule_codes_are_already_in_who_form():
    from acupath.knowledge.domain.codes import normalise_code

    assert {c: normalise_code(c) for c in referenced_codes() if normalise_code(c) != c} == {}

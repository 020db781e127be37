"""Pure planning rules (no Django): prescription drafting, safety checks, course and advice.

The rules themselves are data in ``acupath/knowledge/data/`` (prescription_rules, safety_rules,
course_rules, self_care_advice); these modules load, validate and apply them.
"""

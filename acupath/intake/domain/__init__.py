"""Pure intake rules: red-flag screening, episode duration class, TCM patterns (no Django)."""

from acupath.intake.domain.duration import DurationClass, duration_class
from acupath.intake.domain.patterns import TcmPattern, UnknownPatternError, load_patterns, pattern
from acupath.intake.domain.red_flags import (
    Alert,
    Category,
    Urgency,
    evaluate_red_flags,
    is_cauda_equina,
    load_red_flags,
    screening_questions,
)

__all__ = [
    "Alert",
    "Category",
    "DurationClass",
    "TcmPattern",
    "UnknownPatternError",
    "Urgency",
    "duration_class",
    "evaluate_red_flags",
    "is_cauda_equina",
    "load_patterns",
    "load_red_flags",
    "pattern",
    "screening_questions",
]

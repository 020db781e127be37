"""Pure measurement rules: instrument definitions, scoring, change and MCID (no Django)."""

from acupath.measures.domain.change import Change, change_from_baseline
from acupath.measures.domain.instruments import (
    Instrument,
    InstrumentCode,
    UnknownInstrumentError,
    instrument,
    load_instruments,
)
from acupath.measures.domain.scoring import AnswerError, Score, score

__all__ = [
    "AnswerError",
    "Change",
    "Instrument",
    "InstrumentCode",
    "Score",
    "UnknownInstrumentError",
    "change_from_baseline",
    "instrument",
    "load_instruments",
    "score",
]

from acupath.measures.domain.instruments import instrument


def nrs_important_level(baseline: float) -> float | None:
    """The pain score at or below which the fall from `baseline` is clinically important.

    Uses the NRS minimal clinically important difference from the instrument data
    (absolute points, Farrar 2001 / Ostelo 2008); None when none is defined.
    """
    mcid = instrument("nrs").mcid
    if mcid is None or mcid.absolute is None:
        return None
    return max(baseline - mcid.absolute, 0.0)

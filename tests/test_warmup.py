"""A server process is warmed before it serves: rules read, templates compiled, a chart drawn."""

import gc

from acupath.core import warmup
from acupath.intake.domain.red_flags import load_red_flags
from acupath.planning.domain.prescribe import load_rules


def test_warming_reads_the_rules_and_compiles_every_template_without_the_database():
    # No `db` fixture: pytest-django fails any query, so this also proves warmers read only files
    # (the master process warms before it forks, and must not hand its workers a connection).
    load_rules.cache_clear()
    load_red_flags.cache_clear()
    gc.unfreeze()
    warmup.warm()
    assert gc.get_freeze_count() > 0  # what was loaded is kept out of the collector's full passes
    gc.unfreeze()
    assert load_rules.cache_info().currsize == 1 and load_red_flags.cache_info().currsize == 1
    assert warmup.templates_compile() > 50  # every page, partial and e-mail of the apps

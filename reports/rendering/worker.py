"""A Celery worker that renders PDFs checks its fonts library at start and warms up each process."""

from __future__ import annotations

from celery.signals import worker_init, worker_process_init

from reports.rendering import fonts
from reports.rendering.native import require_harfbuzz_subset


@worker_init.connect
def refuse_to_start_without_the_subsetter(**kwargs) -> None:
    """Without libharfbuzz-subset WeasyPrint quietly uses fontTools: ~14 s a report instead of milliseconds."""
    require_harfbuzz_subset()
    # Cut the free fonts once, in the parent, before the pool's processes start.
    fonts.role_files()


@worker_process_init.connect
def warm_up_the_renderer(**kwargs) -> None:
    """Each pool process builds its own font configuration and parsed stylesheets, then reuses them."""
    from reports.rendering.pdf import warm_up

    warm_up()

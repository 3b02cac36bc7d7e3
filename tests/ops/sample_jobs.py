"""Jobs used by the tests (also loaded by a real worker through CROWDFOLD_JOB_MODULES)."""

from __future__ import annotations

import time

from crowdfold.ops.jobs import job


@job(retries=2, retry_delay=0)
def always_fails(marker: str) -> None:
    raise RuntimeError(f"sample failure {marker}")


@job(retries=0, timeout=1)
def sleeps_too_long(seconds: float) -> None:
    time.sleep(seconds)


@job(retries=0)
def writes_category(name: str) -> None:
    from crowdfold.projects.models import Category

    Category.objects.create(name=name, short_name=name)

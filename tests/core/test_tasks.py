"""After-commit tasks: run only on commit, in a pool thread, errors logged not raised."""

from __future__ import annotations

import threading

import pytest
from django.db import transaction
from django.test import override_settings

from wufei.core.tasks import run_after_commit

pytestmark = pytest.mark.django_db


def test_runs_after_commit_and_never_on_rollback(django_capture_on_commit_callbacks):
    ran: list[str] = []
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            run_after_commit(lambda: ran.append("rolled back"))
            1 / 0  # noqa: B018
        run_after_commit(lambda: ran.append("committed"))
    assert ran == ["committed"]


def test_errors_are_logged_not_raised(django_capture_on_commit_callbacks, caplog):
    def broken() -> None:
        raise RuntimeError("receiver down")

    with django_capture_on_commit_callbacks(execute=True):
        run_after_commit(broken)
    assert "receiver down" in caplog.text


@override_settings(WUFEI_TASKS_EAGER=False)
def test_by_default_a_pool_thread_runs_it(django_capture_on_commit_callbacks):
    done = threading.Event()
    where: list[str] = []

    def task() -> None:
        where.append(threading.current_thread().name)
        done.set()

    with django_capture_on_commit_callbacks(execute=True):
        run_after_commit(task)
    assert done.wait(10)
    assert where[0].startswith("wufei-task")

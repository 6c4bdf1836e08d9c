"""The in-process periodic sweep: one thread per process, at the configured interval, off at 0."""

from __future__ import annotations

import threading

import pytest

from wufei.alerts import schedule


def test_an_interval_of_zero_starts_nothing():
    assert schedule.alerts_schedule_in_process(interval_s=0) is None


def test_the_thread_sweeps_repeatedly_and_only_one_runs_per_process(monkeypatch):
    monkeypatch.setattr(schedule, "_started", None)
    swept = threading.Semaphore(0)
    stop = threading.Event()
    thread = schedule.alerts_schedule_in_process(interval_s=0.01, sweep=swept.release, stop=stop)
    assert thread is not None and thread.daemon
    try:
        for _ in range(3):
            assert swept.acquire(timeout=5), "the periodic sweep did not run"
        assert schedule.alerts_schedule_in_process(interval_s=0.01, sweep=swept.release) is None
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


@pytest.mark.django_db
def test_a_failing_sweep_is_logged_and_the_loop_goes_on(monkeypatch, caplog):
    def broken():
        raise RuntimeError("database away")

    monkeypatch.setattr("wufei.alerts.engine.alerts_sweep", broken)
    schedule._sweep_once()  # must not raise
    assert "periodic warning sweep failed" in caplog.text

"""The worker: results and errors come back on the GUI thread; shutdown waits for every job."""

from __future__ import annotations

import threading

import pytest

from ui.worker import Worker, WorkerClosed

pytestmark = pytest.mark.gui


@pytest.fixture
def worker(qtbot):
    runner = Worker()
    yield runner
    runner.shutdown(timeout=5)


def test_result_arrives_on_the_gui_thread(qtbot, worker):
    gui_thread = threading.get_ident()
    seen: list[tuple[object, int]] = []
    ran_on: list[int] = []

    def job() -> int:
        ran_on.append(threading.get_ident())
        return 42

    with qtbot.waitSignal(worker.became_idle, timeout=5000):
        worker.run(job, lambda value: seen.append((value, threading.get_ident())))
    assert seen == [(42, gui_thread)]
    assert ran_on and ran_on[0] != gui_thread
    assert worker.pending == 0


def test_error_arrives_on_the_gui_thread(qtbot, worker):
    errors: list[BaseException] = []
    with qtbot.waitSignal(worker.became_idle, timeout=5000):
        worker.run(lambda: 1 / 0, lambda value: pytest.fail("no result expected"), errors.append)
    assert len(errors) == 1 and isinstance(errors[0], ZeroDivisionError)


def test_the_gui_stays_responsive_while_a_job_blocks(qtbot, worker):
    release = threading.Event()
    done: list[str] = []
    worker.run(lambda: release.wait(5) and "released", done.append)
    assert worker.pending == 1
    qtbot.wait(50)  # the event loop runs while the job blocks
    assert done == []
    with qtbot.waitSignal(worker.became_idle, timeout=5000):
        release.set()
    assert done == ["released"]


def test_shutdown_waits_for_jobs_and_drops_their_callbacks(qtbot):
    runner = Worker()
    release = threading.Event()
    called: list[object] = []
    runner.run(lambda: release.wait(5), called.append, name="blocker")
    threading.Timer(0.05, release.set).start()
    assert runner.shutdown(timeout=5)
    qtbot.wait(20)
    assert called == []
    assert not [t for t in threading.enumerate() if t.name.startswith("ui-worker-blocker")]
    with pytest.raises(WorkerClosed):
        runner.run(lambda: None)

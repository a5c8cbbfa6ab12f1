"""`make test` runs pytest-xdist workers with ``--dist loadgroup``: the tests of one
``xdist_group`` (the ones that share the machine's pcscd and its vpcd ports) must all run on one
worker, one after another. Checked on the installed pytest and pytest-xdist, so an upgrade of
either that breaks the grouping fails here instead of making the pcscd tests collide."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

MARKED_PROBE = '''
import os, pytest

@pytest.mark.xdist_group("pcsc")
@pytest.mark.parametrize("n", range(6))
def test_marked_by_hand(n):
    with open(os.path.join(os.environ["GROUP_PROBE_OUT"], f"by-hand-{n}"), "w") as f:
        f.write(os.environ["PYTEST_XDIST_WORKER"])

@pytest.fixture
def vpcd_port():
    return 0

@pytest.mark.parametrize("n", range(6))
def test_uses_the_pcscd(n, vpcd_port):
    out = os.environ["GROUP_PROBE_OUT"]
    with open(os.path.join(out, f"grouped-{n}"), "w") as f:
        f.write(os.environ["PYTEST_XDIST_WORKER"])

@pytest.mark.parametrize("n", range(6))
def test_free(n):
    pass
'''


def assert_grouped_on_one_worker(folder: Path) -> None:
    """Run ``folder``'s test_probe.py on two workers: its twelve grouped tests ran on one."""
    out = folder / "out"
    out.mkdir()
    env = {**os.environ, "GROUP_PROBE_OUT": str(out)}
    done = subprocess.run([sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-q",
                           "-p", "no:cacheprovider", "test_probe.py"], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:]
    workers = {path.read_text() for path in out.iterdir()}
    assert len(list(out.iterdir())) == 12 and len(workers) == 1, workers


PROBE_CONFTEST = '''
import importlib.util

_spec = importlib.util.spec_from_file_location("suite_conftest", {path!r})
_suite = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_suite)
pytest_configure = _suite.pytest_configure
pytest_collection_modifyitems = _suite.pytest_collection_modifyitems
'''


def test_the_suites_pcsc_tests_run_on_one_worker(tmp_path: Path):
    """The suite's own conftest marks the pcscd tests while collecting: the marks must be in
    place before pytest-xdist's worker turns them into groups, or the group is silently empty.
    Tests marked by hand with the same group run on that worker too (pytest-xdist's grouping)."""
    conftest = Path(__file__).with_name("conftest.py")
    (tmp_path / "conftest.py").write_text(PROBE_CONFTEST.format(path=str(conftest)),
                                          encoding="utf-8")
    (tmp_path / "test_probe.py").write_text(MARKED_PROBE, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    assert_grouped_on_one_worker(tmp_path)


ORDER_PROBE = '''
import pytest

def test_quick_first():
    pass

@pytest.mark.slow
def test_long_campaign():
    pass

def test_uses_the_pcscd(vpcd_port):
    pass

@pytest.fixture
def vpcd_port():
    return 0

def test_quick_last():
    pass
'''


def test_long_runs_are_handed_out_first(tmp_path: Path):
    """Slow tests and the pcscd group lead the collection (so a worker never starts a long run
    when the other has nothing left); the rest keep their order."""
    conftest = Path(__file__).with_name("conftest.py")
    (tmp_path / "conftest.py").write_text(PROBE_CONFTEST.format(path=str(conftest)),
                                          encoding="utf-8")
    (tmp_path / "test_probe.py").write_text(ORDER_PROBE, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    slow: long\n    pcsc: pcscd\n",
                                         encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                           "-p", "no:cacheprovider", "test_probe.py"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]
    names = [line.split("::")[1] for line in done.stdout.splitlines() if "::" in line]
    assert names == ["test_long_campaign", "test_uses_the_pcscd", "test_quick_first",
                     "test_quick_last"]

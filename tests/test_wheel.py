"""The installable package: the wheel holds everything the kiosk needs, and a clean venv made from
the lock and that wheel, in a folder without the source tree, runs doctor, config and a whole
headless journey (the install docs/install.md describes)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# building the wheel and installing the lock into a new venv takes minutes on a busy machine;
# each step has its own bound below
# one worker builds and installs the wheel once for all the tests here
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800), pytest.mark.xdist_group("wheel")]

#: Files of the source tree the build does not need (or must not see: stale build output).
IGNORE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__",
                                ".hypothesis", "screenshots", "tests")


def run(argv: list[str], *, cwd: Path, env: dict[str, str],
        timeout: float) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, (f"{argv[:4]} exited {done.returncode}:\n"
                                  f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Build the wheel from a copy of the source, install it with the lock into a new venv."""
    tmp = tmp_path_factory.mktemp("wheel")
    source, dist, venv = tmp / "source", tmp / "dist", tmp / "venv"
    shutil.copytree(ROOT, source, ignore=IGNORE)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "PYTHON"))}
    run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), "."],
        cwd=source, env=env, timeout=300)
    (wheel,) = dist.glob("motcua_kiosk-*.whl")

    # the new venv gets no pip of its own: this venv's pip installs into it (``--python``)
    run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", "--without-pip", str(venv)],
        cwd=tmp, env=env, timeout=120)
    env = {**env, "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"}
    # no .pyc for what the test installs: it runs a few commands once, compiling would cost more
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
           "--quiet", "--no-compile"]
    run([*pip, "--require-hashes", "-r", str(ROOT / "requirements" / "build.txt")],
        cwd=tmp, env=env, timeout=600)
    run([*pip, "--require-hashes", "--no-build-isolation", "-r",
         str(ROOT / "requirements" / "kiosk.txt")], cwd=tmp, env=env, timeout=900)
    run([*pip, "--no-deps", str(wheel)], cwd=tmp, env=env, timeout=300)
    shutil.rmtree(source)  # nothing of the source tree is left to lean on
    workdir = tmp / "elsewhere"
    workdir.mkdir()
    env |= {"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp / "home"),
            "XDG_DATA_HOME": str(tmp / "home" / "data")}
    return {"wheel": wheel, "bin": venv / "bin", "cwd": workdir, "env": env, "data": tmp / "data"}


def test_the_wheel_holds_every_asset_and_the_licences(installed: dict):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    assets = ROOT / "assets"
    wanted = {f"kiosk_assets/{p.relative_to(assets).as_posix()}" for p in assets.rglob("*")
              if p.is_file() and p.suffix not in {".ts", ".pyc"} and "__pycache__" not in p.parts}
    assert wanted - names == set()
    assert "kiosk_assets/translations/motcua_vi.qm" in names
    assert not [n for n in names if n.endswith(".ts")]
    test_pki = [n.removeprefix("kiosk_assets/test-pki/") for n in names
                if n.startswith("kiosk_assets/test-pki/")]
    assert test_pki and all(n.split("/")[-1].startswith("TEST-ONLY-") or n == "README.md"
                            for n in test_pki)  # every key and certificate says what it is
    licences = {n.rsplit(".dist-info/", 1)[1] for n in names if ".dist-info/licenses/" in n}
    assert licences == {"licenses/LICENSE", "licenses/assets/address-data/LICENSE"}


def test_the_installed_kiosk_runs_from_its_own_files(installed: dict):
    code = ("import kiosk, kiosk_assets; from kiosk.domain import paths; "
            "print(kiosk.__file__, paths.PROCEDURES_DIR, sep='\\n')")
    done = run([str(installed["bin"] / "python"), "-c", code], cwd=installed["cwd"],
               env=installed["env"], timeout=60)
    module, procedures = done.stdout.split()
    assert "site-packages" in module and "site-packages" in procedures
    assert not Path(module).is_relative_to(ROOT)


def test_doctor_and_config_show_from_the_wheel(installed: dict):
    kiosk = str(installed["bin"] / "kiosk")
    done = subprocess.run([kiosk, "doctor", "--json", "--data-dir", str(installed["data"])],
                          cwd=installed["cwd"], env=installed["env"], capture_output=True,
                          text=True, timeout=300)
    checks = {c["name"]: c for c in json.loads(done.stdout)["checks"]}
    assert done.returncode == 0, json.dumps(checks, indent=1)
    assert checks["packages"]["status"] == "PASS" and checks["qt"]["status"] == "PASS"
    assert checks["mode"]["status"] == "WARN"  # the demo, with no config

    shown = run([kiosk, "config", "show"], cwd=installed["cwd"], env=installed["env"], timeout=60)
    assert 'mode = "demo"' in shown.stdout and 'url = "embedded"' in shown.stdout


def test_a_headless_journey_from_the_wheel(installed: dict):
    """The whole window: procedures, translations, themes, address data, the sample card and the
    TEST-ONLY PKI its virtual chip signs with, all read from the installed package."""
    done = run([str(installed["bin"] / "kiosk"), "bench", "journey", "--runs", "1", "--json"],
               cwd=installed["cwd"], env=installed["env"], timeout=300)
    report = json.loads(done.stdout)
    assert report["receipt"] == "sent"
    assert report["pages"][0] == "WELCOME" and report["pages"][-1] == "RECEIPT"

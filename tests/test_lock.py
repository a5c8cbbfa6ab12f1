"""The lock agrees with pyproject.toml: `make lock` was run after every change to the requirements.

Reads only files (no network, no uv): pyproject.toml, uv.lock and its exports in requirements/.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LOCK = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
NAME = canonicalize_name(PROJECT["project"]["name"])
#: Every platform the lock covers (pyproject.toml [tool.uv] environments).
PLATFORMS = [
    {"sys_platform": "linux", "platform_machine": machine, "platform_system": "Linux",
     "python_version": f"3.{minor}", "python_full_version": f"3.{minor}.0",
     "implementation_name": "cpython", "platform_python_implementation": "CPython"}
    for machine in ("x86_64", "aarch64") for minor in (11, 12, 13)
]
_PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def _packages() -> dict[str, list[dict]]:
    by_name: dict[str, list[dict]] = defaultdict(list)
    for package in LOCK["package"]:
        by_name[canonicalize_name(package["name"])].append(package)
    return by_name


def _root() -> dict:
    (root,) = _packages()[NAME]
    return root


def _project_requirements() -> list[Requirement]:
    reqs = [Requirement(text) for text in PROJECT["project"]["dependencies"]]
    for extra, texts in PROJECT["project"].get("optional-dependencies", {}).items():
        for text in texts:
            req = Requirement(text)
            marker = f"({req.marker}) and extra == '{extra}'" if req.marker else f"extra == '{extra}'"
            req.marker = Marker(marker)
            reqs.append(req)
    return reqs


def _lock_entry_as_requirement(entry: dict) -> Requirement:
    text = entry["name"]
    if entry.get("extras"):
        text += "[" + ",".join(sorted(entry["extras"])) + "]"
    text += entry.get("specifier", "")
    if "marker" in entry:
        text += f"; {entry['marker']}"
    return Requirement(text)


def _key(req: Requirement) -> tuple[str, str, str, str]:
    return (canonicalize_name(req.name), ",".join(sorted(str(s) for s in req.specifier)),
            ",".join(sorted(req.extras)), str(req.marker or ""))


def _pins(path: Path) -> dict[str, list[tuple[Version, str, set[str]]]]:
    """name -> [(version, marker, hashes)] of a hash-pinned requirements file."""
    pins: dict[str, list[tuple[Version, str, set[str]]]] = defaultdict(list)
    current: set[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("--hash="):
            assert current is not None, f"{path.name}: a hash before any pin"
            current.add(stripped.removeprefix("--hash=").rstrip(" \\"))
            continue
        match = _PIN.match(stripped)
        assert match, f"{path.name}: not an exact pin: {stripped!r}"
        current = set()
        pins[canonicalize_name(match[1])].append((Version(match[2]), match[3] or "", current))
    return pins


def _locked_hashes(package: dict) -> set[str]:
    files = list(package.get("wheels", [])) + ([package["sdist"]] if "sdist" in package else [])
    return {f["hash"] for f in files}


def _reachable(extras: tuple[str, ...]) -> set[tuple[str, str]]:
    """(name, version) of every locked package needed by the project with ``extras``."""
    packages = _packages()
    root = _root()
    todo = list(root.get("dependencies", []))
    for extra in extras:
        todo += root.get("optional-dependencies", {}).get(extra, [])
    seen: set[tuple[str, str]] = set()
    while todo:
        dep = todo.pop()
        name = canonicalize_name(dep["name"])
        candidates = packages[name]
        if "version" in dep:
            candidates = [p for p in candidates if p["version"] == dep["version"]]
        assert len(candidates) == 1, f"uv.lock: {name} is not locked to exactly one version"
        package = candidates[0]
        key = (name, package["version"])
        for extra in dep.get("extra", []):
            todo += package.get("optional-dependencies", {}).get(extra, [])
        if key in seen:
            continue
        seen.add(key)
        todo += package.get("dependencies", [])
    return seen


def test_lock_records_exactly_the_requirements_of_pyproject():
    locked = {_key(_lock_entry_as_requirement(e)) for e in _root()["metadata"]["requires-dist"]}
    declared = {_key(req) for req in _project_requirements()}
    assert declared - locked == set(), "pyproject.toml changed since the lock: run `make lock`"
    assert locked - declared == set(), "the lock holds requirements pyproject.toml dropped: run `make lock`"
    extras = set(PROJECT["project"].get("optional-dependencies", {}))
    assert set(_root()["metadata"].get("provides-extras", [])) == extras


def test_every_requirement_is_satisfied_by_the_locked_version_on_every_platform():
    packages = _packages()
    for req in _project_requirements():
        versions = [p["version"] for p in packages.get(canonicalize_name(req.name), [])]
        assert versions, f"{req.name} is not in uv.lock: run `make lock`"
        for version in versions:
            assert req.specifier.contains(version, prereleases=True), (
                f"uv.lock pins {req.name} {version}, pyproject.toml asks {req.specifier}")


def test_nothing_stale_remains_in_the_lock():
    needed = _reachable(tuple(PROJECT["project"].get("optional-dependencies", {})))
    locked = {(canonicalize_name(p["name"]), p["version"]) for p in LOCK["package"]
              if canonicalize_name(p["name"]) != NAME}
    assert locked - needed == set(), "uv.lock holds packages nothing needs: run `make lock`"


@pytest.mark.parametrize(("export", "extras"), [("kiosk.txt", ()), ("test.txt", ("test",))])
def test_exports_match_the_lock_with_its_hashes(export: str, extras: tuple[str, ...]):
    pins = _pins(ROOT / "requirements" / export)
    exported = {(name, str(version)) for name, entries in pins.items() for version, _, _ in entries}
    assert exported == _reachable(extras), f"requirements/{export} is stale: run `make lock`"
    packages = _packages()
    for name, entries in pins.items():
        for version, _, hashes in entries:
            (package,) = [p for p in packages[name] if Version(p["version"]) == version]
            assert hashes, f"requirements/{export}: {name} has no hash"
            assert hashes == _locked_hashes(package), f"requirements/{export}: {name} hashes differ"


def test_each_export_installs_one_version_of_each_package_on_every_platform():
    for export in ("kiosk.txt", "test.txt", "build.txt", "uv.txt"):
        for name, entries in _pins(ROOT / "requirements" / export).items():
            for env in PLATFORMS:
                chosen = [v for v, marker, _ in entries if not marker or Marker(marker).evaluate(env)]
                assert len(chosen) == 1, f"requirements/{export}: {name} on {env} -> {chosen}"


def test_build_tools_fit_the_build_system_and_agree_with_the_test_lock():
    build = _pins(ROOT / "requirements" / "build.txt")
    test = _pins(ROOT / "requirements" / "test.txt")
    for text in PROJECT["build-system"]["requires"]:
        req = Requirement(text)
        versions = [v for v, _, _ in build.get(canonicalize_name(req.name), [])]
        assert versions and all(req.specifier.contains(v) for v in versions), (
            f"requirements/build.txt does not satisfy the build requirement {text}")
    for name in build.keys() & test.keys():
        assert {v for v, _, _ in build[name]} == {v for v, _, _ in test[name]}, (
            f"{name} is pinned differently in build.txt and test.txt")
    wanted = {canonicalize_name(Requirement(line.split("#")[0]).name)
              for line in (ROOT / "requirements" / "build.in").read_text(encoding="utf-8").splitlines()
              if line.split("#")[0].strip()}
    assert wanted <= build.keys(), "requirements/build.txt is stale: run `make lock`"


def test_upper_bounds_carry_their_reason():
    """An upper bound keeps fixes from a kiosk: each one says on its line why it is there."""
    lines = (ROOT / "pyproject.toml").read_text(encoding="utf-8").splitlines()
    texts = list(PROJECT["project"]["dependencies"])
    for extra in PROJECT["project"].get("optional-dependencies", {}).values():
        texts += extra
    for text in texts:
        if not any(s.operator in {"<", "<=", "~=", "=="} for s in Requirement(text).specifier):
            continue
        (line,) = [line for line in lines if f'"{text}"' in line]
        reason = line.partition("#")[2].strip()
        assert len(reason) > 10, f"{text}: an upper bound without its reason on its line"

"""docs/architecture.md is a true map: its layer diagram is the import-linter contract, and its
module list is the tree, both ways. A new module, a moved one or a changed layer fails here until
the page says so."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
PACKAGES = ("kiosk", "devices", "offline_store", "ui")


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def _contract_layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [layers] = [c["layers"] for c in config["tool"]["importlinter"]["contracts"]
                if c["type"] == "layers"]
    return [" | ".join(part.strip() for part in layer.split("|")) for layer in layers]


def _diagram_layers() -> list[str]:
    block = re.search(r"<!-- layers:.*?-->\s*```text\n(.*?)```", _doc(), re.S)
    assert block, "the layer diagram (a text block after '<!-- layers: ... -->') is missing"
    layers = []
    for line in block.group(1).splitlines():
        if line.strip() and line.strip() != "↓":
            layers.append(" | ".join(p.strip() for p in re.split(r"\s{2,}", line.strip())[0].split("|")))
    return layers


def _tree() -> dict[str, set[str]]:
    """Package folder -> its modules (no __init__)."""
    tree = {}
    for root in PACKAGES:
        for init in sorted((ROOT / root).rglob("__init__.py")):
            folder = init.parent
            tree[folder.relative_to(ROOT).as_posix()] = {
                p.stem for p in folder.glob("*.py") if p.name != "__init__.py"}
    return tree


def _documented() -> dict[str, set[str]]:
    listed: dict[str, set[str]] = {}
    current = None
    for line in _doc().split("## Where things live", 1)[1].split("\n## ", 1)[0].splitlines():
        if heading := re.fullmatch(r"#### `([\w/]+)/`", line.strip()):
            current = heading.group(1)
            listed[current] = set()
        elif (item := re.match(r"- `(\w+)`: \S", line)) and current is not None:
            listed[current].add(item.group(1))
    return listed


def test_the_diagram_is_the_layers_contract():
    assert _diagram_layers() == _contract_layers()


def test_every_package_of_the_core_sits_in_a_layer():
    named = {name.strip() for layer in _contract_layers() for name in layer.split("|")}
    core = {f"kiosk.{p.parent.name}" for p in (ROOT / "kiosk").glob("*/__init__.py")}
    assert core | {"devices", "offline_store", "ui"} == named


def test_the_module_list_is_the_tree():
    tree, listed = _tree(), _documented()
    assert sorted(listed) == sorted(tree), "packages: add or remove a '#### `pkg/`' section"
    for package, modules in tree.items():
        assert listed[package] == modules, (
            f"{package}/: not listed {sorted(modules - listed[package])}, "
            f"listed but gone {sorted(listed[package] - modules)}")


def test_every_path_the_page_names_exists():
    paths = set(re.findall(r"`((?:kiosk|devices|offline_store|ui|tests|docs)/[\w./-]+\.(?:py|md))`",
                           _doc()))
    assert paths, "the page names no files"
    assert sorted(p for p in paths if not (ROOT / p).exists()) == []

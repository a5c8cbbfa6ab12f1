"""Packaging that pyproject.toml cannot express (everything else is there).

The product keeps its data in the top-level ``assets/`` folder; the wheel ships that folder as the
package ``kiosk_assets`` (procedures, compiled translations, themes, address data, the demo's
sample profiles and pictures, and the TEST-ONLY PKI the demo's virtual chips sign with), which
``kiosk.domain.paths`` opens through ``importlib.resources``.
"""

from setuptools import find_packages, setup

CODE = ["kiosk", "ui", "devices", "offline_store"]

setup(
    packages=[*find_packages(include=[p for name in CODE for p in (name, f"{name}.*")]), "kiosk_assets"],
    package_dir={"kiosk_assets": "assets"},
    package_data={"kiosk_assets": ["**/*"]},
    # the translation sources: the kiosk loads the compiled .qm files
    exclude_package_data={"kiosk_assets": ["translations/*.ts", "**/__pycache__/*"]},
    include_package_data=False,
)

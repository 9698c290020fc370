"""Every package directory is listed for setuptools, or a built wheel would lack it."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_every_package_is_listed_in_pyproject() -> None:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "agent_toolbar").rglob("__init__.py")
    }
    found.add("agent_toolbar.resources")
    # Data folders, no code: listed so that setuptools ships them without a warning.
    found |= {
        f"agent_toolbar.resources.{folder.name}"
        for folder in (ROOT / "resources").iterdir()
        if folder.is_dir() and not folder.name.startswith("__")
    }
    assert set(settings["packages"]) == found
    assert settings["package-dir"]["agent_toolbar.resources"] == "resources"

"""Every folder of resources/ is declared as a package: setuptools ships the files of an
undeclared one all the same, but warns at every install that it is "absent from the
`packages` configuration"."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_every_resource_folder_is_declared() -> None:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = {
        ".".join(("agent_toolbar.resources", *folder.relative_to(ROOT / "resources").parts))
        for folder in (ROOT / "resources").rglob("*")
        if folder.is_dir() and folder.name != "__pycache__"
    }
    assert folders
    assert folders <= set(settings["packages"])
    assert settings["package-data"]["agent_toolbar.resources"] == ["**/*"]

"""The package under test: `make deb` builds it into dist/, and each session unpacks it once."""

import subprocess
from pathlib import Path

import pytest

from tests.packaging.package import INSTALL_DIR, NAME, deb_path


@pytest.fixture(scope="session")
def deb() -> Path:
    path = deb_path()
    if not path.is_file():
        pytest.fail(f"no package at {path}: build it with make deb (make deb-test does)")
    return path


@pytest.fixture(scope="session")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package's files under a temporary root, as `dpkg-deb -x` lays them out."""
    root = tmp_path_factory.mktemp("root")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


@pytest.fixture(scope="session")
def frozen_app(unpacked: Path) -> Path:
    """The unpacked executable (/usr/bin/agent-toolbar points at its installed place)."""
    return unpacked / INSTALL_DIR / NAME

"""Upgrades keep IT's policy and ask nothing, as docs/deployment.md tells IT.

Version N is installed with `apt-get install` (DEBIAN_FRONTEND=noninteractive, no
terminal), /etc/agent-toolbar/policy.toml edited, then N+1 installed the same way: N+1 is
built by build_deb.py from the same frozen app under a later package version. Then a later
package whose example changed (N+1 repacked with one more line) goes in with
--force-confdef --force-confold: the edit stays, and the new example lands beside it as
policy.toml.dpkg-dist. Root only: it changes the system. Slow: it builds a package.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.package import NAME, POLICY, ROOT, VERSION, dpkg, installed

UPGRADE = f"{VERSION}+upgrade1"
CHANGED = f"{VERSION}+upgrade2"
EDIT = "[locked.preferences]\nhistory_days = 7\n"
NEW_EXAMPLE_LINE = "# A line the next version's example adds.\n"
KEEP_IT_S_FILES = ("-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold")

pytestmark = [
    pytest.mark.timeout(1200),  # it builds a package (xz) and installs three
    pytest.mark.skipif(os.geteuid() != 0, reason="installing a package needs root"),
    pytest.mark.skipif(shutil.which("apt-get") is None, reason="not a Debian system"),
    pytest.mark.skipif(
        installed(), reason=f"{NAME} is already installed here: the test would replace it"
    ),
]


@pytest.fixture(scope="module")
def later_deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """build_deb.py's package of the same frozen app, labelled with a later version."""
    out = tmp_path_factory.mktemp("later")
    build = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "linux" / "build_deb.py"),
            f"--out={out}",
            f"--work={out / 'work'}",
            f"--package-version={UPGRADE}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    [deb] = out.glob(f"{NAME}_{UPGRADE}_*.deb")
    return deb


def apt_install(deb: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """`apt-get install` of a local package with no terminal: a prompt would fail it."""
    return subprocess.run(
        ["apt-get", "install", "--yes", "--no-install-recommends", *options, str(deb)],
        env=os.environ | {"DEBIAN_FRONTEND": "noninteractive"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def installed_version() -> str:
    return subprocess.run(
        ["dpkg-query", "--show", "--showformat=${Version}", NAME],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def with_a_changed_example(deb: Path, version: str, work: Path) -> Path:
    """`deb` unpacked, its example policy given one more line, repacked as `version`."""
    tree = work / "tree"
    subprocess.run(["dpkg-deb", "--raw-extract", str(deb), str(tree)], check=True)
    example = tree / POLICY.relative_to("/")
    example.write_text(example.read_text() + NEW_EXAMPLE_LINE)
    control = tree / "DEBIAN" / "control"
    fields = control.read_text().replace(f"Version: {UPGRADE}\n", f"Version: {version}\n")
    control.write_text(fields)
    repacked = work / f"{NAME}_{version}.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zgzip", "-z1", "--build", str(tree), str(repacked)],
        check=True,
        capture_output=True,
    )
    return repacked


def test_upgrades_keep_the_edited_policy_without_asking(
    deb: Path, later_deb: Path, tmp_path: Path
) -> None:
    kept_new_example = POLICY.with_name(POLICY.name + ".dpkg-dist")
    try:
        first = apt_install(deb)
        assert first.returncode == 0, first.stdout + first.stderr
        assert installed_version() == VERSION
        POLICY.write_text(POLICY.read_text() + EDIT)
        edited = POLICY.read_text()

        second = apt_install(later_deb)
        assert second.returncode == 0, second.stdout + second.stderr
        assert installed_version() == UPGRADE
        assert POLICY.read_text() == edited
        assert not kept_new_example.exists()

        changed = with_a_changed_example(later_deb, CHANGED, tmp_path)
        third = apt_install(changed, *KEEP_IT_S_FILES)
        assert third.returncode == 0, third.stdout + third.stderr
        assert installed_version() == CHANGED
        assert POLICY.read_text() == edited
        assert kept_new_example.read_text().endswith(NEW_EXAMPLE_LINE)
    finally:
        purge = dpkg("--purge", NAME)
    assert purge.returncode == 0, purge.stderr
    assert not installed()
    assert not POLICY.parent.exists()

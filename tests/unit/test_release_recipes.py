"""The release recipes agree with the code and with the repository.

The Inno Setup script, the macOS disk-image script and the release workflow run only on
their own runners (Windows, macOS, GitHub Actions), never on this machine. These checks
read them as text and catch drift: a start-at-login value the toolbar would not recognise,
a file the workflow builds from that moved, an installer named other than what the
workflow uploads. The disk-image script is also run here, with stand-ins for Apple's
tools (codesign, xcrun, hdiutil, ditto cannot run on Linux) that only log their calls,
to check what it asks of them.
"""

import fnmatch
import os
import plistlib
import re
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from agent_toolbar.system import autostart

ROOT = Path(__file__).parents[2]
ISS = ROOT / "packaging" / "windows" / "agent-toolbar.iss"
DMG_SCRIPT = ROOT / "packaging" / "macos" / "build_dmg.sh"
ENTITLEMENTS = ROOT / "packaging" / "macos" / "entitlements.plist"
PKG_SCRIPT = ROOT / "packaging" / "macos" / "build_pkg.sh"
COMPONENTS = ROOT / "packaging" / "macos" / "components.plist"
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
SPEC = ROOT / "packaging" / "agent-toolbar.spec"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]

# --- the Windows installer ---------------------------------------------------------


def inno_sections(text: str) -> dict[str, list[str]]:
    """The lines of each [Section], without blank lines and comments."""
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in map(str.strip, text.splitlines()):
        if re.fullmatch(r"\[\w+\]", line):
            current = sections.setdefault(line[1:-1], [])
        elif line and not line.startswith((";", "//", "#")):
            current.append(line)
    return sections


def inno_entry(line: str) -> dict[str, str]:
    """`Name: "x"; Flags: y` as {"Name": "x", "Flags": "y"}; `""` in quotes is one quote."""
    entry = {}
    for name, value in re.findall(r'(\w+):\s*("(?:[^"]|"")*"|[^;]*)', line):
        quoted = value.startswith('"') and value.endswith('"') and len(value) >= 2
        entry[name] = value[1:-1].replace('""', '"') if quoted else value.strip()
    return entry


def inno_setup() -> dict[str, str]:
    """The [Setup] directives."""
    lines = inno_sections(ISS.read_text(encoding="ascii"))["Setup"]
    return dict(line.split("=", 1) for line in lines)


def run_key_entries() -> list[dict[str, str]]:
    registry = inno_sections(ISS.read_text(encoding="ascii"))["Registry"]
    return [
        entry
        for entry in map(inno_entry, registry)
        if entry["Subkey"] == r"Software\Microsoft\Windows\CurrentVersion\Run"
    ]


def test_the_installers_start_at_login_is_the_toolbars_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The installer's task writes the value the toolbar's setting reads and writes, with
    the command the frozen toolbar would write itself, so the two never disagree."""
    [entry] = run_key_entries()
    assert entry["Root"] == "HKCU"
    assert entry["Subkey"] == autostart._RUN_KEY
    assert entry["ValueName"] == autostart.ENTRY_NAME
    assert entry["Tasks"] == "startatlogin"

    default_dir = inno_setup()["DefaultDirName"]
    assert default_dir == r"{autopf}\Agent Toolbar"
    # {autopf} of a per-user install (PrivilegesRequired=lowest), for an agent named "agent".
    app = default_dir.replace("{autopf}", r"C:\Users\agent\AppData\Local\Programs")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", app + r"\agent-toolbar.exe")
    written_by_the_toolbar = subprocess.list2cmdline(autostart.launch_command())
    assert entry["ValueData"].replace("{app}", app) == written_by_the_toolbar


def test_uninstalling_removes_start_at_login_whoever_set_it() -> None:
    code = "\n".join(inno_sections(ISS.read_text(encoding="ascii"))["Code"])
    removal = re.search(r"RegDeleteValue\(HKEY_CURRENT_USER, '([^']+)', '([^']+)'\)", code)
    assert removal is not None
    assert removal.groups() == (autostart._RUN_KEY, autostart.ENTRY_NAME)
    assert "usUninstall" in code


def test_the_installer_is_per_user_and_named_for_its_version() -> None:
    text = ISS.read_text(encoding="ascii")
    setup = inno_setup()
    default = re.search(r'#ifndef AppVersion\s+#define AppVersion "([^"]+)"\s+#endif', text)
    assert default is not None
    assert default.group(1) == VERSION
    assert setup["AppVersion"] == "{#AppVersion}"
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["CloseApplications"] == "yes"
    assert setup["OutputDir"] == r"..\..\dist"
    output = setup["OutputBaseFilename"].replace("{#AppVersion}", VERSION) + ".exe"
    assert output == f"agent-toolbar-{VERSION}-setup.exe"
    uploaded = re.search(r"path: (dist/agent-toolbar-\S*-setup\.exe)", WORKFLOW.read_text())
    assert uploaded is not None
    assert fnmatch.fnmatch(f"dist/{output}", uploaded.group(1))
    assert '"/DAppVersion=$env:VERSION" packaging\\windows\\agent-toolbar.iss' in (
        WORKFLOW.read_text()
    )


def test_it_installs_per_machine_too_and_start_at_login_stays_per_user() -> None:
    """/ALLUSERS and /CURRENTUSER (or the first page's choice) pick the mode; start at
    login writes the installing user's HKCU, so it is offered only per user."""
    setup = inno_setup()
    assert setup["PrivilegesRequiredOverridesAllowed"].split() == ["dialog", "commandline"]
    tasks = {
        entry["Name"]: entry
        for entry in map(inno_entry, inno_sections(ISS.read_text(encoding="ascii"))["Tasks"])
    }
    assert tasks["startatlogin"]["Check"] == "not IsAdminInstallMode"
    icons = [inno_entry(line)["Name"] for line in inno_sections(ISS.read_text("ascii"))["Icons"]]
    assert all(name.startswith(("{autoprograms}", "{autodesktop}")) for name in icons)


def test_the_workflow_installs_and_uninstalls_silently_as_documented() -> None:
    """The switches the .iss documents for IT are the ones the Windows runner runs, in
    both modes, and the files it checks are the ones the .iss installs."""
    text = WORKFLOW.read_text()
    header = ISS.read_text(encoding="ascii").split("[Setup]")[0]
    silent = ["/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART"]
    for switch in silent:
        assert re.search(rf"'{switch}'", text), switch
        assert switch in header
    for mode in ("/ALLUSERS", "/CURRENTUSER"):
        assert f"Switch = '{mode}'" in text
        assert mode in header
    assert '"/LOG=$log"' in text
    assert "/LOG=" in header
    assert "unins000.exe" in text
    assert "unins000.exe" in header
    assert r"Start Menu\Programs\Agent toolbar.lnk" in text
    assert r"{autoprograms}\Agent toolbar" in ISS.read_text(encoding="ascii")
    assert text.index("Install and uninstall silently") > text.index("Build the installer")


def test_the_installer_takes_what_the_spec_and_the_icon_script_make() -> None:
    """The frozen folder and executable of packaging/agent-toolbar.spec, and the .ico that
    scripts/make_icons.py writes where the workflow runs it (build/icons)."""
    setup = inno_setup()
    [files] = map(inno_entry, inno_sections(ISS.read_text(encoding="ascii"))["Files"])
    assert files["Source"] == r"..\..\dist\agent-toolbar\*"
    assert "recursesubdirs" in files["Flags"]
    assert re.search(r'\bname="agent-toolbar"', SPEC.read_text())
    executables = set(re.findall(r"\{app\}\\([\w.-]+\.exe)", ISS.read_text(encoding="ascii")))
    assert executables == {"agent-toolbar.exe"}
    assert setup["SetupIconFile"] == r"..\..\build\icons\agent-toolbar.ico"
    assert '"agent-toolbar.ico"' in (ROOT / "scripts" / "make_icons.py").read_text()
    assert "python scripts/make_icons.py build/icons" in WORKFLOW.read_text()


# --- the workflow -------------------------------------------------------------------


def test_the_workflow_builds_from_files_that_exist() -> None:
    text = WORKFLOW.read_text()
    mentioned = {
        path.replace("\\", "/")
        for path in re.findall(r"(?:packaging|scripts)[\\/][\w./\\-]+\w", text)
    }
    assert {
        "packaging/agent-toolbar.spec",
        "packaging/windows/agent-toolbar.iss",
        "packaging/macos/build_dmg.sh",
        "scripts/make_icons.py",
    } <= mentioned
    missing = sorted(path for path in mentioned if not (ROOT / path).is_file())
    assert missing == []


def test_the_workflows_make_targets_and_extras_exist() -> None:
    text = WORKFLOW.read_text()
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"run: make ([\w-]+)", text))
    assert targets
    for target in targets:
        assert re.search(rf"^{re.escape(target)}:", makefile, re.MULTILINE), f"make {target}"
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    for extra in set(re.findall(r'pip install "\.\[(\w+)\]"', text)):
        assert extra in extras, f".[{extra}]"


def test_the_workflows_actions_are_pinned() -> None:
    uses = re.findall(r"uses: ([\w./-]+)@(\S+)", WORKFLOW.read_text())
    assert uses
    for action, version in uses:
        assert re.fullmatch(r"v\d+(\.\d+)*", version), f"{action}@{version}"


# --- the macOS disk image -----------------------------------------------------------


def test_the_disk_image_script_is_strict_and_executable() -> None:
    assert DMG_SCRIPT.stat().st_mode & stat.S_IXUSR
    lines = DMG_SCRIPT.read_text().splitlines()
    assert lines[0] == "#!/usr/bin/env bash"
    code = [line for line in lines if line and not line.startswith("#")]
    assert code[0] == "set -euo pipefail"
    assert 'app="dist/Agent Toolbar.app"' in lines
    assert re.search(r'\bname="Agent Toolbar\.app"', SPEC.read_text())
    uploaded = re.search(r"path: (dist/agent-toolbar-\S*\.dmg)", WORKFLOW.read_text())
    assert uploaded is not None
    assert fnmatch.fnmatch(f"dist/agent-toolbar-{VERSION}.dmg", uploaded.group(1))


def test_the_entitlements_are_a_valid_property_list() -> None:
    entitlements = plistlib.loads(ENTITLEMENTS.read_bytes())
    assert entitlements == {
        "com.apple.security.cs.allow-unsigned-executable-memory": True,
        "com.apple.security.cs.disable-library-validation": True,
    }


APPLE_TOOLS = {
    "codesign": "",
    "xcrun": "",
    "ditto": "",
    "pkgbuild": "",
    # productbuild's last argument is the package it writes.
    "productbuild": 'for last; do :; done; touch "$last"',
    # hdiutil's last argument is the image it creates.
    "hdiutil": 'for last; do :; done; touch "$last"',
}


def run_dmg_script(
    tmp_path: Path, **environment: str
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """build_dmg.sh in a copy of the repository's layout, with logging stand-ins for
    Apple's tools on PATH; returns its result and the tools' calls in order."""
    return run_macos_script(DMG_SCRIPT, tmp_path, **environment)


def run_macos_script(
    source: Path, tmp_path: Path, **environment: str
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """One of packaging/macos's scripts, run as `run_dmg_script` runs build_dmg.sh."""
    tree = tmp_path / "repo"
    (tree / "packaging" / "macos").mkdir(parents=True)
    script = tree / "packaging" / "macos" / source.name
    script.write_bytes(source.read_bytes())
    script.chmod(0o755)
    for data in (ENTITLEMENTS, COMPONENTS):
        (tree / "packaging" / "macos" / data.name).write_bytes(data.read_bytes())
    (tree / "dist" / "Agent Toolbar.app" / "Contents" / "MacOS").mkdir(parents=True)
    tools = tmp_path / "tools"
    tools.mkdir()
    log = tmp_path / "calls.log"
    for name, action in APPLE_TOOLS.items():
        tool = tools / name
        tool.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\n{action}\n')
        tool.chmod(0o755)
    env = {
        "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
        "MACOS_SIGN_IDENTITY": "",
        "MACOS_NOTARY_PROFILE": "",
        **environment,
    }
    result = subprocess.run(
        [str(script), VERSION], env=env, capture_output=True, text=True, check=False, timeout=30
    )
    calls = log.read_text().splitlines() if log.exists() else []
    return result, calls


@pytest.mark.skipif(sys.platform == "win32", reason="a bash script for macOS runners")
def test_without_an_identity_the_app_is_signed_ad_hoc_and_says_so(tmp_path: Path) -> None:
    result, calls = run_dmg_script(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"dist/agent-toolbar-{VERSION}.dmg"
    assert (tmp_path / "repo" / "dist" / f"agent-toolbar-{VERSION}.dmg").is_file()
    assert "UNSIGNED" in result.stderr
    assert calls[0] == "codesign --deep --force --sign - dist/Agent Toolbar.app"
    assert not any(call.startswith("xcrun") for call in calls)
    [create] = [call for call in calls if call.startswith("hdiutil")]
    assert create.startswith("hdiutil create -volname Agent toolbar -srcfolder ")
    assert create.endswith(f"-ov -format UDZO dist/agent-toolbar-{VERSION}.dmg")


@pytest.mark.skipif(sys.platform == "win32", reason="a bash script for macOS runners")
def test_with_an_identity_and_a_profile_it_signs_notarizes_and_staples(tmp_path: Path) -> None:
    identity = "Developer ID Application: Example (TEAM123456)"
    result, calls = run_dmg_script(
        tmp_path, MACOS_SIGN_IDENTITY=identity, MACOS_NOTARY_PROFILE="release-notary"
    )
    assert result.returncode == 0, result.stderr
    assert "UNSIGNED" not in result.stderr
    assert calls[0] == (
        "codesign --deep --force --options runtime --timestamp --entitlements "
        f"packaging/macos/entitlements.plist --sign {identity} dist/Agent Toolbar.app"
    )
    programs = [" ".join(call.split()[:3]) for call in calls]
    order = [
        "xcrun notarytool submit",
        "xcrun stapler staple",
        "hdiutil create -volname",
        "codesign --force --timestamp",
    ]
    assert [program for program in programs if program in order] == order
    [submit] = [call for call in calls if call.startswith("xcrun notarytool submit")]
    assert submit.endswith("--keychain-profile release-notary --wait")
    assert calls[-1].endswith(f"--sign {identity} dist/agent-toolbar-{VERSION}.dmg")


@pytest.mark.skipif(sys.platform == "win32", reason="a bash script for macOS runners")
def test_notarizing_without_an_identity_stops_before_anything(tmp_path: Path) -> None:
    result, calls = run_dmg_script(tmp_path, MACOS_NOTARY_PROFILE="release-notary")
    assert result.returncode == 1
    assert "Developer ID" in result.stderr
    assert calls == []


# --- the macOS installer package ----------------------------------------------------


def test_the_package_installs_the_app_into_applications_and_only_there() -> None:
    [component] = plistlib.loads(COMPONENTS.read_bytes())
    assert component["RootRelativeBundlePath"] == "Agent Toolbar.app"
    assert component["BundleIsRelocatable"] is False
    assert component["BundleIsVersionChecked"] is True
    assert component["BundleOverwriteAction"] == "upgrade"
    assert PKG_SCRIPT.stat().st_mode & stat.S_IXUSR
    lines = PKG_SCRIPT.read_text().splitlines()
    code = [line for line in lines if line and not line.startswith("#")]
    assert code[0] == "set -euo pipefail"
    assert 'identifier="org.agenttoolbar.AgentToolbar"' in lines
    assert re.search(r'APP_ID = "org\.agenttoolbar\.AgentToolbar"', SPEC.read_text())
    text = WORKFLOW.read_text()
    uploaded = re.search(r"path: (dist/agent-toolbar-\S*\.pkg)", text)
    assert uploaded is not None
    assert fnmatch.fnmatch(f"dist/agent-toolbar-{VERSION}.pkg", uploaded.group(1))
    assert text.index("build_pkg.sh") > text.index("build_dmg.sh")  # the signed app
    assert 'sudo installer -pkg "dist/agent-toolbar-$VERSION.pkg" -target /' in text
    assert "pkgutil --forget org.agenttoolbar.AgentToolbar" in text


@pytest.mark.skipif(sys.platform == "win32", reason="a bash script for macOS runners")
def test_without_an_installer_identity_the_package_is_unsigned_and_says_so(
    tmp_path: Path,
) -> None:
    result, calls = run_macos_script(PKG_SCRIPT, tmp_path, MACOS_INSTALLER_IDENTITY="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"dist/agent-toolbar-{VERSION}.pkg"
    assert (tmp_path / "repo" / "dist" / f"agent-toolbar-{VERSION}.pkg").is_file()
    assert "UNSIGNED" in result.stderr
    [build] = [call for call in calls if call.startswith("pkgbuild")]
    assert "--component-plist packaging/macos/components.plist" in build
    assert f"--identifier org.agenttoolbar.AgentToolbar --version {VERSION}" in build
    assert "--install-location /Applications" in build
    [product] = [call for call in calls if call.startswith("productbuild")]
    assert "--sign" not in product
    assert product.endswith(f"dist/agent-toolbar-{VERSION}.pkg")
    assert not any(call.startswith(("xcrun", "codesign")) for call in calls)


@pytest.mark.skipif(sys.platform == "win32", reason="a bash script for macOS runners")
def test_with_an_installer_identity_it_signs_notarizes_and_staples_the_package(
    tmp_path: Path,
) -> None:
    identity = "Developer ID Installer: Example (TEAM123456)"
    result, calls = run_macos_script(
        PKG_SCRIPT,
        tmp_path,
        MACOS_INSTALLER_IDENTITY=identity,
        MACOS_NOTARY_PROFILE="release-notary",
    )
    assert result.returncode == 0, result.stderr
    assert "UNSIGNED" not in result.stderr
    programs = [call.split()[0] for call in calls]
    assert programs == ["ditto", "pkgbuild", "productbuild", "xcrun", "xcrun"]
    assert f"--sign {identity} --timestamp dist/agent-toolbar-{VERSION}.pkg" in calls[2]
    pkg = f"dist/agent-toolbar-{VERSION}.pkg"
    assert calls[3] == f"xcrun notarytool submit {pkg} --keychain-profile release-notary --wait"
    assert calls[4] == f"xcrun stapler staple {pkg}"


@pytest.mark.skipif(sys.platform == "win32", reason="a bash script for macOS runners")
def test_notarizing_an_unsigned_package_stops_before_anything(tmp_path: Path) -> None:
    result, calls = run_macos_script(
        PKG_SCRIPT, tmp_path, MACOS_INSTALLER_IDENTITY="", MACOS_NOTARY_PROFILE="release-notary"
    )
    assert result.returncode == 1
    assert "Developer ID" in result.stderr
    assert calls == []

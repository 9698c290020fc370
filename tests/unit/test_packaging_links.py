"""Each system's recipe makes the toolbar the handler of tel: and callto: links, with a
command the toolbar's own parser takes.

Linux: the hidden desktop entry, staged by build_deb.py and read by the real
update-desktop-database and desktop-file-validate. Windows and macOS recipes run only on
their runners: the Inno Setup script and the PyInstaller spec are read here (the spec's
info_plist evaluated, as PyInstaller would) to catch a scheme, a command or an uninstall
entry that went missing.
"""

import ast
import plistlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from agent_toolbar.cli import main as cli
from agent_toolbar.domain.dialing import SCHEMES
from tests.helpers.recipes import APP_ID, DESKTOP, DIAL_DESKTOP, build_deb, desktop_entry
from tests.unit.test_release_recipes import ISS, SPEC, inno_entry, inno_sections


def test_the_command_of_every_recipe_is_one_the_toolbar_takes() -> None:
    args = cli._parser().parse_args(["dial", "tel:+1-555-0100"])
    assert (args.command, args.link, args.run) == ("dial", "tel:+1-555-0100", cli._run_dial)
    assert set(SCHEMES) == {"tel", "callto"}


# --- Linux --------------------------------------------------------------------------


def test_the_dial_entry_handles_both_schemes_and_is_no_menu_item() -> None:
    dial, main = desktop_entry(DIAL_DESKTOP), desktop_entry(DESKTOP)
    assert dial["Exec"] == "agent-toolbar dial %u"
    assert dial["NoDisplay"] == "true"
    assert dial["MimeType"] == "x-scheme-handler/tel;x-scheme-handler/callto;"
    assert dial["Icon"] == main["Icon"]
    assert "MimeType" not in main  # the main entry stays a plain start
    assert {"Name[ru]", "Comment[ru]"} <= set(dial)


@pytest.mark.skipif(
    shutil.which("update-desktop-database") is None,
    reason="update-desktop-database is not installed (Debian: desktop-file-utils)",
)
def test_the_package_installs_the_entry_where_the_desktop_finds_link_handlers(
    tmp_path: Path,
) -> None:
    """build_deb.py stages it beside the main entry; the desktop database (which the
    package's desktop-file-utils trigger refreshes) then names it for both schemes."""
    frozen = tmp_path / "frozen"
    frozen.mkdir()
    (frozen / "agent-toolbar").write_bytes(b"")
    root = tmp_path / "root"
    build_deb().stage_files(frozen, root, tmp_path / "icons")
    applications = root / "usr" / "share" / "applications"
    assert (applications / DIAL_DESKTOP.name).read_bytes() == DIAL_DESKTOP.read_bytes()
    subprocess.run(["update-desktop-database", str(applications)], check=True, timeout=30)
    cache = (applications / "mimeinfo.cache").read_text(encoding="utf-8")
    for scheme in SCHEMES:
        assert f"x-scheme-handler/{scheme}={DIAL_DESKTOP.name};" in cache.splitlines()


# --- Windows ------------------------------------------------------------------------


def registry() -> list[dict[str, str]]:
    return [inno_entry(line) for line in inno_sections(ISS.read_text(encoding="ascii"))["Registry"]]


def values(subkey: str) -> dict[str, dict[str, str]]:
    """The entries writing under `subkey`, by value name."""
    return {
        each.get("ValueName", ""): each
        for each in registry()
        if each["Subkey"] == subkey and "ValueType" in each
    }


COMMAND = '"{app}\\agent-toolbar.exe" dial "%1"'


def test_the_installer_registers_the_toolbar_for_both_schemes() -> None:
    program = r"Software\Classes\AgentToolbar.Link"
    assert values(program + r"\shell\open\command")[""]["ValueData"] == COMMAND
    assert "uninsdeletekey" in values(program)[""]["Flags"]
    for scheme in SCHEMES:
        key = rf"Software\Classes\{scheme}"
        assert values(key + r"\shell\open\command")[""]["ValueData"] == COMMAND
        assert values(key)["URL Protocol"]["ValueData"] == ""
        assert values(key)[""]["ValueData"] == f"URL:{scheme}"
        assert "uninsdeletekey" in values(key)[""]["Flags"]
        # Another program's handler is neither overwritten nor removed on uninstall.
        checks = {each["Check"] for each in registry() if each["Subkey"].startswith(key + "\\")}
        checks |= {each["Check"] for each in values(key).values()}
        assert checks == {f"SchemeIsOurs('{scheme}')"}
    code = "\n".join(inno_sections(ISS.read_text(encoding="ascii"))["Code"])
    assert "function SchemeIsOurs(Scheme: String): Boolean;" in code
    assert all(each["Root"] == "HKA" for each in registry() if "Run" not in each["Subkey"])


def test_the_installer_lists_the_toolbar_as_a_choice_and_removes_it_on_uninstall() -> None:
    capabilities = r"Software\Agent Toolbar\Capabilities"
    registered = values(r"Software\RegisteredApplications")["Agent toolbar"]
    assert registered["ValueData"] == capabilities
    assert "uninsdeletevalue" in registered["Flags"]
    assert "uninsdeletekey" in values(capabilities)["ApplicationName"]["Flags"]
    associations = values(capabilities + r"\URLAssociations")
    assert {name: each["ValueData"] for name, each in associations.items()} == dict.fromkeys(
        SCHEMES, "AgentToolbar.Link"
    )


def test_the_installers_command_parses_as_the_toolbars_dial() -> None:
    arguments = re.findall(r'"([^"]*)"|(\S+)', COMMAND)
    words = [quoted or bare for quoted, bare in arguments]
    assert words[0] == r"{app}\agent-toolbar.exe"
    link = words[2].replace("%1", "callto:+15550100")
    assert cli._parser().parse_args([words[1], link]).link == "callto:+15550100"


# --- macOS --------------------------------------------------------------------------


def info_plist() -> dict[str, object]:
    """The BUNDLE's info_plist, evaluated with the names the spec gives it."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    [call] = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "BUNDLE"
    ]
    [keyword] = [each for each in call.keywords if each.arg == "info_plist"]
    expression = compile(ast.Expression(keyword.value), str(SPEC), "eval")
    plist: dict[str, object] = eval(expression, {"APP_ID": APP_ID, "VERSION": "0.1.0"})
    return plist


def test_the_app_bundle_claims_both_schemes() -> None:
    plist = info_plist()
    url_types = plist["CFBundleURLTypes"]
    assert isinstance(url_types, list)
    [url_type] = url_types
    assert sorted(url_type["CFBundleURLSchemes"]) == sorted(SCHEMES)
    assert url_type["CFBundleURLName"] == f"{APP_ID}.dial"
    assert plistlib.loads(plistlib.dumps(plist)) == plist

"""The example policies IT starts from name only settings the toolbar knows, with their
types, and no secret: the Debian package's /etc/agent-toolbar/policy.toml (every line a
comment; uncommented, TOML) and the macOS configuration profile. build_deb.py lists the
former as the package's conffile and leaves it out of md5sums (no build needed here:
`make deb-test` checks the built package)."""

import hashlib
import plistlib
import re
import tomllib
import uuid
from pathlib import Path

import msgspec
import pytest

from agent_toolbar.config.settings import Config
from tests.helpers.recipes import build_deb

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "packaging" / "linux" / "policy.toml"
MOBILECONFIG = ROOT / "packaging" / "macos" / "org.agenttoolbar.AgentToolbar.mobileconfig"
SECRETS = {"password", "app_secret", "secret", "token"}


def uncommented(text: str) -> str:
    """The example with its example lines in use: "#key" and "#[table]" lose their "#";
    explanations ("# ...") and separators ("#") stay comments."""
    return re.sub(r"^#(?=[\[\w])", "", text, flags=re.MULTILINE)


def keys(table: dict[str, object], prefix: str = "") -> set[str]:
    found = set()
    for name, value in table.items():
        found.add(prefix + name)
        if isinstance(value, dict):
            found |= keys(value, f"{prefix}{name}.")
    return found


def test_every_line_of_the_example_is_a_comment() -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    assert lines
    assert [line for line in lines if not line.startswith("#")] == []
    assert tomllib.loads(EXAMPLE.read_text(encoding="utf-8")) == {}


def check_settings(part: dict[str, object], where: str) -> None:
    """Only keys the settings file knows, each of its type, and no secret."""
    msgspec.convert(part, Config)
    assert not any(key.split(".")[-1] in SECRETS for key in keys(part)), where


def test_uncommented_it_sets_defaults_and_locks_with_known_keys() -> None:
    policy = tomllib.loads(uncommented(EXAMPLE.read_text(encoding="utf-8")))
    assert set(policy) == {"defaults", "locked"}
    for part in ("defaults", "locked"):
        check_settings(policy[part], part)
    assert policy["locked"]["profiles"]["main"]["api_url"].startswith("https://")
    assert policy["defaults"]["default_profile"] == "main"


def test_the_macos_configuration_profile_sets_the_apps_managed_preferences() -> None:
    """One payload for the app's bundle id (the spec's), whose Defaults and Locked are
    nested like the settings file, as the Linux example is."""
    profile = plistlib.loads(MOBILECONFIG.read_bytes())
    assert profile["PayloadType"] == "Configuration"
    assert profile["PayloadScope"] == "System"
    [payload] = profile["PayloadContent"]
    spec = (ROOT / "packaging" / "agent-toolbar.spec").read_text()
    assert re.search(rf'APP_ID = "{re.escape(payload["PayloadType"])}"', spec)
    assert MOBILECONFIG.name == f"{payload['PayloadType']}.mobileconfig"
    assert payload["PayloadIdentifier"].startswith(profile["PayloadIdentifier"] + ".")
    uuids = {uuid.UUID(profile["PayloadUUID"]), uuid.UUID(payload["PayloadUUID"])}
    assert len(uuids) == 2
    assert payload["PayloadVersion"] == profile["PayloadVersion"] == 1
    settings = {key: value for key, value in payload.items() if not key.startswith("Payload")}
    assert set(settings) == {"Defaults", "Locked"}
    for part, values in settings.items():
        check_settings(values, part)
    assert payload["Locked"]["profiles"]["main"]["api_url"].startswith("https://")


def test_a_misspelt_key_would_be_caught() -> None:
    """The check above is not vacuous: Config refuses what it does not know."""
    with pytest.raises(msgspec.ValidationError, match="quit_when_ready"):
        msgspec.convert({"preferences": {"quit_when_ready": "ask"}}, Config)


def test_the_example_is_the_packages_only_conffile_and_not_in_md5sums(tmp_path: Path) -> None:
    module = build_deb()
    assert module.conffiles_text() == "/etc/agent-toolbar/policy.toml\n"
    assert (module.HERE / module.POLICY.name).read_bytes() == EXAMPLE.read_bytes()
    root = tmp_path / "root"
    (root / module.POLICY).parent.mkdir(parents=True)
    (root / module.POLICY).write_bytes(EXAMPLE.read_bytes())
    (root / module.EXECUTABLE).parent.mkdir(parents=True)
    (root / module.EXECUTABLE).write_bytes(b"\x7fELF")
    digest = hashlib.md5(b"\x7fELF", usedforsecurity=False).hexdigest()
    assert module.md5sums_text(root) == f"{digest}  opt/agent-toolbar/agent-toolbar\n"

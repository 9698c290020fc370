"""The Group Policy template (packaging/windows/policy) writes exactly the registry values
the toolbar reads, and is a template Group Policy and Intune can load.

Microsoft's PolicyDefinitions schema (PolicyDefinitionFiles.xsd and the two files it
includes) is Microsoft's to distribute, so it is not copied here, and no XML Schema
validator is a project dependency. With both at hand, the last test validates the two files
against it: set AGENT_TOOLBAR_ADMX_SCHEMA to the schema's folder and install `xmlschema`.
Always, the others check what that schema and the loaders demand, structurally:
well-formed XML in the PolicyDefinitions namespace, the order of a policy's children,
unique names, every $(string.…) and $(presentation.…) reference resolving in the ADML and
every presentation control naming an element of its policies. Then against the toolbar:
every key is under Software\\Policies\\AgentToolbar\\Locked or \\Defaults, every value is
named and typed as the settings field it sets (`Config`), and Locked and Defaults offer
the same settings.
"""

import os
import re
import types
import typing
from pathlib import Path
from xml.etree import ElementTree

import msgspec
import pytest

from agent_toolbar.config.settings import (
    Config,
    NotificationPreferences,
    Preferences,
    Profile,
    SoundPreferences,
)

ROOT = Path(__file__).parents[2]
FOLDER = ROOT / "packaging" / "windows" / "policy"
ADMX = FOLDER / "AgentToolbar.admx"
ADML = FOLDER / "en-US" / "AgentToolbar.adml"
NS = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"
Q = f"{{{NS}}}"
BASE = "Software\\Policies\\AgentToolbar"
PARTS = ("Locked", "Defaults")
STRUCTS: dict[str, type[msgspec.Struct]] = {
    "": Config,
    "Preferences": Preferences,
    "Preferences\\Notifications": NotificationPreferences,
    "Preferences\\Sound": SoundPreferences,
    "Profiles\\main": Profile,
}
"""The registry subkeys of docs/policy.md, each with the settings table it holds."""
POLICY_ONLY = {"offer_demo": bool}
CHILD_ORDER = (
    "parentCategory",
    "seeAlso",
    "keywords",
    "supportedOn",
    "enabledValue",
    "disabledValue",
    "enabledList",
    "disabledList",
    "elements",
)
"""The sequence PolicyDefinitions.xsd gives a policy's children."""
ELEMENT_KIND = {"boolean": "bool", "decimal": "decimal", "enum": "enum", "text": "text"}
ELEMENT_KIND |= {"multiText": "multitext"}
CONTROL_OF = {
    "text": "textBox",
    "decimal": "decimalTextBox",
    "enum": "dropdownList",
    "multiText": "multiTextBox",
}


def tag(element: ElementTree.Element) -> str:
    assert element.tag.startswith(Q), element.tag
    return element.tag.removeprefix(Q)


@pytest.fixture(scope="module")
def admx() -> ElementTree.Element:
    return ElementTree.parse(ADMX).getroot()


@pytest.fixture(scope="module")
def adml() -> ElementTree.Element:
    return ElementTree.parse(ADML).getroot()


def policies(admx: ElementTree.Element) -> list[ElementTree.Element]:
    return admx.findall(f"{Q}policies/{Q}policy")


def elements_of(policy: ElementTree.Element) -> list[ElementTree.Element]:
    found = policy.find(f"{Q}elements")
    return [] if found is None else list(found)


def test_both_files_are_policy_definitions_of_one_revision(
    admx: ElementTree.Element, adml: ElementTree.Element
) -> None:
    assert tag(admx) == "policyDefinitions"
    assert tag(adml) == "policyDefinitionResources"
    for root in (admx, adml):
        assert root.get("schemaVersion") == "1.0"
        assert root.get("revision") == "1.0"
        assert [tag(each) for each in root.iter()]  # every element in the namespace
    resources = admx.find(f"{Q}resources")
    assert resources is not None
    assert resources.get("minRequiredRevision") == adml.get("revision")
    target = admx.find(f"{Q}policyNamespaces/{Q}target")
    assert target is not None
    assert target.get("prefix") == "agenttoolbar"
    assert target.get("namespace") == "AgentToolbar.Policies.AgentToolbar"
    assert admx.find(f"{Q}policyNamespaces/{Q}using") is None  # no other ADMX needed


def test_every_reference_resolves(admx: ElementTree.Element, adml: ElementTree.Element) -> None:
    strings = [each.get("id") for each in adml.iter(f"{Q}string")]
    presentations = [each.get("id") for each in adml.iter(f"{Q}presentation")]
    assert len(strings) == len(set(strings))
    assert len(presentations) == len(set(presentations))
    text = ADMX.read_text(encoding="utf-8")
    used_strings = set(re.findall(r"\$\(string\.([^)]+)\)", text))
    used_presentations = set(re.findall(r"\$\(presentation\.([^)]+)\)", text))
    assert used_strings == set(strings)
    assert used_presentations == set(presentations)
    categories = {each.get("name") for each in admx.iter(f"{Q}category")}
    assert categories == {"AgentToolbar", *PARTS}
    supported = {each.get("name") for each in admx.iter(f"{Q}definition")}
    for parent in admx.iter(f"{Q}parentCategory"):
        assert parent.get("ref") in categories
    for each in admx.iter(f"{Q}supportedOn"):
        if each.get("ref") is not None:
            assert each.get("ref") in supported


def test_each_presentation_shows_exactly_its_policies_elements(
    admx: ElementTree.Element, adml: ElementTree.Element
) -> None:
    controls = {
        presentation.get("id"): {(tag(control), control.get("refId")) for control in presentation}
        for presentation in adml.iter(f"{Q}presentation")
    }
    for policy in policies(admx):
        elements = {(CONTROL_OF[tag(each)], each.get("id")) for each in elements_of(policy)}
        reference = policy.get("presentation")
        if reference is None:
            assert elements == set(), policy.get("name")
            continue
        name = reference.removeprefix("$(presentation.").removesuffix(")")
        assert controls[name] == elements, policy.get("name")


def test_policies_are_unique_and_ordered_as_the_schema_asks(admx: ElementTree.Element) -> None:
    names = [policy.get("name") for policy in policies(admx)]
    assert len(names) == len(set(names))
    for policy in policies(admx):
        assert policy.get("class") == "Both"  # machine and user policy, machine wins
        children = [tag(child) for child in policy]
        assert children == sorted(children, key=CHILD_ORDER.index), policy.get("name")
        assert children[:2] == ["parentCategory", "supportedOn"]
        boolean = policy.get("valueName") is not None
        assert boolean != ("elements" in children), policy.get("name")
        if boolean:
            assert children[2:] == ["enabledValue", "disabledValue"]
        for element in elements_of(policy):
            assert element.get("valueName")
            assert element.get("required") == "true", "an empty value would break a setting"


def settings_of(policy: ElementTree.Element) -> list[tuple[str, str, str, str]]:
    """(part, subkey, value name, element kind) of each value the policy writes."""
    key = policy.get("key") or ""
    part, _, subkey = key.removeprefix(BASE + "\\").partition("\\")
    if policy.get("valueName") is not None:
        return [(part, subkey, policy.get("valueName") or "", "bool")]
    return [
        (part, subkey, element.get("valueName") or "", ELEMENT_KIND[tag(element)])
        for element in elements_of(policy)
    ]


def kind_of(hint: object) -> tuple[str, tuple[object, ...]]:
    """The element kind that can hold a settings field of this type, and its choices."""
    if typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    if isinstance(hint, types.UnionType):
        [hint] = [each for each in typing.get_args(hint) if each is not type(None)]
    if typing.get_origin(hint) is typing.Literal:
        return "enum", typing.get_args(hint)
    if typing.get_origin(hint) is tuple:
        return "multitext", ()
    kinds = {bool: "bool", int: "decimal", str: "text"}
    assert hint in kinds, hint
    return kinds[hint], ()  # type: ignore[index]


def test_every_key_is_the_toolbars_and_every_value_a_setting_of_its_type(
    admx: ElementTree.Element,
) -> None:
    for policy in policies(admx):
        key = policy.get("key") or ""
        assert key.startswith(f"{BASE}\\"), key
        for part, subkey, value, kind in settings_of(policy):
            assert part in PARTS, key
            assert subkey in STRUCTS, key
            struct = STRUCTS[subkey]
            hints = typing.get_type_hints(struct, include_extras=True)
            if struct is Config and value in POLICY_ONLY and value not in hints:
                assert kind == "bool"
                continue
            assert value in hints, f"{key}: {value}"
            expected, choices = kind_of(hints[value])
            assert kind == expected, f"{key}: {value}"
            if kind == "enum":
                element = next(
                    each for each in elements_of(policy) if each.get("valueName") == value
                )
                values = [item.text for item in element.iter(f"{Q}string")]
                assert sorted(values) == sorted(map(str, choices)), f"{key}: {value}"


def test_numbers_are_bounded_as_the_settings_are(admx: ElementTree.Element) -> None:
    """Group Policy refuses what the toolbar would refuse, no more and no less."""
    for policy in policies(admx):
        for element in policy.iter(f"{Q}decimal"):
            if element.get("valueName") is None:
                continue  # enabledValue/disabledValue
            subkey = (policy.get("key") or "").removeprefix(BASE + "\\").partition("\\")[2]
            table = {"Profiles\\main": "profiles"}.get(subkey, subkey)
            path = [step.lower() for step in table.split("\\") if step]
            low, high = int(element.get("minValue", "0")), int(element.get("maxValue", "0"))
            for number, fits in ((low, True), (high, True), (low - 1, False), (high + 1, False)):
                settings: dict[str, object] = {element.get("valueName") or "": number}
                for step in reversed(path):
                    settings = {step: settings}
                if fits:
                    msgspec.convert(settings, Config)
                else:
                    with pytest.raises(msgspec.ValidationError):
                        msgspec.convert(settings, Config)


def test_locked_and_defaults_offer_the_same_settings(admx: ElementTree.Element) -> None:
    offered = {
        part: sorted(
            each[1:] for policy in policies(admx) for each in settings_of(policy) if each[0] == part
        )
        for part in PARTS
    }
    assert offered["Locked"] == offered["Defaults"]
    assert ("Profiles\\main", "api_url", "text") in offered["Locked"]
    assert ("", "default_profile", "text") in offered["Locked"]
    assert not {"password", "app_secret", "secret", "token"} & {v for _, v, _ in offered["Locked"]}


def test_both_files_are_valid_against_microsofts_schema() -> None:
    folder = os.environ.get("AGENT_TOOLBAR_ADMX_SCHEMA")
    if not folder:
        pytest.skip("AGENT_TOOLBAR_ADMX_SCHEMA (the folder of PolicyDefinitionFiles.xsd) unset")
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(Path(folder) / "PolicyDefinitionFiles.xsd"))
    for document in (ADMX, ADML):
        assert [str(error) for error in schema.iter_errors(str(document))] == [], document.name

"""The translations are complete, current with the code, compiled, and keep their placeholders."""

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import PySide6
import pytest

ROOT = Path(__file__).parents[2]
FOLDER = ROOT / "resources" / "translations"
TOOLS = Path(PySide6.__file__).parent
LANGUAGES = ("en", "ru")
PLACEHOLDER = re.compile(r"\{\w+\}")


def messages(ts: Path) -> list[ET.Element]:
    return list(ET.parse(ts).iter("message"))


def forms(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    assert translation is not None
    if message.get("numerus") == "yes":
        return [form.text or "" for form in translation.iter("numerusform")]
    return [translation.text or ""]


def refreshed(tmp_path: Path, language: str) -> Path:
    """The translation source as `scripts/translations` would leave it after lupdate."""
    copy = tmp_path / f"agent_toolbar_{language}.ts"
    shutil.copy(FOLDER / copy.name, copy)
    command = [
        str(TOOLS / "lupdate"),
        "-silent",
        "-locations",
        "none",
        "-extensions",
        "py",
        "-tr-function-alias",
        "QT_TRANSLATE_NOOP+=marked",
        "agent_toolbar",
        "-ts",
        str(copy),
    ]
    if language == "en":
        command.insert(1, "-pluralonly")
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return copy


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_of_the_code_is_in_the_translation_and_none_is_obsolete(
    tmp_path: Path, language: str
) -> None:
    current = refreshed(tmp_path, language)
    stale = [m.findtext("source") for m in messages(current) if _unfinished_or_gone(m)]
    assert stale == [], f"run scripts/translations and translate these: {stale}"
    assert current.read_bytes() == (FOLDER / current.name).read_bytes(), (
        "run scripts/translations: the .ts file is not what lupdate writes"
    )


def _unfinished_or_gone(message: ET.Element) -> bool:
    translation = message.find("translation")
    assert translation is not None
    return translation.get("type") in ("unfinished", "obsolete", "vanished") or not any(
        forms(message)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language: str) -> None:
    for message in messages(FOLDER / f"agent_toolbar_{language}.ts"):
        source = message.findtext("source") or ""
        wanted = sorted(PLACEHOLDER.findall(source))
        for form in forms(message):
            assert sorted(PLACEHOLDER.findall(form)) == wanted, (source, form)
            assert ("%n" in form) == ("%n" in source), (source, form)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_translations_are_current(tmp_path: Path, language: str) -> None:
    compiled = tmp_path / f"agent_toolbar_{language}.qm"
    subprocess.run(
        [str(TOOLS / "lrelease"), "-silent", str(FOLDER / f"{compiled.stem}.ts"), "-qm", compiled],
        check=True,
        capture_output=True,
    )
    assert compiled.read_bytes() == (FOLDER / compiled.name).read_bytes(), (
        "run scripts/translations: the .qm file is older than its .ts"
    )

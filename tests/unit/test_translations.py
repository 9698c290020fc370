"""The translations are complete, current with the code, compiled, and keep their placeholders."""

import re
import shutil
import subprocess
import sys
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
    """Every message of `ts`; none at all means nothing was parsed, never a pass."""
    found = list(ET.parse(ts).iter("message"))
    assert found, f"{ts.name} has no message: nothing was parsed"
    return found


def forms(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    assert translation is not None
    if message.get("numerus") == "yes":
        numerus = [form.text or "" for form in translation.iter("numerusform")]
        assert numerus, f"{message.findtext('source')!r} has no plural form"
        return numerus
    return [translation.text or ""]


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The translation sources as `scripts/translations` leaves them (its own lupdate
    command line), run on a copy of the code and the translations, since the script
    rewrites them in place."""
    root = tmp_path_factory.mktemp("checkout")
    shutil.copytree(
        ROOT / "agent_toolbar", root / "agent_toolbar", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(FOLDER, root / "resources" / "translations")
    (root / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "translations", root / "scripts")
    (root / ".venv").symlink_to(sys.prefix)  # the script runs the tools of `.venv`
    subprocess.run([root / "scripts" / "translations"], check=True, capture_output=True)
    return root / "resources" / "translations"


def test_an_empty_translation_file_is_a_failure_not_a_pass(tmp_path: Path) -> None:
    empty = tmp_path / "agent_toolbar_ru.ts"
    empty.write_text('<?xml version="1.0" encoding="utf-8"?>\n<TS version="2.1" language="ru"/>\n')
    with pytest.raises(AssertionError, match="nothing was parsed"):
        messages(empty)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_of_the_code_is_in_the_translation_and_none_is_obsolete(
    refreshed: Path, language: str
) -> None:
    current = refreshed / f"agent_toolbar_{language}.ts"
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

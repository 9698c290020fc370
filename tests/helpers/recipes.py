"""The packaging recipes as tests read them: build_deb.py loaded as a module (it is a
script, not part of the package) and a desktop entry's keys."""

import configparser
import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).parents[2]
LINUX = ROOT / "packaging" / "linux"
APP_ID = "org.agenttoolbar.AgentToolbar"
DESKTOP = LINUX / f"{APP_ID}.desktop"
DIAL_DESKTOP = LINUX / f"{APP_ID}.Dial.desktop"
"""The hidden entry that makes the toolbar the handler of tel: and callto: links."""


def build_deb() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_deb", LINUX / "build_deb.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]

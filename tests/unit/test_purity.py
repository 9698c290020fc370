"""The house's import rules: the domain stays pure, only `ui/` imports Qt, backends stay
below the session, the command line's headless paths never load Qt, and every logger is
declared once."""

import ast
import asyncio
import logging
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import agent_toolbar.domain
from agent_toolbar.simulator import Simulator
from agent_toolbar.support import log
from tests.helpers.kazoo import PASSWORDS, sim
from tests.helpers.places import private_places

__all__ = ["private_places", "sim"]  # the fixtures this file uses

PACKAGE = Path(agent_toolbar.domain.__file__).parents[1]
FORBIDDEN = {
    "PySide6": "Qt",
    "qasync": "Qt",
    "asyncio": "I/O",
    "aiohttp": "I/O",
    "socket": "I/O",
    "os": "I/O",
    "io": "I/O",
    "pathlib": "I/O",
    "logging": "I/O",
    "time": "the clock",
    "datetime": "the clock",
    "random": "non-determinism",
}
PURE = [
    *sorted((PACKAGE / "domain").glob("*.py")),
    *(
        PACKAGE / "simulator" / name
        for name in ("clock.py", "engine.py", "model.py", "kazoo/views.py", "kazoo/wire.py")
    ),
]
ALLOWED = {"simulator": {"random"}}
"""The simulator's engine draws from a seeded Random: still reproducible."""


@pytest.mark.parametrize("module", PURE, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_pure_modules_import_no_qt_no_io_and_no_clock(module: Path) -> None:
    allowed = ALLOWED.get(module.relative_to(PACKAGE).parts[0], set())
    offences = []
    for node in ast.walk(ast.parse(module.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        offences += [
            f"imports {name} ({FORBIDDEN[name.split('.')[0]]})"
            for name in names
            if name.split(".")[0] in FORBIDDEN.keys() - allowed
        ]
    assert offences == []


def test_replay_loads_neither_qt_nor_the_network_stack() -> None:
    example = PACKAGE.parent / "resources" / "examples" / "recipient-session.jsonl"
    probe = (
        "import sys\n"
        "from agent_toolbar.cli.main import main\n"
        f"main(['replay', {str(example)!r}])\n"
        "heavy = {'PySide6', 'qasync', 'aiohttp', 'keyring'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stderr.splitlines()[-1] == "[]"


def _modules(*parts: str) -> list[Path]:
    return sorted(PACKAGE.joinpath(*parts).rglob("*.py"))


def _name(module: Path) -> str:
    return str(module.relative_to(PACKAGE))


def _imported(module: Path) -> list[str]:
    """Every module or name `module` imports, at any depth (functions and TYPE_CHECKING
    included): a lazy import loads the module all the same."""
    names = []
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{_name(module)}: a relative import"
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _breaking(module: Path, rule: Callable[[str], bool]) -> list[str]:
    return [name for name in _imported(module) if rule(name)]


def _within(name: str, *packages: str) -> bool:
    return any(name == package or name.startswith(f"{package}.") for package in packages)


QT_OUTSIDE_UI = [module for module in _modules() if module.relative_to(PACKAGE).parts[0] != "ui"]


@pytest.mark.parametrize("module", QT_OUTSIDE_UI, ids=_name)
def test_nothing_outside_ui_imports_qt(module: Path) -> None:
    assert _breaking(module, lambda name: _within(name, "PySide6", "qasync")) == []


@pytest.mark.parametrize("module", _modules("domain"), ids=_name)
def test_the_domain_imports_nothing_of_ours_outside_it(module: Path) -> None:
    def ours_outside(name: str) -> bool:
        return _within(name, "agent_toolbar") and not _within(name, "agent_toolbar.domain")

    assert _breaking(module, ours_outside) == []


@pytest.mark.parametrize("module", _modules("backends"), ids=_name)
def test_backends_never_import_the_window_or_the_session(module: Path) -> None:
    def above(name: str) -> bool:
        return _within(name, "agent_toolbar.ui", "agent_toolbar.session")

    assert _breaking(module, above) == []


def test_every_logger_is_declared_once_in_support_log() -> None:
    declared = PACKAGE / "support" / "log.py"
    spelled = re.compile(r"getLogger\(\s*[\"']")
    elsewhere = [
        _name(module)
        for module in _modules()
        if module != declared and spelled.search(module.read_text())
    ]
    names = [each.name for each in vars(log).values() if isinstance(each, logging.Logger)]
    assert elsewhere == []
    assert len(names) == len(set(names))


LOADED = (
    "import atexit, sys\n"
    "atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules}"
    " & {'PySide6', 'qasync'}), file=sys.stderr))\n"
    "from agent_toolbar.cli.main import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)
"""`agent-toolbar` with the given arguments, saying at exit which Qt packages it loaded."""


@pytest.mark.asyncio
@pytest.mark.parametrize("command", ["set", "watch"])
async def test_watch_and_set_never_load_qt(command: str, sim: Simulator) -> None:
    """The real commands against the simulator, to the end of their work: `set` until the
    server confirms, `watch` until its first state, then Ctrl-C."""
    account = next(login.account_name for login in sim.logins if login.username == "ada")
    connection = ["--api-url", sim.api_url, "--account-name", account, "--username", "ada"]
    env = dict(os.environ, AGENT_TOOLBAR_PASSWORD=PASSWORDS["ada"])
    arguments = [command, "login"] if command == "set" else [command]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        LOADED,
        *arguments,
        *connection,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None
    try:
        async with asyncio.timeout(60):
            first = await process.stdout.readline()
            if command == "watch":
                process.send_signal(signal.SIGINT)
            _, err = await process.communicate()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert first.startswith(b"{" if command == "watch" else b"log in: confirmed")
    assert (process.returncode, err.decode().splitlines()[-1]) == (0, "[]")

"""The domain stays pure, and the support tools stay free of Qt and the network stack."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import agent_toolbar.domain

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
ALLOWED = {"simulator": {"logging", "random"}}
"""The simulator's engine logs, and draws from a seeded Random: still reproducible."""


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

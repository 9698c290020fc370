"""The mutation fuzzer (scripts/fuzz.py) run as agents' support would run it, counted in
the ledger; and the crash it found, kept fixed."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from agent_toolbar.backends.telphin.callback_events import call_event
from tests.reliability.ledger import LEDGER

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fuzz.py"
TARGETS = ("blackhole frames", "telphin callbacks")


def run_fuzzer(tmp_path: Path, inputs: int, seed: int) -> dict[str, dict[str, Any]]:
    """Run the script for real and count what its JSON says it did."""
    report = tmp_path / "fuzz.json"
    command = [sys.executable, str(SCRIPT), "--inputs", str(inputs), "--seed", str(seed)]
    command += ["--json", str(report)]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    counts: dict[str, dict[str, Any]] = json.loads(report.read_text())
    for target, figures in counts.items():
        LEDGER.fuzzed(target, figures["inputs"], figures["crashes"])
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return counts


def test_twenty_thousand_inputs_crash_nothing(tmp_path: Path) -> None:
    counts = run_fuzzer(tmp_path, 20_000, seed=9)
    assert sorted(counts) == list(TARGETS)
    for target in TARGETS:
        assert (counts[target]["inputs"], counts[target]["crashes"]) == (20_000, 0)
    frames = counts["blackhole frames"]["outcomes"]
    # Not vacuous: mutated frames reach the reducer, and the hostile ones are typed errors.
    assert frames["applied event"] > 1_000
    assert frames["unreadable"] > 1_000
    callbacks = counts["telphin callbacks"]["outcomes"]
    assert callbacks["applied event"] > 1_000
    assert callbacks["refused"] > 1_000


@pytest.mark.slow
def test_a_million_inputs_each_crash_nothing(tmp_path: Path) -> None:
    counts = run_fuzzer(tmp_path, 1_000_000, seed=20261121)
    assert {target: counts[target]["crashes"] for target in TARGETS} == dict.fromkeys(TARGETS, 0)


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_script", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_crash_is_caught_counted_and_can_be_replayed(capsys: pytest.CaptureFixture[str]) -> None:
    fuzz = load_script()
    real = fuzz.targets()["telphin callbacks"]

    def fragile(state: Any, fields: dict[str, str]) -> Any:
        if fields.get("EventType") == "answer":
            raise RuntimeError("a planted defect")
        return real.feed(state, fields)

    planted = fuzz.Target(real.name, real.make, fragile, real.fresh)
    result = fuzz.fuzz(planted, 300, 5)
    assert result.crashes
    assert result.inputs == 300
    crash = result.crashes[0]
    assert crash.error == "RuntimeError: a planted defect"
    assert "'EventType': 'answer'" in crash.shown
    with pytest.raises(RuntimeError, match="a planted defect"):
        fuzz.replay(planted, 5, crash.index)
    assert f"input {crash.index} of 'telphin callbacks' (seed 5)" in capsys.readouterr().out


@pytest.mark.parametrize("event_time", ["9" * 400, "1" + "0" * 320, "-" + "9" * 400])
def test_an_event_time_too_large_for_a_float_is_no_time_not_a_crash(event_time: str) -> None:
    """Found by the fuzzer: `int(...) / 1_000_000` overflowed, and the listener answered 500."""
    fields = {
        "EventType": "dial-in",
        "CallID": "call-1",
        "CallerExtension": "000*501@demo.sim.local",
        "EventTime": event_time,
    }
    offer = call_event(fields, "1001", {"000*501": "3001"})
    assert offer is not None
    assert offer.event_unix_timestamp is None

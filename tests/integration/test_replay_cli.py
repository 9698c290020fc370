"""`agent-toolbar replay` as a support person runs it: a real process on real files."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[2] / "resources" / "examples" / "recipient-session.jsonl"
ADA = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
GRACE = "7e6d5c4b3a2918f7e6d5c4b3a2918f7e"


def replay(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    command = shutil.which("agent-toolbar", path=str(Path(sys.executable).parent))
    assert command is not None, "the agent-toolbar entry point is installed beside python"
    return subprocess.run(
        [command, "replay", *args], input=stdin, capture_output=True, check=False, timeout=60
    )


def states(output: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.decode().splitlines()]


def test_the_bundled_example_replays_the_whole_shift() -> None:
    result = replay(str(EXAMPLE))
    assert result.returncode == 0
    printed = states(result.stdout)
    frames = EXAMPLE.read_bytes().splitlines()
    skipped = [line for line in result.stderr.decode().splitlines() if ": skipped:" in line]
    assert len(printed) + len(skipped) == len(frames)
    for line in result.stdout.decode().splitlines():
        assert list(json.loads(line)) == sorted(json.loads(line))
    seen = {(state["status"], state["activity"]) for state in printed}
    assert {("ready", "offered"), ("ready", "on_call"), ("ready", "wrapup")} <= seen
    assert ("ready", "external_call") in seen
    assert ("away", "idle") in seen
    assert printed[-1]["status"] == "logged_out"
    assert printed[-1]["paused_queues"] == []


def test_stderr_explains_each_skipped_line_and_ignored_event() -> None:
    stderr = replay(str(EXAMPLE)).stderr.decode()
    assert "line 1: skipped: reply to request sub-1 (success), not an event" in stderr
    assert f"line 4: ignored: event of another recipient ({GRACE})" in stderr
    assert "line 7: ignored: message m-0005 was already applied" in stderr
    assert "line 15: ignored: older than the current status" in stderr
    assert "line 27: skipped: unknown event 'roster_update'" in stderr
    assert "line 29: skipped: not valid JSON" in stderr
    assert f"following recipient {ADA}" in stderr


def test_standard_input_and_a_chosen_recipient() -> None:
    result = replay("-", "--recipient-id", GRACE, stdin=EXAMPLE.read_bytes())
    assert result.returncode == 0
    printed = states(result.stdout)
    assert {state["recipient_id"] for state in printed} == {GRACE}
    assert printed[-1]["status"] == "ready"
    assert printed[-1]["offer"] is None  # Grace's offer rang out: later events moved the clock on


@pytest.mark.parametrize("where", ["missing.jsonl", "."])
def test_an_unreadable_file_exits_non_zero_with_one_clear_line(tmp_path: Path, where: str) -> None:
    result = replay(str(tmp_path / where))
    assert result.returncode == 1
    message = result.stderr.decode()
    assert message.startswith("agent-toolbar replay: cannot read")
    assert "Traceback" not in message
    assert result.stdout == b""


def test_a_file_of_garbage_is_read_to_the_end_and_exits_zero(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_bytes(b'\x00\xff not json\n[1,2]\n\n{"action":"event"}\n')
    result = replay(str(garbage))
    assert result.returncode == 0
    assert result.stdout == b""
    assert result.stderr.decode().count("skipped") == 3

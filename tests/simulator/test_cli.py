"""`agent-toolbar sim` as a person runs it: a banner, Ctrl-C stops it, one line if it cannot run."""

import json
import re
import signal
import socket
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from agent_toolbar.simulator.cli import main

RUN = (
    "import sys\n"
    "from agent_toolbar.simulator.cli import main\n"
    "sys.exit(main('127.0.0.1', 0, 0, {scenario!r}))\n"
)


def start(scenario: str | None) -> "tuple[subprocess.Popen[str], str]":
    """`agent-toolbar sim` in a child process, and its banner."""
    process = subprocess.Popen(
        [sys.executable, "-c", RUN.format(scenario=scenario)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    banner = []
    for line in process.stdout:
        banner.append(line)
        if line.startswith("Press Ctrl-C"):
            break
    return process, "".join(banner)


def stop(process: "subprocess.Popen[str]") -> None:
    process.kill()
    process.wait()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def test_a_broken_scenario_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[[queues]]\nname = "Sales"\nring_timeout = "x"\n')
    assert main("127.0.0.1", 0, 0, str(path)) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert error.startswith(f"agent-toolbar sim: {path}, line 3: queues[0].ring_timeout")


def test_a_port_in_use_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main("127.0.0.1", port, 0, None) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert f"cannot listen on 127.0.0.1:{port}" in error


def test_it_prints_urls_and_logins_that_work_and_stops_on_ctrl_c() -> None:
    process, text = start(None)
    try:
        assert "not advertised" not in text
        api_url = re.search(r"REST \(Crossbar\): +(http://\S+/v2)", text)
        assert api_url is not None, text
        assert re.search(r"Websocket \(Blackhole\): +ws://127\.0\.0\.1:\d+", text)
        assert "username 'agent'  password 'demo'" in text
        assert "api key " in text
        assert "user id " in text
        assert "/sim/callers" in text
        state_url = api_url[1].removesuffix("/v2") + "/sim/state"
        with urllib.request.urlopen(state_url, timeout=5) as answer:
            assert len(json.load(answer)["agents"]) == 4
        telphin_api = re.search(r"Telphin API: +(http://\S+/api/ver1\.0)\n", text)
        token_url = re.search(r"Telphin OAuth: +(http://\S+/oauth/token)\n", text)
        app = re.search(r"app id (\w+)  app secret (\w+)  client id 100\n", text)
        assert telphin_api is not None, text
        assert token_url is not None, text
        assert app is not None, text
        assert "agent id 1001  extension id 2001  extension 000*101@demo.sim.local" in text
        form = {
            "grant_type": "password",
            "client_id": app[1],
            "client_secret": app[2],
            "username": "agent",
            "password": "demo",
        }
        signing_in = urllib.request.Request(token_url[1], urllib.parse.urlencode(form).encode())
        with urllib.request.urlopen(signing_in, timeout=5) as answer:
            token = json.load(answer)["access_token"]
        reading = urllib.request.Request(
            telphin_api[1] + "/user/", headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(reading, timeout=5) as answer:
            assert json.load(answer)["extension_id"] == 2001
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        assert process.stderr is not None
        error = process.stderr.read()
        assert "Traceback" not in error
        assert "stopped" in error
    finally:
        stop(process)


def test_the_bare_scenario_by_name_says_where_its_unadvertised_websocket_is() -> None:
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            taken.bind(("127.0.0.1", 5555))
        except OSError:
            pytest.skip("port 5555 is in use on this machine")
        taken.listen()
        process, text = start("bare")
    try:
        assert text.startswith("Kazoo/Qubicle and Telphin simulator running bare\n"), text
        found = re.search(
            r"Websocket \(Blackhole\): +ws://127\.0\.0\.1:(\d+)\n"
            r" +not advertised at login \(a bare install\); on any free port: "
            r"Blackhole's default 5555 is taken\n",
            text,
        )
        assert found is not None, text
        assert found[1] != "5555"
        assert "username 'agent'  password 'demo'" in text
    finally:
        stop(process)

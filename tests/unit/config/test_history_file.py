"""The call history's SQLite file (issue 18): private, upserted by key so a replay adds no
row, written on its own thread as states arrive, pruned by age, cleared for good."""

import stat
from pathlib import Path

import pytest

from agent_toolbar.config.history import History, HistoryFile, Recorder, history_path
from agent_toolbar.domain import reduce
from agent_toolbar.domain.events import Delivered, HungUp, Rejected, WrapupCompleted, WrapupStarted
from tests.helpers.events import SALES, ev, offer, ready_agent
from tests.helpers.seed import UNIX_NOW


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def shift(recorder: Recorder) -> None:
    """An answered call with its wrap-up, then a missed one, fed one state at a time."""
    state = ready_agent()
    recorder.feed(state)
    for item in (
        offer(10, "s1"),
        ev(Delivered, 14, queue_id=SALES, session_id="s1"),
        ev(HungUp, 74, queue_id=SALES, session_id="s1"),
        ev(WrapupStarted, 75, queue_id=SALES, wrapup_time_seconds=30),
        ev(WrapupCompleted, 95, queue_id=SALES),
        offer(100, "s2", ring=20),
        ev(Rejected, 120, queue_id=SALES, session_id="s2"),
    ):
        state = reduce(state, item)
        recorder.feed(state)


def test_the_file_is_private_and_follows_the_config_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENT_TOOLBAR_CONFIG_DIR", str(tmp_path / "data"))
    path = history_path()
    assert path.parent == tmp_path / "data"
    history = History(HistoryFile(path))
    shift(Recorder(history, "work"))
    history.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_rows_match_the_shift_and_a_replay_adds_none(tmp_path: Path) -> None:
    clock = Clock()
    file = HistoryFile(tmp_path / "history.sqlite3", clock)
    history = History(file)
    shift(Recorder(history, "work"))
    shift(Recorder(history, "work"))  # the same calls again, as after a restart and replay
    history.close()
    found = HistoryFile(tmp_path / "history.sqlite3").rows()
    assert [(row.key, row.outcome) for row in found] == [("s2", "missed"), ("s1", "answered")]
    answered = found[1]
    assert (answered.started_at, answered.answered_at) == (UNIX_NOW + 10, UNIX_NOW + 14)
    times = (answered.ring_seconds, answered.talk_seconds, answered.wrapup_seconds)
    assert times == (4.0, 60.0, 20.0)
    assert (found[0].ring_seconds, found[0].talk_seconds) == (20.0, None)


def test_old_rows_go_at_prune_and_clear_leaves_nothing(tmp_path: Path) -> None:
    clock = Clock()
    file = HistoryFile(tmp_path / "history.sqlite3", clock)
    history = History(file)
    shift(Recorder(history, "old"))
    history.submit(lambda _file: None).result()
    clock.now += 31 * 86400
    shift(Recorder(history, "new"))
    assert history.submit(lambda each: each.prune(30)).result() == 2
    assert {row.profile for row in history.submit(HistoryFile.rows).result()} == {"new"}
    history.submit(HistoryFile.clear).result()
    assert history.submit(HistoryFile.rows).result() == []
    history.close()
    assert b"Marie Curie" not in (tmp_path / "history.sqlite3").read_bytes()

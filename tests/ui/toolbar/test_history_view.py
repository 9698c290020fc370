"""The History view with real widgets and a real history file (issue 18): today's calls
newest first, search by number or name, filters, the day's summary, CSV export and a
"Clear history" that asks once."""

import csv
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from agent_toolbar.config.history import History, HistoryFile, Recorder
from agent_toolbar.domain import QueueFacts, QueuesReported, reduce
from agent_toolbar.domain.events import Delivered, HungUp, Rejected, WrapupCompleted, WrapupStarted
from agent_toolbar.ui.toolbar.history import HistoryView
from tests.helpers.events import SALES, SUPPORT, ev, offer, ready_agent
from tests.helpers.seed import UNIX_NOW
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def history(tmp_path: Path) -> AsyncIterator[History]:
    """A shift of today: Marie answered in Sales (60 s talk, 20 s wrap-up), then Alan's
    call from Support missed; and a call of another profile, never shown."""
    kept = History(HistoryFile(tmp_path / "history.sqlite3"))
    names = QueuesReported(
        queues=(
            QueueFacts(queue_id=SALES, name="Sales"),
            QueueFacts(queue_id=SUPPORT, name="Support"),
        ),
        taken_at=UNIX_NOW,
    )
    state = reduce(ready_agent(), names)
    recorder, other = Recorder(kept, "work"), Recorder(kept, "other")
    for item in (
        offer(10, "s1"),
        ev(Delivered, 14, queue_id=SALES, session_id="s1"),
        ev(HungUp, 74, queue_id=SALES, session_id="s1"),
        ev(WrapupStarted, 75, queue_id=SALES, wrapup_time_seconds=30),
        ev(WrapupCompleted, 95, queue_id=SALES),
        offer(100, "s2", queue_id=SUPPORT, caller_id_name="Alan Turing", caller_id_number="+44 20"),
        ev(Rejected, 120, queue_id=SUPPORT, session_id="s2"),
    ):
        state = reduce(state, item)
        recorder.feed(state)
    other.feed(reduce(ready_agent(), offer(200, "s9", caller_id_name="Someone Else")))
    yield kept
    kept.close()


async def shown(qtbot: QtBot, history: History) -> HistoryView:
    view = HistoryView(history, "work")
    qtbot.addWidget(view)
    view.show()
    await until(lambda: view.tree.topLevelItemCount() > 0)
    return view


def cell(view: HistoryView, row: int, number: int) -> str:
    item = view.tree.topLevelItem(row)
    return "" if item is None else item.text(number)


def column(view: HistoryView, number: int) -> list[str]:
    return [cell(view, n, number) for n in range(view.tree.topLevelItemCount())]


async def test_todays_calls_newest_first_with_the_days_summary(
    qtbot: QtBot, history: History
) -> None:
    view = await shown(qtbot, history)
    assert view.period.currentText() == "Today"
    assert column(view, 1) == ["Alan Turing +44 20", "Marie Curie +33123456789"]
    assert column(view, 2) == ["Support", "Sales"]
    assert column(view, 3) == ["missed", "answered"]
    assert [column(view, n)[1] for n in (4, 5, 6)] == ["0:04", "1:00", "0:20"]
    assert view.summary.text() == "1 answered · 1 missed · talk 1:00 · average handle 1:20"


async def test_search_by_number_or_name_and_filter_by_outcome_and_queue(
    qtbot: QtBot, history: History
) -> None:
    view = await shown(qtbot, history)
    view.search.setText("+33 1234")
    assert column(view, 1) == ["Marie Curie +33123456789"]
    view.search.setText("turing")
    assert column(view, 1) == ["Alan Turing +44 20"]
    view.search.clear()
    view.outcome.setCurrentIndex(view.outcome.findData("answered"))
    assert column(view, 3) == ["answered"]
    view.outcome.setCurrentIndex(0)
    view.queue.setCurrentIndex(view.queue.findData("Support"))
    assert column(view, 2) == ["Support"]
    assert view.summary.text().startswith("0 answered · 1 missed")


async def test_export_writes_the_shown_calls_as_csv(
    qtbot: QtBot, history: History, tmp_path: Path
) -> None:
    view = await shown(qtbot, history)
    view.export()
    assert view.file_dialog is not None
    target = tmp_path / "calls.csv"
    view.file_dialog.fileSelected.emit(str(target))
    await until(target.exists)
    await until(lambda: len(target.read_text().splitlines()) == 3)
    with target.open(newline="") as file:
        rows = list(csv.DictReader(file))
    assert [(row["key"], row["outcome"]) for row in rows] == [("s2", "missed"), ("s1", "answered")]


async def test_clear_asks_once_and_cancel_keeps_the_calls(
    qtbot: QtBot, history: History, tmp_path: Path
) -> None:
    view = await shown(qtbot, history)
    view.ask_to_clear()
    assert view.question is not None
    view.question.button(QMessageBox.StandardButton.Cancel).click()
    await until(lambda: view.question is None)
    assert view.tree.topLevelItemCount() == 2
    view.ask_to_clear()
    assert view.question is not None
    clear = next(each for each in view.question.buttons() if each.text() == "Clear history")
    clear.click()
    await until(lambda: view.tree.topLevelItemCount() == 0)
    assert view.summary.text() == "0 answered · 0 missed · talk 0:00 · average handle —"
    assert b"Marie Curie" not in (tmp_path / "history.sqlite3").read_bytes()


async def test_a_history_that_cannot_be_read_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    broken = tmp_path / "history.sqlite3"
    broken.write_bytes(b"not a database, " * 100)
    kept = History(HistoryFile(broken))
    view = HistoryView(kept, "work")
    qtbot.addWidget(view)
    view.show()
    await until(lambda: view.summary.text().startswith("The call history cannot be read: "))
    assert view.tree.topLevelItemCount() == 0
    kept.close()

"""The "Check connection" dialog with real widgets offscreen.

The reports here are made with `Findings` over the Kazoo wire module's real facts, and
the examinations are small coroutines standing in for the doctor's, so that the
dialog's own behaviour (progress, table, fixes, Copy, Cancel) is tested apart from any
server; tests/ui/test_doctor_desktop.py runs the real doctor against the simulator.
"""

import asyncio

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from agent_toolbar.backends.kazoo.wire import FACTS
from agent_toolbar.doctor.report import (
    Findings,
    Problem,
    Report,
    render_text,
    wire_fix,
)
from agent_toolbar.doctor.run import Say
from agent_toolbar.ui.signin.doctor_dialog import DoctorDialog
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio

SERVER = "https://pbx.example:8443/v2"


def report(problem: Problem | None = None) -> Report:
    """Two facts match, one differs (with its fix), the rest were not seen."""
    found = Findings(FACTS)
    found.matches("sign_in", "md5, 201 with auth_token")
    found.matches("status_words", "Ready")
    found.differs(
        "queue_key",
        "400: target_queue is not allowed (additionalProperties)",
        wire_fix("work", "queue_key", "queue_id"),
    )
    found.not_seen("wrapup_actions", "the agent was not in wrap-up")
    notes = ("signed in as ada with md5", "listened for 3 seconds: 2 pings")
    return Report("kazoo", SERVER, found.rows(), notes, problem)


def opened(qtbot: QtBot) -> DoctorDialog:
    dialog = DoctorDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


async def test_the_report_shows_one_row_per_fact_and_the_fix_below(qtbot: QtBot) -> None:
    dialog = opened(qtbot)
    dialog.show_report(report())
    table = dialog.table
    assert table.rowCount() == len(FACTS)
    assert [table.item(row, 0).text() for row in range(table.rowCount())] == [
        fact.name for fact in FACTS
    ]
    by_name = {table.item(row, 0).text(): row for row in range(table.rowCount())}
    queue = by_name["queue_key"]
    assert table.item(queue, 1).text() == "DIFFERS"
    assert table.item(queue, 1).font().bold()
    assert table.item(queue, 2).text().startswith("400: target_queue is not allowed")
    assert table.item(by_name["sign_in"], 1).text() == "matches"
    wrapup = by_name["wrapup_actions"]
    assert (table.item(wrapup, 1).text(), table.item(wrapup, 2).text()) == (
        "not seen",
        "the agent was not in wrap-up",
    )
    assert "The toolbar assumes:" in table.item(queue, 0).toolTip()
    assert dialog.summary.text() == (
        f"Facts that differ: 1 of {len(FACTS)}. See what to change below."
    )
    fixes = dialog.fixes.toPlainText()
    assert fixes.startswith("queue_key: the toolbar assumes ")
    assert '    [profiles.work.wire]\n    queue_key = "queue_id"' in fixes
    assert dialog.fixes.isVisible()
    assert dialog.notes.text() == ("• signed in as ada with md5\n• listened for 3 seconds: 2 pings")
    assert not dialog.problem.isVisible()
    assert not dialog.progress.isVisible()
    assert dialog.close_button.text() == "Close"


async def test_nothing_differing_says_so_and_shows_no_fixes(qtbot: QtBot) -> None:
    dialog = opened(qtbot)
    found = Findings(FACTS)
    found.matches("sign_in", "md5")
    dialog.show_report(Report("kazoo", SERVER, found.rows()))
    assert dialog.summary.text() == "Nothing differs from what the toolbar assumes."
    assert not dialog.fixes.isVisible()
    assert not dialog.notes.isVisible()


async def test_a_report_that_stopped_early_says_why(qtbot: QtBot) -> None:
    dialog = opened(qtbot)
    dialog.show_report(report(Problem("signed_out", "the server refused ada's password")))
    assert dialog.problem.isVisible()
    assert dialog.problem.text() == "The check stopped: the server refused ada's password"
    assert dialog.summary.text() == "The check did not finish."
    assert dialog.table.rowCount() == len(FACTS)  # the rows gathered so far still show


async def test_copy_puts_the_text_report_on_the_clipboard(qtbot: QtBot) -> None:
    dialog = opened(qtbot)
    shown = report()
    dialog.show_report(shown)
    QApplication.clipboard().clear()
    QTest.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == render_text(shown)
    assert dialog.doing.text() == "Copied the report to the clipboard."


async def test_it_shows_progress_while_running_then_the_report(qtbot: QtBot) -> None:
    dialog = opened(qtbot)
    go_on = asyncio.Event()

    async def examination(say: Say) -> Report:
        say("signing in as ada with md5…")
        await go_on.wait()
        return report()

    reported: list[Report] = []
    dialog.reported.connect(reported.append)
    running = asyncio.create_task(dialog.run(examination))
    await until(dialog.is_running)
    await until(lambda: dialog.doing.text() == "signing in as ada with md5…")
    assert dialog.progress.isVisible()
    assert not dialog.copy_button.isEnabled()
    assert dialog.close_button.text() == "Cancel"
    go_on.set()
    await asyncio.wait_for(running, 5)
    assert reported == [report()]
    assert dialog.report == report()
    assert not dialog.progress.isVisible()
    assert dialog.copy_button.isEnabled()
    assert dialog.isVisible()


async def test_cancel_stops_the_examination_and_closes(qtbot: QtBot) -> None:
    """As the doctor's contract says, the examination catches the cancellation, puts
    things back and returns an interrupted report: the closed dialog shows nothing of
    it, and its progress after the cancel goes nowhere."""
    dialog = opened(qtbot)
    cancelled = asyncio.Event()

    async def examination(say: Say) -> Report:
        say("listening for 3 seconds…")
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            say("restoring the starting state…")
            return report(Problem("interrupted", "interrupted: restored the starting state"))
        raise AssertionError("not cancelled")

    running = asyncio.create_task(dialog.run(examination))
    await until(lambda: dialog.doing.text() == "listening for 3 seconds…")
    QTest.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    await asyncio.wait_for(running, 5)
    assert cancelled.is_set()
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected.value
    assert dialog.report is None
    assert dialog.doing.text() == "listening for 3 seconds…"
    assert not dialog.is_running()


async def test_an_examination_that_fails_says_so_without_a_traceback(qtbot: QtBot) -> None:
    dialog = opened(qtbot)

    async def examination(say: Say) -> Report:
        raise KeyError("no wire fact is called 'nonsense'")

    await asyncio.wait_for(dialog.run(examination), 5)
    assert dialog.problem.isVisible()
    assert dialog.problem.text().startswith("The check failed unexpectedly (KeyError).")
    assert not dialog.progress.isVisible()
    assert dialog.report is None
    assert not dialog.copy_button.isEnabled()

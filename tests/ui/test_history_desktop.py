"""The call history on the whole desktop against the real simulator (issue 18): a named
profile's calls reach the panel's History view as they happen, through the same file the
desktop keeps; a profile that turned history off keeps no file and shows no view."""

import pytest
from pytestqt.qtbot import QtBot

from agent_toolbar.config.history import history_path
from agent_toolbar.config.settings import Profile
from agent_toolbar.domain.commands import Login, Ready
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui.toolbar.history import HistoryView
from tests.helpers.desktop import signed_in
from tests.helpers.kazoo import sim, user_id
from tests.helpers.places import private_places
from tests.helpers.waiting import until

__all__ = ["private_places", "sim"]  # the fixtures this file uses

pytestmark = pytest.mark.asyncio


def cell(view: HistoryView, row: int, number: int) -> str:
    item = view.tree.topLevelItem(row)
    return "" if item is None else item.text(number)


def work(keep: bool) -> Profile:
    return Profile(api_url="https://pbx.example.com", keep_history=keep)


async def test_a_call_shows_in_the_panels_history(qtbot: QtBot, sim: Simulator) -> None:
    async with signed_in(sim, work(keep=True)) as desktop:
        session = desktop._session
        await session.execute(Login())
        await session.execute(Ready())
        me = user_id(sim, "ada")
        sim.engine.add_caller("Sales", "Marie Curie", "+33123456789", talk_seconds=0.5)
        await until(lambda: desktop.presenter.state is not None and desktop.presenter.state.offer)
        sim.engine.answer(me)
        views = desktop.window.findChildren(HistoryView)
        assert len(views) == 1
        view = views[0]
        await until(lambda: view.tree.topLevelItemCount() == 1)
        await until(lambda: cell(view, 0, 3) == "answered")
        assert cell(view, 0, 1) == "Marie Curie +33123456789"
    assert history_path().stat().st_size > 0


async def test_a_profile_without_history_keeps_none(qtbot: QtBot, sim: Simulator) -> None:
    async with signed_in(sim, work(keep=False)) as desktop:
        assert desktop.history is None
        assert desktop.window.findChildren(HistoryView) == []
    assert not history_path().exists()

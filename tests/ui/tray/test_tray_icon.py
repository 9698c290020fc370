"""The tray icon, drawn for real with QPainter: each state looks different at every size."""

import itertools

import pytest
from msgspec.structs import replace
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage

from agent_toolbar.domain import AgentState, ConnectionChanged
from agent_toolbar.domain.events import QueuePaused, Rejected
from agent_toolbar.domain.state import QueueInfo
from agent_toolbar.ui import theme
from agent_toolbar.ui.tray.icon import RATIOS, SIZES, IconLook, icon_look, paint, tray_icon
from tests.helpers.events import SALES, SUPPORT, ev, offer, ready_agent, run
from tests.helpers.seed import UNIX_NOW

pytestmark = pytest.mark.usefixtures("english")

LOOKS = [
    IconLook("ready", "confirmed"),
    IconLook("away", "confirmed"),
    IconLook("logged_out", "confirmed"),
    IconLook("ringing", "confirmed", "ringing"),
    IconLook("busy", "confirmed"),
    IconLook("wrapup", "confirmed"),
    IconLook("ready", "unconfirmed"),
    IconLook("away", "unconfirmed"),
    IconLook("ready", "signed_out"),
    IconLook("away", "confirmed", "missed"),
    IconLook("ready", "confirmed", None, "partly"),
    IconLook("ready", "confirmed", None, "all"),
]


def online(state: AgentState) -> AgentState:
    return run(ConnectionChanged(connection="online", at=UNIX_NOW + 1), state=state)


def with_queues(state: AgentState) -> AgentState:
    queues = (
        QueueInfo(queue_id=SALES, name="Sales", member=True),
        QueueInfo(queue_id=SUPPORT, name="Support", member=True),
    )
    return replace(state, queues=queues)


def test_the_look_follows_status_link_attention_and_queues() -> None:
    ready = online(with_queues(ready_agent()))
    assert icon_look(ready) == IconLook("ready", "confirmed")
    stale = run(ConnectionChanged(connection="connecting", at=UNIX_NOW + 2), state=ready)
    assert icon_look(stale) == IconLook("ready", "unconfirmed")
    signed_out = run(
        ConnectionChanged(connection="offline", at=UNIX_NOW + 2, problem="signed out: no"),
        state=ready,
    )
    assert icon_look(signed_out).rim == "signed_out"
    ringing = run(offer(3, force_away_on_reject=True), state=ready)
    assert icon_look(ringing) == IconLook("ringing", "confirmed", "ringing")
    missed = run(ev(Rejected, 9, session_id="s1", queue_id=SALES), state=ringing)
    assert icon_look(missed).badge == "missed"
    partly = run(ev(QueuePaused, 4, queue_id=SALES), state=ready)
    assert icon_look(partly).paused == "partly"
    everything = run(ev(QueuePaused, 5, queue_id=SUPPORT), state=partly)
    assert icon_look(everything).paused == "all"
    assert icon_look(AgentState(recipient_id="nobody")) == IconLook("logged_out", "signed_out")


@pytest.mark.parametrize(("size", "ratio"), list(itertools.product(SIZES, RATIOS)))
def test_every_look_is_drawn_differently_at_every_size(size: int, ratio: float) -> None:
    images = [paint(look, size, ratio) for look in LOOKS]
    for image in images:
        assert image.size() == QSize(round(size * ratio), round(size * ratio))
        assert image.devicePixelRatio() == ratio
    drawn = {bytes(image.constBits()) for image in images}
    assert len(drawn) == len(LOOKS)


def centre(image: QImage) -> QColor:
    return image.pixelColor(image.width() // 2, image.height() // 2)


def test_the_disc_is_solid_when_confirmed_hollow_when_not_and_crossed_when_signed_out() -> None:
    solid = centre(paint(IconLook("ready", "confirmed"), 64))
    assert (solid.name(), solid.alpha()) == (theme.colour("ready"), 255)  # the window's Ready green
    hollow = centre(paint(IconLook("ready", "unconfirmed"), 64))
    assert hollow.alpha() < 100
    crossed = centre(paint(IconLook("ready", "signed_out"), 64))
    assert crossed.name() == "#ffffff"


def test_badges_sit_in_their_corners() -> None:
    plain = paint(IconLook("away", "confirmed"), 64)
    missed = paint(IconLook("away", "confirmed", "missed"), 64)
    paused = paint(IconLook("away", "confirmed", None, "all"), 64)
    top_right, bottom_right = (57, 7), (56, 56)
    assert plain.pixelColor(*top_right).alpha() == 0
    assert missed.pixelColor(*top_right).name() == "#b91c1c"
    assert plain.pixelColor(*bottom_right) != paused.pixelColor(*bottom_right)
    assert paused.pixelColor(*top_right).alpha() == 0


def test_the_icon_holds_every_size_for_every_screen() -> None:
    icon = tray_icon(IconLook("ready", "confirmed"))
    assert {size.width() for size in icon.availableSizes()} >= set(SIZES)
    sharp = icon.pixmap(QSize(32, 32), 2.0)
    assert sharp.width() == 64

"""The tray icon, drawn: the status fills a disc, the link shows on its rim, and badges
say what needs the agent.

A confirmed state is a solid disc in the status colour (the window's tones). While
the link is down the disc goes hollow, with a dashed, greyed rim, as the window's pill
reads "Ready?"; signed out or offline it is grey with a cross. A badge at the top
right marks a ringing offer (a dot) or a missed call (an exclamation mark), one at the
bottom right paused queues (one bar of two filled: partly; both: all). Shapes say
what colours say, and the tooltip says it in words.
"""

from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPen, QPixmap

from agent_toolbar.domain import AgentState
from agent_toolbar.ui import text, theme
from agent_toolbar.ui.text import Tone

Rim = Literal["confirmed", "unconfirmed", "signed_out"]
Badge = Literal["ringing", "missed"]
Paused = Literal["partly", "all"]

SIZES = (16, 20, 22, 24, 32, 48, 64)
"""Logical sizes drawn: panels ask for 16 to 24, settings dialogs and docks for more."""
RATIOS = (1.0, 2.0)
"""Device pixel ratios drawn, so the icon is sharp on high-density screens."""

_OUTLINE = QColor(0, 0, 0, 110)
_WHITE = QColor("#ffffff")
_INK = QColor("#111827")


@dataclass(frozen=True)
class IconLook:
    """What the icon shows; equal looks draw the same icon."""

    tone: Tone
    rim: Rim
    badge: Badge | None = None
    paused: Paused | None = None


def icon_look(state: AgentState) -> IconLook:
    rim: Rim = "confirmed"
    if state.connection == "offline":
        rim = "signed_out"
    elif state.connection != "online":
        rim = "unconfirmed"
    badge: Badge | None = None
    if state.offer is not None:
        badge = "ringing"
    elif state.missed_offer is not None:
        badge = "missed"
    return IconLook(text.headline(state).tone, rim, badge, _paused(state))


def _paused(state: AgentState) -> Paused | None:
    """Partly or all paused, as the window's queue summary says it."""
    if state.status == "logged_out" or not state.paused_queues:
        return None
    members = {queue.queue_id for queue in state.queues if queue.member}
    if members and members <= set(state.paused_queues):
        return "all"
    return "partly"


def tray_icon(look: IconLook) -> QIcon:
    """The icon at every size and pixel ratio, so no panel scales a blurry one."""
    icon = QIcon()
    for size in SIZES:
        for ratio in RATIOS:
            icon.addPixmap(QPixmap.fromImage(paint(look, size, ratio)))
    return icon


def paint(look: IconLook, size: int, ratio: float = 1.0) -> QImage:
    """The icon `size` logical pixels wide, for a screen of device pixel ratio `ratio`."""
    pixels = round(size * ratio)
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    try:
        _disc(painter, look, size)
        if look.badge is not None:
            _attention(painter, look.badge, size)
        if look.paused is not None:
            _pause_mark(painter, look.paused, size)
    finally:
        painter.end()
    return image


def _colour(tone: Tone) -> QColor:
    return QColor(theme.colour(tone))


def _greyed(colour: QColor) -> QColor:
    """The status colour, faded toward grey: believed, not confirmed."""
    return QColor.fromHslF(
        colour.hslHueF(), colour.hslSaturationF() * 0.35, min(0.6, colour.lightnessF() + 0.15)
    )


def _disc(painter: QPainter, look: IconLook, size: float) -> None:
    margin = size * 0.08
    disc = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    if look.rim == "signed_out":
        painter.setPen(QPen(_OUTLINE, max(1.0, size / 16)))
        painter.setBrush(_colour("logged_out"))
        painter.drawEllipse(disc)
        inset = size * 0.3
        pen = QPen(_WHITE, max(1.5, size / 9))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(QPointF(inset, inset), QPointF(size - inset, size - inset))
        painter.drawLine(QPointF(size - inset, inset), QPointF(inset, size - inset))
        return
    colour = _colour(look.tone)
    if look.rim == "confirmed":
        painter.setPen(QPen(_OUTLINE, max(1.0, size / 16)))
        painter.setBrush(colour)
        painter.drawEllipse(disc)
        return
    grey = _greyed(colour)
    width = max(1.5, size / 8)
    inner = disc.adjusted(width / 2, width / 2, -width / 2, -width / 2)
    fill = QColor(grey)
    fill.setAlpha(60)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawEllipse(inner)
    pen = QPen(grey, width)
    pen.setDashPattern([1.6, 1.1])
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(inner)


def _attention(painter: QPainter, badge: Badge, size: float) -> None:
    radius = size * 0.22
    centre = QPointF(size - radius, radius)
    painter.setPen(QPen(_OUTLINE, max(0.8, size / 24)))
    painter.setBrush(_WHITE)
    painter.drawEllipse(centre, radius, radius)
    painter.setPen(Qt.PenStyle.NoPen)
    if badge == "ringing":
        painter.setBrush(_colour("ringing"))
        painter.drawEllipse(centre, radius * 0.55, radius * 0.55)
        return
    painter.setBrush(_colour("problem"))
    painter.drawEllipse(centre, radius * 0.8, radius * 0.8)
    bar = radius * 0.28
    painter.setBrush(_WHITE)
    painter.drawRect(QRectF(centre.x() - bar / 2, centre.y() - radius * 0.55, bar, radius * 0.65))
    painter.drawRect(QRectF(centre.x() - bar / 2, centre.y() + radius * 0.25, bar, bar))


def _pause_mark(painter: QPainter, paused: Paused, size: float) -> None:
    side = size * 0.44
    box = QRectF(size - side, size - side, side, side)
    painter.setPen(QPen(_OUTLINE, max(0.8, size / 24)))
    painter.setBrush(_WHITE)
    painter.drawRoundedRect(box, side * 0.2, side * 0.2)
    width, height = side * 0.2, side * 0.56
    top = box.top() + (side - height) / 2
    bars = (
        QRectF(box.left() + side * 0.22, top, width, height),
        QRectF(box.right() - side * 0.22 - width, top, width, height),
    )
    painter.setPen(QPen(_INK, max(0.8, size / 32)))
    for number, bar in enumerate(bars):
        filled = paused == "all" or number == 0
        painter.setBrush(_INK if filled else Qt.BrushStyle.NoBrush)
        painter.drawRect(bar)

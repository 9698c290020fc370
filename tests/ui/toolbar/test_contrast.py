"""Every word in the window meets WCAG AA contrast, measured on the real window's pixels
in a light and a dark desktop theme: 4.5:1, or 3:1 for large text (18 pt, or 14 pt bold).

Each label's text colour is the pixel of its area that stands out most from the area's
commonest colour (its background, whatever painted it: the window, a card, a pill).
"""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QProgressBar
from pytestqt.qtbot import QtBot

from agent_toolbar.domain.commands import Away, Pause
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui import theme
from agent_toolbar.ui.toolbar.window import ToolbarWindow
from tests.helpers.kazoo import backend, queue_id, scenario
from tests.helpers.toolbar import Toolbar, open_toolbar

pytestmark = pytest.mark.asyncio

AA = 4.5
AA_LARGE = 3.0


def luminance(colour: QColor) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(part) for part in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: QColor, other: QColor) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def measured(image: QImage, area: QRect) -> float:
    """The contrast of the text in `area` against the area's background."""
    pixels = Counter(
        image.pixel(x, y)
        for x in range(area.left(), area.right() + 1)
        for y in range(area.top(), area.bottom() + 1)
    )
    background = QColor.fromRgb(pixels.most_common(1)[0][0])
    return max(contrast(QColor.fromRgb(pixel), background) for pixel in pixels)


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.WindowText, "#e8e8e8"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.AlternateBase, "#2b2b2b"),
        (QPalette.ColorRole.Text, "#e8e8e8"),
        (QPalette.ColorRole.Button, "#3a3a3a"),
        (QPalette.ColorRole.ButtonText, "#e8e8e8"),
        (QPalette.ColorRole.Mid, "#555555"),
        (QPalette.ColorRole.Highlight, "#2a82da"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"),
        (QPalette.ColorRole.ToolTipBase, "#2b2b2b"),
        (QPalette.ColorRole.ToolTipText, "#e8e8e8"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


@contextmanager
def desktop_theme(palette: QPalette) -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    app.setPalette(palette)
    try:
        yield
    finally:
        app.setPalette(before)


def too_faint(window: ToolbarWindow) -> list[str]:
    """Every visible label whose words fall short of AA, with what they measured."""
    image = window.grab().toImage()
    faint = []
    for label in window.findChildren(QLabel):
        if not label.isVisible() or not label.text().strip():
            continue
        seen = label.contentsRect().intersected(label.visibleRegion().boundingRect())
        area = seen.translated(label.mapTo(window, label.rect().topLeft()))
        font = label.font()
        large = font.pointSizeF() >= 18 or (font.pointSizeF() >= 14 and font.bold())
        area = area.intersected(image.rect())
        if area.height() < label.fontMetrics().height():
            continue  # scrolled out of view, or nearly
        found = measured(image, area)
        if found < (AA_LARGE if large else AA):
            faint.append(f"{label.text()!r}: {found:.2f}")
    return faint


@pytest.fixture(params=["light", "dark"])
def palette(request: pytest.FixtureRequest) -> Iterator[str]:
    chosen = dark_palette() if request.param == "dark" else QGuiApplication.palette()
    with desktop_theme(chosen):
        yield request.param


async def states(toolbar: Toolbar) -> AsyncIterator[str]:
    """The states whose words are coloured: ringing (its cost), paused, away, reconnecting."""
    await toolbar.ready()
    window = toolbar.window
    window.toolbar_actions.panel.trigger()
    await toolbar.session.execute(Pause(queue_id=queue_id(toolbar.sim, "Support")))
    toolbar.sim.engine.add_caller("Sales", "Marie Curie", "+33123456789")
    await toolbar.shows(window.offer_card.isVisible)
    await asyncio.sleep(0.2)
    yield "ringing"
    await toolbar.shows(lambda: window.strip.since.styleSheet() != "", timeout=5)
    yield "ringing, last seconds"
    toolbar.sim.engine.decline(toolbar.me)
    await toolbar.shows(window.missed_card.isVisible)
    await toolbar.session.execute(Away(reason="Lunch"))
    await asyncio.sleep(0.2)
    yield "away, a missed call"
    await toolbar.sim.faults.refuse_connections(30)
    await toolbar.sim.faults.drop_sockets()
    await toolbar.shows(lambda: "Reconnecting" in window.strip.link.full_text())
    await asyncio.sleep(0.2)
    yield "reconnecting"


async def test_every_word_meets_aa_contrast(qtbot: QtBot, tmp_path: Path, palette: str) -> None:
    assert theme.dark() == (palette == "dark")
    faint: dict[str, list[str]] = {}
    async with (
        Simulator(scenario()) as sim,
        open_toolbar(qtbot, tmp_path, sim, backend(sim)) as toolbar,
    ):
        async for state in states(toolbar):
            found = too_faint(toolbar.window)
            if found:
                faint[state] = found
    assert faint == {}


async def test_no_words_sit_on_a_bars_fill(qtbot: QtBot, tmp_path: Path) -> None:
    async with (
        Simulator(scenario()) as sim,
        open_toolbar(qtbot, tmp_path, sim, backend(sim)) as toolbar,
    ):
        bars = toolbar.window.findChildren(QProgressBar)
        assert bars
        assert not [bar for bar in bars if bar.isTextVisible()]

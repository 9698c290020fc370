"""A password the keychain did not keep is said at once, with the keychain's reason, over
the real window (offscreen) of a session signed in to the simulator."""

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from agent_toolbar.ui.desktop import Desktop
from tests.helpers.desktop import desktop
from tests.helpers.kazoo import sim
from tests.helpers.places import private_places

pytestmark = pytest.mark.asyncio
__all__ = ["desktop", "private_places", "sim"]  # the fixtures this file uses

REFUSED = (
    "the keychain did not keep the password (KeyringLocked); it will be asked at the next start"
)


async def test_a_password_not_kept_is_said_in_a_message(desktop: Desktop) -> None:
    desktop.tell_not_kept(REFUSED)
    boxes = [
        each
        for each in QApplication.topLevelWidgets()
        if isinstance(each, QMessageBox) and each.isVisible()
    ]
    assert [(box.windowTitle(), box.text()) for box in boxes] == [
        ("Password not remembered", REFUSED)
    ]
    boxes[0].accept()

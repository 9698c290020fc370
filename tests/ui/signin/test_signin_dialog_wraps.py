"""Every word of the sign-in dialog shows, in English and in Russian: problems under a
field, the keychain note, the notes of each backend. Real widgets offscreen; the problems
come from the real sign-in (a loopback port nobody listens on, a wrong password at the
real simulator, an address that is not one)."""

import contextlib
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends import fail
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from agent_toolbar.config import settings_file as config_file
from agent_toolbar.config.keychain import Keychain
from agent_toolbar.config.settings import Profile, Secrets
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui import i18n
from agent_toolbar.ui.signin.dialog import SignInDialog
from tests.helpers.kazoo import scenario
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio


@pytest.fixture(params=["en", "ru"])
def language(request: pytest.FixtureRequest, english: None) -> Iterator[str]:
    """The window's language for one run of the test, English again after."""
    assert i18n.install(request.param) == request.param
    yield request.param
    i18n.install("en")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def opened(qtbot: QtBot, profile: Profile, secrets: Secrets | None = None) -> SignInDialog:
    reason = Keychain(fail.Keyring()).unavailable_reason()
    dialog = SignInDialog(name="work", profile=profile, secrets=secrets, keychain_problem=reason)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


async def problem_at(dialog: SignInDialog, field: str) -> None:
    QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    await until(dialog.form.rows[field].problem.isVisible)


def cut(dialog: SignInDialog) -> list[str]:
    """The visible texts the dialog does not show whole: too few lines, too narrow, or
    reaching past the dialog's edge."""
    found = []
    shown: list[QWidget] = [
        each for each in dialog.findChildren(QLabel) if each.isVisible() and each.text()
    ]
    shown += [each for each in dialog.findChildren(QAbstractButton) if each.isVisible()]
    for widget in shown:
        text = widget.text()
        if isinstance(widget, QLabel) and widget.wordWrap():
            whole = widget.height() >= widget.heightForWidth(widget.width())
        else:
            whole = widget.width() >= widget.sizeHint().width()
        bottom = widget.mapTo(dialog, QPoint(0, widget.height())).y()
        right = widget.mapTo(dialog, QPoint(widget.width(), 0)).x()
        if not whole or bottom > dialog.height() or right > dialog.width():
            found.append(text)
    return found


async def shown_whole(dialog: SignInDialog) -> None:
    """Every text whole once the window system has applied the dialog's new size."""
    with contextlib.suppress(TimeoutError):
        await until(lambda: not cut(dialog), timeout=2)
    assert cut(dialog) == []


async def test_an_unreachable_server_is_said_whole(qtbot: QtBot, language: str) -> None:
    profile = Profile(
        api_url=f"http://127.0.0.1:{free_port()}/v2", account_name="acme", username="ada"
    )
    dialog = opened(qtbot, profile, Secrets(password="not-the-password"))
    await problem_at(dialog, "api_url")
    assert "VPN" in dialog.form.rows["api_url"].problem.text()
    await shown_whole(dialog)


async def test_a_wrong_password_is_said_whole(qtbot: QtBot, language: str) -> None:
    async with Simulator(scenario()) as sim:
        login = next(each for each in sim.logins if each.username == "ada")
        profile = Profile(api_url=sim.api_url, account_name=login.account_name, username="ada")
        dialog = opened(qtbot, profile, Secrets(password="not-the-password"))
        await problem_at(dialog, "password")
    await shown_whole(dialog)


async def test_an_address_with_its_example_is_said_whole(qtbot: QtBot, language: str) -> None:
    profile = Profile(api_url="ftp://pbx.example.com/v2", account_name="acme", username="ada")
    dialog = opened(qtbot, profile, Secrets(password="not-the-password"))
    await problem_at(dialog, "api_url")
    assert "https://pbx.example.com:8443/v2" in dialog.form.rows["api_url"].problem.text()
    await shown_whole(dialog)


async def test_the_telphin_notes_and_the_plain_http_warning_are_whole(
    qtbot: QtBot, language: str
) -> None:
    profile = Profile(backend="telphin", api_url="http://127.0.0.1/api", allow_plain_http=True)
    dialog = opened(qtbot, profile)
    assert dialog.form.telphin_note.isVisible()
    assert dialog.form.plain_http_warning.isVisible()
    await shown_whole(dialog)


async def test_a_narrower_dialog_grows_taller_and_still_shows_every_word(
    qtbot: QtBot, language: str
) -> None:
    profile = Profile(
        api_url=f"http://127.0.0.1:{free_port()}/v2", account_name="acme", username="ada"
    )
    dialog = opened(qtbot, profile, Secrets(password="not-the-password"))
    await problem_at(dialog, "api_url")
    dialog.resize(dialog.minimumSizeHint().width() + 40, dialog.height())
    await shown_whole(dialog)


async def test_a_settings_file_problem_is_said_whole_with_its_long_paths(
    qtbot: QtBot, language: str, tmp_path: Path
) -> None:
    folder = tmp_path / "a-settings-folder-with-a-long-name" / "agent-toolbar"
    folder.mkdir(parents=True)
    path = folder / "config.toml"
    path.write_text('[profiles.work]\napi_url = "https://pbx/v2"\nusername = 42\n')
    with pytest.raises(config_file.ConfigError) as broken:
        config_file.load(path)
    dialog = SignInDialog(config_error=broken.value)
    qtbot.addWidget(dialog)
    dialog.show()
    assert str(broken.value.keep_as) in dialog.config_banner.findChild(QLabel, "bannerText").text()
    await shown_whole(dialog)

"""No English left in the Russian window: sign-in problems, keychain and sound reasons.

The Qt-free modules write these in English (the command line and the log keep it);
the window translates them. Sign-in problems come from the real `signin.sign_in`: a
loopback port nobody listens on, and a wrong password at the real simulator. The data
in them (a host, an address) must come through untouched.
"""

import re
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from agent_toolbar.config.keychain import UNAVAILABLE_REASONS, Keychain
from agent_toolbar.config.settings import Profile, Secrets, SoundPreferences
from agent_toolbar.simulator import Simulator
from agent_toolbar.system.sound import devices
from agent_toolbar.ui import i18n
from agent_toolbar.ui.profile_form import ProfileForm
from agent_toolbar.ui.settings.sound import SoundTab
from agent_toolbar.ui.signin.dialog import SignInDialog
from tests.helpers.kazoo import scenario
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio

NOT_SIGNED_IN = "Войти не удалось: см. отмеченное поле."


@pytest.fixture
def russian(english: None) -> Iterator[None]:
    """Russian in the application (made first by `english`), English again after."""
    assert i18n.install("ru") == "ru"
    yield
    i18n.install("en")


def opened(qtbot: QtBot, **options: Any) -> SignInDialog:
    dialog = SignInDialog(name="work", **options)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


async def problem_at(dialog: SignInDialog, field: str) -> list[str]:
    """Sign in, and the lines said under `field`."""
    QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    row = dialog.form.rows[field]
    await until(row.problem.isVisible)
    return row.problem.text().splitlines()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.usefixtures("russian")
async def test_an_unreachable_server_is_said_in_russian_naming_the_host(qtbot: QtBot) -> None:
    profile = Profile(
        api_url=f"http://127.0.0.1:{free_port()}/v2", account_name="acme", username="ada"
    )
    dialog = opened(qtbot, profile=profile, secrets=Secrets(password="not-the-password"))
    problem, fix, details = await problem_at(dialog, "api_url")
    assert problem == "Сервер 127.0.0.1 недоступен."
    assert fix == "Проверьте URL сервера и подключение к сети (VPN, прокси?)."
    # What the backend said stays as it came: support reads it.
    assert details == "Подробности: 127.0.0.1 refused the connection or cannot be reached"
    assert dialog.status.text() == NOT_SIGNED_IN


@pytest.mark.usefixtures("russian")
async def test_a_wrong_password_is_said_in_russian(qtbot: QtBot) -> None:
    async with Simulator(scenario()) as sim:
        login = next(each for each in sim.logins if each.username == "ada")
        profile = Profile(api_url=sim.api_url, account_name=login.account_name, username="ada")
        dialog = opened(qtbot, profile=profile, secrets=Secrets(password="not-the-password"))
        problem, fix, details = await problem_at(dialog, "password")
    assert problem == "Сервер 127.0.0.1 не принял данные для входа."
    assert fix == (
        "Проверьте имя учётной записи, имя пользователя и пароль (в пароле важен регистр букв)."
    )
    assert details.startswith("Подробности: the server refused the user name, password")
    assert "not-the-password" not in details
    assert dialog.status.text() == NOT_SIGNED_IN


@pytest.mark.usefixtures("russian")
async def test_a_problem_found_before_the_network_is_russian_with_its_address(
    qtbot: QtBot,
) -> None:
    profile = Profile(api_url="ftp://pbx.example.com/v2", account_name="acme", username="ada")
    dialog = opened(qtbot, profile=profile, secrets=Secrets(password="not-the-password"))
    assert await problem_at(dialog, "api_url") == [
        "«ftp://pbx.example.com/v2» — не адрес вида http:// или https://.",
        "Укажите полный адрес, например https://pbx.example.com:8443/v2.",
    ]


def notes(form: ProfileForm) -> list[str]:
    return [label.text() for label in form.findChildren(QLabel) if label.text()]


@pytest.mark.usefixtures("russian")
async def test_a_session_without_a_keychain_says_so_in_russian(qtbot: QtBot) -> None:
    reason = Keychain(fail.Keyring()).unavailable_reason()
    assert reason is not None
    dialog = opened(qtbot, keychain_problem=reason)
    assert (
        "в этом сеансе не запущена служба системного хранилища (GNOME Keyring, KWallet или "
        "Secret Service в KeePassXC); пароль будет запрашиваться при каждом запуске"
    ) in notes(dialog.form)
    assert reason not in notes(dialog.form)


@pytest.mark.usefixtures("russian")
@pytest.mark.parametrize("template", UNAVAILABLE_REASONS)
async def test_every_keychain_reason_is_russian_with_its_data(qtbot: QtBot, template: str) -> None:
    reason = template.format(name="PlaintextKeyring")
    form = ProfileForm(Profile(api_url=""), reason)
    qtbot.addWidget(form)
    said = [text for text in notes(form) if "пароль будет запрашиваться" in text]
    assert len(said) == 1
    assert said[0].count("PlaintextKeyring") == template.count("{name}")
    assert not form.remember.isEnabled()


def sound_tab(qtbot: QtBot, reason: str) -> SoundTab:
    tab = SoundTab(SoundPreferences(), [], reason, lambda kind, device, volume: None)
    qtbot.addWidget(tab)
    return tab


@pytest.mark.usefixtures("russian")
async def test_sound_reasons_are_russian_with_their_data(qtbot: QtBot) -> None:
    said = {
        devices.NO_DEVICES: "нет устройств вывода звука",
        devices.NO_PORTAUDIO: "не найдена библиотека PortAudio: установите libportaudio2",
        devices.NO_SOUND_SYSTEM.format(error="Error querying device -1"): (
            "не удалось запустить звуковую систему: Error querying device -1"
        ),
        "a reason the toolbar does not know": "a reason the toolbar does not know",
    }
    for reason, russian in said.items():
        tab = sound_tab(qtbot, reason)
        assert tab.unavailable.text() == f"На этом компьютере звук не воспроизводится: {russian}"


@pytest.mark.usefixtures("russian")
async def test_every_sound_reason_is_recognised(qtbot: QtBot) -> None:
    for template in devices.REASONS:
        names = re.findall(r"\{(\w+)\}", template)
        reason = template.format(**dict.fromkeys(names, "DATA"))
        text = sound_tab(qtbot, reason).unavailable.text()
        assert reason not in text
        assert text.count("DATA") == len(names)


async def test_english_reasons_stay_as_the_modules_wrote_them(qtbot: QtBot) -> None:
    reason = devices.NO_SOUND_SYSTEM.format(error="Error querying device -1")
    assert sound_tab(qtbot, reason).unavailable.text() == (
        f"Sound cannot play on this computer: {reason}"
    )
    form = ProfileForm(Profile(api_url=""), UNAVAILABLE_REASONS[1])
    qtbot.addWidget(form)
    assert UNAVAILABLE_REASONS[1] in notes(form)

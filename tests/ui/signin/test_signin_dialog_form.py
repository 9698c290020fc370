"""The sign-in dialog's form: what shows for each backend, the checks made before any
network (the real `profile_checks.check_profile`), the keyboard, and the broken-config banner.
"""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from agent_toolbar.config import settings_file as config_file
from agent_toolbar.config.settings import Profile, Secrets
from agent_toolbar.session.core import Session
from agent_toolbar.session.problems import SignInProblem
from agent_toolbar.support.redaction import MASK, redact
from agent_toolbar.ui.signin.dialog import SignInDialog
from tests.helpers.signin import opened
from tests.helpers.waiting import until
from tests.helpers.widgets import type_into

pytestmark = pytest.mark.asyncio


def shown(dialog: SignInDialog) -> set[str]:
    return {key for key, row in dialog.form.rows.items() if row.isVisible()}


async def test_each_backend_shows_its_own_fields(qtbot: QtBot) -> None:
    dialog = opened(qtbot)
    form = dialog.form
    kazoo = {"name", "backend", "api_url", "api_key", "account_name", "username", "password"}
    assert shown(dialog) == kazoo
    assert form.api_url.placeholderText() == "https://pbx.example.com:8443/v2"
    QTest.keyClick(form.api_key, Qt.Key.Key_Space)
    assert shown(dialog) == {"name", "backend", "api_url", "api_key", "user_id", "password"}
    assert form.password.accessibleName() == "API key"
    QTest.keyClick(form.backend, Qt.Key.Key_Down)
    assert shown(dialog) == {
        "name",
        "backend",
        "api_url",
        "app_id",
        "app_secret",
        "username",
        "password",
        "agent_id",
        "extension_id",
        "callback_bind",
        "callback_url",
    }
    assert form.api_url.placeholderText() == "https://apiproxy.telphin.ru/api/ver1.0"
    assert form.username.placeholderText() == "empty for a trusted app"
    assert form.telphin_note.isVisible()
    assert form.password.accessibleName() == "Password"
    form.advanced_toggle.click()
    assert shown(dialog) >= {"ca_file", "allow_plain_http"}
    assert "websocket_url" not in shown(dialog)  # Kazoo's only


async def test_the_profile_holds_only_the_chosen_backends_fields(qtbot: QtBot) -> None:
    dialog = opened(qtbot)
    form = dialog.form
    type_into(form.api_url, " https://pbx.example.com:8443/v2 ")
    type_into(form.account_name, "acme")
    QTest.keyClick(form.backend, Qt.Key.Key_Down)
    type_into(form.app_id, "app-7")
    type_into(form.username, "")
    type_into(form.extension_id, "201")
    assert form.profile() == Profile(
        backend="telphin",
        api_url="https://pbx.example.com:8443/v2",
        app_id="app-7",
        extension_id="201",
    )


async def test_a_profile_needs_a_fresh_valid_name(qtbot: QtBot) -> None:
    dialog = opened(qtbot, taken_names=["home"])
    form = dialog.form
    row = form.rows["name"]
    QTest.keyClick(form.api_url, Qt.Key.Key_Return)
    assert row.problem.text() == "Give the profile a name, such as work."
    assert dialog.focusWidget() is form.name
    assert not dialog.is_checking()
    type_into(form.name, "my work")
    QTest.keyClick(form.name, Qt.Key.Key_Return)
    assert row.problem.text() == "A profile name is 1 to 64 letters, digits, - and _ (no spaces)."
    form.name.clear()
    type_into(form.name, "home")
    QTest.keyClick(form.name, Qt.Key.Key_Return)
    assert row.problem.text() == "There is already a profile named home: choose another name."


async def test_missing_fields_are_named_before_any_network(qtbot: QtBot) -> None:
    dialog = opened(qtbot)
    form = dialog.form
    type_into(form.name, "work")
    QTest.keyClick(form.name, Qt.Key.Key_Return)  # Enter signs in
    row = form.rows["api_url"]
    await until(row.problem.isVisible)
    assert row.problem.text() == "The server URL is missing.\nGive the server's API address."
    assert dialog.focusWidget() is form.api_url
    assert form.api_url.styleSheet()  # marked in the problem colour


async def test_plain_http_to_another_host_needs_the_opt_in(qtbot: QtBot) -> None:
    dialog = opened(qtbot)
    form = dialog.form
    type_into(form.name, "work")
    type_into(form.api_url, "http://pbx.example.com/v2")
    type_into(form.account_name, "acme")
    type_into(form.username, "ada")
    type_into(form.password, "correct horse")
    QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    row = form.rows["api_url"]
    await until(row.problem.isVisible)
    assert row.problem.text().startswith("Pbx.example.com would be reached unencrypted (http://)")
    assert not form.plain_http_warning.isVisible()
    form.advanced_toggle.click()
    QTest.keyClick(form.allow_plain_http, Qt.Key.Key_Space)
    assert form.plain_http_warning.isVisible()
    assert form.profile().allow_plain_http


async def test_an_unusable_ca_file_opens_advanced_and_is_marked(
    qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = opened(qtbot)
    form = dialog.form
    type_into(form.name, "work")
    type_into(form.api_url, "https://pbx.example.com:8443/v2")
    type_into(form.account_name, "acme")
    type_into(form.username, "ada")
    type_into(form.password, "correct horse")
    form.advanced_toggle.click()
    type_into(form.ca_file, str(tmp_path / "missing.pem"))
    form.advanced_toggle.click()
    assert not form.advanced.isVisible()
    QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    row = form.rows["ca_file"]
    await until(row.problem.isVisible)
    assert form.advanced.isVisible()
    assert "missing.pem does not exist" in row.problem.text()
    assert dialog.focusWidget() is form.ca_file


@pytest.mark.qt_log_ignore(
    # The offscreen platform cannot do what the file name's completer popup asks of it.
    "This plugin does not support grabbing the keyboard",
    "This plugin does not support raise",
)
async def test_browse_chooses_the_ca_file_without_blocking(qtbot: QtBot, tmp_path: Path) -> None:
    certificate = tmp_path / "company-ca.pem"
    certificate.write_text("-----BEGIN CERTIFICATE-----\n", encoding="ascii")
    dialog = opened(qtbot)
    form = dialog.form
    form.advanced_toggle.click()
    QTest.mouseClick(form.browse, Qt.MouseButton.LeftButton)  # returns at once: no nested loop
    chooser = form.file_dialog
    assert isinstance(chooser, QFileDialog)
    assert chooser.isVisible()
    chooser.setDirectory(str(tmp_path))  # the agent goes to the folder
    name = chooser.findChild(QLineEdit, "fileNameEdit")
    type_into(name, certificate.name)
    QTest.keyClick(name, Qt.Key.Key_Return)
    await until(lambda: form.ca_file.text() == str(certificate))
    assert not chooser.isVisible()


async def test_without_a_keychain_remembering_is_off_and_says_why(qtbot: QtBot) -> None:
    reason = (
        "no keychain service is running in this session; the password will be asked at each start"
    )
    dialog = opened(qtbot, keychain_problem=reason)
    assert not dialog.form.remember.isEnabled()
    assert not dialog.form.remember.isChecked()
    words = [label.text() for label in dialog.findChildren(QLabel) if label.isVisible()]
    assert reason in words
    assert dialog.form.profile().remember_password  # the choice is kept for when one exists


async def test_a_broken_config_file_is_shown_with_where_and_how_to_fix(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[profiles.work]\napi_url = "https://pbx"\nbackend = "asterisk"\n')
    with pytest.raises(config_file.ConfigError) as broken:
        config_file.load(path)
    dialog = opened(qtbot, config_error=broken.value)
    text = dialog.config_banner.findChild(QLabel, "bannerText").text()
    assert f"{path}, line 3" in text
    assert str(broken.value) in text
    assert f"kept as {broken.value.keep_as}" in text
    assert text.endswith("and a new one is written with what could be read.")
    assert dialog.config_banner.isVisible()
    assert opened(qtbot).findChild(QWidget, "banner") is None


async def test_the_demo_is_one_click_away(qtbot: QtBot) -> None:
    dialog = opened(qtbot)
    asked: list[bool] = []
    dialog.demo_requested.connect(lambda: asked.append(True))
    QTest.mouseClick(dialog.demo, Qt.MouseButton.LeftButton)
    assert asked == [True]
    assert dialog.result() == SignInDialog.DEMO
    assert not dialog.isVisible()


async def test_an_unexpected_failure_is_said_in_plain_words(qtbot: QtBot) -> None:
    async def broken(profile: Profile, secrets: Secrets) -> Session | SignInProblem:
        raise RuntimeError("KeyError in backend at line 42")

    dialog = opened(qtbot, name="work", attempt=broken)
    QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    await until(lambda: not dialog.is_checking())
    assert dialog.status.text() == (
        "Signing in failed unexpectedly (RuntimeError). Try again; if it keeps failing, "
        "send the diagnostics to support."
    )
    assert dialog.form.isEnabled()


async def test_a_problem_about_no_shown_field_is_said_above_the_buttons(qtbot: QtBot) -> None:
    async def busy(profile: Profile, secrets: Secrets) -> Session | SignInProblem:
        return SignInProblem("server", "pbx: the server answered 503", "try again later", None)

    dialog = opened(qtbot, name="work", attempt=busy)
    QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    await until(lambda: dialog.status.text() != "Checking the connection…")
    assert dialog.status.text() == "Pbx: the server answered 503.\nTry again later."
    assert not any(row.problem.isVisible() for row in dialog.form.rows.values())


async def test_typed_secrets_are_kept_out_of_logs(qtbot: QtBot) -> None:
    async def refuse(profile: Profile, secrets: Secrets) -> Session | SignInProblem:
        return SignInProblem("credentials", "wrong password", "check it", "password")

    dialog = opened(qtbot, name="work", attempt=refuse)
    type_into(dialog.form.password, "s3cret-typed-here")
    QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert redact("sent s3cret-typed-here") == f"sent {MASK}"


async def test_tab_follows_the_form(qtbot: QtBot) -> None:
    dialog = opened(qtbot)
    dialog.activateWindow()
    await until(dialog.isActiveWindow)
    form = dialog.form
    form.name.setFocus()
    visited = [QApplication.focusWidget()]
    for _ in range(10):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert visited == [
        form.name,
        form.backend,
        form.api_url,
        form.api_key,
        form.account_name,
        form.username,
        form.password,
        form.remember,
        form.advanced_toggle,
        dialog.demo,
        dialog.sign_in_button,
    ]


async def test_every_field_has_a_label_and_a_name(qtbot: QtBot) -> None:
    dialog = opened(qtbot)
    dialog.form.advanced_toggle.click()
    for backend in range(2):
        dialog.form.backend.setCurrentIndex(backend)
        for widget in dialog.findChildren(QWidget):
            if isinstance(widget, QLineEdit | QComboBox | QAbstractButton) and widget.isVisible():
                assert widget.accessibleName(), widget
        buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.isVisible()}
        for row in dialog.form.rows.values():
            if row.isVisible() and isinstance(row.field, QLineEdit | QComboBox):
                assert row.field in buddies, row.field.accessibleName()


async def test_it_fits_a_small_laptop_screen(qtbot: QtBot) -> None:
    dialog = opened(qtbot, config_error=config_file.ConfigError(Path("config.toml"), 1, "x", "y"))
    QTest.keyClick(dialog.form.backend, Qt.Key.Key_Down)  # Telphin: the most fields
    dialog.form.advanced_toggle.click()
    least = dialog.minimumSizeHint()
    assert least.width() <= 1366
    assert least.height() <= 700  # 768 less a panel
    assert dialog.maximumWidth() == 16777215  # nothing fixed: the agent may make it larger
    assert dialog.result() == QDialog.DialogCode.Rejected.value  # nothing decided yet

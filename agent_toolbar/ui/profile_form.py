"""The fields of one sign-in profile, shown per backend, and the `Profile` and `Secrets` they make.

The sign-in dialog puts this form above its buttons. Only the fields of the chosen
backend show; the rare ones (a private CA, unencrypted http, the websocket URL)
wait under "Advanced". Each field has a line under it for what is wrong with it.
"""

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agent_toolbar.config.keychain import UNAVAILABLE_REASONS
from agent_toolbar.config.settings import Backend, Profile, Secrets
from agent_toolbar.domain.screen_pop import SAMPLE, PopWhen, TemplateError, check
from agent_toolbar.support.redaction import keep_secret
from agent_toolbar.ui.forms import FieldRow, fill, lockable, note, plain, selected
from agent_toolbar.ui.i18n import translated_reason
from agent_toolbar.ui.screen_pop import command_exists, open_call

_KAZOO_ONLY = ("api_key", "account_name", "user_id", "websocket_url")
_TELPHIN_ONLY = (
    "app_id",
    "app_secret",
    "agent_id",
    "extension_id",
    "callback_bind",
    "callback_url",
)
_ADVANCED = ("ca_file", "allow_plain_http", "websocket_url", "screen_pop", "screen_pop_on")
_DEFAULT_CALLBACK_BIND = "127.0.0.1:0"
URL_EXAMPLES: dict[Backend, str] = {
    "kazoo": "https://pbx.example.com:8443/v2",
    "telphin": "https://apiproxy.telphin.ru/api/ver1.0",
}


class ProfileForm(QWidget):
    """Signals:
    reshaped(): rows were shown or hidden, or a note or problem changed its words, so the
    dialog can fit its height again (wrapped words need more lines than its size hint).
    """

    reshaped = Signal()

    def __init__(
        self,
        profile: Profile,
        keychain_problem: str | None,
        locked: Mapping[str, str] | None = None,
    ) -> None:
        """`locked`: the keys (as the settings file names them, and "name") that the
        organisation's policy locks for this profile, with where each lock comes from;
        they show disabled, saying so."""
        super().__init__()
        self._base = profile
        self._keychain_problem: str | None = None
        self.rows: dict[str, FieldRow] = {}
        self._labels: dict[str, QLabel] = {}
        self.file_dialog: QFileDialog | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.form = QFormLayout()
        column.addLayout(self.form)
        self._main_fields(profile)
        self.remember = QCheckBox()
        self.remember.setChecked(profile.remember_password)
        locked = locked or {}
        self.form.addRow(lockable(self.remember, locked.get("remember_password")))
        self.keychain_note = note("")
        self.keychain_note.setVisible(False)
        self.form.addRow(self.keychain_note)
        if keychain_problem is not None:
            self.show_keychain_problem(keychain_problem)
        self.advanced_toggle = QToolButton()
        self.advanced_toggle.setText(self.tr("&Advanced"))
        self.advanced_toggle.setAccessibleName(self.tr("Advanced settings"))
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        column.addWidget(self.advanced_toggle)
        self.advanced = QWidget()
        self.advanced_form = QFormLayout(self.advanced)
        self.advanced_form.setContentsMargins(0, 0, 0, 0)
        self._advanced_fields(profile)
        column.addWidget(self.advanced)
        for key in locked:
            if key in self.rows:
                self.rows[key].lock()
        # A profile that uses an advanced setting shows it: nothing set stays out of sight.
        set_in_advanced = bool(
            profile.ca_file
            or profile.allow_plain_http
            or profile.websocket_url
            or profile.screen_pop
        )
        self.advanced_toggle.setChecked(set_in_advanced)
        self._show_advanced(set_in_advanced)
        self._show_backend()
        self.advanced_toggle.toggled.connect(self._show_advanced)
        self.backend.currentIndexChanged.connect(self._show_backend)
        self.api_key.toggled.connect(self._show_backend)

    def show_keychain_problem(self, problem: str) -> None:
        """No keychain: nothing can be remembered, and the form says why. The sign-in
        dialog asks the keychain after it is drawn, since keyring is slow to load."""
        if self._keychain_problem is not None:
            return
        self._keychain_problem = problem
        self.remember.setChecked(False)
        self.remember.setEnabled(False)
        self.keychain_note.setText(translated_reason("keychain", UNAVAILABLE_REASONS, problem))
        self.keychain_note.setVisible(True)
        self.reshaped.emit()

    # --- building -------------------------------------------------------------

    def _add(self, form: QFormLayout, key: str, text: str, row: FieldRow) -> None:
        label = QLabel(text)
        label.setBuddy(row.field)
        row.field.setAccessibleName(plain(text))
        form.addRow(label, row)
        self.rows[key] = row
        self._labels[key] = label
        if isinstance(row.field, QLineEdit):
            row.field.textEdited.connect(lambda _text: row.show_problem(None))

    def _line(
        self, form: QFormLayout, key: str, text: str, value: str | None, hint: str = ""
    ) -> QLineEdit:
        edit = QLineEdit(value or "")
        edit.setPlaceholderText(hint)
        self._add(form, key, text, FieldRow(edit))
        return edit

    def _secret(self, key: str, text: str) -> QLineEdit:
        edit = self._line(self.form, key, text, None)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def _check(self, form: QFormLayout, key: str, text: str, name: str, on: bool) -> QCheckBox:
        box = QCheckBox(text)
        box.setChecked(on)
        self._add(form, key, "", FieldRow(box))
        box.setAccessibleName(name)
        return box

    def _main_fields(self, profile: Profile) -> None:
        form = self.form
        self.name = self._line(form, "name", self.tr("Profile &name:"), None, self.tr("e.g. work"))
        self.backend = QComboBox()
        self._backends: list[Backend] = fill(
            self.backend, [("kazoo", "Kazoo/Qubicle"), ("telphin", "Telphin")], profile.backend
        )
        self._add(form, "backend", self.tr("&Phone system:"), FieldRow(self.backend))
        self.api_url = self._line(form, "api_url", self.tr("Server &URL:"), profile.api_url)
        self.api_key = self._check(
            form,
            "api_key",
            self.tr("Use an API ke&y instead of a user name and password"),
            self.tr("Use an API key"),
            profile.api_key,
        )
        self.account_name = self._line(
            form, "account_name", self.tr("A&ccount name:"), profile.account_name
        )
        self.app_id = self._line(form, "app_id", self.tr("App &id:"), profile.app_id)
        self.app_secret = self._secret("app_secret", self.tr("App s&ecret:"))
        self.username = self._line(form, "username", self.tr("User na&me:"), profile.username)
        self.user_id = self._line(
            form,
            "user_id",
            self.tr("User &id:"),
            profile.user_id,
            self.tr("only when the key names no user"),
        )
        self.password = self._secret("password", self.tr("Pass&word:"))
        self.agent_id = self._line(form, "agent_id", self.tr("A&gent id:"), profile.agent_id)
        self.extension_id = self._line(
            form, "extension_id", self.tr("E&xtension id:"), profile.extension_id
        )
        self.callback_bind = self._line(
            form,
            "callback_bind",
            self.tr("&Listen for Telphin on:"),
            profile.callback_bind,
            _DEFAULT_CALLBACK_BIND,
        )
        self.callback_url = self._line(
            form,
            "callback_url",
            self.tr("Public call&back URL:"),
            profile.callback_url,
            self.tr("default: http://HOST:PORT of the line above"),
        )
        self.telphin_note = note(
            self.tr(
                "Without a user name (a trusted app), give the agent id or the extension id. "
                "Telphin calls the toolbar back at the public callback URL: it must reach "
                "the address the toolbar listens on."
            )
        )
        form.addRow(self.telphin_note)

    def _advanced_fields(self, profile: Profile) -> None:
        form = self.advanced_form
        self.ca_file = QLineEdit(profile.ca_file or "")
        self.ca_file.setPlaceholderText(self.tr("only for a server with a private certificate"))
        self.browse = QPushButton(self.tr("Br&owse…"))
        self.browse.setAccessibleName(self.tr("Choose the CA file"))
        self.browse.clicked.connect(self._browse)
        self._add(form, "ca_file", self.tr("CA &file:"), FieldRow(self.ca_file, self.browse))
        self.allow_plain_http = self._check(
            form,
            "allow_plain_http",
            self.tr("Allow unencrypted &http:// and ws:// to this server"),
            self.tr("Allow unencrypted connections"),
            profile.allow_plain_http,
        )
        self.plain_http_warning = note(
            self.tr(
                "Without encryption, anyone on the network between you and the server can read "
                "your password and change what the toolbar shows. Allow it only for a test "
                "server or a network you trust."
            ),
            problem=True,
        )
        form.addRow(self.plain_http_warning)
        self.plain_http_warning.setVisible(profile.allow_plain_http)
        self.allow_plain_http.toggled.connect(self.plain_http_warning.setVisible)
        self.websocket_url = self._line(
            form,
            "websocket_url",
            self.tr("Websocke&t URL:"),
            profile.websocket_url,
            self.tr("default: the one the server names"),
        )
        self._screen_pop_fields(profile)

    def _screen_pop_fields(self, profile: Profile) -> None:
        form = self.advanced_form
        self.screen_pop = QLineEdit(profile.screen_pop or "")
        self.screen_pop.setPlaceholderText("https://crm.example.com/find?phone={caller_id_number}")
        self.test_screen_pop = QPushButton(self.tr("Te&st"))
        self.test_screen_pop.setAccessibleName(self.tr("Open the CRM with sample values"))
        self.test_screen_pop.clicked.connect(self._test_screen_pop)
        self._add(
            form,
            "screen_pop",
            self.tr("Open in C&RM:"),
            FieldRow(self.screen_pop, self.test_screen_pop),
        )
        self.screen_pop.editingFinished.connect(self.screen_pop_problem)
        self.screen_pop_on = QComboBox()
        self._pop_whens: list[PopWhen] = fill(
            self.screen_pop_on,
            [
                ("ring", self.tr("when a call rings")),
                ("answer", self.tr("when a call is answered")),
            ],
            profile.screen_pop_on,
        )
        self._add(form, "screen_pop_on", self.tr("Open it:"), FieldRow(self.screen_pop_on))

    def focus_chain(self) -> list[QWidget]:
        """The fields in the order Tab visits them (hidden ones are skipped by Qt)."""
        fields = [row.field for key, row in self.rows.items() if key not in _ADVANCED]
        return [
            *fields,
            self.remember,
            self.advanced_toggle,
            self.ca_file,
            self.browse,
            self.allow_plain_http,
            self.websocket_url,
            self.screen_pop,
            self.test_screen_pop,
            self.screen_pop_on,
        ]

    # --- what the form says ----------------------------------------------------

    def profile(self) -> Profile:
        """The profile the form describes; the other backend's fields are left at their
        defaults, and the away reasons are kept from the profile being edited."""
        backend = selected(self.backend, self._backends)
        kazoo = backend == "kazoo"
        api_key = kazoo and self.api_key.isChecked()

        def text(edit: QLineEdit, shown: bool = True) -> str | None:
            return (edit.text().strip() or None) if shown else None

        return Profile(
            backend=backend,
            api_url=self.api_url.text().strip(),
            username=text(self.username, not api_key),
            # With no keychain the choice cannot be made now: keep what the profile had.
            remember_password=self.remember.isChecked()
            if self._keychain_problem is None
            else self._base.remember_password,
            ca_file=text(self.ca_file),
            allow_plain_http=self.allow_plain_http.isChecked(),
            away_reasons=self._base.away_reasons,
            keep_history=self._base.keep_history,
            wire=self._base.wire,
            account_name=text(self.account_name, kazoo and not api_key),
            websocket_url=text(self.websocket_url, kazoo),
            api_key=api_key,
            user_id=text(self.user_id, api_key),
            app_id=text(self.app_id, not kazoo),
            agent_id=text(self.agent_id, not kazoo),
            extension_id=text(self.extension_id, not kazoo),
            callback_bind=text(self.callback_bind, not kazoo) or _DEFAULT_CALLBACK_BIND,
            callback_url=text(self.callback_url, not kazoo),
            screen_pop=text(self.screen_pop),
            screen_pop_on=selected(self.screen_pop_on, self._pop_whens),
        )

    def secrets(self) -> Secrets:
        """The secrets typed in; each is kept out of logs and messages from now on."""
        telphin = selected(self.backend, self._backends) == "telphin"
        password = self.password.text() or None
        app_secret = (self.app_secret.text() or None) if telphin else None
        keep_secret(password)
        keep_secret(app_secret)
        return Secrets(password=password, app_secret=app_secret)

    def set_secrets(self, secrets: Secrets) -> None:
        """Fill in remembered secrets where the fields are still empty."""
        for edit, secret in (
            (self.password, secrets.password),
            (self.app_secret, secrets.app_secret),
        ):
            if secret and not edit.text():
                keep_secret(secret)
                edit.setText(secret)

    # --- problems --------------------------------------------------------------

    def show_problem(self, field: str | None, text: str) -> bool:
        """Say `text` under `field` and focus it; False when no such field shows."""
        row = self.rows.get(field or "")
        if row is None or row.isHidden():
            return False
        if field in _ADVANCED:
            self.advanced_toggle.setChecked(True)
        row.show_problem(text)
        row.field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.reshaped.emit()
        return True

    def screen_pop_problem(self) -> str | None:
        """Why the CRM template cannot be used, said under it; None when it can (or is empty)."""
        template = self.screen_pop.text().strip()
        try:
            if template:
                check(template, command_exists)
        except TemplateError as error:
            problem = self.tr("This template is refused: {reason}").format(reason=error)
            self.show_problem("screen_pop", problem)
            return problem
        self.rows["screen_pop"].show_problem(None)
        return None

    def _test_screen_pop(self) -> None:
        """Open the template with sample values, as a call would; a bad one is refused."""
        template = self.screen_pop.text().strip()
        if not template:
            self.show_problem("screen_pop", self.tr("Write the CRM's address or command first."))
            return
        if self.screen_pop_problem() is not None:
            return
        failed = open_call(template, SAMPLE)
        if failed is not None:
            self.show_problem(
                "screen_pop", self.tr("The CRM was not opened: {reason}").format(reason=failed)
            )

    def clear_problems(self) -> None:
        for row in self.rows.values():
            row.show_problem(None)
        self.reshaped.emit()

    # --- showing ---------------------------------------------------------------

    def _show_backend(self) -> None:
        backend = selected(self.backend, self._backends)
        kazoo = backend == "kazoo"
        api_key = kazoo and self.api_key.isChecked()
        shown = dict.fromkeys(self.rows, True)
        shown.update(dict.fromkeys(_KAZOO_ONLY, kazoo))
        shown.update(dict.fromkeys(_TELPHIN_ONLY, not kazoo))
        shown.update(account_name=kazoo and not api_key, username=not api_key, user_id=api_key)
        for key, row in self.rows.items():
            form = self.advanced_form if key in _ADVANCED else self.form
            form.setRowVisible(row, shown[key])
        self.form.setRowVisible(self.telphin_note, not kazoo)
        self.api_url.setPlaceholderText(URL_EXAMPLES[backend])
        secret = self.tr("API &key:") if api_key else self.tr("Pass&word:")
        self._labels["password"].setText(secret)
        self.password.setAccessibleName(plain(secret))
        self.username.setPlaceholderText("" if kazoo else self.tr("empty for a trusted app"))
        self.remember.setText(
            self.tr("&Remember the password in the keychain")
            if kazoo
            else self.tr("&Remember the app secret and password in the keychain")
        )
        self.remember.setAccessibleName(plain(self.remember.text()))
        self.reshaped.emit()

    def _show_advanced(self, shown: bool) -> None:
        self.advanced.setVisible(shown)
        self.advanced_toggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )
        self.reshaped.emit()

    def _browse(self) -> None:
        """A non-static file dialog, opened without a nested event loop."""
        dialog = QFileDialog(self, self.tr("Choose the CA file"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters(
            [self.tr("Certificates (*.pem *.crt *.cer)"), self.tr("All files (*)")]
        )
        current = self.ca_file.text().strip()
        if current:
            dialog.selectFile(current)
        dialog.fileSelected.connect(self._ca_chosen)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        self.file_dialog = dialog
        dialog.open()

    def _ca_chosen(self, path: str) -> None:
        self.ca_file.setText(path)
        self.rows["ca_file"].show_problem(None)
        self.file_dialog = None

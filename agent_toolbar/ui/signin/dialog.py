"""The sign-in dialog: a profile's server, account and secrets, checked against the server.

"Sign in" runs the real sign-in as an asyncio task while the form waits; a problem
is said under the field it is about, which gets the focus. Cancel during the check
stops it and leaves the form as it was. After a failure the server caused (it was not
reached, or it refused), "Check connection…" runs the read-only doctor on what the form
holds and shows its report. The dialog never blocks: no nested event loop, and no
keychain or file access of its own (the caller hands in what it read).
"""

import itertools
from collections.abc import Awaitable, Callable, Collection, Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent_toolbar.config.policy.model import Policy
from agent_toolbar.config.settings import Profile, Secrets
from agent_toolbar.config.settings_file import PROFILE_NAME, ConfigError
from agent_toolbar.session.core import Session
from agent_toolbar.session.problems import ProblemKind, SignInProblem, Words
from agent_toolbar.session.signin import sign_in
from agent_toolbar.support.log import ui as log
from agent_toolbar.support.redaction import redact
from agent_toolbar.ui import theme
from agent_toolbar.ui.forms import banner, fit_to_screen, note
from agent_toolbar.ui.i18n import translate
from agent_toolbar.ui.operations import Operations
from agent_toolbar.ui.profile_form import ProfileForm
from agent_toolbar.ui.signin.doctor_dialog import DoctorDialog, examination

Attempt = Callable[[Profile, Secrets], Awaitable[Session | SignInProblem]]
"""Signs in with a profile and its secrets: the signed-in session, or what is wrong."""

CHECKED_KINDS: frozenset[ProblemKind] = frozenset(
    {"unreachable", "certificate", "credentials", "not_agent", "server"}
)
"""Sign-in failures the server caused, which the connection check can say more about; the
others (a field missing, plain http, the CA file) are the form's, said at the field."""


class SignInDialog(QDialog):
    """Signals:
    signed_in(str, Profile, Secrets, Session): the server said yes; the receiver owns the
        session (runs it, or closes it) and decides whether to remember the secrets.
    demo_requested(): the agent chose the demo; the dialog then closes with result DEMO.
    checked(Report): a connection check from the failure view finished.
    """

    signed_in = Signal(str, object, object, object)
    demo_requested = Signal()
    checked = Signal(object)
    DEMO = 2

    def __init__(
        self,
        *,
        name: str | None = None,
        profile: Profile | None = None,
        secrets: Secrets | None = None,
        keychain_problem: str | None = None,
        config_error: ConfigError | None = None,
        taken_names: Collection[str] = (),
        offer_demo: bool = True,
        policy: Policy | None = None,
        policy_problems: Sequence[str] = (),
        attempt: Attempt = sign_in,
        parent: QWidget | None = None,
    ) -> None:
        """`policy`: what the organisation set; the profile's keys it locks show disabled,
        saying so. `policy_problems`: the parts of it that could not be applied."""
        super().__init__(parent)
        self._taken = frozenset(taken_names)
        self._attempt = attempt
        self._signing = Operations("signing in failed")
        self.doctor: DoctorDialog | None = None
        self._checks = Operations("the connection check failed")
        """The connection check's task, held here: the event loop holds tasks weakly."""
        self.setWindowTitle(
            self.tr("Edit the profile {name}").format(name=name)
            if name is not None
            else self.tr("Sign in")
        )
        column = QVBoxLayout(self)
        if config_error is not None:
            self.config_banner = banner(self._config_words(config_error))
            column.addWidget(self.config_banner)
        if policy_problems:
            self.policy_banner = banner(
                self.tr(
                    "Part of your organisation's settings could not be applied: {problems}"
                ).format(problems="\n".join(policy_problems))
            )
            column.addWidget(self.policy_banner)
        self.form = ProfileForm(
            profile or Profile(api_url=""), keychain_problem, _locks(policy, name)
        )
        self.form.name.setText(name or "")
        if secrets is not None:
            self.form.set_secrets(secrets)
        column.addWidget(self.form)
        self.checking = QProgressBar()
        self.checking.setRange(0, 0)
        self.checking.setAccessibleName(self.tr("Checking the connection"))
        self.checking.setTextVisible(False)
        self.status = note()
        self.status.setAccessibleName(self.tr("Sign-in status"))
        column.addWidget(self.checking)
        column.addWidget(self.status)
        column.addLayout(self._check_row())
        column.addStretch(1)
        column.addWidget(self._buttons(offer_demo))
        # Made default once inside the dialog: the dialog only then knows it (Enter signs in).
        self.sign_in_button.setDefault(True)
        for first, second in itertools.pairwise(
            [
                *self.form.focus_chain(),
                self.check_button,
                self.demo,
                self.sign_in_button,
                self.cancel_button,
            ]
        ):
            QWidget.setTabOrder(first, second)
        self._show_checking(False)
        self._say("")
        self.form.reshaped.connect(self._fit_height)
        fit_to_screen(self, 520, 0)
        self._fit_height()

    def _config_words(self, error: ConfigError) -> str:
        """What is wrong with the settings file, what the toolbar uses instead, and where
        the file as the agent wrote it is kept when the new one is written."""
        problems = "\n".join(
            [str(error), *(str(each).removeprefix(f"{each.path}, ") for each in error.left_out)]
        )
        if error.keep_as is None:
            return self.tr(
                "The settings file could not be read: {problem}\n"
                "When you sign in, the toolbar writes a new settings file in its place."
            ).format(problem=problems)
        if error.salvaged:
            return self.tr(
                "Part of the settings file could not be read, and is left out: {problem}\n"
                "The toolbar uses the rest. When you sign in, the file as it is now is kept "
                "as {copy}, and a new one is written with what could be read."
            ).format(problem=problems, copy=error.keep_as)
        return self.tr(
            "The settings file could not be read: {problem}\n"
            "When you sign in, the file as it is now is kept as {copy}, and a new one is "
            "written in its place."
        ).format(problem=problems, copy=error.keep_as)

    def _buttons(self, offer_demo: bool) -> QDialogButtonBox:
        self.demo = QPushButton(self.tr("No account? Try the &demo"))
        self.demo.setAccessibleName(self.tr("Try the demo"))
        self.demo.setFlat(True)
        self.demo.setAutoDefault(False)
        self.demo.clicked.connect(self._demo)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_in_button = self.buttons.addButton(
            self.tr("&Sign in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAutoDefault(False)
        self.buttons.addButton(self.demo, QDialogButtonBox.ButtonRole.HelpRole)
        self.sign_in_button.setAccessibleName(self.tr("Sign in"))
        self.cancel_button.setAccessibleName(self.tr("Cancel"))
        self.demo.setVisible(offer_demo)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        return self.buttons

    def _check_row(self) -> QHBoxLayout:
        """The failure view's offer, under the words that say what failed."""
        # No mnemonic: the form's labels take every letter of these words.
        self.check_button = QPushButton(self.tr("Check connection…"))
        self.check_button.setAccessibleName(self.tr("Check the connection"))
        self.check_button.setAutoDefault(False)
        self.check_button.setVisible(False)
        self.check_button.clicked.connect(self.check_connection)
        row = QHBoxLayout()
        row.addWidget(self.check_button)
        row.addStretch(1)
        return row

    def is_checking(self) -> bool:
        return self._signing.busy

    # --- showing ------------------------------------------------------------

    def _fit_height(self) -> None:
        """As tall as the words need at this width: the size hint alone gives each wrapped
        label one guessed width, and a longer message (in Russian, say) lost its last lines."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.resize(self.width(), self._needed_height())

    def _needed_height(self) -> int:
        return max(self.sizeHint().height(), self.heightForWidth(self.width()))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        """Made narrower by the agent, the dialog grows taller so no wrapped line is cut."""
        super().resizeEvent(event)
        if self.height() < self._needed_height():
            self._fit_height()

    def _show_checking(self, checking: bool) -> None:
        self.form.setEnabled(not checking)
        self.sign_in_button.setEnabled(not checking)
        if checking:
            self.check_button.setVisible(False)
        self.demo.setEnabled(not checking)
        self.checking.setVisible(checking)
        if checking:
            self._say(self.tr("Checking the connection…"))

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(theme.ink("problem") if problem else "")
        self.status.setVisible(bool(text))
        self._fit_height()

    def show_problem(self, problem: SignInProblem) -> None:
        """Say what is wrong and how to fix it under the field it is about, and focus that
        field; a problem about no field shown here is said above the buttons."""
        said, fix, details = problem.message, problem.fix, None
        if problem.words is not None:
            said, fix = _translated(problem.words.problem), _translated(problem.words.fix)
            details = problem.words.details
        text = self.tr("{problem}\n{fix}").format(problem=_sentence(said), fix=_sentence(fix))
        if details:
            text += "\n" + self.tr("Details: {details}").format(details=details)
        self.check_button.setVisible(problem.kind in CHECKED_KINDS)
        if self.form.show_problem(problem.field, text):
            self._say(self.tr("Signing in did not work: see the marked field."), problem=True)
        else:
            self._say(text, problem=True)

    # --- signing in ---------------------------------------------------------

    def submit(self) -> None:
        """Check the name, then sign in in the background."""
        if self.is_checking():
            return
        self.form.clear_problems()
        self._say("")
        name = self.form.name.text().strip()
        naming = self._name_problem(name)
        if naming is not None:
            self.form.show_problem("name", naming)
            return
        if self.form.screen_pop_problem() is not None:
            return  # the form says why under the template, and focuses it
        self._show_checking(True)
        work = self._sign_in(name, self.form.profile(), self.form.secrets())
        self._signing.run(work)

    def _name_problem(self, name: str) -> str | None:
        if not name:
            return self.tr("Give the profile a name, such as work.")
        if not PROFILE_NAME.fullmatch(name):
            return self.tr("A profile name is 1 to 64 letters, digits, - and _ (no spaces).")
        if name in self._taken:
            return self.tr("There is already a profile named {name}: choose another name.").format(
                name=name
            )
        return None

    async def _sign_in(self, name: str, profile: Profile, secrets: Secrets) -> None:
        try:
            outcome = await self._attempt(profile, secrets)
        except Exception as error:
            log.warning("signing in failed unexpectedly: %s", redact(repr(error)))
            self._show_checking(False)
            self.check_button.setVisible(True)
            self._say(
                self.tr(
                    "Signing in failed unexpectedly ({reason}). Try again; if it keeps failing, "
                    "send the diagnostics to support."
                ).format(reason=type(error).__name__),
                problem=True,
            )
            return
        self._show_checking(False)
        if isinstance(outcome, SignInProblem):
            self.show_problem(outcome)
            return
        self._say(self.tr("Signed in."))
        self.signed_in.emit(name, profile, secrets, outcome)
        self.accept()

    # --- checking the connection --------------------------------------------

    def check_connection(self) -> None:
        """The read-only doctor on the form's profile and secrets, in its own dialog."""
        if self.doctor is not None:
            self.doctor.raise_()
            self.doctor.activateWindow()
            return
        name = self.form.name.text().strip() or None
        dialog = DoctorDialog(self)
        dialog.reported.connect(self.checked.emit)
        dialog.finished.connect(lambda _result: self._doctor_closed(dialog))
        self.doctor = dialog
        dialog.open()
        work = examination(self.form.profile(), self.form.secrets(), name)
        self._checks.run(dialog.run(work))

    def _doctor_closed(self, dialog: DoctorDialog) -> None:
        if self.doctor is dialog:
            self.doctor = None
        dialog.deleteLater()

    def _stop_checking(self) -> None:
        self._signing.cancel()
        self._show_checking(False)

    def reject(self) -> None:
        """Cancel (or Escape) during a check stops the check; otherwise it closes the dialog."""
        if self.is_checking():
            self._stop_checking()
            self._say(self.tr("Stopped checking. Nothing was saved."))
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self._stop_checking()
        if self.doctor is not None:
            self.doctor.close()
        super().closeEvent(event)

    def _demo(self) -> None:
        self.demo_requested.emit()
        self.done(self.DEMO)


def _locks(policy: Policy | None, name: str | None) -> dict[str, str]:
    """The keys of profile `name` the policy locks, and where each lock comes from; "name"
    too when it locks any of them (the organisation's profile keeps its name)."""
    if policy is None or name is None:
        return {}
    locks = {
        key[2]: each.source
        for key, each in policy.locks.items()
        if len(key) == 3 and key[:2] == ("profiles", name)
    }
    held = policy.profile_locked(name)
    return {**locks, "name": held} if held is not None else locks


def _translated(words: Words) -> str:
    """The sign-in check's words in the agent's language, its data as they came."""
    return translate("signin", words.template).format(**words.values)


def _sentence(words: str) -> str:
    """The sign-in check's words (lower case, no full stop) as a sentence."""
    words = words.strip()
    ending = "" if words.endswith((".", "!", "?")) else "."
    return words[:1].upper() + words[1:] + ending

"""Placing calls from the agent's phone: the dial box, "Call back", and numbers from links.

A Call button the agent pressed dials at once; a number that came from outside the
window (a `tel:` or `callto:` link) is asked about first, because a stray click must
never ring anyone. Either way the number is normalised, and nothing is sent while the
phone is busy or the server cannot place calls: the agent is told why instead. The
command then shows in the panel like any other change (pending, done or failed).
"""

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent_toolbar.domain import AgentState
from agent_toolbar.domain.commands import Dial
from agent_toolbar.domain.dialing import NotANumber, from_link, normalise
from agent_toolbar.support.log import ui as log
from agent_toolbar.ui import theme
from agent_toolbar.ui.i18n import translate
from agent_toolbar.ui.lifecycle.single_instance import bring_forward
from agent_toolbar.ui.presenter import Presenter


def refusal(state: AgentState | None, can_dial: bool) -> str | None:
    """Why no call can be placed now, in the agent's words; None when one can. The
    phone must be free: no call ringing, none on, none being placed."""
    if not can_dial:
        return translate("Dialer", "this server cannot place calls from the toolbar")
    if state is None or state.connection != "online":
        return translate("Dialer", "the toolbar is not connected to the server")
    if state.status == "logged_out":
        # The server tells a logged-out agent's calls to nobody: the call could not be followed.
        return translate("Dialer", "log in first: calls are followed only while you are logged in")
    if state.offer is not None:
        return translate("Dialer", "a call is ringing")
    if state.call is not None or state.external_call is not None:
        return translate("Dialer", "you are on a call")
    if any(isinstance(progress.command, Dial) for progress in state.pending):
        return translate("Dialer", "a call is being placed")
    return None


def dialable(number: str | None) -> str | None:
    """A caller's number as it is dialed; None when it is none (withheld, a name)."""
    if not number:
        return None
    try:
        return normalise(number)
    except NotANumber:
        return None


def missed_number(state: AgentState | None) -> str | None:
    """The missed caller's number as it is dialed, None when there is none to call back."""
    missed = state.missed_offer if state is not None else None
    return dialable(missed.caller_id_number if missed is not None else None)


class Dialer(QObject):
    """Places calls for the window (its Call buttons, the dial box) and for links."""

    def __init__(self, presenter: Presenter, window: QWidget) -> None:
        super().__init__()
        self._presenter = presenter
        self._window = window
        self.question: QMessageBox | None = None
        """The open "Call N from your phone?", if one is."""
        self.message: QMessageBox | None = None
        """The open "Not called: why", if one is."""
        self.box: DialBox | None = None
        """The open dial box, if one is."""

    @property
    def available(self) -> bool:
        """Whether the server can place calls at all."""
        return self._presenter.capabilities.dial

    def refusal(self) -> str | None:
        """Why no call can be placed now; None when one can."""
        return refusal(self._presenter.state, self.available)

    def ask(self, link: str) -> None:
        """A number from outside the window: ask once, then dial it."""
        try:
            number = from_link(link)
        except NotANumber as error:
            log.info("a link was not dialed: %s", error)
            self._tell(str(error))
            return
        refused = self.refusal()
        if refused is not None:
            self._tell(refused)
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Call"),
            self.tr("Call {number} from your phone?").format(number=number),
            QMessageBox.StandardButton.NoButton,
            self._window,
        )
        call = box.addButton(self.tr("&Call"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.finished.connect(
            lambda _result: self._answered(box, number, box.clickedButton() is call)
        )
        if self.question is not None:
            self.question.reject()  # the newest link is the one asked about
        self.question = box
        bring_forward(self._window)
        box.open()
        box.raise_()
        box.activateWindow()

    def _answered(self, box: QMessageBox, number: str, call: bool) -> None:
        if self.question is box:
            self.question = None
        box.deleteLater()
        if call:
            self.dial(number)

    def dial(self, number: str) -> None:
        """Dial `number` now (the agent pressed Call); told, not sent, when it cannot be."""
        try:
            dialed = normalise(number)
        except NotANumber as error:
            self._tell(str(error))
            return
        refused = self.refusal()
        if refused is not None:
            self._tell(refused)
            return
        self._presenter.execute(Dial(number=dialed))

    def call_back(self) -> None:
        """Call the missed caller back."""
        number = missed_number(self._presenter.state)
        if number is not None:
            self.dial(number)

    def open_box(self) -> None:
        """The dial box (one at a time); Call dials what it holds."""
        if self.box is not None:
            bring_forward(self.box)
            return
        box = DialBox(self._window)
        box.accepted.connect(lambda: self.dial(box.number or ""))
        box.finished.connect(lambda _result: self._box_closed(box))
        self.box = box
        box.open()

    def _box_closed(self, box: "DialBox") -> None:
        if self.box is box:
            self.box = None
        box.deleteLater()

    def _tell(self, reason: str) -> None:
        """One message, modal to the window: the latest replaces one still open."""
        if self.message is not None:
            self.message.close()
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Call"),
            self.tr("Not called: {reason}").format(reason=reason),
            QMessageBox.StandardButton.Ok,
            self._window,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: self._told(box))
        self.message = box
        box.open()

    def _told(self, box: QMessageBox) -> None:
        if self.message is box:
            self.message = None


class DialBox(QDialog):
    """A number to call: Call is enabled only for a phone number, and says why not."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Dial"))
        self.number: str | None = None
        """The typed number as it is dialed; None while it is not one."""
        column = QVBoxLayout(self)
        label = QLabel(self.tr("&Number to call:"))
        self.field = QLineEdit()
        self.field.setPlaceholderText("+1 555 0100")
        self.field.setAccessibleName(self.tr("Number to call"))
        label.setBuddy(self.field)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(self.tr("Why this is not a number"))
        theme.restyle(self.problem, theme.ink("problem"))
        buttons = QDialogButtonBox()
        self.call: QPushButton = buttons.addButton(
            self.tr("Call"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.call.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for widget in (label, self.field, self.problem, buttons):
            column.addWidget(widget)
        self.field.textChanged.connect(self._check)
        self._check("")

    def _check(self, typed: str) -> None:
        try:
            self.number = normalise(typed)
            problem = None
        except NotANumber as error:
            self.number = None
            problem = str(error) if typed.strip() else None
        self.call.setEnabled(self.number is not None)
        self.problem.setText(problem or "")
        self.problem.setAccessibleDescription(problem or "")
        self.problem.setVisible(problem is not None)

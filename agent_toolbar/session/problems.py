"""What stops a sign-in, as one `SignInProblem`: what is wrong, naming the host, what to
do, and the field to point at.

Made by the offline profile checks and by the sign-in itself, and said by the command
line and the sign-in dialog: shared here so that none of them imports another for it.
Problems are English (the command line and the log speak English); each also carries
its words as templates marked for Qt's lupdate with the data that fills them, so that
the window can say it in the agent's language without Qt here.
"""

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

ProblemKind = Literal[
    "incomplete",
    "insecure",
    "ca_file",
    "unreachable",
    "certificate",
    "credentials",
    "not_agent",
    "server",
]


@dataclass(frozen=True)
class Words:
    """A sentence as the window translates it: its English template, marked for lupdate
    in the context "signin", and the data filling its {placeholders} (host names, URLs,
    the system's own error words), which no translation touches."""

    template: str
    values: Mapping[str, str] = field(default_factory=dict)

    def english(self) -> str:
        return self.template.format(**self.values)


@dataclass(frozen=True)
class ProblemWords:
    """A problem as the window says it."""

    problem: Words
    fix: Words
    details: str | None = None
    """The backend's own English words about what the server did, when it was asked:
    shown as they are, beside the translated problem."""


@dataclass(frozen=True)
class SignInProblem:
    kind: ProblemKind
    message: str
    """What is wrong, in plain words, naming the host: English, as the command line says it."""
    fix: str
    """What to do about it, in English."""
    field: str | None
    """The Profile field (or "password" / "app_secret") the dialog should point at."""
    # `dataclasses.field` by its full name: `field` is a member of this class.
    words: ProblemWords | None = dataclasses.field(default=None, compare=False)
    """The same for the window to translate; None for a problem made elsewhere, which
    the window says as it is. Not compared: it follows from the rest."""


def said(kind: ProblemKind, problem: Words, fix: Words, field: str | None) -> SignInProblem:
    """A problem the toolbar found itself: its English made from the same words the window
    translates."""
    return SignInProblem(kind, problem.english(), fix.english(), field, ProblemWords(problem, fix))

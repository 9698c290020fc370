"""Text that fits its slot: cut with "…" when too long, the whole of it in the tooltip.

The strip's slots keep their width whatever they say, so the controls beside them stay
where the agent's hand expects them. What does not fit is elided, never lost: the
tooltip and the accessible description (what a screen reader reads) carry it whole.
"""

import math

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy


class ElidedLabel(QLabel):
    """A one-line label that shows as much of its text as its width allows.

    `width` fixes it, for a slot that must not move. Without it the label asks for its
    whole text but makes do with less; `greedy`, it asks for nothing and takes the room
    the row has left.
    """

    def __init__(self, name: str, width: int | None = None, *, greedy: bool = False) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self._full = ""
        self._note: str | None = None
        if width is not None:
            self.setFixedWidth(width)
        elif greedy:
            self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, words: str, note: str | None = None) -> None:
        """Show `words` (elided to fit); `note` is a tooltip of its own, else the words."""
        if words == self._full and note == self._note:
            return
        self._full, self._note = words, note
        self.setAccessibleDescription(words)
        self.updateGeometry()
        self._fit()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        margins = self.contentsMargins()  # the style sheet's padding and border among them
        words = math.ceil(QFontMetricsF(self.font()).horizontalAdvance(self._full)) + 1
        return QSize(words + margins.left() + margins.right(), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        least = self.fontMetrics().horizontalAdvance("M…")
        return QSize(min(self.sizeHint().width(), least), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        room = self.contentsRect().width()
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, room)
        if shown != self.text():
            self.setText(shown)
        cut = shown != self._full
        tip = self._note or (self._full if cut else "")
        if tip != self.toolTip():
            self.setToolTip(tip)

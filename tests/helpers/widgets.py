"""What an agent does to widgets, with real key and mouse events, and what is on screen."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


def click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(field: QWidget, text: str) -> None:
    field.setFocus()
    QTest.keyClicks(field, text)


def shown(kind: type[QWidget]) -> QWidget | None:
    """The visible top-level window of `kind`, if one is open."""
    return next(
        (
            each
            for each in QApplication.topLevelWidgets()
            if isinstance(each, kind) and each.isVisible()
        ),
        None,
    )

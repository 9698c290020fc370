"""The window's language: English or Russian, from the system or the agent's choice.

Strings are marked where they are written (`self.tr`, `translate`) and extracted by
Qt's lupdate into `resources/translations/*.ts` (`make translations`); lrelease
compiles those into the `.qm` files loaded here. Qt's own translations (standard
buttons, context menus) come along. Logs, the state format and the command line
stay English, so that support reads one language.
"""

import re
from collections.abc import Iterable
from importlib import resources

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from agent_toolbar.config.settings import Language
from agent_toolbar.support.log import ui as log

LANGUAGES = ("en", "ru")
"""Languages the window speaks; the first is the fallback."""

_installed: list[QTranslator] = []


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """Qt's translation of `text`; `%n` in it becomes `n`, in the right plural form."""
    return QCoreApplication.translate(context, text, disambiguation, n)


def chosen_language(preference: Language, system: QLocale | None = None) -> str:
    """The language to show: the agent's choice, else the first system language we speak."""
    if preference != "system":
        return preference
    for name in (system or QLocale.system()).uiLanguages():
        language = name.replace("_", "-").split("-")[0].lower()
        if language in LANGUAGES:
            return language
    return LANGUAGES[0]


def install(preference: Language) -> str:
    """Load the translations for `preference` into the application; returns the language."""
    app = QCoreApplication.instance()
    language = chosen_language(preference)
    for old in _installed:
        if app is not None:
            app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(QLocale(language))
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ours = resources.files("agent_toolbar.resources") / "translations"
    for name, folder in ((f"qtbase_{language}", qt_folder), (f"agent_toolbar_{language}", None)):
        translator = QTranslator()
        if folder is None:
            with resources.as_file(ours / f"{name}.qm") as path:
                loaded = translator.load(str(path))
        else:
            loaded = translator.load(name, folder)
        if not loaded:
            if language != "en":
                log.warning("no %s translations found (%s)", language, name)
            continue
        if app is not None:
            app.installTranslator(translator)
        _installed.append(translator)
    return language


def translated_reason(context: str, templates: Iterable[str], reason: str) -> str:
    """A reason a Qt-free module gave from one of its `templates` (marked for lupdate in
    `context`), in the agent's language with its data as they came; any other as it is."""
    for template in templates:
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+)", re.escape(template))
        found = re.fullmatch(pattern, reason)
        if found is not None:
            return translate(context, template).format(**found.groupdict())
    return reason

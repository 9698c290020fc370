"""Which language the window speaks, and that Russian really loads, plurals included."""

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale

from agent_toolbar.domain import causes
from agent_toolbar.ui import i18n, text

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def russian() -> Iterator[None]:
    assert i18n.install("ru") == "ru"
    yield
    i18n.install("en")


def test_the_system_language_is_followed_when_we_speak_it() -> None:
    assert i18n.chosen_language("system", QLocale("ru_RU")) == "ru"
    assert i18n.chosen_language("system", QLocale("de_DE")) == "en"
    assert i18n.chosen_language("ru", QLocale("de_DE")) == "ru"
    assert i18n.chosen_language("en", QLocale("ru_RU")) == "en"


@pytest.mark.usefixtures("russian")
def test_russian_words_and_plural_forms() -> None:
    assert i18n.translate("text", "Ready") == "Готов"
    assert [text.Counted().queues_paused(n) for n in (1, 3, 5, 21)] == [
        "1 очередь на паузе",
        "3 очереди на паузе",
        "5 очередей на паузе",
        "21 очередь на паузе",
    ]


@pytest.mark.usefixtures("russian")
def test_causes_the_toolbar_wrote_are_translated_with_their_details() -> None:
    assert text.cause_words("call from Ada <+100> offered") == "поступил звонок от Ada <+100>"
    assert text.cause_words("logged out: from the phone") == "выход из системы: с телефона"
    assert text.cause_words("something a server said") == "something a server said"


def test_english_plurals() -> None:
    assert text.Counted().queues_paused(1) == "1 queue paused"
    assert text.Counted().queues_paused(2) == "2 queues paused"


@pytest.mark.usefixtures("russian")
def test_every_cause_the_domain_writes_is_recognised_and_translated() -> None:
    for template in causes.TEMPLATES:
        names = re.findall(r"\{(\w+)\}", template)
        written = template.format(**dict.fromkeys(names, "Ada"))
        translated = text.cause_words(written)
        assert translated != written, template
        assert translated.count("Ada") == len(names), (template, translated)
        # Its own template, not a shorter one that takes the rest for a detail.
        values = dict.fromkeys(names, "Ada")
        assert translated == i18n.translate("cause", template).format(**values), template


@pytest.mark.usefixtures("russian")
def test_the_reason_a_missed_call_gives_is_translated() -> None:
    assert text.reason_words("missed_call") == "пропущенный звонок"
    assert text.reason_words("Lunch") == "Lunch"  # the profile's own words, as they are

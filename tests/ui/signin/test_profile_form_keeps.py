"""Editing a profile in the form keeps what the form does not show: turning history back
on by an edit would be a privacy defect, losing the wire overrides a setup defect."""

from pytestqt.qtbot import QtBot

from agent_toolbar.config.settings import Profile
from agent_toolbar.ui.profile_form import ProfileForm


def test_what_the_form_does_not_show_survives_an_edit(qtbot: QtBot) -> None:
    kept = Profile(
        api_url="https://pbx.example.com:8443/v2",
        account_name="acme",
        username="ada",
        keep_history=False,
        wire={"queue_key": "queue_id"},
    )
    form = ProfileForm(kept, None)
    qtbot.addWidget(form)
    form.username.setText("grace")
    edited = form.profile()
    assert edited.username == "grace"
    assert edited.keep_history is False
    assert edited.wire == {"queue_key": "queue_id"}

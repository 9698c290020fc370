"""From `agent-toolbar` (or `--profile NAME`) to a signed-in desktop.

The settings file is read (a broken one is said in the sign-in dialog, never a
traceback), the log and the language set up, a second start of the same profile only
brings the first one's window forward, and the keychain's secrets sign in without a
question. Whatever is missing or refused opens the sign-in dialog, which also offers
the demo to someone without an account.
"""

import asyncio
import sys
from dataclasses import dataclass
from typing import Literal

from msgspec.structs import replace

from agent_toolbar.config import settings_file as config_file
from agent_toolbar.config.keychain import Keychain, entry_for
from agent_toolbar.config.policy.model import Policy
from agent_toolbar.config.policy.sources import settings_in_force
from agent_toolbar.config.settings import Config, Profile, Secrets
from agent_toolbar.session.core import Session
from agent_toolbar.session.problems import SignInProblem
from agent_toolbar.session.signin import sign_in
from agent_toolbar.support import logs
from agent_toolbar.support.log import ui as log
from agent_toolbar.ui import i18n
from agent_toolbar.ui.lifecycle.single_instance import (
    ClaimError,
    already_running,
    claim,
    instance_name,
)
from agent_toolbar.ui.signin.dialog import SignInDialog


@dataclass(frozen=True)
class SignedIn:
    name: str
    profile: Profile
    secrets: Secrets
    session: Session


Chosen = SignedIn | Literal["demo", "cancelled"]


async def start(profile_name: str | None) -> int:
    """The toolbar for `profile_name` (None: the default profile, or the first run)."""
    try:
        return await _start(profile_name)
    finally:
        logs.close()


async def _start(profile_name: str | None) -> int:
    path = config_file.config_path()
    in_force = await asyncio.to_thread(settings_in_force, path)
    config, config_error = in_force.config, in_force.error
    layers = in_force.policy.layers()
    preferences = config.preferences
    log_file = logs.configure(
        preferences.log_level, directory=logs.log_directory(), console=sys.stderr is not None
    )
    if config_error is not None:
        log.error("%s", config_error)
    for problem in in_force.policy.problems:
        log.error("policy: %s", problem)
    i18n.install(preferences.language)
    if profile_name is not None and profile_name not in config.profiles:
        known = ", ".join(sorted(config.profiles)) or "none yet"
        print(
            f'agent-toolbar: {path} has no profile "{profile_name}" (its profiles: {known})',
            file=sys.stderr,
        )
        return 2
    name = profile_name or config.default_profile
    claimed_as = instance_name(profile_name, config.default_profile)
    try:
        instance = claim(claimed_as)
    except ClaimError as error:
        log.warning("%s", error)
        instance = None
    else:
        if instance is None:
            print(already_running(claimed_as), file=sys.stderr)
            return 0
    keychain = Keychain()
    chosen = await _sign_in(config, name, keychain, config_error, in_force.policy)
    if chosen == "cancelled":
        return 0
    if chosen == "demo":
        from agent_toolbar.ui.app import demo

        return await demo(None)
    # The desktop (tray, sound, hotkeys, notifications) loads once a window is up.
    from agent_toolbar.ui.desktop import Desktop, Place, remember

    config = _with_profile(config, chosen.name, chosen.profile)
    not_kept = await remember(keychain, chosen.profile, chosen.secrets)
    not_saved = None
    try:
        await asyncio.to_thread(config_file.save, path, config, layers)
    except config_file.ConfigError as error:
        not_saved = error
    place = Place(
        config=config,
        profile_name=chosen.name,
        save=lambda changed: config_file.save(path, changed, layers),
        keychain=keychain,
        log_file=log_file,
        instance=instance,
        signed_in_with=(chosen.profile, chosen.secrets),
        policy=in_force.policy,
    )
    try:
        desktop = Desktop(chosen.session, place)
        if not_saved is not None:
            desktop.tell_not_saved(not_saved)
        desktop.tell_not_kept(not_kept)
        return await desktop.run()
    finally:
        if instance is not None:
            instance.close()


async def _sign_in(
    config: Config,
    name: str | None,
    keychain: Keychain,
    config_error: config_file.ConfigError | None,
    policy: Policy,
) -> Chosen:
    """Sign in with the remembered secrets, else through the dialog."""
    profile = config.profiles.get(name) if name is not None else None
    secrets: Secrets | None = None
    problem: SignInProblem | None = None
    if name is not None and profile is not None:
        secrets = await asyncio.to_thread(_remembered, keychain, profile)
        if _complete(profile, secrets):
            outcome = await sign_in(profile, secrets)
            if isinstance(outcome, Session):
                return SignedIn(name, profile, secrets, outcome)
            problem = outcome
            log.warning("signing in as %s did not work: %s", name, outcome.message)
    taken = [other for other in config.profiles if other != name]
    dialog = SignInDialog(
        name=name,
        profile=profile,
        secrets=secrets,
        config_error=config_error,
        taken_names=taken,
        offer_demo=config.offer_demo,
        policy=policy,
        policy_problems=[str(each) for each in policy.problems],
    )
    if problem is not None:
        dialog.show_problem(problem)
    return await _answer(dialog, keychain)


async def _answer(dialog: SignInDialog, keychain: Keychain) -> Chosen:
    """What the agent did with the dialog: signed in, chose the demo, or closed it.

    The keychain is asked once the dialog is open: loading keyring would delay it.
    """
    answer: asyncio.Future[Chosen] = asyncio.get_running_loop().create_future()

    def signed_in(name: str, profile: Profile, secrets: Secrets, session: Session) -> None:
        if not answer.done():
            answer.set_result(SignedIn(name, profile, secrets, session))

    def finished(result: int) -> None:
        if not answer.done():
            answer.set_result("demo" if result == SignInDialog.DEMO else "cancelled")

    dialog.signed_in.connect(signed_in)
    dialog.finished.connect(finished)
    dialog.open()
    try:
        keychain_problem = await asyncio.to_thread(keychain.unavailable_reason)
        if keychain_problem is not None and not answer.done():
            dialog.form.show_keychain_problem(keychain_problem)
        return await answer
    finally:
        dialog.deleteLater()


def _remembered(keychain: Keychain, profile: Profile) -> Secrets:
    if not profile.remember_password:
        return Secrets()
    return Secrets(
        password=keychain.get(entry_for(profile, "password")),
        app_secret=keychain.get(entry_for(profile, "app_secret"))
        if profile.backend == "telphin"
        else None,
    )


def _complete(profile: Profile, secrets: Secrets) -> bool:
    """Whether the secrets are all the profile needs, so no question is asked."""
    if profile.backend == "telphin":
        return bool(secrets.app_secret) and (not profile.username or bool(secrets.password))
    return bool(secrets.password)


def _with_profile(config: Config, name: str, profile: Profile) -> Config:
    profiles = {**config.profiles, name: profile}
    return replace(config, profiles=profiles, default_profile=config.default_profile or name)

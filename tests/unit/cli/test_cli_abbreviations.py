"""No option is read as an abbreviation of another: `--password demo` is a mistake to
name, not `--password-stdin` followed by the `demo` command."""

import pytest

from agent_toolbar.cli.main import _parser


@pytest.mark.parametrize(
    ("argv", "unknown"),
    [
        (["--password", "demo"], "--password"),
        (["watch", "--password", "hunter2"], "--password"),
        (["set", "pause", "--queu", "Sales"], "--queu"),
        (["set", "ready", "--api", "https://pbx/v2"], "--api"),
        (["sim", "--log", "debug"], "--log"),
    ],
)
def test_an_abbreviated_option_is_refused_by_its_own_name(
    argv: list[str], unknown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        _parser().parse_args(argv)
    assert exited.value.code == 2
    assert f"unrecognized arguments: {unknown}" in capsys.readouterr().err


def test_whole_option_names_still_work() -> None:
    args = _parser().parse_args(["set", "pause", "--queue", "Sales", "--password-stdin"])
    assert (args.change, args.queue, args.password_stdin) == ("pause", "Sales", True)

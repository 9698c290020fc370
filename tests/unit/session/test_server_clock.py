"""The server's time: learned from its stamps, counted on a steady clock, never our wall's."""

from agent_toolbar.session.server_clock import SAMPLE_SPACING, WINDOW_SECONDS, ServerClock


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def clocks(
    wall: float = 5000.0, steady: float = 1000.0
) -> tuple[FakeClock, FakeClock, ServerClock]:
    wall_clock, steady_clock = FakeClock(wall), FakeClock(steady)
    return wall_clock, steady_clock, ServerClock(wall=wall_clock, steady=steady_clock)


def test_until_the_server_tells_its_time_nothing_is_dated() -> None:
    _, _, server = clocks()
    assert (server.calibrated, server.dated()) == (False, None)
    assert server.now() == 5000.0  # shown only, never compared with a server time


def test_the_estimate_is_the_largest_recent_sample_so_ticks_never_run_ahead() -> None:
    _, steady, server = clocks()
    for stamp, arrival in ((1119.0, 1000.4), (1120.0, 1000.9), (1120.0, 1001.5)):
        steady.now = arrival
        server.observe(stamp)
    assert server.dated() == 1001.5 + 1120.0 - 1000.9


def test_our_wall_clock_jumping_changes_nothing() -> None:
    wall, steady, server = clocks()
    server.observe(1_795_000_000.0)
    steady.now += 2.0
    wall.now += 7200.0  # the desktop's clock set two hours ahead mid-run
    assert server.dated() == 1_795_000_002.0


def test_a_flood_of_equal_stamps_keeps_about_one_sample_a_second() -> None:
    _, steady, server = clocks()
    for _ in range(100_000):
        steady.now += 0.001  # 1,000 events a second, all stamped the same second
        server.observe(1_795_000_000.0)
    assert len(server._samples) <= 100 / SAMPLE_SPACING + 1


def test_old_samples_are_forgotten_so_a_corrected_server_clock_is_followed() -> None:
    _, steady, server = clocks()
    server.observe(1100.0)
    steady.now += WINDOW_SECONDS + 1
    server.observe(steady.now + 5)
    assert server.dated() == steady.now + 5


def test_a_server_clock_that_steps_back_is_followed_and_reported() -> None:
    _, steady, server = clocks()
    server.observe(1_795_000_000.0)
    steady.now += 5
    assert server.observe(1_795_000_004.2) == 0.0  # late by a moment: no step
    for second in (6, 7):
        steady.now += 1
        assert server.observe(1_795_000_000.0 + second - 60) == 0.0  # not yet: an outlier?
    steady.now += 1
    assert server.observe(1_795_000_008.0 - 60) == -60.0
    assert server.dated() == 1_795_000_008.0 - 60


def test_a_lone_stamp_far_behind_is_a_late_or_replayed_event_and_teaches_nothing() -> None:
    _, steady, server = clocks()
    server.observe(1_795_000_000.0)
    steady.now += 1
    assert server.observe(1_794_600_000.0) == 0.0
    steady.now += 1
    assert server.observe(1_795_000_002.0) == 0.0
    assert server.dated() == 1_795_000_002.0


def test_a_server_clock_that_steps_forward_is_followed_at_once() -> None:
    _, _, server = clocks()
    server.observe(1_795_000_000.0)
    assert server.observe(1_795_000_300.0) == 0.0
    assert server.dated() == 1_795_000_300.0


def test_events_without_a_time_teach_nothing() -> None:
    _, _, server = clocks()
    assert server.observe(None) == 0.0
    assert not server.calibrated

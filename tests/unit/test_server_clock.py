from agent_toolbar.server_clock import WINDOW_SECONDS, ServerClock


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_without_events_the_server_is_assumed_to_share_our_clock() -> None:
    clock = FakeClock(1000.0)
    assert ServerClock(clock).now() == 1000.0


def test_the_offset_is_the_largest_recent_sample_so_ticks_never_run_ahead() -> None:
    clock = FakeClock(1000.0)
    server = ServerClock(clock)
    for stamp, arrival in ((1119.0, 1000.4), (1120.0, 1000.9), (1120.0, 1001.5)):
        clock.now = arrival
        server.observe(stamp)
    assert server.offset == 1120.0 - 1000.9
    assert server.now() == clock.now + 1120.0 - 1000.9


def test_old_samples_are_forgotten_so_a_corrected_server_clock_is_followed() -> None:
    clock = FakeClock(1000.0)
    server = ServerClock(clock)
    server.observe(1100.0)
    clock.now += WINDOW_SECONDS + 1
    server.observe(clock.now + 5)
    assert server.offset == 5


def test_events_without_a_time_teach_nothing() -> None:
    server = ServerClock(FakeClock(1000.0))
    server.observe(None)
    assert server.offset == 0

"""Kazoo/Qubicle: Crossbar REST for sign-in, snapshots and commands; Blackhole for events."""

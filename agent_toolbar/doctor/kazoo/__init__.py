"""The doctor's examination of a Kazoo/Qubicle server (`examine.examine`)."""

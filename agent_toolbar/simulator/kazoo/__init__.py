"""The simulator's Kazoo/Qubicle surface: Crossbar (REST), Blackhole (websocket), its
tokens and the wire shapes it answers with."""

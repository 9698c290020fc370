"""The conditions loopback hides: degraded links between network namespaces, and clocks
that disagree (the server's, injected; the client's, under libfaketime)."""

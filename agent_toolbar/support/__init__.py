"""What support staff read and what keeps secrets out of it: logs, redaction,
diagnostics and captures.

The lowest layer: may import nothing of ours but `support/` itself (diagnostics reads
versions and settings lazily, where it runs).
"""

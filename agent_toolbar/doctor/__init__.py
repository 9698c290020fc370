"""`agent-toolbar doctor`: what a real server's wire shows against what the toolbar assumes.

No real Qubicle or Telphin server runs where the toolbar is built, and part of each
wire is known only by inference. The doctor signs in as the toolbar would, reads and
listens (and, asked explicitly, makes the toolbar's reversible changes and undoes
them), and sets each fact of the backend's wire module (`backends/*/wire.py`) against
what it saw: matches, differs (with the fix), or not seen. `report.py` is the verdict
table; `kazoo.py` and `telphin.py` are the examinations; `run.py` is the command.
"""

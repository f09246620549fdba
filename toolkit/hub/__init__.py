"""Training a whole district on one JupyterHub (``jiuzhu hub``).

A hub folder (``hub/`` by default) holds everything: ``hub.yaml`` (the courses and their
trainers, copied from the embedded defaults on first start), one nbgrader course per course
(``courses/<id>/``), the shared exchange, the trainees' home folders and the hub's own state.

Public face:
  :func:`toolkit.hub.layout.open_hub`        the hub folder (created on first use)
  :func:`toolkit.hub.accounts.make_accounts` one system account per trainee, 账号清单.xlsx
  :func:`toolkit.hub.accounts.reset_password`
  :func:`toolkit.hub.server.run_hub` / :class:`toolkit.hub.server.HubProcess`
"""

"""The cadre's phone app (issue 27): 我的练习 → an exercise (case + answer cards) → 提交 → feedback,
rendered by Voilà from the trainee's own Jupyter server.  Trainee side: runs in the trainee's kernel
and imports nothing of the trainer side (``course``, ``grading``, ``analytics``).

Public face (the hub builds on these names):

- :func:`install_app` (home) — put the app notebook into a trainee's home;
- :func:`app_url` — the server-relative URL of 我的练习 (the trainee's ``Spawner.default_url``);
- :func:`server_args` — the options the trainee's server needs (Voilà's template and settings);
- :data:`COURSE_TITLES_ENV` — optional environment variable ``{"course id": "title"}`` (JSON);
- :func:`run` — what the app notebook calls; :func:`standing` — the status logic.
"""

from toolkit.lazy import lazy_names

__getattr__, __dir__, __all__ = lazy_names(__name__, {
    "toolkit.training.app.install": ("APP_NOTEBOOK", "TEMPLATE", "app_url", "install_app", "server_args",
                                     "template_root"),
    "toolkit.training.app.pages": ("App", "run"),
    "toolkit.training.app.status": ("Action", "Facts", "Standing", "Status", "standing"),
    "toolkit.training.app.exchange": ("COURSE_TITLES_ENV", "Exchange", "ExchangeFailed"),
})

"""nbgrader settings of every single-user server on a `jiuzhu hub` (trainees and trainers).

The hub passes the exchange folder and the Chinese course titles in the environment; courses
come from the user's hub groups (nbgrader-<course>), as in nbgrader's multi-course demo.
"""

import json
import os

from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()  # noqa: F821 - provided by traitlets

c.Exchange.root = os.environ.get("JIUZHU_EXCHANGE", "")
c.Exchange.path_includes_course = True
c.Authenticator.plugin_class = JupyterHubAuthPlugin
c.NbGrader.course_titles = json.loads(os.environ.get("JIUZHU_COURSE_TITLES") or "{}")

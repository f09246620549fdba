"""nbgrader settings of every single-user server on a `jiuzhu hub` (trainees and trainers).

The hub passes the exchange folder in the environment; a user's courses come from their hub
groups (nbgrader-<course>), as in nbgrader's multi-course demo.  (nbgrader 0.9 shows course ids,
not titles: the ids are the titles' pinyin, quji = 区级, jiezhen = 街镇.)
"""

import os

from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()  # noqa: F821 - provided by traitlets

c.Exchange.root = os.environ.get("JIUZHU_EXCHANGE", "")
c.Exchange.path_includes_course = True
c.Authenticator.plugin_class = JupyterHubAuthPlugin
# A submitted entry stays writable by its owner only (nbgrader makes it 0777): no trainee can slip
# a file into another trainee's submission (toolkit.training.course.inbound; collect checks owners too).
c.ExchangeFactory.submit = "toolkit.training.course.inbound.OwnEntrySubmit"
# A trainer's own formgrader renders submissions too: a trainee's HTML is shown as text or cleaned
# there as in the courses' formgrader services (toolkit.training.grading.trainee_html).
c.HTMLExporter.preprocessors = ["toolkit.training.grading.trainee_html.TraineeHTML"]

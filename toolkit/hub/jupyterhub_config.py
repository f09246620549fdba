"""JupyterHub configuration file of `jiuzhu hub` (loaded with ``jupyterhub -f``).

Everything comes from the hub folder (``JIUZHU_HUB_ROOT``) and the runtime file the launcher
wrote (``JIUZHU_HUB_RUNTIME``: ports chosen at start); see toolkit.hub.config.
"""

import json
import os
from pathlib import Path

from toolkit.hub.config import apply

c = get_config()  # noqa: F821 - provided by traitlets

apply(c, os.environ["JIUZHU_HUB_ROOT"],
      json.loads(Path(os.environ["JIUZHU_HUB_RUNTIME"]).read_text(encoding="utf-8")))

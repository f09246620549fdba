"""nbgrader configuration of the 救助质量工具箱 training course (course id ``jiuzhu``).

The settings live in ``toolkit.training.course.course_config`` (one place for this course and for every
course ``jiuzhu hub`` sets up); read its docstring for the environment overrides
(JIUZHU_EXCHANGE, JIUZHU_GRADEBOOK, JIUZHU_TIMEOUT).  Add course-specific lines below the call.
"""

from pathlib import Path

from toolkit.training.course.course_config import configure

c = get_config()  # noqa: F821 - provided by traitlets when this file is loaded

configure(c, Path(__file__).resolve().parent)

"""Inside Generative Models — the small library every lesson imports.

Start every notebook with::

    from course_utils import setup
    setup()
"""
from .environment import set_tf_environment as _set_tf_environment

_set_tf_environment()  # before anything imports TensorFlow

from .environment import setup  # noqa: E402

__version__ = "0.1.0"
__all__ = ["setup", "__version__"]

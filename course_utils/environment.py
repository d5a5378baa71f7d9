"""``setup()``: the first cell of every lesson (lesson 00 explains what it does).

It fixes the random seeds, makes TensorFlow quiet (no C++ log lines, no Keras progress bars),
sets one figure style for the whole course, prints the versions in use and warns clearly when
they differ from the pinned ones in ``requirements.txt``.
"""
from __future__ import annotations

import os
import re
import sys
import warnings
from importlib import metadata

import numpy as np

# Set before TensorFlow is first imported: quiet C++ logging.
_TF_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3"}
#: the packages whose versions setup() prints
SHOWN_PACKAGES = ("tensorflow", "keras", "numpy", "scikit-learn", "matplotlib", "ipywidgets")
DISTRIBUTION = "course-utils"


def set_tf_environment() -> None:
    for key, value in _TF_ENV.items():
        os.environ.setdefault(key, value)


def quiet_tensorflow():
    """Import TensorFlow without its start-up chatter and silence Keras progress bars.

    TensorFlow writes a few lines straight to the process's stderr while it loads (before its
    own logging is configured); they are sent to /dev/null during the import only.
    """
    set_tf_environment()
    if "tensorflow" not in sys.modules:
        saved, devnull = None, None
        try:
            sys.stderr.flush()
            saved = os.dup(2)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
        except OSError:  # no real stderr (some embedded interpreters): import loudly
            saved = None
        try:
            import tensorflow as tf

            tf.config.list_physical_devices()
        finally:
            if saved is not None:
                os.dup2(saved, 2)
                os.close(saved)
            if devnull is not None:
                os.close(devnull)
    import keras
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    keras.utils.disable_interactive_logging()
    warnings.filterwarnings("ignore", message=r".*np\.find_common_type.*")
    return tf


def pinned_versions() -> dict:
    """{package: version} as pinned in requirements.txt (read from the installed course's metadata)."""
    try:
        requires = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        requires = []
    if not requires:  # running from a source tree that was not pip-installed
        from pathlib import Path

        req = Path(__file__).resolve().parent.parent / "requirements.txt"
        requires = req.read_text().splitlines() if req.exists() else []
    pins = {}
    for line in requires:
        match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)", line)
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def installed_version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def version_mismatches(pins: dict | None = None) -> list[str]:
    """Human-readable lines for every pinned package whose installed version differs."""
    pins = pinned_versions() if pins is None else pins
    problems = []
    for package, wanted in sorted(pins.items()):
        have = installed_version(package)
        if have is None:
            problems.append(f"{package} is not installed (the course pins {wanted})")
        elif have != wanted:
            problems.append(f"{package} {have} is installed, the course pins {wanted}")
    return problems


def set_seeds(seed: int = 0) -> None:
    """Seed Python, numpy and TensorFlow/Keras, and make TensorFlow ops deterministic."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    tf = quiet_tensorflow()
    import keras

    keras.utils.set_random_seed(int(seed))  # seeds random, numpy and the backend
    tf.config.experimental.enable_op_determinism()


def figure_style() -> None:
    """One clean figure style for every lesson: grey images, no grid, readable sizes."""
    import matplotlib as mpl

    mpl.rcParams.update({
        "figure.figsize": (6.0, 4.0),
        "figure.dpi": 100,
        "image.cmap": "gray",
        "image.interpolation": "nearest",
        "axes.grid": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "font.size": 10,
        "axes.titlesize": 10,
    })


def setup(seed: int = 0, verbose: bool = True) -> dict:
    """Prepare a lesson: seeds, quiet TensorFlow, figure style, version report.

    Returns a dict with the seed, the versions in use and any mismatch with the pinned list.
    """
    set_seeds(seed)
    figure_style()
    versions = {p: installed_version(p) for p in SHOWN_PACKAGES}
    versions["python"] = sys.version.split()[0]
    mismatches = version_mismatches()
    if verbose:
        shown = ", ".join(f"{k} {val}" for k, val in versions.items())
        print(f"Inside Generative Models - seed {seed}; {shown}")
        if mismatches:
            print("WARNING: your environment differs from the one the course was tested with:")
            for line in mismatches:
                print("  - " + line)
            print("  Numbers and figures may differ from the text. Fix it with `make lab` from the"
                  " repository root (it reinstalls the pinned versions into .venv).")
    return {"seed": seed, "versions": versions, "mismatches": mismatches}

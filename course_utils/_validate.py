"""Small input checks shared by every public function.

Each raises ``ValueError`` with a message that says what was expected and what came in,
so a learner sees "expected images of shape (N, 28, 28, 1), got (28, 28)" instead of a
TensorFlow stack trace from deep inside a layer.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np


def describe(value) -> str:
    """A short description of ``value`` for error messages."""
    if isinstance(value, np.ndarray) or hasattr(value, "shape") and hasattr(value, "dtype"):
        return f"array of shape {tuple(value.shape)} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def one_of(name: str, value, allowed: Iterable):
    allowed = list(allowed)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    return value


def positive_int(name: str, value, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {describe(value)}")
    return int(value)


def number_in(name: str, value, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number in [{low}, {high}], got {describe(value)}")
    if not low <= float(value) <= high:
        raise ValueError(f"{name} must be in [{low}, {high}], got {value}")
    return float(value)


def images(value, shape=(28, 28, 1), name: str = "images", low: float = 0.0, high: float = 1.0):
    """Check a batch of images: float array (N, *shape) with values in [low, high].

    Returns it as a float32 numpy array. A single image of exactly ``shape`` is not
    silently batched: the message tells the learner to add the batch axis.
    """
    arr = np.asarray(value)
    expected = "(N, " + ", ".join(str(s) for s in shape) + ")"
    if arr.ndim == len(shape) and tuple(arr.shape) == tuple(shape):
        raise ValueError(
            f"{name} must be a batch of shape {expected}, got a single image of shape "
            f"{tuple(arr.shape)}; add the batch axis with x[None]"
        )
    if arr.ndim != len(shape) + 1 or tuple(arr.shape[1:]) != tuple(shape):
        raise ValueError(f"{name} must have shape {expected}, got {describe(arr)}")
    if not np.issubdtype(arr.dtype, np.floating):
        raise ValueError(
            f"{name} must be floats in [{low}, {high}], got dtype {arr.dtype}"
            + (" (divide uint8 pixels by 255)" if arr.dtype == np.uint8 else "")
        )
    if arr.size and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite numbers in [{low}, {high}], got NaN or infinity")
    if arr.size and (arr.min() < low - 1e-6 or arr.max() > high + 1e-6):
        raise ValueError(f"{name} must lie in [{low}, {high}], got values in [{arr.min():.3g}, {arr.max():.3g}]")
    return arr.astype(np.float32, copy=False)


def vectors(value, dim: int, name: str = "z"):
    """Check a batch of vectors of length ``dim``: returns float32 (N, dim)."""
    arr = np.asarray(value)
    if arr.ndim == 1 and arr.shape[0] == dim:
        raise ValueError(
            f"{name} must be a batch of shape (N, {dim}), got a single vector of shape ({dim},); "
            f"add the batch axis with {name}[None]"
        )
    if arr.ndim != 2 or arr.shape[1] != dim:
        raise ValueError(f"{name} must have shape (N, {dim}), got {describe(arr)}")
    if not np.issubdtype(arr.dtype, np.number) or not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold finite numbers, got {describe(arr)}")
    return arr.astype(np.float32, copy=False)

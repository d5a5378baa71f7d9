"""Measurable properties of digit images (lessons 04 and 07): ink, stroke width, slant, size.

Used to ask what an encoder unit or a latent direction responds to, and as targets for probes.
All are computed from pixel intensities in [0, 1] with numpy, vectorised over the batch.
"""
from __future__ import annotations

import numpy as np

from . import _validate as v

ATTRIBUTES = ("ink", "stroke_width", "slant", "width", "height")


def _gray(images) -> np.ndarray:
    arr = v.images(images, shape=np.shape(images)[1:] if np.ndim(images) == 4 else (28, 28, 1))
    return arr[..., 0].astype(np.float64)


def ink(images) -> np.ndarray:
    """Total intensity per image (how much ink the digit uses)."""
    return _gray(images).sum(axis=(1, 2))


def stroke_width(images, threshold: float = 0.5) -> np.ndarray:
    """Mean stroke width in pixels: 2 * area / perimeter of the thresholded strokes.

    A stroke of length L and width w has area L * w and perimeter about 2 * L.
    """
    mask = _gray(images) > threshold
    area = mask.sum(axis=(1, 2))
    padded = np.pad(mask, ((0, 0), (1, 1), (1, 1)))
    perimeter = (padded[:, 1:, :] != padded[:, :-1, :]).sum(axis=(1, 2)) + (padded[:, :, 1:] != padded[:, :, :-1]).sum(axis=(1, 2))
    return np.where(perimeter > 0, 2.0 * area / np.maximum(perimeter, 1), 0.0)


def slant(images) -> np.ndarray:
    """Slant from second-order image moments: mu11 / mu02 (x as a function of y).

    Positive when the top of the digit leans right (rows grow downwards). 0 for an upright digit.
    """
    g = _gray(images)
    n, h, w = g.shape
    rows, cols = np.mgrid[0:h, 0:w].astype(np.float64)
    mass = g.sum(axis=(1, 2)) + 1e-12
    cy = (g * rows).sum(axis=(1, 2)) / mass
    cx = (g * cols).sum(axis=(1, 2)) / mass
    dy = rows[None] - cy[:, None, None]
    dx = cols[None] - cx[:, None, None]
    mu11 = (g * dx * dy).sum(axis=(1, 2)) / mass
    mu02 = (g * dy * dy).sum(axis=(1, 2)) / mass
    return -mu11 / np.maximum(mu02, 1e-12)


def _extent(mask, axis) -> np.ndarray:
    filled = mask.any(axis=axis)
    first = np.where(filled.any(1), np.argmax(filled, axis=1), 0)
    last = np.where(filled.any(1), filled.shape[1] - 1 - np.argmax(filled[:, ::-1], axis=1), -1)
    return (last - first + 1).astype(np.float64)


def width(images, threshold: float = 0.2) -> np.ndarray:
    """Width of the bounding box of pixels above ``threshold``, in pixels."""
    return _extent(_gray(images) > threshold, axis=1)


def height(images, threshold: float = 0.2) -> np.ndarray:
    """Height of the bounding box of pixels above ``threshold``, in pixels."""
    return _extent(_gray(images) > threshold, axis=2)


def measure(images) -> dict:
    """All attributes at once: {name: (N,) array}."""
    return {name: globals()[name](images) for name in ATTRIBUTES}


def correlate(codes, attributes: dict) -> np.ndarray:
    """Pearson correlation between each code unit (columns of ``codes``) and each attribute.

    Returns (len(attributes), units); units that never vary get 0.
    """
    codes = np.asarray(codes, dtype=np.float64)
    if codes.ndim != 2:
        raise ValueError(f"codes must be (N, units), got {v.describe(codes)}")
    out = []
    zc = codes - codes.mean(0)
    sc = np.sqrt((zc ** 2).sum(0))
    for name, values in attributes.items():
        values = np.asarray(values, dtype=np.float64)
        if values.shape != (len(codes),):
            raise ValueError(f"attribute {name!r} must have shape ({len(codes)},), got {values.shape}")
        za = values - values.mean()
        out.append(np.where(sc > 0, (zc * za[:, None]).sum(0) / np.maximum(sc * np.sqrt((za ** 2).sum()), 1e-300), 0.0))
    return np.stack(out)

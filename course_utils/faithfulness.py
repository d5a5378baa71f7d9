"""Evaluating attribution maps (lesson 08): deletion and insertion curves (Petsiuk et al., 2018).

*Deletion*: remove the pixels an attribution ranks highest first (replace them by a fill value)
and watch the target fall — a faithful map makes it fall fast (low area under the curve).
*Insertion*: start from the fill image and put the top pixels back — a faithful map makes the
target rise fast (high area). A random ranking is the baseline every method must beat.

All perturbed images of a curve are built at once and scored in one batched call.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate as v


@dataclass(frozen=True)
class Curve:
    fractions: np.ndarray  # (steps + 1,): share of pixels removed (deletion) or inserted (insertion)
    scores: np.ndarray  # (N, steps + 1): the target after each step, per image

    @property
    def auc(self) -> np.ndarray:
        """Area under each image's curve (trapezoid rule over the fractions), shape (N,)."""
        return area_under_curve(self.fractions, self.scores)


def area_under_curve(fractions, scores) -> np.ndarray:
    """Trapezoid-rule area under score(fraction), for one curve (steps,) or many (N, steps)."""
    fractions = np.asarray(fractions, dtype=np.float64)
    scores = np.asarray(scores, dtype=np.float64)
    if fractions.ndim != 1 or scores.shape[-1] != fractions.size:
        raise ValueError(f"scores must end with an axis of len(fractions) = {fractions.size}, got {scores.shape}")
    widths = np.diff(fractions)
    return (0.5 * (scores[..., 1:] + scores[..., :-1]) * widths).sum(axis=-1)


def random_ranking(shape, seed: int = 0) -> np.ndarray:
    """A random 'attribution' of the given shape: the baseline ranking."""
    return np.random.default_rng(seed).random(shape).astype(np.float32)


def fill_image(x, fill) -> np.ndarray:
    """The replacement values: a number (e.g. 0.0 for black), "mean" (each image's mean intensity)
    or "blur" (a 5x5 box-blurred copy of each image)."""
    x = np.asarray(x, dtype=np.float32)
    if isinstance(fill, (int, float, np.integer, np.floating)) and not isinstance(fill, bool):
        return np.full_like(x, float(fill))
    v.one_of("fill", fill, ("mean", "blur"))
    if fill == "mean":
        return np.broadcast_to(x.mean(axis=tuple(range(1, x.ndim)), keepdims=True), x.shape).copy()
    padded = np.pad(x, [(0, 0), (2, 2), (2, 2), (0, 0)], mode="edge")
    h, w = x.shape[1:3]
    return np.mean([padded[:, i:i + h, j:j + w] for i in range(5) for j in range(5)], axis=0).astype(np.float32)


def _curve(target, x, attribution, fill, steps, mode, batch_size):
    from .attribution import Target

    if not isinstance(target, Target):
        raise ValueError(f"target must be a course_utils.attribution.Target, got {type(target).__name__}")
    x = target.check_input(x)
    attribution = np.asarray(attribution, dtype=np.float64)
    if attribution.shape != x.shape:
        raise ValueError(f"attribution must have the shape of x {x.shape}, got {attribution.shape}")
    steps = v.positive_int("steps", steps)
    n, d = len(x), int(np.prod(x.shape[1:]))
    filler = fill_image(x, fill).reshape(n, d)
    flat = x.reshape(n, d)
    order = np.argsort(-attribution.reshape(n, d), axis=1, kind="stable")  # most important first
    counts = np.round(np.linspace(0, d, steps + 1)).astype(int)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(d)[None].repeat(n, 0), axis=1)  # rank of every pixel
    changed = rank[:, None, :] < counts[None, :, None]  # (n, steps + 1, d): pixels touched at each step
    if mode == "deletion":
        images = np.where(changed, filler[:, None], flat[:, None])
    else:
        images = np.where(changed, flat[:, None], filler[:, None])
    scores = target(images.reshape((-1,) + x.shape[1:]).astype(np.float32), batch_size=batch_size)
    return Curve(counts / d, scores.reshape(n, steps + 1))


def deletion_curve(target, x, attribution, fill=0.0, steps: int = 28, batch_size: int = 256) -> Curve:
    """Remove pixels in decreasing order of attribution; score the target after each of ``steps``."""
    return _curve(target, x, attribution, fill, steps, "deletion", batch_size)


def insertion_curve(target, x, attribution, fill=0.0, steps: int = 28, batch_size: int = 256) -> Curve:
    """Insert pixels into the fill image in decreasing order of attribution; score after each step."""
    return _curve(target, x, attribution, fill, steps, "insertion", batch_size)

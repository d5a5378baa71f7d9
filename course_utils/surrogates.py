"""Explanation models (lesson 07): probes and surrogates, with their fidelity on held-out data.

* A **probe** asks what a representation *contains*: fit a simple model from codes to a
  measurable property (linear regression for ink or slant, logistic regression for the digit).
* A **surrogate** imitates a model's *behaviour*: fit a simple model (a shallow decision tree)
  to the black box's outputs, and report its **fidelity** — how often it agrees with the black
  box on inputs it was not fitted on.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate as v


def _split(n, test_fraction, seed):
    from sklearn.model_selection import train_test_split

    v.number_in("test_fraction", test_fraction, 0.05, 0.95)
    return train_test_split(np.arange(n), test_size=test_fraction, random_state=seed)


def _xy(features, target):
    features = np.asarray(features, dtype=np.float64)
    target = np.asarray(target)
    if features.ndim != 2 or target.shape != (len(features),):
        raise ValueError(f"features must be (N, D) and the target (N,), got {features.shape} and {target.shape}")
    if len(features) < 10:
        raise ValueError(f"need at least 10 examples, got {len(features)}")
    return features, target


@dataclass(frozen=True)
class ProbeResult:
    model: object
    train_score: float  # R^2 (linear) or accuracy (logistic) on the fitting data
    test_score: float  # the same on held-out data: what to report


def linear_probe(codes, target, test_fraction: float = 0.3, seed: int = 0) -> ProbeResult:
    """Linear regression from codes to a continuous property; scores are R^2."""
    from sklearn.linear_model import LinearRegression

    x, y = _xy(codes, target)
    train, test = _split(len(x), test_fraction, seed)
    model = LinearRegression().fit(x[train], y[train])
    return ProbeResult(model, float(model.score(x[train], y[train])), float(model.score(x[test], y[test])))


def logistic_probe(codes, labels, test_fraction: float = 0.3, seed: int = 0) -> ProbeResult:
    """Multinomial logistic regression from codes to class labels; scores are accuracies."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x, y = _xy(codes, labels)
    train, test = _split(len(x), test_fraction, seed)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, random_state=seed)).fit(x[train], y[train])
    return ProbeResult(model, float(model.score(x[train], y[train])), float(model.score(x[test], y[test])))


def fidelity(black_box_outputs, surrogate_outputs, task: str = "classification") -> float:
    """Agreement rate (classification) or R^2 (regression) of a surrogate with the black box."""
    from sklearn.metrics import r2_score

    v.one_of("task", task, ("classification", "regression"))
    a, b = np.asarray(black_box_outputs), np.asarray(surrogate_outputs)
    if a.shape != b.shape:
        raise ValueError(f"outputs must have the same shape, got {a.shape} and {b.shape}")
    return float(np.mean(a == b)) if task == "classification" else float(r2_score(a, b))


def tree_surrogates(features, black_box_outputs, depths=range(1, 9), task: str = "classification",
                    test_fraction: float = 0.3, seed: int = 0) -> list[dict]:
    """Decision trees of increasing depth fitted to a black box's outputs.

    Returns one dict per depth: depth, fidelity on the fitting data and on held-out data, the
    number of leaves and the fitted tree (scikit-learn).
    """
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    v.one_of("task", task, ("classification", "regression"))
    x, y = _xy(features, black_box_outputs)
    train, test = _split(len(x), test_fraction, seed)
    cls = DecisionTreeClassifier if task == "classification" else DecisionTreeRegressor
    out = []
    for depth in depths:
        depth = v.positive_int("depth", depth)
        tree = cls(max_depth=depth, random_state=seed).fit(x[train], y[train])
        out.append({"depth": depth,
                    "fidelity_train": fidelity(y[train], tree.predict(x[train]), task),
                    "fidelity_test": fidelity(y[test], tree.predict(x[test]), task),
                    "leaves": int(tree.get_n_leaves()), "tree": tree})
    return out


def classifier_on_decoded_latents(decoder, classifier, n: int = 4000, seed: int = 0, batch_size: int = 500):
    """The black box to explain: latent codes z ~ N(0, I) -> decoded image -> predicted digit.

    Returns (z, predicted digit, decoded images).
    """
    from .latent import sample_prior

    z = sample_prior(n, decoder.input_shape[-1], seed=seed)
    images = decoder.predict(z, batch_size=batch_size, verbose=0)
    digits = classifier.predict(images, batch_size=batch_size, verbose=0).argmax(axis=1)
    return z, digits, images


def draw_tree(tree, feature_names=None, class_names=None, max_depth: int = 3, ax=None):
    """A readable drawing of (the top levels of) a fitted tree."""
    import matplotlib.pyplot as plt
    from sklearn.tree import plot_tree

    if ax is None:
        _, ax = plt.subplots(figsize=(11, 5))
    plot_tree(tree, feature_names=feature_names, class_names=class_names, max_depth=max_depth, filled=True,
              impurity=False, proportion=True, rounded=True, fontsize=7, ax=ax)
    return ax

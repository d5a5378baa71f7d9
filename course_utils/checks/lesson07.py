"""Checks for lesson 07 — explanation models: probes, surrogates, directions, disentanglement."""
from __future__ import annotations

import numpy as np

from .. import directions
from .. import disentanglement as dis
from . import Fail, as_array, call, compare, exercise


def _split(n, seed):
    idx = np.random.default_rng(seed).permutation(n)
    return np.sort(idx[: int(0.7 * n)]), np.sort(idx[int(0.7 * n):])


@exercise("7.1", "linear probe with held-out R²")
def check_probe(fn):
    from sklearn.linear_model import LinearRegression

    rng = np.random.default_rng(701)
    codes = rng.normal(size=(120, 12))
    target = codes[:, 0] - 0.5 * codes[:, 3] + 0.8 * rng.normal(size=120)
    train, test = _split(120, 702)
    model = LinearRegression().fit(codes[train], target[train])
    expected = model.score(codes[test], target[test])
    r = np.corrcoef(model.predict(codes[test]), target[test])[0, 1]
    got = as_array(call(fn, codes, target, train, test), "probe_r2")
    compare(got, expected, what="the held-out R²", rtol=1e-6, atol=1e-9, mistakes=(
        (model.score(codes[train], target[train]), "that is the R² on the fitting data; score the held-out rows (test_idx)"),
        (r, "that is the correlation r; R² is 1 - SS_res / SS_tot (LinearRegression.score)"),
        (LinearRegression().fit(codes, target).score(codes[test], target[test]), "fit on the training rows only: the test rows must stay unseen"),
    ), hint="LinearRegression().fit(codes[train_idx], target[train_idx]).score(codes[test_idx], target[test_idx])")
    return "fitted on one part, scored on the other"


@exercise("7.2", "fidelity of a tree surrogate")
def check_tree(fn):
    from sklearn.tree import DecisionTreeClassifier

    rng = np.random.default_rng(703)
    features = rng.normal(size=(600, 3))
    black_box = ((features[:, 0] > 0) ^ (features[:, 1] > 0.5)).astype(int) + (features[:, 2] > 1)
    train, test = _split(600, 704)
    for depth in (1, 3):
        tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(features[train], black_box[train])
        expected = np.mean(tree.predict(features[test]) == black_box[test])
        deep = DecisionTreeClassifier(random_state=0).fit(features[train], black_box[train])
        got = as_array(call(fn, features, black_box, depth, train, test), "tree_fidelity")
        compare(got, expected, what=f"the fidelity at depth {depth}", rtol=1e-9, atol=1e-12, mistakes=(
            (np.mean(tree.predict(features[train]) == black_box[train]), "report the agreement on the held-out rows (test_idx)"),
            (1 - expected, "fidelity is the share of *agreement* with the black box, not of disagreement"),
            (np.mean(deep.predict(features[test]) == black_box[test]), "limit the tree with max_depth=depth"),
        ), hint="DecisionTreeClassifier(max_depth=depth, random_state=0).fit(...) on the black box's outputs, then agreement on test rows")
    return "agreement with the black box on held-out inputs"


@exercise("7.3", "the top SeFa direction")
def check_sefa(fn):
    rng = np.random.default_rng(705)
    kernel = rng.normal(size=(8, 40)) * np.array([3, 1, 1, 0.5, 2, 0.2, 1, 1.5])[:, None]
    expected = directions.sefa(kernel, 1)[0][0]
    got = as_array(call(fn, kernel.copy()), "sefa_top")
    if got.shape == (40,):
        raise Fail("the direction has 40 entries: it lives in the *latent* space (8 numbers) — use A^T A = kernel @ kernel.T",
                   "kernel has shape (latent, out); its Gram matrix over the latent axis is kernel @ kernel.T")
    if got.shape == expected.shape and got @ expected < 0:
        got = -got  # an eigenvector's sign is arbitrary
    vals, vecs = np.linalg.eigh(kernel @ kernel.T)
    # the planted mistakes, each given the learner's sign (eigenvectors have no sign of their own)
    smallest = vecs[:, 0] * (np.sign(vecs[:, 0] @ got) if got.shape == (8,) and vecs[:, 0] @ got else 1.0)
    row = vecs[-1] * (np.sign(vecs[-1] @ got) if got.shape == (8,) and vecs[-1] @ got else 1.0)
    compare(got, expected, what="the direction", rtol=1e-5, atol=1e-6, mistakes=(
        (smallest, "np.linalg.eigh sorts eigenvalues in *ascending* order: take the last eigenvector"),
        (row, "eigh returns eigenvectors as *columns*: use vecs[:, -1], not vecs[-1]"),
    ), hint="vals, vecs = np.linalg.eigh(kernel @ kernel.T); vecs[:, np.argmax(vals)]")
    if abs(np.linalg.norm(got) - 1) > 1e-5:
        raise Fail("the direction should have unit length")
    return "the eigenvector of A^T A with the largest eigenvalue"


@exercise("7.4", "MIG from a mutual-information matrix")
def check_mig(fn):
    rng = np.random.default_rng(706)
    mi = rng.random((6, 4)) * np.array([2.0, 1.0, 3.0, 0.5])
    mi[2, 0] += 1.5
    entropies = mi.max(axis=0) * 1.3
    expected = dis.mig_from_mi(mi, entropies)[0]
    top = np.sort(mi, axis=0)[::-1]
    got = as_array(call(fn, mi, entropies), "mig")
    compare(got, expected, what="MIG", rtol=1e-6, atol=1e-9, mistakes=(
        (np.mean(top[0] - top[1]), "normalise each factor's gap by that factor's entropy"),
        (np.mean((top[0] - top[-1]) / entropies), "the gap is between the best and the *second-best* code"),
        (np.max((top[0] - top[1]) / entropies), "average the normalised gaps over the factors"),
        (np.mean((np.sort(mi, axis=1)[:, -1] - np.sort(mi, axis=1)[:, -2]) / 1.0), "rank the *codes* for each factor (axis 0), not the factors for each code"),
    ), hint="top2 = np.sort(mi, axis=0)[::-1][:2]; np.mean((top2[0] - top2[1]) / entropies)")
    return "mean over factors of (best - second-best MI) / H(factor)"

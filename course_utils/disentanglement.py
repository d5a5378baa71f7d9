"""Disentanglement metrics on data with known factors (lesson 07): MIG, DCI and SAP.

Codes are (N, K) latent means; factors are (N, F) ground-truth generative factors (the shapes
data's table). Definitions follow the papers:

* **MIG** (Chen et al., 2018): for each factor, the gap between the two codes with the highest
  mutual information with it, divided by the factor's entropy; averaged over factors.
* **DCI** (Eastwood & Williams, 2018): from an importance matrix R (codes x factors) of per-factor
  regressors — *disentanglement* (each code explains one factor), *completeness* (each factor is
  explained by one code), *informativeness* (how well the codes predict the factors).
* **SAP** (Kumar et al., 2018): for each factor, the gap between the two codes that predict it
  best on their own (R^2 of a linear fit, or accuracy for a categorical factor); averaged.

Continuous variables are discretised into ``bins`` equal-width bins for the mutual information.
"""
from __future__ import annotations

import numpy as np

from . import _validate as v


def _check(codes, factors):
    codes = np.asarray(codes, dtype=np.float64)
    factors = np.asarray(factors, dtype=np.float64)
    if codes.ndim != 2 or factors.ndim != 2 or len(codes) != len(factors):
        raise ValueError(f"codes must be (N, K) and factors (N, F) with the same N, got {codes.shape} and {factors.shape}")
    if len(codes) < 10:
        raise ValueError(f"need at least 10 examples, got {len(codes)}")
    return codes, factors


def discretize(values, bins: int = 20) -> np.ndarray:
    """Equal-width bin index per column (a constant column is all zeros); shape as the input."""
    values = np.asarray(values, dtype=np.float64)
    bins = v.positive_int("bins", bins, minimum=2)
    out = np.zeros(values.shape, dtype=np.int64)
    cols = values.reshape(len(values), -1)
    flat = out.reshape(len(values), -1)
    for j in range(cols.shape[1]):
        col = cols[:, j]
        lo, hi = col.min(), col.max()
        if hi > lo:
            flat[:, j] = np.minimum(((col - lo) / (hi - lo) * bins).astype(np.int64), bins - 1)
    return out


def _factor_codes(factors, categorical, bins):
    """Factor columns as integer labels: categorical ones as they are, continuous ones binned."""
    cat = set(categorical)
    cols = []
    for j in range(factors.shape[1]):
        if j in cat:
            cols.append(np.unique(factors[:, j], return_inverse=True)[1])
        else:
            cols.append(discretize(factors[:, j], bins))
    return np.stack(cols, axis=1)


def mutual_information_matrix(codes, factors, categorical=(), bins: int = 20) -> np.ndarray:
    """I(code_i; factor_j) in nats for every pair: shape (K, F)."""
    from sklearn.metrics import mutual_info_score

    codes, factors = _check(codes, factors)
    zc = discretize(codes, bins)
    fc = _factor_codes(factors, categorical, bins)
    return np.array([[mutual_info_score(fc[:, j], zc[:, i]) for j in range(fc.shape[1])] for i in range(zc.shape[1])])


def factor_entropies(factors, categorical=(), bins: int = 20) -> np.ndarray:
    """H(factor_j) in nats of the discretised factors: shape (F,)."""
    from sklearn.metrics import mutual_info_score

    factors = np.asarray(factors, dtype=np.float64)
    fc = _factor_codes(factors, categorical, bins)
    return np.array([mutual_info_score(fc[:, j], fc[:, j]) for j in range(fc.shape[1])])


def mig_from_mi(mi, entropies) -> tuple[float, np.ndarray]:
    """MIG from a mutual-information matrix (K, F) and the factors' entropies (F,).

    Returns (mean gap, per-factor normalised gaps). Needs at least two codes.
    """
    mi = np.asarray(mi, dtype=np.float64)
    entropies = np.asarray(entropies, dtype=np.float64)
    if mi.ndim != 2 or mi.shape[0] < 2 or entropies.shape != (mi.shape[1],):
        raise ValueError(f"mi must be (K >= 2, F) and entropies (F,), got {mi.shape} and {entropies.shape}")
    top2 = np.sort(mi, axis=0)[::-1][:2]
    gaps = np.where(entropies > 0, (top2[0] - top2[1]) / np.maximum(entropies, 1e-12), 0.0)
    return float(gaps.mean()), gaps


def mig(codes, factors, categorical=(), bins: int = 20) -> float:
    """Mutual Information Gap (Chen et al., 2018)."""
    mi = mutual_information_matrix(codes, factors, categorical, bins)
    return mig_from_mi(mi, factor_entropies(factors, categorical, bins))[0]


def _entropy_rows(p, base):
    p = np.asarray(p, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(p > 0, np.log(p) / np.log(base), 0.0)
    return -(p * logs).sum(axis=-1)


def importance_matrix(codes, factors, categorical=(), seed: int = 0, test_fraction: float = 0.3):
    """R (K, F) of feature importances and held-out informativeness per factor (R^2, or for a
    categorical factor the accuracy rescaled so that chance is 0).

    One gradient-boosted tree ensemble per factor (classifier for categorical factors), as in
    Locatello et al. (2019)'s implementation of DCI.
    """
    from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor
    from sklearn.model_selection import train_test_split

    codes, factors = _check(codes, factors)
    idx_train, idx_test = train_test_split(np.arange(len(codes)), test_size=test_fraction, random_state=seed)
    importances, scores = [], []
    for j in range(factors.shape[1]):
        y = factors[:, j]
        if j in set(categorical):
            model = GradientBoostingClassifier(n_estimators=30, max_depth=3, random_state=seed)
            y = np.unique(y, return_inverse=True)[1]
        else:
            model = GradientBoostingRegressor(n_estimators=30, max_depth=3, random_state=seed)
        model.fit(codes[idx_train], y[idx_train])
        importances.append(model.feature_importances_)
        score = model.score(codes[idx_test], y[idx_test])  # R^2, or accuracy for a categorical factor
        if j in set(categorical):  # rescale accuracy so that chance is 0, like R^2
            chance = 1.0 / len(np.unique(y))
            score = (score - chance) / (1.0 - chance)
        scores.append(score)
    return np.stack(importances, axis=1), np.array(scores)


def dci(codes, factors, categorical=(), seed: int = 0) -> dict:
    """Disentanglement, completeness and informativeness (Eastwood & Williams, 2018)."""
    r, scores = importance_matrix(codes, factors, categorical, seed)
    return dci_from_importance(r) | {"informativeness": float(np.mean(scores))}


def dci_from_importance(r) -> dict:
    """Disentanglement and completeness from an importance matrix R (codes x factors)."""
    r = np.abs(np.asarray(r, dtype=np.float64))
    k, f = r.shape
    if r.sum() == 0:
        return {"disentanglement": 0.0, "completeness": 0.0}
    p_codes = r / np.maximum(r.sum(axis=1, keepdims=True), 1e-12)
    d_i = 1.0 - _entropy_rows(p_codes, base=max(f, 2))
    rho = r.sum(axis=1) / r.sum()
    p_factors = (r / np.maximum(r.sum(axis=0, keepdims=True), 1e-12)).T
    c_j = 1.0 - _entropy_rows(p_factors, base=max(k, 2))
    active = r.sum(axis=0) > 0
    return {"disentanglement": float((rho * d_i).sum()), "completeness": float(c_j[active].mean()) if active.any() else 0.0}


def sap_matrix(codes, factors, categorical=()) -> np.ndarray:
    """How well each single code predicts each factor, shape (K, F): the R^2 of a linear fit for a
    continuous factor; for a categorical one, the accuracy of a nearest-class-mean classifier on
    that code, rescaled so that chance is 0 and perfect is 1."""
    codes, factors = _check(codes, factors)
    k, f = codes.shape[1], factors.shape[1]
    out = np.zeros((k, f))
    for j in range(f):
        y = factors[:, j]
        for i in range(k):
            c = codes[:, i]
            if c.std() == 0 or y.std() == 0:
                continue
            if j in set(categorical):
                out[i, j] = _categorical_score(c, y)
            else:
                out[i, j] = np.corrcoef(c, y)[0, 1] ** 2
    return out


def _categorical_score(code, labels):
    """Accuracy of predicting a categorical factor from one code by nearest class mean (1-D)."""
    classes = np.unique(labels)
    means = np.array([code[labels == c].mean() for c in classes])
    predicted = classes[np.abs(code[:, None] - means[None]).argmin(axis=1)]
    chance = 1.0 / len(classes)
    return max(0.0, (np.mean(predicted == labels) - chance) / (1 - chance))


def sap(codes, factors, categorical=()) -> float:
    """Separated Attribute Predictability (Kumar et al., 2018)."""
    s = sap_matrix(codes, factors, categorical)
    if s.shape[0] < 2:
        raise ValueError("SAP needs at least two codes")
    top2 = np.sort(s, axis=0)[::-1][:2]
    return float((top2[0] - top2[1]).mean())


def all_metrics(codes, factors, categorical=(), seed: int = 0) -> dict:
    """MIG, SAP and DCI in one dict."""
    return {"MIG": mig(codes, factors, categorical), "SAP": sap(codes, factors, categorical)} | dci(codes, factors, categorical, seed)

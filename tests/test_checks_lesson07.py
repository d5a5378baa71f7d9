"""Every lesson-07 check: the reference passes, realistic wrong solutions fail with their message."""
import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.tree import DecisionTreeClassifier

from _check_cases import build


def probe(codes, target, tr, te, score_on="test"):
    model = LinearRegression().fit(codes[tr], target[tr])
    rows = te if score_on == "test" else tr
    return model.score(codes[rows], target[rows])


def tree(f, bb, depth, tr, te, on="test", limit=True):
    t = DecisionTreeClassifier(max_depth=depth if limit else None, random_state=0).fit(f[tr], bb[tr])
    rows = te if on == "test" else tr
    return np.mean(t.predict(f[rows]) == bb[rows])


def sefa(kernel, pick="largest"):
    vals, vecs = np.linalg.eigh(kernel @ kernel.T)
    return {"largest": vecs[:, -1], "smallest": vecs[:, 0], "row": vecs[-1]}[pick]


def mig(mi, h, normalise=True, second=True):
    top = np.sort(mi, axis=0)[::-1]
    gap = top[0] - (top[1] if second else top[-1])
    return np.mean(gap / h if normalise else gap)


CASES = {
    "7.1": (probe, [
        (lambda c, t, tr, te: probe(c, t, tr, te, score_on="train"), "R² on the fitting data"),
        (lambda c, t, tr, te: LinearRegression().fit(c, t).score(c[te], t[te]), "training rows only"),
    ]),
    "7.2": (tree, [
        (lambda f, bb, d, tr, te: tree(f, bb, d, tr, te, on="train"), "held-out rows"),
        (lambda f, bb, d, tr, te: 1 - tree(f, bb, d, tr, te), "not of disagreement"),
        (lambda f, bb, d, tr, te: tree(f, bb, d, tr, te, limit=False), "max_depth=depth"),
    ]),
    "7.3": (sefa, [
        (lambda k: sefa(k, "smallest"), "*ascending* order"),
        (lambda k: sefa(k, "row"), "as *columns*"),
        (lambda k: np.linalg.svd(k)[2][0], "lives in the *latent* space"),
    ]),
    "7.4": (mig, [
        (lambda mi, h: mig(mi, h, normalise=False), "normalise each factor's gap"),
        (lambda mi, h: mig(mi, h, second=False), "*second-best*"),
        (lambda mi, h: np.max((np.sort(mi, axis=0)[::-1][0] - np.sort(mi, axis=0)[::-1][1]) / h), "average the normalised gaps"),
    ]),
}


test_reference_passes, test_wrong_solution_fails_with_its_message, test_every_exercise_of_the_lesson_is_tested = \
    build(CASES, "7.")

import numpy as np
import pytest

from course_utils import surrogates as sur


def test_linear_probe_reports_held_out_r2():
    rng = np.random.default_rng(0)
    codes = rng.normal(size=(400, 5))
    target = codes @ np.array([1.0, -2.0, 0, 0, 0.5]) + 0.1 * rng.normal(size=400)
    good = sur.linear_probe(codes, target)
    noise = sur.linear_probe(codes, rng.normal(size=400))
    assert good.test_score > 0.95 and noise.test_score < 0.05
    assert noise.train_score > noise.test_score  # overfitting shows only on held-out data


def test_logistic_probe():
    rng = np.random.default_rng(1)
    codes = rng.normal(size=(300, 3))
    labels = (codes @ rng.normal(size=(3, 4))).argmax(axis=1)  # linearly separable classes
    assert sur.logistic_probe(codes, labels).test_score > 0.9
    assert sur.logistic_probe(codes, rng.integers(0, 4, 300)).test_score < 0.45  # labels carry nothing


def test_tree_surrogates_fidelity_grows_with_depth_on_training_data():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(1000, 4))
    black_box = (np.sin(3 * x[:, 0]) + x[:, 1] ** 2 > 0.5).astype(int)
    results = sur.tree_surrogates(x, black_box, depths=range(1, 10))
    train = [r["fidelity_train"] for r in results]
    assert all(b >= a - 1e-12 for a, b in zip(train, train[1:]))
    assert results[-1]["fidelity_train"] > 0.95
    assert all(0 <= r["fidelity_test"] <= 1 for r in results)
    reg = sur.tree_surrogates(x, np.sin(3 * x[:, 0]), depths=[2, 6], task="regression")
    assert reg[1]["fidelity_test"] > reg[0]["fidelity_test"]


def test_surrogate_of_the_classifier_on_decoded_latents(zoo):
    vae = zoo.load_pretrained("vae_2d")
    z, digits, images = sur.classifier_on_decoded_latents(vae.decoder, zoo.load_pretrained("classifier"), n=1500)
    assert z.shape == (1500, 2) and images.shape == (1500, 28, 28, 1) and len(np.unique(digits)) >= 8
    results = sur.tree_surrogates(z, digits, depths=[1, 3, 6])
    assert results[2]["fidelity_test"] > results[0]["fidelity_test"] and results[2]["fidelity_test"] > 0.8


def test_bad_input():
    with pytest.raises(ValueError, match="features must be"):
        sur.linear_probe(np.zeros(20), np.zeros(20))
    with pytest.raises(ValueError, match="task must be one of"):
        sur.tree_surrogates(np.zeros((20, 2)), np.zeros(20), task="ranking")
    with pytest.raises(ValueError, match="same shape"):
        sur.fidelity(np.zeros(3), np.zeros(4))

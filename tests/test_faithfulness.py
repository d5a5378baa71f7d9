import numpy as np
import pytest

from course_utils import attribution as A
from course_utils import data
from course_utils import faithfulness as F


def linear_target():
    w = np.random.default_rng(0).normal(size=(1, 6, 6, 1)).astype(np.float32)
    import tensorflow as tf

    wt = tf.constant(w)
    return w, A.Target(lambda x: tf.reduce_sum(x * wt, axis=[1, 2, 3]), (6, 6, 1), "linear")


def test_deletion_with_the_exact_attribution_falls_fastest():
    w, target = linear_target()
    x = np.random.default_rng(1).random((4, 6, 6, 1)).astype(np.float32)
    exact = w * x  # the exact contribution of every pixel to a linear target (fill 0)
    curve = F.deletion_curve(target, x, exact, fill=0.0, steps=36)
    assert curve.scores.shape == (4, 37) and curve.fractions[0] == 0 and curve.fractions[-1] == 1
    np.testing.assert_allclose(curve.scores[:, 0], target(x), rtol=1e-5)
    np.testing.assert_allclose(curve.scores[:, -1], 0.0, atol=1e-5)
    # removing the k largest contributions gives the lowest score any k deletions can reach,
    # so the exact attribution's curve lies below every other ranking's at every step
    random = F.deletion_curve(target, x, F.random_ranking(x.shape, seed=2), fill=0.0, steps=36)
    assert np.all(curve.scores <= random.scores + 1e-5)
    assert (curve.auc < random.auc).all()
    insertion = F.insertion_curve(target, x, exact, fill=0.0, steps=36)
    assert (insertion.auc > F.insertion_curve(target, x, F.random_ranking(x.shape), steps=36).auc).all()
    np.testing.assert_allclose(insertion.scores[:, -1], target(x), rtol=1e-5)


def test_fill_values():
    x = np.zeros((1, 6, 6, 1), np.float32)
    x[0, 2:4, 2:4] = 1.0
    np.testing.assert_allclose(F.fill_image(x, "mean"), 4 / 36)
    blurred = F.fill_image(x, "blur")
    assert blurred.shape == x.shape and 0 < blurred.max() < 1 and blurred.sum() == pytest.approx(x.sum(), rel=0.3)
    np.testing.assert_array_equal(F.fill_image(x, 0.5), np.full_like(x, 0.5))
    with pytest.raises(ValueError, match="fill must be one of"):
        F.fill_image(x, "noise")


def test_area_under_curve_and_validation(classifier):
    assert F.area_under_curve([0, 0.5, 1], [1, 1, 1]) == pytest.approx(1.0)
    assert F.area_under_curve([0, 1], [[0, 1], [1, 1]]).tolist() == [0.5, 1.0]
    with pytest.raises(ValueError, match="len\\(fractions\\)"):
        F.area_under_curve([0, 1], [1, 2, 3])
    x, _ = data.load_mnist("test")
    with pytest.raises(ValueError, match="attribution must have the shape of x"):
        F.deletion_curve(A.class_probability(classifier, 3), x[:2], np.zeros((2, 28, 28)))


def test_methods_beat_random_on_the_classifier(classifier):
    x, y = data.load_mnist("test")
    threes = x[y == 3][:10]
    prob, logit = A.class_probability(classifier, 3), A.class_logit(classifier, 3)
    ig = F.deletion_curve(prob, threes, A.integrated_gradients(logit, threes, steps=32).attributions).auc.mean()
    rnd = F.deletion_curve(prob, threes, F.random_ranking(threes.shape)).auc.mean()
    assert ig < 0.5 * rnd

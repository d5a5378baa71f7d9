"""Gradient-based attribution for any scalar target of a model (lesson 05).

Explaining generative models means explaining things other than class scores, so every method
here works on a :class:`Target` — a function that maps a batch of inputs to one number per
example: a class logit, one latent unit of an encoder, a patch of a decoder's output, the
reconstruction loss, the discriminator's score.

Methods: vanilla gradient (saliency) and gradient x input; SmoothGrad (Smilkov et al., 2017) with
its squared and VarGrad (Adebayo et al., 2018) variants; Integrated Gradients (Sundararajan et
al., 2017) built from three small functions, with its completeness error; the decoder Jacobian;
activation maximisation by gradient ascent; the model-randomisation sanity check (Adebayo et al.,
2018). Everything is batched — noise draws and IG steps are stacked along the batch axis and
pushed through one compiled gradient function in chunks of ``batch_size``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate as v
from . import losses
from .environment import quiet_tensorflow

tf = quiet_tensorflow()
import keras  # noqa: E402


class Target:
    """A scalar-per-example function of a model's input, with a compiled gradient.

    ``fn`` maps a float32 tensor (N, *input_shape) to a tensor (N,). ``input_shape`` excludes the
    batch axis. The gradient of ``sum(fn(x))`` with respect to ``x`` is each example's gradient,
    because examples do not interact (models run in inference mode).
    """

    def __init__(self, fn, input_shape, name: str = "target"):
        self.fn, self.input_shape, self.name = fn, tuple(input_shape), name
        self._value_and_grad = tf.function(self._value_and_grad_impl, reduce_retracing=True)
        self._value = tf.function(lambda x: self.fn(x), reduce_retracing=True)

    def _value_and_grad_impl(self, x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = self.fn(x)
        return y, tape.gradient(y, x)

    def check_input(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=np.float32)
        if x.ndim != len(self.input_shape) + 1 or tuple(x.shape[1:]) != self.input_shape:
            shape = ", ".join(map(str, self.input_shape))
            raise ValueError(f"inputs for {self.name} must have shape (N, {shape}), got {v.describe(x)}")
        if not np.all(np.isfinite(x)):
            raise ValueError(f"inputs for {self.name} must be finite")
        return x

    def __call__(self, x, batch_size: int = 256) -> np.ndarray:
        x = self.check_input(x)
        return np.concatenate([np.asarray(self._value(tf.constant(c))) for c in _chunks(x, batch_size)])

    def __repr__(self):
        return f"Target({self.name!r}, input_shape={self.input_shape})"


def _chunks(x, batch_size):
    batch_size = v.positive_int("batch_size", batch_size)
    return [x[i:i + batch_size] for i in range(0, len(x), batch_size)] or [x]


# ----------------------------------------------------------------------------- targets
def _model(m, what="model"):
    if not isinstance(m, keras.Model):
        raise ValueError(f"{what} must be a keras.Model, got {type(m).__name__}")
    return m


def class_logit(classifier, index: int) -> Target:
    """The classifier's logit for class ``index``."""
    _model(classifier, "classifier")
    n = classifier.output_shape[-1]
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < n:
        raise ValueError(f"index must be a class in 0..{n - 1}, got {index!r}")
    return Target(lambda x: classifier(x, training=False)[:, int(index)], classifier.input_shape[1:], f"logit {index}")


def class_probability(classifier, index: int) -> Target:
    """The classifier's softmax probability for class ``index`` (bounded in [0, 1]; lesson 08)."""
    _model(classifier, "classifier")
    n = classifier.output_shape[-1]
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < n:
        raise ValueError(f"index must be a class in 0..{n - 1}, got {index!r}")
    return Target(lambda x: tf.nn.softmax(classifier(x, training=False))[:, int(index)], classifier.input_shape[1:],
                  f"probability {index}")


def latent_unit(encoder, k: int) -> Target:
    """Latent unit ``k`` of an encoder: the posterior mean for a VAE encoder, the code otherwise."""
    _model(encoder, "encoder")
    outputs = encoder.output_shape
    dim = (outputs[0] if isinstance(outputs, list) else outputs)[-1]
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k < dim:
        raise ValueError(f"k must be a latent unit in 0..{dim - 1}, got {k!r}")

    def fn(x):
        out = encoder(x, training=False)
        return (out[0] if isinstance(out, (list, tuple)) else out)[:, int(k)]

    return Target(fn, encoder.input_shape[1:], f"latent unit {k}")


def _patch_slices(shape, rows, cols):
    if len(shape) != 3:
        raise ValueError(f"the model must output images (N, H, W, C) for a patch target, its output shape is {shape}")
    h, w = shape[0], shape[1]
    r0, r1 = rows
    c0, c1 = cols
    if not (0 <= r0 < r1 <= h and 0 <= c0 < c1 <= w):
        raise ValueError(f"the patch rows {rows} and cols {cols} must be (start, stop) inside the {h}x{w} image")
    return int(r0), int(r1), int(c0), int(c1)


def decoder_patch(decoder, rows=(10, 18), cols=(10, 18)) -> Target:
    """The summed intensity of a patch of the decoder's output, as a function of the latent z."""
    _model(decoder, "decoder")
    r0, r1, c0, c1 = _patch_slices(decoder.output_shape[1:], rows, cols)
    return Target(lambda z: tf.reduce_sum(decoder(z, training=False)[:, r0:r1, c0:c1, :], axis=[1, 2, 3]),
                  decoder.input_shape[1:], f"decoder patch rows {r0}:{r1} cols {c0}:{c1}")


def reconstruction_patch(encoder, decoder, rows=(10, 18), cols=(10, 18)) -> Target:
    """The summed intensity of a patch of the reconstruction decoder(mean(encoder(x))), a function of x."""
    _model(encoder, "encoder")
    r0, r1, c0, c1 = _patch_slices(decoder.output_shape[1:], rows, cols)

    def fn(x):
        out = encoder(x, training=False)
        z = out[0] if isinstance(out, (list, tuple)) else out
        return tf.reduce_sum(decoder(z, training=False)[:, r0:r1, c0:c1, :], axis=[1, 2, 3])

    return Target(fn, encoder.input_shape[1:], f"reconstruction patch rows {r0}:{r1} cols {c0}:{c1}")


def reconstruction_loss(encoder, decoder) -> Target:
    """The per-image BCE between x and its reconstruction from the posterior mean."""
    _model(encoder, "encoder")
    _model(decoder, "decoder")

    def fn(x):
        out = encoder(x, training=False)
        z = out[0] if isinstance(out, (list, tuple)) else out
        return losses.binary_cross_entropy(x, decoder(z, training=False))

    return Target(fn, encoder.input_shape[1:], "reconstruction loss")


def discriminator_score(discriminator) -> Target:
    """The discriminator's logit: how "real" it finds the input."""
    _model(discriminator, "discriminator")
    return Target(lambda x: discriminator(x, training=False)[:, 0], discriminator.input_shape[1:], "discriminator logit")


def generator_target(generator, discriminator) -> Target:
    """The discriminator's logit for the generator's image, as a function of the latent z."""
    _model(generator, "generator")
    _model(discriminator, "discriminator")
    return Target(lambda z: discriminator(generator(z, training=False), training=False)[:, 0],
                  generator.input_shape[1:], "D(G(z))")


def _target(t) -> Target:
    if not isinstance(t, Target):
        raise ValueError(f"target must be a course_utils.attribution.Target (e.g. class_logit(model, 3)), got {type(t).__name__}")
    return t


# ----------------------------------------------------------------------------- gradients
def gradients(target: Target, x, batch_size: int = 256) -> np.ndarray:
    """d target / d x for each example: the vanilla gradient ("saliency" before taking |.|)."""
    target = _target(target)
    x = target.check_input(x)
    parts = [np.asarray(target._value_and_grad(tf.constant(c))[1]) for c in _chunks(x, batch_size)]
    return np.concatenate(parts)


def saliency(target: Target, x, absolute: bool = True, batch_size: int = 256) -> np.ndarray:
    """Simonyan et al. (2014): the gradient's magnitude (``absolute=True``) or the signed gradient."""
    g = gradients(target, x, batch_size)
    return np.abs(g) if absolute else g


def gradient_x_input(target: Target, x, batch_size: int = 256) -> np.ndarray:
    """Gradient times input (Shrikumar et al., 2016): equals one-step IG from a zero baseline."""
    x = _target(target).check_input(x)
    return gradients(target, x, batch_size) * x


def smoothgrad(target: Target, x, n_samples: int = 32, noise_level: float = 0.15, kind: str = "mean",
               seed: int = 0, batch_size: int = 256) -> np.ndarray:
    """SmoothGrad (Smilkov et al., 2017): average the gradient over noisy copies of each input.

    The noise is Gaussian with standard deviation ``noise_level * (max(x) - min(x))`` of each
    input. ``kind``: "mean" (SmoothGrad), "squared" (mean of squared gradients) or "vargrad"
    (their variance; Adebayo et al., 2018). All ``N * n_samples`` noisy copies are stacked into
    one batch axis and pushed through the compiled gradient in chunks.
    """
    target = _target(target)
    x = target.check_input(x)
    n_samples = v.positive_int("n_samples", n_samples)
    v.number_in("noise_level", noise_level, 0.0, 10.0)
    v.one_of("kind", kind, ("mean", "squared", "vargrad"))
    axes = tuple(range(1, x.ndim))
    span = (x.max(axis=axes) - x.min(axis=axes)).reshape((-1,) + (1,) * (x.ndim - 1))
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((len(x), n_samples) + x.shape[1:]).astype(np.float32)
    noisy = x[:, None] + noise * (noise_level * span)[:, None]
    g = gradients(target, noisy.reshape((-1,) + x.shape[1:]), batch_size).reshape(noisy.shape)
    if kind == "mean":
        return g.mean(axis=1)
    if kind == "squared":
        return (g ** 2).mean(axis=1)
    return g.var(axis=1)


# ----------------------------------------------------------------------------- Integrated Gradients
IG_RULES = ("trapezoid", "riemann_left", "riemann_right", "riemann_midpoint")


def ig_alphas(steps: int, rule: str = "trapezoid"):
    """Path positions alpha in [0, 1] and quadrature weights for ``steps`` intervals.

    trapezoid: steps + 1 points with half weight at both ends; the Riemann rules: ``steps``
    points at the left ends, right ends or midpoints of the intervals, weight 1/steps each.
    """
    steps = v.positive_int("steps", steps)
    v.one_of("rule", rule, IG_RULES)
    k = np.arange(steps, dtype=np.float64)
    if rule == "trapezoid":
        alphas = np.arange(steps + 1) / steps
        weights = np.full(steps + 1, 1.0 / steps)
        weights[[0, -1]] *= 0.5
        return alphas, weights
    offset = {"riemann_left": 0.0, "riemann_right": 1.0, "riemann_midpoint": 0.5}[rule]
    return (k + offset) / steps, np.full(steps, 1.0 / steps)


def interpolate_path(x, baseline, alphas) -> np.ndarray:
    """Points baseline + alpha * (x - baseline): shape (N, len(alphas), *input_shape)."""
    x = np.asarray(x, dtype=np.float32)
    baseline = np.broadcast_to(np.asarray(baseline, dtype=np.float32), x.shape)
    a = np.asarray(alphas, dtype=np.float32).reshape((1, -1) + (1,) * (x.ndim - 1))
    return baseline[:, None] + a * (x - baseline)[:, None]


def path_gradients(target: Target, path, batch_size: int = 256) -> np.ndarray:
    """The target's gradient at every point of the path (N, A, ...), computed as one flat batch."""
    path = np.asarray(path, dtype=np.float32)
    flat = path.reshape((-1,) + path.shape[2:])
    return gradients(target, flat, batch_size).reshape(path.shape)


def integrate(path_grads, weights, x, baseline) -> np.ndarray:
    """(x - baseline) * sum_k w_k * grad_k: the Integrated Gradients attribution per input feature."""
    path_grads = np.asarray(path_grads, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64).reshape((1, -1) + (1,) * (path_grads.ndim - 2))
    x = np.asarray(x, dtype=np.float64)
    baseline = np.broadcast_to(np.asarray(baseline, dtype=np.float64), x.shape)
    return (x - baseline) * (path_grads * w).sum(axis=1)


@dataclass(frozen=True)
class IGResult:
    """Attributions, and how well they satisfy completeness: sum(attr) = F(x) - F(baseline)."""

    attributions: np.ndarray
    f_x: np.ndarray
    f_baseline: np.ndarray
    completeness_error: np.ndarray  # sum(attributions) - (F(x) - F(baseline)), per example

    @property
    def relative_error(self) -> np.ndarray:
        """Per example: |completeness error| / |F(x) - F(baseline)|."""
        return np.abs(self.completeness_error) / np.maximum(np.abs(self.f_x - self.f_baseline), 1e-12)

    @property
    def batch_relative_error(self) -> float:
        """Over the batch: sum |completeness error| / sum |F(x) - F(baseline)| (robust to tiny changes)."""
        return float(np.abs(self.completeness_error).sum() / max(np.abs(self.f_x - self.f_baseline).sum(), 1e-12))


def integrated_gradients(target: Target, x, baseline=None, steps: int = 64, rule: str = "trapezoid",
                         batch_size: int = 256) -> IGResult:
    """Integrated Gradients (Sundararajan et al., 2017) along the straight path from a baseline.

    ``baseline`` defaults to zeros (a black image, or the latent origin); it may be one input
    (broadcast to every example) or one per example.
    """
    target = _target(target)
    x = target.check_input(x)
    baseline = np.zeros_like(x) if baseline is None else np.asarray(baseline, dtype=np.float32)
    try:
        baseline = np.broadcast_to(baseline, x.shape).astype(np.float32)
    except ValueError:
        raise ValueError(f"baseline must have the shape of one input {x.shape[1:]} or of x {x.shape}, "
                         f"got {baseline.shape}") from None
    alphas, weights = ig_alphas(steps, rule)
    grads = path_gradients(target, interpolate_path(x, baseline, alphas), batch_size)
    attributions = integrate(grads, weights, x, baseline)
    f_x, f_b = target(x).astype(np.float64), target(baseline).astype(np.float64)
    error = attributions.reshape(len(x), -1).sum(axis=1) - (f_x - f_b)
    return IGResult(attributions.astype(np.float32), f_x, f_b, error)


# ----------------------------------------------------------------------------- Jacobian
def decoder_jacobian(decoder, z, batch_size: int = 64) -> np.ndarray:
    """d decoder(z) / d z for each example: shape (N, K, H, W, C) — which pixels unit k moves."""
    _model(decoder, "decoder")
    k = decoder.input_shape[-1]
    z = np.asarray(z, dtype=np.float32)
    if z.ndim != 2 or z.shape[1] != k:
        raise ValueError(f"z must have shape (N, {k}), got {v.describe(z)}")

    @tf.function(reduce_retracing=True)
    def jac(zb):
        with tf.GradientTape() as tape:
            tape.watch(zb)
            out = decoder(zb, training=False)
        return tape.batch_jacobian(out, zb)  # (n, H, W, C, K)

    parts = [np.asarray(jac(tf.constant(c))) for c in _chunks(z, batch_size)]
    j = np.concatenate(parts)
    return np.moveaxis(j, -1, 1)


# ----------------------------------------------------------------------------- activation maximisation
@dataclass(frozen=True)
class MaximisationResult:
    x: np.ndarray  # the optimised inputs
    history: np.ndarray  # (steps + 1, N): the target value before each step and at the end
    objective: np.ndarray  # (steps + 1, N): target minus regularisers, what was maximised


def total_variation(x):
    """Sum of absolute differences between neighbouring pixels, per image (tensor (N,))."""
    dh = tf.abs(x[:, 1:, :, :] - x[:, :-1, :, :])
    dw = tf.abs(x[:, :, 1:, :] - x[:, :, :-1, :])
    return tf.reduce_sum(dh, axis=[1, 2, 3]) + tf.reduce_sum(dw, axis=[1, 2, 3])


def maximise(target: Target, x0, steps: int = 100, step_size: float = 0.05, l2: float = 0.0,
             tv: float = 0.0, jitter: int = 0, value_range=None, seed: int = 0) -> MaximisationResult:
    """Activation maximisation by gradient ascent (the article's 梯度上升), batched over starts.

    Maximises target(x) - l2 * ||x||^2 - tv * TV(x) from the starting points ``x0``. Each step moves
    by ``step_size`` times the gradient divided by its RMS (so the step length does not depend on
    the target's scale). ``jitter`` > 0 shifts images by up to that many pixels before each
    gradient (Olah et al., 2017); ``value_range`` = (low, high) projects back into range (e.g.
    (0, 1) for images). Works in input space (a classifier or discriminator unit) and in latent
    space (a generator: pass z as x0 and a target such as ``generator_target``).
    """
    target = _target(target)
    x = target.check_input(x0).copy()
    steps = v.positive_int("steps", steps)
    v.number_in("step_size", step_size, 0.0, 100.0)
    v.number_in("l2", l2, 0.0, 1e6)
    v.number_in("tv", tv, 0.0, 1e6)
    jitter = v.positive_int("jitter", jitter, minimum=0)
    if tv and x.ndim != 4:
        raise ValueError("the total-variation regulariser needs images (N, H, W, C)")
    if jitter and x.ndim != 4:
        raise ValueError("jitter needs images (N, H, W, C)")
    if value_range is not None:
        low, high = value_range
        x = np.clip(x, low, high)
    l2_t, tv_t = tf.constant(l2, tf.float32), tf.constant(tv, tf.float32)

    @tf.function(reduce_retracing=True)
    def objective_and_grad(xb, shift):
        with tf.GradientTape() as tape:
            tape.watch(xb)
            moved = tf.roll(xb, shift, axis=[1, 2]) if jitter else xb
            value = target.fn(moved)
            obj = value - l2_t * tf.reduce_sum(tf.square(xb), axis=list(range(1, len(xb.shape))))
            if tv:
                obj = obj - tv_t * total_variation(xb)
        return value, obj, tape.gradient(obj, xb)

    rng = np.random.default_rng(seed)
    history, objective = [], []
    for _ in range(steps):
        shift = rng.integers(-jitter, jitter + 1, size=2) if jitter else np.zeros(2, dtype=np.int64)
        value, obj, grad = objective_and_grad(tf.constant(x), tf.constant(shift, tf.int32))
        history.append(np.asarray(value))
        objective.append(np.asarray(obj))
        g = np.asarray(grad)
        rms = np.sqrt((g.reshape(len(g), -1) ** 2).mean(axis=1)).reshape((-1,) + (1,) * (g.ndim - 1))
        x = x + step_size * g / (rms + 1e-12)
        if value_range is not None:
            x = np.clip(x, low, high)
    value, obj, _ = objective_and_grad(tf.constant(x), tf.constant(np.zeros(2, dtype=np.int64), tf.int32))
    history.append(np.asarray(value))
    objective.append(np.asarray(obj))
    return MaximisationResult(x.astype(np.float32), np.stack(history), np.stack(objective))


# ----------------------------------------------------------------------------- sanity check
def randomise_layers(model, layer_names, seed: int = 0):
    """A copy of ``model`` whose named layers get fresh random weights (same shapes and scales)."""
    _model(model)
    clone = keras.models.clone_model(model)
    clone.set_weights(model.get_weights())
    rng = np.random.default_rng(seed)
    known = [layer.name for layer in clone.layers]
    for name in layer_names:
        if name not in known:
            raise ValueError(f"{model.name} has no layer {name!r}; its layers are {known}")
        for w in clone.get_layer(name).weights:
            current = np.asarray(w)
            scale = current.std() if current.std() > 0 else 0.05
            w.assign(rng.normal(0.0, scale, current.shape).astype(np.float32))
    return clone


def spearman_rows(a, b, mask=None) -> np.ndarray:
    """Spearman rank correlation between matching rows of two (N, ...) arrays of maps.

    ``mask`` (boolean, same shape as the maps) restricts each row to its True entries, e.g. the
    stroke pixels of a digit; a row with fewer than 3 such entries gets 0.
    """
    from scipy.stats import rankdata

    a = np.asarray(a, dtype=np.float64).reshape(len(a), -1)
    b = np.asarray(b, dtype=np.float64).reshape(len(b), -1)
    if a.shape != b.shape:
        raise ValueError(f"the two arrays of maps must have the same shape, got {a.shape} and {b.shape}")
    if mask is not None:
        mask = np.asarray(mask)
        if mask.dtype != bool or mask.reshape(len(mask), -1).shape != a.shape:
            raise ValueError(f"mask must be a boolean array shaped like the maps {a.shape}, got {mask.dtype} {mask.shape}")
        mask = mask.reshape(a.shape)
        return np.array([spearman_rows(a[i:i + 1, m], b[i:i + 1, m])[0] if m.sum() >= 3 else 0.0
                         for i, m in enumerate(mask)])
    ra, rb = rankdata(a, axis=1), rankdata(b, axis=1)
    ra -= ra.mean(1, keepdims=True)
    rb -= rb.mean(1, keepdims=True)
    denom = np.sqrt((ra ** 2).sum(1) * (rb ** 2).sum(1))
    return np.where(denom > 0, (ra * rb).sum(1) / np.maximum(denom, 1e-300), 0.0)


def randomisation_test(model, make_target, method, x, layer_names, seed: int = 0, mask=None) -> dict:
    """Cascading model-randomisation test (Adebayo et al., 2018).

    ``layer_names`` from the top (output side) down; after each one is re-initialised (cumulatively),
    ``method(make_target(randomised_model), x)`` is recomputed and compared with the original maps
    by Spearman rank correlation of their absolute values. Returns {layer: mean correlation}. A
    method whose maps barely change is not explaining the model. ``mask`` (boolean, shaped like
    ``x``) compares only those pixels — e.g. ``x > 0.1``, the strokes, so that pixels both maps set
    to exactly zero cannot make them look alike (lesson 08).
    """
    _model(model)
    original = np.abs(method(make_target(model), x))
    out, done = {}, []
    for name in layer_names:
        done.append(name)
        randomised = randomise_layers(model, done, seed=seed)
        maps = np.abs(method(make_target(randomised), x))
        out[name] = float(spearman_rows(original, maps, mask).mean())
    return out


def own_class_maps(method, classifier, images, labels, **kwargs) -> np.ndarray:
    """Attribution maps of each image for its *own* class logit (lessons 05-06).

    ``method`` is any of this module's map functions (``saliency``, ``gradient_x_input``,
    ``smoothgrad``, ``integrated_gradients``, ...); extra keyword arguments go to it. Images are
    grouped by label, so there is one batched call per class, not one per image.
    """
    images = np.asarray(images, dtype=np.float32)
    labels = np.asarray(labels)
    if labels.shape != (len(images),):
        raise ValueError(f"labels must have shape ({len(images)},), got {labels.shape}")
    out = np.zeros_like(images)
    for c in np.unique(labels):
        rows = np.flatnonzero(labels == c)
        result = method(class_logit(classifier, int(c)), images[rows], **kwargs)
        out[rows] = result.attributions if isinstance(result, IGResult) else result
    return out

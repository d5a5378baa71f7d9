"""The loss functions and formulas of lesson 02, written once and used everywhere.

They are the reference implementations the exercise checks compare with, and the zoo trains
with them. Each works on numpy arrays and on TensorFlow tensors (inside ``tf.function`` too),
because it is written with ``keras.ops``; convert a result with ``np.asarray``.

Notation (lesson 02): N examples in a batch, D pixels (or features) per example, C classes,
K latent dimensions.
"""
from __future__ import annotations

from .environment import quiet_tensorflow

quiet_tensorflow()

from keras import ops  # noqa: E402

EPS = 1e-7  # probabilities are clipped to [EPS, 1 - EPS] before a log, as Keras does


def _pixel_axes(x):
    return tuple(range(1, len(x.shape)))


def mse(y_true, y_pred):
    """Mean squared error over every element: (1/(N*D)) * sum (y_pred - y_true)^2 — a scalar.

    Equals ``keras.losses.MeanSquaredError()(y_true, y_pred)``. The article writes
    (1/N) sum_i (y_i - y_true,i)^2 with vector y_i; read the square as the squared norm divided
    by D, i.e. the mean over features, then over examples.
    """
    return ops.mean(ops.square(ops.convert_to_tensor(y_pred) - y_true))


def categorical_cross_entropy(y_onehot, probs):
    """-(1/N) * sum_i sum_c y_ic * log(p_ic) for one-hot labels (N, C) and probabilities (N, C).

    Takes **probabilities** (after softmax), like ``keras.losses.categorical_crossentropy``
    with ``from_logits=False``; probabilities are clipped to [EPS, 1 - EPS] before the log.
    """
    p = ops.clip(ops.convert_to_tensor(probs), EPS, 1.0 - EPS)
    return -ops.mean(ops.sum(y_onehot * ops.log(p), axis=-1))


def binary_cross_entropy(x, x_hat):
    """Per-example Bernoulli negative log-likelihood, summed over pixels: shape (N,).

    -sum_d [x_d * log(x_hat_d) + (1 - x_d) * log(1 - x_hat_d)], with x in [0, 1] and x_hat the
    decoder's Bernoulli means, clipped to [EPS, 1 - EPS].
    """
    x = ops.convert_to_tensor(x)
    p = ops.clip(ops.convert_to_tensor(x_hat), EPS, 1.0 - EPS)
    per_pixel = -(x * ops.log(p) + (1.0 - x) * ops.log(1.0 - p))
    return ops.sum(per_pixel, axis=_pixel_axes(per_pixel))


def gaussian_kl(mean, log_var):
    """KL( N(mean, diag(exp(log_var))) || N(0, I) ) per example, shape (N,), in nats.

    = -1/2 * sum_k (1 + log_var_k - mean_k^2 - exp(log_var_k))   (Kingma & Welling, 2014, App. B)
    """
    mean = ops.convert_to_tensor(mean)
    return -0.5 * ops.sum(1.0 + log_var - ops.square(mean) - ops.exp(log_var), axis=-1)


def gaussian_kl_per_dim(mean, log_var):
    """The KL of each latent dimension, averaged over the batch: shape (K,)."""
    mean = ops.convert_to_tensor(mean)
    return ops.mean(0.5 * (ops.square(mean) + ops.exp(log_var) - 1.0 - log_var), axis=0)


def reparameterize(mean, log_var, eps):
    """The reparameterisation trick: z = mean + exp(log_var / 2) * eps, with eps ~ N(0, I) given.

    Passing ``eps`` in keeps the function deterministic and shows where the randomness enters;
    the gradient flows to ``mean`` and ``log_var`` through this expression.
    """
    return ops.convert_to_tensor(mean) + ops.exp(0.5 * ops.convert_to_tensor(log_var)) * eps


def vae_loss(x, x_hat, mean, log_var, beta: float = 1.0):
    """The negative ELBO averaged over the batch: mean_i [ BCE_i + beta * KL_i ] (a scalar).

    beta = 1 is the VAE (Kingma & Welling, 2014); beta > 1 the beta-VAE (Higgins et al., 2017).
    """
    return ops.mean(binary_cross_entropy(x, x_hat) + beta * gaussian_kl(mean, log_var))


def _softplus(t):
    return ops.softplus(ops.convert_to_tensor(t))


def discriminator_loss(real_logits, fake_logits):
    """-mean log D(x) - mean log(1 - D(G(z))), from logits (D = sigmoid(logit)).

    Computed stably: -log sigmoid(l) = softplus(-l) and -log(1 - sigmoid(l)) = softplus(l).
    """
    return ops.mean(_softplus(-ops.convert_to_tensor(real_logits))) + ops.mean(_softplus(fake_logits))


def generator_loss(fake_logits):
    """The non-saturating generator loss -mean log D(G(z)) (Goodfellow et al., 2014, sec. 3), from logits."""
    return ops.mean(_softplus(-ops.convert_to_tensor(fake_logits)))


def optimal_discriminator(p_data, p_g):
    """D*(x) = p_data(x) / (p_data(x) + p_g(x)) for a fixed generator (Goodfellow et al., 2014, Prop. 1)."""
    p_data = ops.convert_to_tensor(p_data)
    return p_data / (p_data + p_g)

"""Checks for lesson 02 — the maths: losses, the Gaussian KL, the reparameterisation trick, GAN losses."""
from __future__ import annotations

import numpy as np

from .. import losses
from . import Fail, as_array, call, compare, exercise


def _np(t):
    return np.asarray(t, dtype=np.float64)


def _softplus(t):
    return np.logaddexp(0.0, t)


def _sigmoid(t):
    return 1.0 / (1.0 + np.exp(-t))


@exercise("2.1", "mean squared error")
def check_mse(fn):
    rng = np.random.default_rng(201)
    for shape in [(8, 5), (3, 28, 28, 1)]:
        y_true = rng.normal(size=shape).astype(np.float32)
        y_pred = rng.normal(size=shape).astype(np.float32)
        d = (y_pred.astype(np.float64) - y_true)
        got = as_array(call(fn, y_true, y_pred))
        compare(got, _np(losses.mse(y_true, y_pred)), what="the MSE", mistakes=(
            (np.sum(d ** 2), "you summed the squared errors; the MSE is their mean (divide by N*D)"),
            (np.mean(d ** 2, axis=tuple(range(1, d.ndim))), "that is one MSE per example; average over the examples too"),
            (np.sqrt(np.mean(d ** 2)), "that is the root mean squared error; drop the square root"),
            (np.mean(np.abs(d)), "that is the mean absolute error; square the differences"),
            (np.mean(d), "the differences must be squared before averaging"),
        ), hint="mean over every element of (y_pred - y_true) ** 2")
    return "matches keras.losses.MeanSquaredError on two batches"


@exercise("2.2", "categorical cross-entropy")
def check_cce(fn):
    rng = np.random.default_rng(202)
    for n, c in [(6, 3), (10, 10)]:
        logits = rng.normal(scale=2.0, size=(n, c))
        probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
        onehot = np.eye(c)[rng.integers(0, c, n)]
        per_example = -(onehot * np.log(probs)).sum(1)
        twice = np.exp(probs) / np.exp(probs).sum(1, keepdims=True)
        got = as_array(call(fn, onehot.astype(np.float32), probs.astype(np.float32)))
        compare(got, _np(losses.categorical_cross_entropy(onehot, probs)), what="the cross-entropy", rtol=1e-4, mistakes=(
            (per_example.sum(), "you summed over the examples; the formula averages them (1/N)"),
            (per_example, "that is one loss per example; average them to one number"),
            (-(onehot * np.log(twice)).sum(1).mean(), "the inputs are already probabilities: do not apply softmax again"),
            (-(onehot * np.log(probs)).mean(), "you averaged over classes too; sum over classes, average over examples"),
            (-(np.log(probs)).sum(1).mean(), "only the true class's log-probability counts: multiply by the one-hot labels"),
        ), hint="-(1/N) * sum over examples of sum over classes of y * log(p)")
    return "matches keras.losses.categorical_crossentropy"


@exercise("2.3", "binary cross-entropy per image")
def check_bce(fn):
    rng = np.random.default_rng(203)
    for shape in [(4, 6, 6, 1), (2, 28, 28, 1)]:
        x = rng.random(shape).astype(np.float32)
        x[x < 0.3] = 0.0  # background pixels, as in MNIST
        x_hat = rng.uniform(0.05, 0.95, shape).astype(np.float32)
        x_hat[..., :1, :1, :][x[..., :1, :1, :] == 0.0] = 0.0  # a decoder can output exactly 0
        ref = _np(losses.binary_cross_entropy(x, x_hat))
        p = np.clip(x_hat.astype(np.float64), losses.EPS, 1 - losses.EPS)
        axes = tuple(range(1, len(shape)))
        got = as_array(call(fn, x, x_hat))
        compare(got, ref, what="the per-image BCE", rtol=1e-4, atol=1e-3, mistakes=(
            (-(x * np.log(p)).sum(axes), "you forgot the (1 - x) * log(1 - x_hat) term for the dark pixels"),
            (-(x * np.log(p) + (1 - x) * np.log(1 - p)).mean(axes), "you averaged over pixels; sum them (one number per image)"),
            (-(x * np.log(p) + (1 - x) * np.log(1 - p)).sum(), "you summed over the batch too; return one value per image, shape (N,)"),
            ((x * np.log(p) + (1 - x) * np.log(1 - p)).sum(axes), "the sign is flipped: a negative log-likelihood is >= 0"),
        ), hint="clip x_hat to [1e-7, 1 - 1e-7], then sum -(x log x_hat + (1 - x) log(1 - x_hat)) over all axes but the first")
    return "one value per image, robust to x_hat = 0"


@exercise("2.4", "closed-form Gaussian KL")
def check_kl(fn):
    rng = np.random.default_rng(204)
    zero = as_array(call(fn, np.zeros((2, 3), np.float32), np.zeros((2, 3), np.float32)), "gaussian_kl(0, 0)")
    zero_wrong = zero.shape == (2,) and not np.allclose(zero, 0.0, atol=1e-6)
    for n, k in [(5, 2), (7, 16)]:
        mean = rng.normal(size=(n, k)).astype(np.float32)
        log_var = rng.normal(scale=0.7, size=(n, k)).astype(np.float32)
        m, lv = mean.astype(np.float64), log_var.astype(np.float64)
        terms = 1 + lv - m ** 2 - np.exp(lv)
        got = as_array(call(fn, mean, log_var))
        try:
            _compare_kl(got, mean, log_var, m, lv, terms)
        except Fail as fail:
            if zero_wrong and fail.message.startswith("the KL differs"):
                raise Fail(f"KL(N(0, I) || N(0, I)) must be 0, you got {zero[0]:.4g}",
                           "check the constant term: -1/2 * sum(1 + log_var - mean^2 - exp(log_var))") from None
            raise
        if np.any(got < -1e-6):
            raise Fail("some KL values are negative", "KL divergence is never negative: check the sign")
    return "zero at the prior, >= 0, matches the closed form"


def _compare_kl(got, mean, log_var, m, lv, terms):
    compare(got, _np(losses.gaussian_kl(mean, log_var)), what="the KL", mistakes=(
        (-0.5 * terms.sum(), "you summed over the batch too; return one KL per example, shape (N,)"),
        (-0.5 * terms.mean(1), "you averaged over latent dimensions; the KL of independent dimensions adds up (sum)"),
        (-0.5 * (1 + lv - m ** 2 - lv).sum(1), "exp(log_var) is the variance: you used log_var itself"),
        (-0.5 * (1 + np.log(np.abs(lv) + 1e-12) - m ** 2 - lv).sum(1),
         "log_var is already the log of the variance: do not take its log again"),
    ), hint="KL = -1/2 * sum_k (1 + log_var_k - mean_k^2 - exp(log_var_k)); it is never negative")


@exercise("2.5", "reparameterisation trick")
def check_reparam(fn):
    rng = np.random.default_rng(205)
    for n, k in [(4, 2), (6, 16)]:
        mean = rng.normal(size=(n, k)).astype(np.float32)
        log_var = rng.normal(scale=0.8, size=(n, k)).astype(np.float32)
        eps = rng.normal(size=(n, k)).astype(np.float32)
        m, lv, e = (a.astype(np.float64) for a in (mean, log_var, eps))
        got = as_array(call(fn, mean, log_var, eps))
        compare(got, _np(losses.reparameterize(mean, log_var, eps)), what="z", mistakes=(
            (m + np.exp(lv) * e, "exp(log_var) is the variance; scale eps by the standard deviation exp(log_var / 2)"),
            (m, "you returned the mean: z must include the noise eps scaled by the standard deviation"),
            (np.exp(0.5 * lv) * e, "you forgot to add the mean"),
            (m + lv * e, "log_var is a log-variance: the standard deviation is exp(log_var / 2)"),
            (m + 0.5 * lv * e, "log_var / 2 is the log of the standard deviation: exponentiate it"),
        ), hint="z = mean + exp(0.5 * log_var) * eps")
    return "z = mean + sigma * eps, so gradients reach mean and log_var"


@exercise("2.6", "VAE loss (negative ELBO)")
def check_vae_loss(fn):
    rng = np.random.default_rng(206)
    for n in (3, 8):
        x = rng.random((n, 6, 6, 1)).astype(np.float32)
        x_hat = rng.uniform(0.05, 0.95, (n, 6, 6, 1)).astype(np.float32)
        mean = rng.normal(size=(n, 4)).astype(np.float32)
        log_var = rng.normal(scale=0.5, size=(n, 4)).astype(np.float32)
        rec = _np(losses.binary_cross_entropy(x, x_hat))
        kl = _np(losses.gaussian_kl(mean, log_var))
        rec_mean_pixels = rec / 36.0
        got = as_array(call(fn, x, x_hat, mean, log_var))
        compare(got, _np(losses.vae_loss(x, x_hat, mean, log_var)), what="the loss", mistakes=(
            (rec.mean(), "you forgot the KL term"),
            (kl.mean(), "you forgot the reconstruction term"),
            ((rec - kl).mean(), "the KL is added, not subtracted: we minimise -ELBO = reconstruction + KL"),
            ((rec + kl).sum(), "you summed over the batch; average the per-example losses"),
            ((rec_mean_pixels + kl).mean(), "the reconstruction term sums over pixels; averaging makes the KL far too strong"),
            (rec + kl, "return the average over the batch, a single number"),
        ), hint="mean over the batch of (BCE summed over pixels + KL summed over latent dimensions)")
    return "-ELBO = reconstruction + KL, averaged over the batch"


@exercise("2.7", "discriminator loss")
def check_d_loss(fn):
    rng = np.random.default_rng(207)
    for n in (5, 16):
        real = rng.normal(1.0, 2.0, n).astype(np.float32)
        fake = rng.normal(-1.0, 2.0, n).astype(np.float32)
        r, f = real.astype(np.float64), fake.astype(np.float64)
        got = as_array(call(fn, real, fake))
        compare(got, _np(losses.discriminator_loss(real, fake)), what="the discriminator loss", mistakes=(
            (_softplus(r).mean() + _softplus(-f).mean(), "real and fake labels are swapped: real images should get D(x) -> 1"),
            (_softplus(-r).mean(), "you forgot the fake images' term -log(1 - D(G(z)))"),
            (_softplus(-r).mean() - _softplus(f).mean(), "both terms are added: -log D(x) - log(1 - D(G(z)))"),
            (-(np.log(_sigmoid(r)).mean() + np.log(1 - _sigmoid(f)).mean()) / 2, "you averaged the two terms; add them"),
        ), hint="the inputs are logits: D = sigmoid(logit), and -log sigmoid(l) = softplus(-l) is the stable form")
    return "-mean log D(x) - mean log(1 - D(G(z))), computed from logits"


@exercise("2.8", "non-saturating generator loss")
def check_g_loss(fn):
    rng = np.random.default_rng(208)
    for n in (5, 16):
        fake = rng.normal(-1.5, 2.0, n).astype(np.float32)
        f = fake.astype(np.float64)
        got = as_array(call(fn, fake))
        compare(got, _np(losses.generator_loss(fake)), what="the generator loss", mistakes=(
            (-_softplus(f).mean(), "that is the saturating minimax loss mean log(1 - D(G(z))): its gradient vanishes "
                                    "when D confidently rejects the fakes; minimise -mean log D(G(z)) instead"),
            (_softplus(f).mean(), "that is the discriminator's loss on fakes (label 0); the generator wants label 1"),
            (-_softplus(-f).mean(), "the sign is flipped: the loss is -log D(G(z)), which is >= 0"),
        ), hint="-mean log sigmoid(fake_logits) = mean softplus(-fake_logits)")
    return "the non-saturating loss of Goodfellow et al. (2014)"

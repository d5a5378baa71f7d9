"""Every lesson-05 check: the reference passes, realistic wrong solutions fail with their message."""
import numpy as np
import tensorflow as tf

from _check_cases import build


def saliency(model, c, x, mode="right"):
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        out = model(xt)
        out = tf.nn.softmax(out)[:, c] if mode == "prob" else out[:, c]
    g = tape.gradient(out, xt).numpy()
    return g if mode == "signed" else np.abs(g)


def jacobian(decoder, z, transpose=False):
    zt = tf.constant(z)
    with tf.GradientTape() as tape:
        tape.watch(zt)
        img = decoder(zt[None])[0]
    j = tape.jacobian(img, zt).numpy()  # (H, W, C, K)
    return j if transpose else np.moveaxis(j, -1, 0)


def ascent(grad_fn, x, steps, lr, sign=1.0, clip=True):
    for _ in range(steps):
        x = x + sign * lr * grad_fn(x)
        if clip:
            x = np.clip(x, 0, 1)
    return x


CASES = {
    "5.1": (saliency, [
        (lambda m, c, x: saliency(m, c, x, "signed"), "absolute value"),
        (lambda m, c, x: saliency(m, c, x, "prob"), "not the softmax probability"),
        (lambda m, c, x: saliency(m, c, x) * x, "gradient x input"),
    ]),
    "5.2": (lambda g, x, noise: np.mean([g(x + n) for n in noise], axis=0), [
        (lambda g, x, noise: g(x), "plain gradient"),
        (lambda g, x, noise: np.sum([g(x + n) for n in noise], axis=0), "do not sum"),
        (lambda g, x, noise: g(x) + noise.mean(0), "add the noise to the *input*"),
    ]),
    "5.3": (lambda b, img, a: b + a[:, None, None, None] * (img - b), [
        (lambda b, img, a: img + a[:, None, None, None] * (b - img), "runs backwards"),
        (lambda b, img, a: a[:, None, None, None] * img, "forgot the baseline"),
        (lambda b, img, a: b + a * (img - b), "the path has shape (6, 6, 9), expected shape (9, 6, 6, 1)"),
    ]),
    "5.4": (lambda g, img, b: (img - b) * ((g[:-1] + g[1:]) / 2).mean(0), [
        (lambda g, img, b: (img - b) * g[:-1].mean(0), "left Riemann sum"),
        (lambda g, img, b: ((g[:-1] + g[1:]) / 2).mean(0), "multiply the averaged gradient"),
        (lambda g, img, b: (img - b) * ((g[:-1] + g[1:]) / 2).sum(0), "do not sum"),
    ]),
    "5.5": (lambda a, fx, fb: a.sum() - (fx - fb), [
        (lambda a, fx, fb: np.abs(a).sum() - (fx - fb), "signed attributions"),
        (lambda a, fx, fb: a.sum() - (fb - fx), "in that order"),
        (lambda a, fx, fb: a.sum() - fx, "*change*"),
    ]),
    "5.6": (jacobian, [
        (lambda d, z: jacobian(d, z, transpose=True), "latent axis first"),
        (lambda d, z: jacobian(d, z).reshape(2, -1).sum(1), "gradient of the *sum*"),
    ]),
    "5.7": (ascent, [
        (lambda g, x, s, lr: ascent(g, x, s, lr, sign=-1.0), "gradient *descent*"),
        (lambda g, x, s, lr: ascent(g, x, s, lr, clip=False), "clip x to [0, 1]"),
        (lambda g, x, s, lr: ascent(g, x, 1, lr), "repeat the update"),
    ]),
}


test_reference_passes, test_wrong_solution_fails_with_its_message, test_every_exercise_of_the_lesson_is_tested = \
    build(CASES, "5.")

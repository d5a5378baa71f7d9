"""The source article's code snippets (§4.1-4.3), kept verbatim, and tools to take them apart.

Lesson 03 shows each snippet, reproduces each bug in a small cell wrapped in
:func:`expect_error` (which prints the error in one line — and fails loudly if the error ever
stops happening, so the lesson cannot silently become wrong), then shows the corrected code.
"""
from __future__ import annotations

import contextlib
import re

_MODEL_CLASSES = '''import numpy as np
import tensorflow as tf

# 生成模型
class Generator(tf.keras.Model):
    def __init__(self):
        super(Generator, self).__init__()
        self.dense1 = tf.keras.layers.Dense(128, activation='relu')
        self.dense2 = tf.keras.layers.Dense(784, activation='sigmoid')

    def call(self, x):
        x = self.dense1(x)
        x = self.dense2(x)
        return x
'''

_TRAINING = '''
# 训练生成模型
generator = Generator()
optimizer = tf.keras.optimizers.Adam(learning_rate=0.001)

# 训练数据
x_train = np.random.rand(1000, 784)

# 训练
for epoch in range(100):
    with tf.GradientTape() as tape:
        z = tf.random.normal([100, 64])
        h = encoder(z)
        y = generator(h)
        loss = tf.reduce_mean((y - x_train) ** 2)
    gradients = tape.gradient(loss, generator.trainable_variables)
    optimizer.apply_gradients(zip(gradients, generator.trainable_variables))
'''

SNIPPETS = {
    "4.1": _MODEL_CLASSES + '''
# 编码器
class Encoder(tf.keras.Model):
    def __init__(self):
        super(Encoder, self).__init__()
        self.dense1 = tf.keras.layers.Dense(128, activation='relu')
        self.dense2 = tf.keras.layers.Dense(64, activation='relu')

    def call(self, x):
        x = self.dense1(x)
        x = self.dense2(x)
        return x

# 训练生成模型
generator = Generator()
encoder = Encoder()
optimizer = tf.keras.optimizers.Adam(learning_rate=0.001)

# 训练数据
x_train = np.random.rand(1000, 784)

# 训练
for epoch in range(100):
    with tf.GradientTape() as tape:
        z = tf.random.normal([100, 64])
        h = encoder(z)
        y = generator(h)
        loss = tf.reduce_mean((y - x_train) ** 2)
    gradients = tape.gradient(loss, generator.trainable_variables)
    optimizer.apply_gradients(zip(gradients, generator.trainable_variables))

# 激活函数分析
activations = generator.get_layer('dense1').activation
activation_values = activations(z)
print(activation_values)
''',
    "4.2": _MODEL_CLASSES + _TRAINING + '''
# 梯度分析
gradients = generator.get_layer('dense1').kernel
gradient_values = gradients[0].numpy()
print(gradient_values)
''',
    "4.3": _MODEL_CLASSES.replace("import tensorflow as tf", "import matplotlib.pyplot as plt\nimport tensorflow as tf")
    + _TRAINING + '''
# 可视化分析
import matplotlib.pyplot as plt

fig, axes = plt.subplots(2, 5, figsize=(10, 5))

for i, ax in enumerate(axes.flatten()):
    ax.imshow(y[i].reshape(28, 28), cmap='gray')
    ax.axis('off')

plt.show()
''',
}


def show(snippet: str) -> None:
    """Print one of the article's snippets ("4.1", "4.2", "4.3") with line numbers."""
    if snippet not in SNIPPETS:
        raise ValueError(f"snippet must be one of {list(SNIPPETS)}, got {snippet!r}")
    for number, line in enumerate(SNIPPETS[snippet].strip("\n").splitlines(), start=1):
        print(f"{number:3d}  {line}")


class ErrorDidNotHappen(AssertionError):
    """The code inside ``expect_error`` ran without the error the lesson says it has."""


@contextlib.contextmanager
def expect_error(*types: type):
    """Run a block that is *supposed* to fail; print the error in one line instead of a traceback.

    If the block raises none of ``types``, :class:`ErrorDidNotHappen` is raised, so a lesson that
    claims "this line fails" is tested by executing it.
    """
    types = types or (Exception,)
    try:
        yield
    except types as exc:  # the expected failure
        message = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).split())  # no terminal colour codes
        if len(message) > 160:
            message = message[:157] + "..."
        print(f"✗ {type(exc).__name__}: {message}")
    else:
        raise ErrorDidNotHappen(f"expected {' or '.join(t.__name__ for t in types)}, but the code ran")


def run_until(snippet: str, marker: str, namespace: dict | None = None) -> dict:
    """Execute the article's snippet up to (not including) the first line that starts with
    ``marker``, and return the namespace it defined — e.g. its model classes without its loop."""
    if snippet not in SNIPPETS:
        raise ValueError(f"snippet must be one of {list(SNIPPETS)}, got {snippet!r}")
    lines = SNIPPETS[snippet].splitlines()
    stop = next((i for i, line in enumerate(lines) if line.startswith(marker)), None)
    if stop is None:
        raise ValueError(f"no line of snippet {snippet} starts with {marker!r}")
    namespace = {} if namespace is None else namespace
    exec(compile("\n".join(lines[:stop]), f"<article snippet {snippet}>", "exec"), namespace)  # noqa: S102
    return namespace

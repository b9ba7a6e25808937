"""The accuracy checks the MNIST benchmarks make during training."""

from __future__ import annotations

import time


def accuracy_watch(keras, x, y, steps, trace, *, checks_per_epoch=4, stop_at=None):
    """A Keras callback that evaluates the model on ``(x, y)`` ``checks_per_epoch`` times
    per epoch of ``steps`` batches and appends ``(epoch, training_seconds, accuracy)`` to
    ``trace``: epochs as a fraction, seconds of wall clock since ``fit`` began with the
    evaluations taken out. With ``stop_at``, training stops at the first check whose
    accuracy reaches it."""
    checkpoints = {round(steps * q / checks_per_epoch) for q in range(1, checks_per_epoch + 1)}

    class Watch(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.start, self.evaluating = time.perf_counter(), 0.0

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            if batch + 1 not in checkpoints:
                return
            training_s = time.perf_counter() - self.start - self.evaluating
            t = time.perf_counter()
            acc = self.model.evaluate(x, y, batch_size=1000, verbose=0)[1]
            self.evaluating += time.perf_counter() - t
            trace.append((self.epoch + (batch + 1) / steps, training_s, acc))
            if stop_at is not None and acc >= stop_at:
                self.model.stop_training = True

    return Watch()

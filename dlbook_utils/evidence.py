r"""Multi-seed evidence: the book's rule for claims that compare settings.

A claim such as "dropout raises validation accuracy" rests on several runs that
differ only in their random seed (initialization, batch order, dropout masks).
The runs of two settings with the same seed share their data, initial weights and
batch order, so the book
compares them *paired*: for each seed, the difference between the two settings,
then the mean and standard deviation of those differences over the seeds.

With :math:`n` seeds and paired differences :math:`d_1, \dots, d_n`,

.. math::

    \bar d = \frac1n\sum_i d_i, \qquad
    s = \sqrt{\frac{1}{n-1}\sum_i (d_i - \bar d)^2}, \qquad
    \operatorname{se} = s / \sqrt n .

The book calls a difference *real* when its 95 % confidence interval,
:math:`\bar d \pm t_{0.975,\,n-1}\operatorname{se}` (:meth:`Summary.interval`,
:meth:`Summary.clear95`), excludes zero. With 5 seeds, :math:`t = 2.776`: the
common shortcut "twice the standard error" (:meth:`Summary.clear`) is only an
88 % interval there. A "±" in a table is the standard deviation of the
per-seed values, not the standard error.
See e.g. Bouthillier et al., "Accounting for variance in machine learning
benchmarks", MLSys 2021, on why one seed is not evidence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_int, check_number

__all__ = ["MIN_SEEDS", "T975", "Summary", "t975", "check_seeds", "paired", "seed_table", "summarize"]

#: The fewest seeds a comparison in the book may rest on.
MIN_SEEDS = 5

#: Two-sided 95 % quantiles of Student's t distribution for 1 to 30 degrees of freedom
#: (``scipy.stats.t.ppf(0.975, df)`` to 3 decimals; checked in the tests). Beyond 30, the
#: Cornish-Fisher expansion in :func:`t975` is good to 1e-4.
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
        9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131,
        16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074,
        23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045,
        30: 2.042}


def t975(df):
    """The 0.975 quantile of Student's t with ``df`` degrees of freedom (``df >= 1``).

    Examples
    --------
    >>> t975(4)
    2.776
    """
    df = check_int(df, "df", low=1)
    if df in T975:
        return T975[df]
    z = 1.959964
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


@dataclass(frozen=True)
class Summary:
    """Mean, sample standard deviation and standard error of the mean of ``n`` values."""

    mean: float
    sd: float
    se: float
    n: int

    def clear(self, k=2.0):
        """Whether the mean is more than ``k`` standard errors away from zero."""
        k = check_number(k, "k", low=0.0, low_open=True)
        return abs(self.mean) > k * self.se

    def interval(self):
        """The 95 % confidence interval of the mean, Student's t with ``n - 1`` degrees of
        freedom: ``(mean - t se, mean + t se)``."""
        t = t975(self.n - 1)
        return self.mean - t * self.se, self.mean + t * self.se

    def clear95(self):
        """Whether the 95 % t-interval of the mean excludes zero (stricter than
        :meth:`clear` for fewer than about 60 seeds)."""
        low, high = self.interval()
        return low > 0 or high < 0

    def __format__(self, spec):
        spec = spec or ".2f"
        return f"{self.mean:{spec}} ± {self.sd:{spec.lstrip('+- ')}}"


def _values(values, name):
    v = as_float_array(values, name)
    if v.ndim != 1 or v.size < 2:
        raise ValueError(f"Argument `{name}` must be a 1-D sequence of at least 2 numbers (one "
                         f"per seed). Received: shape {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError(f"Argument `{name}` must hold finite numbers. Received: {v.tolist()}")
    return v


def summarize(values):
    """Mean ± sample standard deviation (ddof = 1) of one setting's runs.

    Parameters
    ----------
    values : sequence of float
        One number per seed (at least 2).

    Returns
    -------
    Summary

    Examples
    --------
    >>> s = summarize([90.5, 90.0, 91.0])
    >>> f"{s}", round(s.se, 4)
    ('90.50 ± 0.50', 0.2887)
    """
    v = _values(values, "values")
    sd = float(v.std(ddof=1))
    return Summary(float(v.mean()), sd, sd / float(np.sqrt(v.size)), int(v.size))


def paired(values, baseline):
    """Summary of the per-seed differences ``values[i] - baseline[i]``.

    Parameters
    ----------
    values, baseline : sequence of float
        The same seeds, in the same order, for the setting and for the baseline.

    Returns
    -------
    Summary

    Examples
    --------
    >>> paired([91.0, 90.5, 91.5], [90.0, 90.0, 90.5]).mean
    0.8333333333333334
    """
    v, b = _values(values, "values"), _values(baseline, "baseline")
    if v.shape != b.shape:
        raise ValueError("Arguments `values` and `baseline` must have one number per seed each, "
                         f"for the same seeds. Received: {v.size} and {b.size} numbers")
    return summarize(v - b)


def seed_table(results: Mapping, *, baseline=None, seeds=None, unit="%", fmt=".2f"):
    """A plain-text table: one row per seed, then mean ± sd, then the paired differences.

    Parameters
    ----------
    results : mapping of str to sequence of float
        Setting → one number per seed, every setting with the same seeds.
    baseline : str, optional
        A key of ``results``: adds a row of paired differences against it.
    seeds : sequence, optional
        Labels of the rows (default 0, 1, ...).
    unit : str, default "%"
        Appended to the header.
    fmt : str, default ".2f"

    Returns
    -------
    str
    """
    if not isinstance(results, Mapping) or not results:
        raise TypeError("Argument `results` must be a non-empty mapping of setting to values. "
                        f"Received: results={type(results).__name__}")
    cols = {k: _values(v, f"results[{k!r}]") for k, v in results.items()}
    n = {v.size for v in cols.values()}
    if len(n) != 1:
        raise ValueError("Argument `results` must have the same number of seeds in every "
                         f"setting. Received: { {k: v.size for k, v in cols.items()} }")
    n = n.pop()
    if baseline is not None and baseline not in cols:
        raise ValueError(f"Argument `baseline` must be one of {sorted(cols)}. "
                         f"Received: baseline={baseline!r}")
    seeds = list(range(n)) if seeds is None else list(seeds)
    if len(seeds) != n:
        raise ValueError(f"Argument `seeds` must label {n} rows. Received: {len(seeds)} labels")
    rows = [[f"seed {s}"] + [f"{v[i]:{fmt}}" for v in cols.values()] for i, s in enumerate(seeds)]
    rows.append(["mean ± sd"] + [f"{summarize(v):{fmt}}" for v in cols.values()])
    if baseline is not None:
        rows.append([f"paired Δ vs {baseline}"] + [
            "" if k == baseline else f"{paired(v, cols[baseline]):+{fmt}}"
            for k, v in cols.items()])
    header = [f"({unit})" if unit else ""] + list(cols)
    widths = [max(len(r[j]) for r in rows + [header]) for j in range(len(header))]
    line = lambda r: "  ".join(c.rjust(w) if j else c.ljust(w)  # noqa: E731
                               for j, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([line(header)] + [line(r) for r in rows])


def check_seeds(seeds: Sequence):
    """Return ``seeds`` as a list; raise unless it has at least :data:`MIN_SEEDS` distinct
    entries.

    Examples
    --------
    >>> check_seeds(range(5))
    [0, 1, 2, 3, 4]
    """
    if len(set(seeds)) < MIN_SEEDS:
        raise ValueError(f"A comparison in the book rests on at least {MIN_SEEDS} seeds. "
                         f"Received: seeds={list(seeds)!r}")
    return list(seeds)

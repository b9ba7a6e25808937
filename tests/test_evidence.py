"""dlbook_utils.evidence: the multi-seed statistics the chapters' claims rest on."""

import numpy as np
import pytest

from dlbook_utils import evidence as E

# The regularization review's five seeds (validation accuracy, %), rounded as published.
NONE = [90.55, 90.05, 90.00, 90.25, 90.50]
L2 = [90.90, 90.10, 89.95, 90.25, 90.25]
DROPOUT = [91.80, 90.80, 91.00, 91.25, 90.95]


def test_summarize_matches_numpy():
    s = E.summarize(NONE)
    assert s.n == 5
    assert s.mean == pytest.approx(np.mean(NONE))
    assert s.sd == pytest.approx(np.std(NONE, ddof=1))
    assert s.se == pytest.approx(np.std(NONE, ddof=1) / np.sqrt(5))


def test_paired_differences_reproduce_the_review():
    assert f"{E.paired(L2, NONE):+.2f}" == "+0.02 ± 0.22"
    assert f"{E.paired(DROPOUT, NONE):+.2f}" == "+0.89 ± 0.30"
    assert E.paired(DROPOUT, NONE).clear() and not E.paired(L2, NONE).clear()


def test_pairing_removes_the_shared_seed_effect():
    # The same +1 on every seed: unpaired, the seeds' spread hides it; paired, it is exact.
    base = np.array([80.0, 90.0, 85.0, 95.0, 70.0])
    d = E.paired(base + 1, base)
    assert d.mean == pytest.approx(1.0) and d.sd == pytest.approx(0.0) and d.clear()
    assert not abs(E.summarize(base + 1).mean - E.summarize(base).mean) > \
        2 * E.summarize(base).se


def test_seed_table_rows():
    table = E.seed_table({"none": NONE, "L2": L2, "dropout": DROPOUT}, baseline="none")
    lines = table.splitlines()
    assert lines[0].split() == ["(%)", "none", "L2", "dropout"]
    assert lines[1].split() == ["seed", "0", "90.55", "90.90", "91.80"]
    assert lines[6].startswith("mean ± sd") and "90.27 ± 0.25" in lines[6]
    assert lines[7].startswith("paired Δ vs none") and lines[7].endswith("+0.89 ± 0.30")


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match=r"Argument `values` must be a 1-D sequence of at least "
                       r"2 numbers \(one per seed\)"):
        E.summarize([1.0])
    with pytest.raises(ValueError, match=r"must hold finite numbers"):
        E.summarize([1.0, float("nan")])
    with pytest.raises(ValueError, match=r"one number per seed each"):
        E.paired([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match=r"same number of seeds in every setting"):
        E.seed_table({"a": [1, 2, 3], "b": [1, 2]})
    with pytest.raises(ValueError, match=r"Argument `baseline` must be one of \['a'\]"):
        E.seed_table({"a": [1, 2]}, baseline="b")
    with pytest.raises(ValueError, match=r"at least 5 seeds. Received: seeds=\[0, 1, 2\]"):
        E.check_seeds([0, 1, 2])
    with pytest.raises(ValueError, match=r"at least 5 seeds"):
        E.check_seeds([0, 0, 1, 1, 2])
    with pytest.raises(ValueError, match=r"Argument `k` must be a finite number in \(0, inf\)"):
        E.summarize([1, 2]).clear(k=0)


def test_t_quantiles_match_scipy():
    stats = pytest.importorskip("scipy.stats")
    for df in list(range(1, 31)) + [31, 40, 60, 100, 1000]:
        assert E.t975(df) == pytest.approx(stats.t.ppf(0.975, df), abs=6e-4)


def test_interval_and_clear95():
    d = E.paired(DROPOUT, NONE)
    low, high = d.interval()
    assert low == pytest.approx(d.mean - 2.776 * d.se) and high == pytest.approx(d.mean + 2.776 * d.se)
    assert d.clear95() and not E.paired(L2, NONE).clear95()
    # 2 se is not a 95 % interval for 5 seeds: a mean 2.5 se from zero is "clear", not "clear95".
    s = E.Summary(mean=2.5, sd=np.sqrt(5), se=1.0, n=5)
    assert s.clear() and not s.clear95()

#!/usr/bin/env python3
"""Reference values for tests/core/mcmc/reference_test.cc, computed independently of
core/mcmc: numpy (FFT autocovariances, as posterior/Stan do, where core/mcmc
sums lags directly), Python's statistics.NormalDist for Phi^{-1} and numpy's
default (type 7) quantiles. Formulas: Vehtari et al. (2021), arXiv:1903.08008.
Run once (Debian python3-numpy): /usr/bin/python3 tests/core/mcmc/reference_diagnostics.py
"""
import math
import statistics
import sys

import numpy as np

# 3 chains of 21 draws, one decimal (so there are ties): a slow drift, a
# period-3 wiggle and a chain-dependent offset, all written out by hand.
CHAINS = np.array([
    [round(0.15 * i + math.sin(2.1 * i) + 0.3 * ((i * 7) % 5), 1) for i in range(21)],
    [round(0.10 * i - math.cos(1.7 * i) + 0.2 * ((i * 3) % 4) + 0.5, 1) for i in range(21)],
    [round(0.05 * i + math.sin(0.9 * i + 1.0) * 1.5 - 0.4, 1) for i in range(21)],
])


def split(x):
    half = x.shape[1] // 2
    return np.concatenate([x[:, :half], x[:, x.shape[1] - half:]])


def rank_normalize(x):
    flat = x.ravel()
    order = np.argsort(flat, kind="stable")
    ranks = np.empty(flat.size)
    ranks[order] = np.arange(1, flat.size + 1)
    for value in np.unique(flat):  # average ranks of ties
        ties = flat == value
        ranks[ties] = ranks[ties].mean()
    inv = statistics.NormalDist().inv_cdf
    s = flat.size
    return np.array([inv((r - 0.375) / (s + 0.25)) for r in ranks]).reshape(x.shape)


def rhat(x):
    m, n = x.shape
    w = x.var(axis=1, ddof=1).mean()
    b = n * x.mean(axis=1).var(ddof=1)
    return math.sqrt(((n - 1) / n * w + b / n) / w)


def autocovariance(chain):
    n = chain.size
    size = 2 * n
    f = np.fft.fft(chain - chain.mean(), size)
    return np.fft.ifft(f * np.conj(f)).real[:n] / n


def ess(x):
    m, n = x.shape
    acov = np.array([autocovariance(c) for c in x])
    w = x.var(axis=1, ddof=1).mean()
    var_plus = (n - 1) / n * w + x.mean(axis=1).var(ddof=1)
    rho = np.zeros(n)
    rho[0] = 1.0
    rho[1] = 1.0 - (w - acov[:, 1].mean()) / var_plus
    even, odd, t = rho[0], rho[1], 0
    while t + 5 < n and even + odd > 0:
        t += 2
        even = 1.0 - (w - acov[:, t].mean()) / var_plus
        odd = 1.0 - (w - acov[:, t + 1].mean()) / var_plus
        if even + odd >= 0:
            rho[t], rho[t + 1] = even, odd
    last = t
    if even > 0:
        rho[last] = even
    for k in range(2, last - 1, 2):
        if rho[k] + rho[k + 1] > rho[k - 2] + rho[k - 1]:
            rho[k] = rho[k + 1] = (rho[k - 2] + rho[k - 1]) / 2
    tau = max(-1.0 + 2.0 * rho[:last].sum() + rho[last], 1.0 / math.log10(m * n))
    return m * n / tau


def main():
    x = CHAINS
    folded = np.abs(x - np.median(x))
    bulk_ess = ess(rank_normalize(split(x)))
    tail_ess = min(ess(split((x <= np.quantile(x, q)).astype(float))) for q in (0.05, 0.95))
    mean_ess = ess(split(x))
    r_hat = max(rhat(rank_normalize(split(x))), rhat(rank_normalize(split(folded))))
    sd = x.std(ddof=1)
    print(f"// numpy {np.__version__}, Python {sys.version.split()[0]}")
    print("const Chains kChains = {")
    for chain in x:
        print("    {" + ", ".join(f"{v:.1f}" for v in chain) + "},")
    print("};")
    for name, value in [("mean", x.mean()), ("sd", sd), ("mean_ess", mean_ess),
                        ("mcse_mean", sd / math.sqrt(mean_ess)), ("ess_bulk", bulk_ess),
                        ("ess_tail", tail_ess), ("r_hat", r_hat)]:
        print(f"constexpr double k_{name} = {value!r};")


if __name__ == "__main__":
    main()

"""Is a before/after difference real? Two textbook tests, written out with `math.erfc`.

The change report asks of each figure whether it moved more than chance
would move it. Two well-known tests answer, both with the normal
approximation (good from about 20 deals a side, which is why fewer are never
called; see `MIN_PER_SIDE`), so no statistics library is needed:

- **Two-proportion z-test** (pooled), for rates such as "moved on to the next
  stage" or "won":
  `p̂ = (x₁ + x₂) / (n₁ + n₂)`, `z = (x₂/n₂ − x₁/n₁) / √(p̂(1 − p̂)(1/n₁ + 1/n₂))`,
  two-sided `p = erfc(|z| / √2)`. When every deal on both sides did the same
  (p̂ is 0 or 1) there is no difference to test: p = 1.
- **Mann–Whitney U** (Wilcoxon rank-sum), for durations such as time in stage
  or cycle length, which are skewed and have long tails, so a t-test on means
  would be swayed by a few slow deals. Both sides are ranked together (ties get
  the average rank); `U₁ = R₁ − n₁(n₁ + 1)/2`; under no difference U₁ has mean
  `n₁n₂/2` and variance `n₁n₂/12 · ((N + 1) − Σ(t³ − t) / (N(N − 1)))`, the
  sum over groups of `t` tied values (the tie correction). With a continuity
  correction of ½: `z = (|U₁ − n₁n₂/2| − ½) / σ`, two-sided `p = erfc(z / √2)`
  (the same as SciPy's `mannwhitneyu(..., method="asymptotic")`).

`ALPHA` is the threshold: a difference with p below 0.05 is called better or
worse; above it, "no clear difference".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

#: Fewer deals than this on either side and no verdict is given: the normal
#: approximations above are not trustworthy below about 20, and a team should
#: not change its process back on a handful of deals.
MIN_PER_SIDE = 20
#: A difference is called when its two-sided p-value is below this.
ALPHA = 0.05


def two_proportion_p(hits_before: int, n_before: int, hits_after: int, n_after: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test; 1.0 when it cannot differ."""
    if n_before <= 0 or n_after <= 0:
        return 1.0
    pooled = (hits_before + hits_after) / (n_before + n_after)
    spread = pooled * (1 - pooled) * (1 / n_before + 1 / n_after)
    if spread <= 0:
        return 1.0
    z = (hits_after / n_after - hits_before / n_before) / math.sqrt(spread)
    return math.erfc(abs(z) / math.sqrt(2))


def mann_whitney(before: Sequence[float], after: Sequence[float]) -> tuple[float, float]:
    """U₁ and the two-sided p-value of the Mann–Whitney U test (normal approximation, ties,
    continuity); p is 1.0 when there is nothing to tell apart."""
    return mann_whitney_counts(Counter(before), Counter(after))


def mann_whitney_counts(
    before: Mapping[float, int], after: Mapping[float, int]
) -> tuple[float, float]:
    """`mann_whitney` of samples given as {value: how many times}: what the database counts."""
    n1, n2 = sum(before.values()), sum(after.values())
    if not n1 or not n2:
        return 0.0, 1.0
    u1, tie_sum = _u_and_ties(before, after)
    total = n1 + n2
    variance = n1 * n2 / 12 * ((total + 1) - tie_sum / (total * (total - 1)))
    if variance <= 0:
        return u1, 1.0
    z = max(abs(u1 - n1 * n2 / 2) - 0.5, 0.0) / math.sqrt(variance)
    return u1, min(math.erfc(z / math.sqrt(2)), 1.0)


def mann_whitney_p(before: Sequence[float], after: Sequence[float]) -> float:
    """The two-sided p-value of `mann_whitney`."""
    return mann_whitney(before, after)[1]


def mann_whitney_u(before: Sequence[float], after: Sequence[float]) -> float:
    """U of the first sample: how many (before, after) pairs have the before value larger
    (a tie counts ½)."""
    return mann_whitney(before, after)[0]


def _u_and_ties(before: Mapping[float, int], after: Mapping[float, int]) -> tuple[float, float]:
    """U₁ from the rank sum of `before`, and Σ(t³ − t) over the groups of tied values.

    Each distinct value, in order, takes the average of the ranks its copies fill.
    """
    rank_sum = 0.0
    tie_sum = 0.0
    position = 0
    for value in sorted(set(before) | set(after)):
        mine = before.get(value, 0)
        tied = mine + after.get(value, 0)
        rank_sum += (position + (tied + 1) / 2) * mine
        tie_sum += tied**3 - tied
        position += tied
    n1 = sum(before.values())
    return rank_sum - n1 * (n1 + 1) / 2, tie_sum


def p_text(p: float) -> str:
    """`p = 0.01`, `p = 0.4`, `p = 0.003`, `p < 0.001`: short, never falsely exact."""
    if p < 0.001:
        return "p < 0.001"
    if p < 0.01:
        return f"p = {p:.3f}"
    return "p = " + (f"{p:.2f}".rstrip("0").rstrip(".") or "0")

"""Voters' budgets during one MES pass: float images with a rigorous error bound, exact on demand.

A voter who has always paid in full has budget ``start - (sum of the prices of the funded projects
they paid for)``; a voter who once could not pay in full paid everything and has 0 left. So every
exact budget, and every exact sum of budgets, is ``W x start - sum_k N_k x price_k`` with integer
counts ``N_k`` (how many voters of the set paid for funded project-and-utility ``k``): exact arithmetic
costs one rational product per funded project, whatever the number of voters. The per-voter work is
done in floating point (numpy), with a bound ``err_b`` on the distance between every float budget and
the exact one. A decision the floats cannot settle with certainty (a budget within the error bound of
a price) is settled by computing that voter's exact budget.

With ``certify`` every budget also carries its slope: its derivative with respect to the starting
share while the rule takes the same decisions (``1 - sum of the slopes of the prices paid``; 0 once the
voter paid everything), kept the same way (float image, bound ``err_s``, exact on demand).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

try:  # GMP rationals are about ten times faster than fractions.Fraction; same values.
    from gmpy2 import mpq as Q
except ImportError:  # pragma: no cover - gmpy2 is a declared dependency
    Q = Fraction

_EPS = 2.0**-52
_TOL = 4.0 * _EPS  # relative error allowed for a product of two float images of exact values


class _State:
    """Budgets of all distinct ballots during one pass (see the module docstring)."""

    def __init__(self, data, start: Fraction, certify: bool = False):
        self.data = data
        self.certify = certify
        self.start = Q(start)
        self.zero = Q(0)
        self.one = Q(1)
        n = len(data.weights)
        start_f = float(self.start)
        self.s_bound = abs(start_f) * (1 + 4 * _EPS) + 1e-300  # >= the exact start
        self.b = np.full(n, start_f)
        self.alive = np.ones(n, dtype=bool)  # False: paid everything once, budget exactly 0
        self.slope = np.ones(n) if certify else None
        self.err_b = _EPS * self.s_bound  # |b - exact| <= err_b for live voters (dead: exact 0)
        self.err_s = 0.0  # the same for slopes
        self.paid = np.zeros(len(data.pair_ballot), dtype=bool)  # support pair paid for in full
        k = data.n_keys
        self.price: list = [None] * k  # exact price per voter of each funded (project, utility) key
        self.dprice: list = [self.zero] * k
        self.price_f = np.zeros(k)
        self.dprice_f = np.zeros(k)
        self._budgets: dict = {}  # tuple of paid keys -> exact (budget, slope)
        self.pays = 0  # payments so far
        self.estimates: dict = {}  # project -> (pays, float estimate of its rho after that many payments)

    # ------------------------------------------------------------------------------------ exact values
    def exact_budget(self, i: int):
        """Exact (budget, slope) of ballot i."""
        if not self.alive[i]:
            return self.zero, self.zero
        d = self.data
        pairs = d.bpairs[d.bstart[i] : d.bstart[i + 1]]
        keys = tuple(d.pair_key[pairs[self.paid[pairs]]].tolist())
        hit = self._budgets.get(keys)
        if hit is None:
            b, s = self.start, self.one
            for k in keys:
                b -= self.price[k]
                s -= self.dprice[k]
            hit = self._budgets[keys] = (b, s)
        return hit

    def _money(self, ballots: np.ndarray):
        """Exact (money, slope of money) held by these distinct ballots, each with its weight."""
        d = self.data
        ballots = ballots[self.alive[ballots]]
        wts = d.weights_f[ballots]
        total_w = int(round(float(wts.sum())))
        money = total_w * self.start
        dmoney = Q(total_w) if self.certify else self.zero
        lens = d.blen[ballots]
        total = int(lens.sum())
        if total:
            offs = np.repeat(d.bstart[ballots] - (np.cumsum(lens) - lens), lens) + np.arange(total)
            pairs = d.bpairs[offs]
            paid = self.paid[pairs]
            if paid.any():
                counts = np.bincount(
                    d.pair_key[pairs[paid]], weights=np.repeat(wts, lens)[paid], minlength=d.n_keys
                )
                nz = counts.nonzero()[0]
                for k, c in zip(nz.tolist(), np.rint(counts[nz]).tolist(), strict=True):
                    money -= int(c) * self.price[k]
                    if self.certify:
                        dmoney -= int(c) * self.dprice[k]
        return money, dmoney

    def _sat(self, q: int, local: np.ndarray):
        """Exact total satisfaction of the supporter pairs ``starts[q] + local`` of project q."""
        d = self.data
        sl0 = int(d.starts[q])
        ucls = d.pair_ucls[sl0 + local]
        wts = d.pair_w[sl0 + local]
        counts = np.bincount(ucls, weights=wts, minlength=d.n_utils)
        nz = counts.nonzero()[0]
        total = self.zero
        for c, w in zip(nz.tolist(), np.rint(counts[nz]).tolist(), strict=True):
            total += int(w) * d.util_q[c]
        return total

    def total_sat(self, q: int):
        """Exact total satisfaction of the supporters of q (cached: it never changes)."""
        cache = self.data.__dict__.setdefault("_total_sat_q", {})
        t = cache.get(q)
        if t is None:
            t = cache[q] = self._sat(q, np.arange(int(self.data.lengths[q])))
        return t

    # ------------------------------------------------------------------------------------------ prices
    def _guided_rho(self, q: int):
        """Exact (rho, d rho / d share) of q with the split between supporters who pay all they have and
        the others guessed in floating point, then proved exactly: with P the guessed "poor" supporters,
        rho = (cost - money of P) / (satisfaction of the rest) is the price when everyone in P has
        budget <= rho * u and everyone else budget >= rho * u (then the payments add up to the cost,
        and any lower price would collect strictly less). Calls the float bounds cannot settle are
        checked exactly; returns None when the guess cannot be proved (the caller then walks)."""
        d = self.data
        sl = slice(int(d.starts[q]), int(d.starts[q + 1]))
        ballots = d.pair_ballot[sl]
        alive = self.alive[ballots]
        slack = self.err_b * alive
        b_lo = self.b[ballots] - slack
        u = d.pair_u[sl]
        ratio = b_lo / u
        estimate = self.estimates.get(q)
        if estimate is not None and estimate[0] == self.pays:
            # The last float pass found rho close to this value (any split guessed is proved below).
            below = ratio < estimate[1]
            poor, rich = below.nonzero()[0], (~below).nonzero()[0]
        else:
            order = np.argsort(ratio)  # any order: the split found is proved exactly below
            bw = (b_lo * d.pair_w[sl])[order]
            sw = d.pair_sat[sl][order]
            poor_money = np.cumsum(bw) - bw
            rich_sat = sw.sum() - (np.cumsum(sw) - sw)
            with np.errstate(divide="ignore", invalid="ignore"):
                rho_k = (d.costs_f[q] - poor_money) / rich_sat
            hits = (rho_k <= ratio[order]).nonzero()[0]
            if not len(hits):
                return None
            n_poor = int(hits[0])
            poor, rich = order[:n_poor], order[n_poor:]
        if len(poor):
            money, dmoney = self._money(ballots[poor])
            sat = self.total_sat(q) - self._sat(q, poor)
        else:  # everybody pays in full
            money, dmoney, sat = self.zero, self.zero, self.total_sat(q)
        if sat <= 0:
            return None
        rho = (d.costs_q[q] - money) / sat
        if rho < 0:
            return None
        rho_f = float(rho)
        limit = rho_f * u
        b_f = self.b[ballots]
        unsure_poor = poor[b_f[poor] + slack[poor] > limit[poor] * (1 - _TOL)]
        unsure_rich = rich[b_f[rich] - slack[rich] < limit[rich] * (1 + _TOL)]
        util_q, ucls = d.util_q, d.pair_ucls[sl]
        for i in unsure_poor.tolist():
            budget, beta = self.exact_budget(int(ballots[i]))
            u_i = util_q[ucls[i]]
            if budget > rho * u_i:
                return None
            if budget == rho * u_i and self.certify:
                # Exactly at the price: counted with those who pay rho * u (as the exact walk does),
                # which gives the same rho and the slope that `pay` certifies.
                w = int(d.weights[ballots[i]])
                sat += w * u_i
                dmoney -= w * beta
        for i in unsure_rich.tolist():
            if self.exact_budget(int(ballots[i]))[0] < rho * util_q[ucls[i]]:
                return None
        return rho, (-dmoney / sat if self.certify else self.zero)

    def exact_rho(self, q: int):
        """(rho, d rho / d share, None) of project q, or (None, money, d money / d share) when its
        supporters cannot pay for it. Exact."""
        guided = self._guided_rho(q)
        if guided is not None:
            return guided[0], guided[1], None
        return self.walk_rho(q)

    def walk_rho(self, q: int):
        """:meth:`exact_rho` by walking every supporter in exact order (no float guidance)."""
        d = self.data
        cost = d.costs_q[q]
        sl = slice(int(d.starts[q]), int(d.starts[q + 1]))
        classes: dict = {}  # (budget, slope, utility class) -> weight
        for i, c, w in zip(
            d.pair_ballot[sl].tolist(),
            d.pair_ucls[sl].tolist(),
            d.weights[d.pair_ballot[sl]].tolist(),
            strict=True,
        ):
            b, beta = self.exact_budget(i)
            key = (b, beta, c)
            classes[key] = classes.get(key, 0) + w
        rows = []
        money = dmoney = sat = self.zero
        for (b, beta, c), w in classes.items():
            u = d.util_q[c]
            money += w * b
            dmoney += w * beta
            sat += w * u
            rows.append((b / u, b, beta, u, w))
        if money < cost:
            return None, money, (dmoney if self.certify else self.zero)
        rows.sort(key=lambda r: r[0])
        paid = dpaid = self.zero
        for _, b, beta, u, w in rows:
            rho = (cost - paid) / sat
            if rho * u <= b:
                return rho, (-dpaid / sat if self.certify else self.zero), None
            paid += w * b
            dpaid += w * beta
            sat -= w * u
        raise AssertionError("MES: an affordable project must have a price")  # pragma: no cover

    # -------------------------------------------------------------------------------------------- pay
    def pay(self, q: int, rho, drho) -> float:
        """Every supporter of q pays min(budget, rho * utility). Returns how far the share may move
        with every supporter staying on the same side of "pays in full" (inf without certification)."""
        d = self.data
        certify = self.certify
        s0, s1 = int(d.starts[q]), int(d.starts[q + 1])
        for k in range(int(d.kstart[q]), int(d.kstart[q + 1])):
            u = d.util_q[int(d.key_ucls[k])]
            self.price[k] = rho * u
            self.price_f[k] = float(self.price[k])
            if certify:
                self.dprice[k] = drho * u
                self.dprice_f[k] = float(self.dprice[k])
        ballots = d.pair_ballot[s0:s1]
        keys = d.pair_key[s0:s1]
        alive = self.alive[ballots]
        b = self.b[ballots]
        pf = self.price_f[keys]
        gap = b - pf
        band = self.err_b * alive * (1 + _TOL) + _TOL * (np.abs(pf) + np.abs(b)) + 1e-300
        rich = gap > band
        poor = gap < -band
        unsure = (~(rich | poor)).nonzero()[0]
        exact_gaps = {}
        for i in unsure.tolist():
            eb, es = self.exact_budget(int(ballots[i]))
            k = int(keys[i])
            g = eb - self.price[k]
            rich[i] = g >= 0
            poor[i] = not rich[i]
            exact_gaps[i] = (g, es - self.dprice[k])
        room = np.inf
        if certify:
            if rho == 0:
                room = 0.0  # a price of 0 is a degenerate case: certify nothing
            dpf = self.dprice_f[keys]
            slope = np.where(alive, self.slope[ballots], 0.0)
            dgap = slope - dpf
            dband = self.err_s * alive * (1 + _TOL) + _TOL * (np.abs(dpf) + np.abs(slope)) + 1e-300
            with np.errstate(divide="ignore", invalid="ignore"):
                closing = dband - dgap  # rich: stays rich while gap - closing * change >= 0
                r = np.where(rich & (closing > 0), (gap - band) / closing, np.inf)
                closing = dgap + dband  # poor: stays poor while -gap - closing * change > 0
                r2 = np.where(poor & (closing > 0), (-gap - band) / closing, np.inf)
            for i, (g, dg) in exact_gaps.items():
                r[i] = r2[i] = np.inf
                if g >= 0 and dg < 0:
                    r[i] = float(g / -dg)
                elif g < 0 and dg > 0:
                    r[i] = float(-g / dg)
            if len(r):
                room = min(room, float(r.min()), float(r2.min()))
            room = max(room, 0.0)
        rb = ballots[rich]
        new_b = gap[rich]
        self.b[rb] = new_b
        self.paid[s0 + rich.nonzero()[0]] = True
        pb = ballots[poor]
        self.b[pb] = 0.0
        self.alive[pb] = False
        self.err_b += 2 * _EPS * (self.s_bound + self.err_b)
        self.pays += 1
        if certify:
            new_s = self.slope[rb] - dpf[rich]
            self.slope[rb] = new_s
            self.slope[pb] = 0.0
            big = float(np.abs(dpf).max(initial=0.0)) + float(np.abs(new_s).max(initial=0.0))
            self.err_s += 2 * _EPS * (big + self.err_s)
        return room


__all__ = ["Q", "_EPS", "_State"]

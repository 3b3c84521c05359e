"""A treasurer's picture: a fund's balance over time, as a PNG.

Drawn from an :class:`~panarchy.funds.ledger.Audit` (every block an event happened in, and
now): the balance held, and the cumulative contributions and disbursements, as steps.
"""

from __future__ import annotations

from pathlib import Path

from panarchy.funds.ledger import Audit


def plot_balance(found: Audit, out: Path, *, title: str | None = None) -> Path:
    """Write the balance of the audited fund over time to ``out`` (PNG).

    Returns:
        ``out``.
    """
    import matplotlib

    matplotlib.use("Agg")  # no screen: render to a file
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    asset = found.asset
    times = [p.timestamp for p in found.points]
    series = {
        "balance": [float(asset.to_decimal(p.balance)) for p in found.points],
        "contributed": [float(asset.to_decimal(p.contributed)) for p in found.points],
        "disbursed": [float(asset.to_decimal(p.disbursed)) for p in found.points],
    }
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    try:
        for label, values in series.items():
            # matplotlib plots datetimes (its date converter), but its stubs want ArrayLike.
            ax.step(
                times,  # type: ignore[arg-type]
                values,
                where="post",
                label=label,
                linewidth=2 if label == "balance" else 1,
            )
        verdict = "reconciles" if found.reconciles else f"{len(found.problems)} problem(s)"
        ax.set_title(f"{title or 'Fund ' + found.address}\nledger {verdict}", fontsize=10)
        ax.set_ylabel(asset.symbol)
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper left")
        fig.tight_layout()
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out, format="png")
    finally:
        plt.close(fig)
    return out

"""A treasurer's picture: a fund's balance over time, as a PNG.

Drawn from an :class:`~panarchy.funds.ledger.Audit` (every block an event happened in, and
now): the balance held, and the cumulative contributions and disbursements, as steps. The
legend sits outside the plotting area (right of it), so it never covers a step, and the time
axis is labelled in UTC dates and times.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from panarchy.funds.ledger import Audit

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The time axis label.
TIME_LABEL = "time (UTC)"


def _time_format(span: timedelta) -> str:
    """Tick labels as dates and times, as fine as the span needs."""
    if span < timedelta(hours=1):
        return "%H:%M:%S"
    if span < timedelta(days=2):
        return "%m-%d %H:%M"
    return "%Y-%m-%d"


def balance_figure(found: Audit, *, title: str | None = None) -> Figure:
    """The balance of the audited fund over time, as a matplotlib figure (not shown; the
    caller closes it with ``matplotlib.pyplot.close``)."""
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
    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=100)
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
    span = times[-1] - times[0] if times else timedelta(0)
    since = f", from {times[0]:%Y-%m-%d %H:%M}" if times else ""
    ax.set_xlabel(f"{TIME_LABEL}{since}")
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(tz=UTC))
    ax.xaxis.set_major_formatter(mdates.DateFormatter(_time_format(span), tz=UTC))
    fig.autofmt_xdate()
    ax.grid(True, alpha=0.3)
    # Outside the axes, to their right: the first steps start at the top left.
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    fig.tight_layout()
    return fig


def plot_balance(found: Audit, out: Path, *, title: str | None = None) -> Path:
    """Write the balance of the audited fund over time to ``out`` (PNG).

    Returns:
        ``out``.
    """
    fig = balance_figure(found, title=title)
    import matplotlib.pyplot as plt  # after balance_figure chose the Agg backend

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out, format="png", bbox_inches="tight")
    finally:
        plt.close(fig)
    return out


__all__ = [
    "TIME_LABEL",
    "balance_figure",
    "plot_balance",
]

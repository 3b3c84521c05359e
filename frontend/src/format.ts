// Times and amounts as people read them. Absolute times are UTC; countdowns are on the
// chain's clock (see ChainClock).

export function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace("T", " ").replace(/:\d\d\.\d+Z$/, " UTC");
}

export function duration(seconds: number): string {
  const s = Math.abs(Math.trunc(seconds));
  const d = Math.floor(s / 86400);
  const hh = String(Math.floor((s % 86400) / 3600)).padStart(2, "0");
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return d > 0 ? `${d}d ${hh}h ${mm}m ${ss}s` : `${hh}h ${mm}m ${ss}s`;
}

/** "3d 04h 05m 06s left", or "ended 1d ... ago" once the deadline has passed. */
export function countdown(deadline: number, now: number): string {
  const left = deadline - now;
  return left > 0 ? `${duration(left)} left` : `ended ${duration(left)} ago`;
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

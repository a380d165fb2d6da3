// The simulated clock of an install host. The SDK reads the time through its `now` option,
// and the clock value changes only here, every few milliseconds: synchronous code (a
// `record()` and the harness's own bookkeeping of the same call) always sees one value.

const DAY_MS = 86_400_000;

/**
 * A clock that runs `speed` times faster than real time from an anchor, stops at `capMs`
 * (so that a run that takes longer than planned does not carry the fleet into a day the
 * scenario did not plan for), and can be set (jumped) at any moment.
 */
export function createSimClock({ simMs, speed, capMs = Infinity }) {
  let anchorSim = simMs;
  let anchorReal = performance.now();
  let rate = speed;
  let cap = capMs;
  let current = Math.floor(simMs);
  let max = current;
  const update = () => {
    current = Math.floor(Math.min(cap, anchorSim + (performance.now() - anchorReal) * rate));
    if (current > max) max = current;
  };
  const timer = setInterval(update, 10);
  return {
    /** The simulated time, epoch ms. */
    now: () => current,
    /** The latest time the clock has shown. */
    max: () => max,
    /** Sets the clock (forward or backward), its speed and where it stops. */
    set(ms, newSpeed = rate, newCap = Infinity) {
      anchorSim = ms;
      anchorReal = performance.now();
      rate = newSpeed;
      cap = newCap;
      current = Math.floor(ms);
      if (current > max) max = current;
    },
    stop: () => clearInterval(timer),
  };
}

/** Start of the UTC day of `ms`. */
export function dayStart(ms) {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export { DAY_MS };

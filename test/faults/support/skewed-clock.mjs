// Preloaded (`node --import`) into a server process to run its clock FAULTS_CLOCK_OFFSET_MS
// ahead of (or behind) the machine's, as a replica on a host whose clock drifted: Date.now()
// and `new Date()` shift; timers and performance.now() do not (they are monotonic anyway).
const offset = Number(process.env.FAULTS_CLOCK_OFFSET_MS ?? 0);
if (Number.isFinite(offset) && offset !== 0) {
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  class SkewedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(realNow() + offset);
      else super(...args);
    }
    static now() {
      return realNow() + offset;
    }
  }
  globalThis.Date = SkewedDate;
}

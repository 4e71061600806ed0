'use strict';

// What the tests steer and observe: injected faults, dead accounts, request counts and log.

const SERVICES = ['ce', 'ec2', 'cloudwatch', 'sts', 's3', 'pricing', 'athena'];
const KINDS = [
  'throttle',
  'server-error',
  'slow',
  'malformed',
  'deny',
  'truncate-body',
];
const DEFAULT_SLOW_MS = 3000;

function checkFault(spec) {
  const { service, kind, times = 1, delayMs } = spec || {};
  if (!SERVICES.includes(service))
    throw new Error(`fault service must be one of ${SERVICES.join(', ')}`);
  if (!KINDS.includes(kind))
    throw new Error(`fault kind must be one of ${KINDS.join(', ')}`);
  if (!(times === Infinity || (Number.isInteger(times) && times > 0)))
    throw new Error('fault times must be a positive integer or Infinity');
  if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0))
    throw new Error('fault delayMs must be a non-negative number');
}

class FakeState {
  constructor() {
    this.reset();
  }

  reset() {
    this.faults = [];
    this.dead = new Set();
    this.counts = {};
    this.log = [];
  }

  injectFault(spec) {
    checkFault(spec);
    this.faults.push({
      service: spec.service,
      operation: spec.operation,
      accountId: spec.accountId,
      kind: spec.kind,
      remaining: spec.times === undefined ? 1 : spec.times,
      delayMs: spec.delayMs === undefined ? DEFAULT_SLOW_MS : spec.delayMs,
    });
  }

  /** The first fault that applies to this request, used up by one; undefined when none. */
  takeFault({ service, operation, accountId }) {
    const i = this.faults.findIndex(
      f =>
        f.service === service &&
        (f.operation === undefined || f.operation === operation) &&
        (f.accountId === undefined || f.accountId === accountId),
    );
    if (i < 0) return undefined;
    const fault = this.faults[i];
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(i, 1);
    return fault;
  }

  markAccountDead(accountId) {
    if (!/^\d{12}$/.test(String(accountId)))
      throw new Error('accountId must be 12 digits');
    this.dead.add(String(accountId));
  }

  isDead(accountId) {
    return this.dead.has(accountId);
  }

  record(entry) {
    const key = `${entry.service}:${entry.operation}`;
    this.counts[key] = (this.counts[key] || 0) + 1;
    this.log.push(entry);
  }

  requestCounts() {
    return { ...this.counts };
  }

  requestLog() {
    return this.log.map(e => ({ ...e }));
  }
}

module.exports = { FakeState, SERVICES, KINDS, checkFault };

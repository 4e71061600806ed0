'use strict';

// Exact money: decimal strings <-> BigInt at 1e-12, the scale of the demo billing files.

const SCALE_DIGITS = 12;
const SCALE = 10n ** BigInt(SCALE_DIGITS);

/** '12.5' -> 12500000000000n; '' -> 0n. Digits beyond 1e-12 would be lost, so they are refused. */
function parseDecimal(s) {
  if (s === undefined || s === null || s === '') return 0n;
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(String(s).trim());
  if (!m) throw new Error(`not a decimal: '${s}'`);
  const frac = m[3] || '';
  if (frac.length > SCALE_DIGITS && /[1-9]/.test(frac.slice(SCALE_DIGITS)))
    throw new Error(`more than ${SCALE_DIGITS} decimals: '${s}'`);
  const v = BigInt(
    m[2] + frac.padEnd(SCALE_DIGITS, '0').slice(0, SCALE_DIGITS),
  );
  return m[1] ? -v : v;
}

/** 1e-12 units -> decimal string with 10 to 12 fractional digits (exact, like the FOCUS files). */
function formatAmount(v) {
  const neg = v < 0n;
  const a = neg ? -v : v;
  let frac = (a % SCALE).toString().padStart(SCALE_DIGITS, '0');
  while (frac.length > 10 && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${neg ? '-' : ''}${a / SCALE}.${frac}`;
}

module.exports = { parseDecimal, formatAmount, SCALE };

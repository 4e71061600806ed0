'use strict';

// RFC 4180 CSV to arrays of strings. Hand-written because csv-parse needs about a second for
// the demo's 12 MB, too slow for starting a fake in every jest test file.

/** One field starting at `i`: [value, index after it]. */
function field(text, i) {
  if (text[i] !== '"') {
    let j = i;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c === 44 || c === 10 || c === 13) break; // , \n \r
      j++;
    }
    return [text.slice(i, j), j];
  }
  let value = '';
  let j = i + 1;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q < 0) throw new Error('CSV: unterminated quoted field');
    value += text.slice(j, q);
    if (text[q + 1] !== '"') return [value, q + 1];
    value += '"';
    j = q + 2;
  }
}

/** Rows as arrays of strings; blank lines are skipped. */
function parseRows(text) {
  const rows = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\n' || text[i] === '\r') {
      i++;
      continue;
    }
    const row = [];
    for (;;) {
      const [value, j] = field(text, i);
      row.push(value);
      i = j;
      if (text[i] !== ',') break;
      i++;
    }
    rows.push(row);
  }
  return rows;
}

module.exports = { parseRows };

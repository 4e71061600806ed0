#!/usr/bin/env node
'use strict';

// Writes examples/prices/aws-prices.json, the demo's prices file
// (costscope.recommendations.prices.file), from the product data the fake AWS Price List
// serves (test/fake-aws/pricingData.js): the demo prices its tips the way a live setup does,
// through the price cache, without a cloud account. Run after changing pricingData.js;
// a backend test fails while the file and the data differ.

const fs = require('fs');
const path = require('path');
const { priceSnapshot } = require('../../test/fake-aws/pricingData');

const OUT = path.join(__dirname, 'aws-prices.json');

/** The file's text: one price per line, so a change reads well in a diff. */
function demoPricesText() {
  const { prices, ...head } = priceSnapshot();
  const lines = prices.map(p => `    ${JSON.stringify(p)}`);
  const top = JSON.stringify(head, null, 2).slice(0, -2);
  return `${top},\n  "prices": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

module.exports = { demoPricesText, DEMO_PRICES_FILE: OUT };

if (require.main === module) {
  fs.writeFileSync(OUT, demoPricesText());
  process.stdout.write(`wrote ${path.relative(process.cwd(), OUT)}\n`);
}

'use strict';

// Cost Explorer filter Expressions compiled to predicates over cost lines.

const { ServiceError } = require('./wire');

const invalid = message => new ServiceError('ValidationException', message);

/** The line attribute behind each supported dimension. */
const DIMENSIONS = {
  SERVICE: l => l.service,
  LINKED_ACCOUNT: l => l.account,
  REGION: l => l.region,
  RECORD_TYPE: l => l.recordType,
};
const OPERATORS = ['And', 'Or', 'Not', 'Dimensions', 'Tags', 'CostCategories'];
const MATCH_OPTIONS = [
  'EQUALS',
  'ABSENT',
  'STARTS_WITH',
  'ENDS_WITH',
  'CONTAINS',
  'CASE_SENSITIVE',
  'CASE_INSENSITIVE',
];

function dimension(key) {
  const get = DIMENSIONS[key];
  if (!get) throw invalid(`Dimension ${key} is not supported by the fake`);
  return get;
}

function comparison(opts) {
  if (opts.has('STARTS_WITH')) return (v, x) => v.startsWith(x);
  if (opts.has('ENDS_WITH')) return (v, x) => v.endsWith(x);
  if (opts.has('CONTAINS')) return (v, x) => v.includes(x);
  return (v, x) => v === x;
}

/**
 * A predicate over one value (a dimension's or a tag's). ABSENT matches a missing or empty
 * value; so does the value '' among Values. Without Values, a tag only has to be present.
 */
function valueMatcher({ Values, MatchOptions }, what) {
  const given = MatchOptions && MatchOptions.length ? MatchOptions : ['EQUALS'];
  for (const o of given)
    if (!MATCH_OPTIONS.includes(o)) throw invalid(`Unknown MatchOption ${o}`);
  const opts = new Set(given);
  const absent = opts.has('ABSENT');
  if (!absent && !(Values && Values.length) && what === 'Dimensions')
    throw invalid('Dimensions.Values must not be empty');
  const norm = opts.has('CASE_INSENSITIVE') ? s => s.toLowerCase() : s => s;
  const cmp = comparison(opts);
  const values = (Values || []).map(norm);
  return value => {
    const present = value !== undefined && value !== null && value !== '';
    if (absent && !present) return true;
    if (!values.length) return !absent && present;
    return values.some(x =>
      x === '' ? !present : present && cmp(norm(value), x),
    );
  };
}

function subExpressions(list, op) {
  if (!Array.isArray(list) || list.length < 2)
    throw invalid(`${op} needs at least 2 expressions`);
  return list.map(compileFilter);
}

/** Expression -> (line) => boolean. Undefined matches everything. */
function compileFilter(expr) {
  if (expr === undefined || expr === null) return () => true;
  const roots = OPERATORS.filter(
    k => expr[k] !== undefined && expr[k] !== null,
  );
  if (roots.length !== 1)
    throw invalid(
      'Expression must have exactly one root operator: And, Or, Not, Dimensions, Tags, CostCategories',
    );
  const [op] = roots;
  const arg = expr[op];
  switch (op) {
    case 'And': {
      const parts = subExpressions(arg, op);
      return l => parts.every(p => p(l));
    }
    case 'Or': {
      const parts = subExpressions(arg, op);
      return l => parts.some(p => p(l));
    }
    case 'Not': {
      const inner = compileFilter(arg);
      return l => !inner(l);
    }
    case 'Dimensions': {
      const get = dimension(arg.Key);
      const match = valueMatcher(arg, op);
      return l => match(get(l));
    }
    case 'Tags': {
      if (!arg.Key) throw invalid('Tags.Key is required');
      const match = valueMatcher(arg, op);
      return l => match(l.tags[arg.Key]);
    }
    default:
      throw invalid('CostCategories are not supported by the fake');
  }
}

module.exports = { compileFilter, dimension, DIMENSIONS };

'use strict';

// The HTTP control API under /__fake/, for tests in another process (the CLI fake):
//   GET  /__fake/health | /__fake/counts | /__fake/log
//   POST /__fake/faults         {"service":"ce","kind":"throttle","times":2}  (times "Infinity" = always)
//   POST /__fake/dead-accounts  {"accountId":"222233334444"}
//   POST /__fake/reset

function json(status, value) {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: value === undefined ? '' : JSON.stringify(value),
  };
}

function parseJson(body) {
  if (!body) return {};
  return JSON.parse(body);
}

/** JSON has no Infinity: accept the string, or a missing `times` meaning once. */
function faultFromJson(spec) {
  const times =
    spec.times === 'Infinity' || spec.times === null ? Infinity : spec.times;
  return { ...spec, ...(times !== undefined ? { times } : {}) };
}

const ROUTES = {
  'GET /__fake/health': () => json(200, { ok: true }),
  'GET /__fake/counts': state => json(200, state.requestCounts()),
  'GET /__fake/log': state => json(200, state.requestLog()),
  'POST /__fake/faults': (state, body) => {
    state.injectFault(faultFromJson(parseJson(body)));
    return json(204);
  },
  'POST /__fake/dead-accounts': (state, body) => {
    state.markAccountDead(parseJson(body).accountId);
    return json(204);
  },
  'POST /__fake/reset': state => {
    state.reset();
    return json(204);
  },
};

/** The response to a control request. */
function control(state, method, pathname, body) {
  const route = ROUTES[`${method} ${pathname}`];
  if (!route)
    return json(404, { error: `no control route ${method} ${pathname}` });
  try {
    return route(state, body);
  } catch (e) {
    return json(400, { error: e.message });
  }
}

module.exports = { control };

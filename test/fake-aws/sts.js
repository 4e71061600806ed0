'use strict';

// STS (AWS query protocol, Version 2011-06-15): AssumeRole hands out credentials whose access
// key id carries the role's account, which is how every later request names its account.

const crypto = require('crypto');
const { ServiceError, queryWire, tag, leaf } = require('./wire');

const VERSION = '2011-06-15';
const wire = queryWire({
  xmlNamespace: `https://sts.amazonaws.com/doc/${VERSION}/`,
});
const ROLE_ARN =
  /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

const FAULTS = {
  throttle: () =>
    new ServiceError('Throttling', 'Rate exceeded', { status: 400 }),
  'server-error': () =>
    new ServiceError('InternalFailure', 'Internal failure', { status: 500 }),
  deny: ({ operation }) =>
    new ServiceError(
      'AccessDenied',
      `Not authorized to perform sts:${operation}`,
      {
        status: 403,
      },
    ),
};

const hex = (key, n) =>
  crypto.createHash('sha256').update(key).digest('hex').slice(0, n);
const validation = message => new ServiceError('ValidationError', message);

/** The access key id for temporary credentials in `accountId`. */
const temporaryAccessKeyId = accountId => `ASIAFAKE${accountId}`;

function parseAssumeRole(form) {
  const m = ROLE_ARN.exec(form.RoleArn || '');
  if (!m)
    throw validation(
      `1 validation error detected: Value '${form.RoleArn}' at 'roleArn' failed to satisfy constraint`,
    );
  if (!SESSION_NAME.test(form.RoleSessionName || ''))
    throw validation(
      "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint",
    );
  const duration = form.DurationSeconds ? Number(form.DurationSeconds) : 3600;
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200)
    throw validation('DurationSeconds must be between 900 and 43200');
  return {
    roleArn: form.RoleArn,
    accountId: m[1],
    roleName: m[2],
    session: form.RoleSessionName,
    duration,
  };
}

function createSts({ isKnownAccount, isDead, now = () => Date.now() }) {
  function assumeRole(form, ctx) {
    const role = parseAssumeRole(form);
    if (!isKnownAccount(role.accountId) || isDead(role.accountId))
      throw new ServiceError(
        'AccessDenied',
        `User: arn:aws:iam::${ctx.accountId}:user/costscope is not authorized to perform: sts:AssumeRole on resource: ${role.roleArn}`,
        { status: 403 },
      );
    const secret = hex(`secret:${role.roleArn}:${role.session}`, 40);
    const credentials =
      leaf('AccessKeyId', temporaryAccessKeyId(role.accountId)) +
      leaf('SecretAccessKey', secret) +
      leaf(
        'SessionToken',
        Buffer.from(`fake-session:${role.roleArn}:${role.session}`).toString(
          'base64',
        ),
      ) +
      leaf('Expiration', new Date(now() + role.duration * 1000).toISOString());
    const user =
      leaf(
        'AssumedRoleId',
        `AROAFAKE${hex(role.roleArn, 12).toUpperCase()}:${role.session}`,
      ) +
      leaf(
        'Arn',
        `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${role.session}`,
      );
    return tag('AssumedRoleUser', user) + tag('Credentials', credentials);
  }

  function getCallerIdentity(form, ctx) {
    return (
      leaf('Arn', `arn:aws:iam::${ctx.accountId}:user/costscope`) +
      leaf('UserId', `AIDAFAKE${ctx.accountId}`) +
      leaf('Account', ctx.accountId)
    );
  }

  const OPERATIONS = {
    AssumeRole: assumeRole,
    GetCallerIdentity: getCallerIdentity,
  };

  return {
    name: 'sts',
    route(req) {
      if (!req.form || req.form.Version !== VERSION) return undefined;
      return { wire, operation: req.form.Action, params: req.form };
    },
    handle(operation, form, ctx) {
      const op = OPERATIONS[operation];
      if (!op)
        throw new ServiceError(
          'InvalidAction',
          `Could not find operation ${operation} for version ${VERSION}`,
        );
      return op(form, ctx);
    },
    faultError: (kind, request) => FAULTS[kind](request),
  };
}

module.exports = { createSts, temporaryAccessKeyId };

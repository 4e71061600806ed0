'use strict';

// EC2 (EC2 query protocol, Version 2016-11-15): DescribeInstances, DescribeVolumes,
// DescribeAddresses, DescribeSnapshots over the demo inventory, limited to the caller's
// account and the region of the request's signature.

const crypto = require('crypto');
const {
  ServiceError,
  ec2Wire,
  tag,
  leaf,
  list,
  indexedList,
} = require('./wire');
const { requestHash, encodeToken, decodeToken } = require('./paging');

const VERSION = '2016-11-15';
const wire = ec2Wire({
  xmlNamespace: `http://ec2.amazonaws.com/doc/${VERSION}/`,
});
const STATE_CODES = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};
const MIN_MAX_RESULTS = 5;

const FAULTS = {
  throttle: () =>
    new ServiceError('RequestLimitExceeded', 'Request limit exceeded.', {
      status: 503,
    }),
  'server-error': () =>
    new ServiceError(
      'InternalError',
      'An internal error has occurred. Retry your request.',
      { status: 500 },
    ),
  deny: ({ operation }) =>
    new ServiceError(
      'UnauthorizedOperation',
      `You are not authorized to perform this operation. User is not authorized to perform: ec2:${operation}`,
      { status: 403 },
    ),
};

const hex = (key, n) =>
  crypto.createHash('sha256').update(key).digest('hex').slice(0, n);
const invalidParameter = message =>
  new ServiceError('InvalidParameterValue', message);

// --- filters ------------------------------------------------------------------
/** `Filter.N.Name` / `Filter.N.Value.M` -> [{ name, values }]. */
function filtersOf(form) {
  const filters = [];
  for (let n = 1; form[`Filter.${n}.Name`] !== undefined; n++)
    filters.push({
      name: form[`Filter.${n}.Name`],
      values: indexedList(form, `Filter.${n}.Value`),
    });
  return filters;
}

const glob = pattern =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

/** A predicate for one filter: any of its values matches any of the resource's values. */
function filterPredicate({ name, values }, fields) {
  let get;
  if (name.startsWith('tag:')) get = r => r.tags[name.slice(4)];
  else if (name === 'tag-key') get = r => Object.keys(r.tags);
  else get = fields[name];
  if (!get) throw invalidParameter(`The filter '${name}' is invalid`);
  const patterns = values.map(glob);
  return r => {
    const v = get(r);
    const have = (Array.isArray(v) ? v : [v]).filter(x => x !== undefined);
    return have.some(x => patterns.some(p => p.test(String(x))));
  };
}

// --- XML of each resource --------------------------------------------------------
const tagSet = tags => {
  const entries = Object.entries(tags);
  return entries.length
    ? list('tagSet', entries, ([k, v]) => leaf('key', k) + leaf('value', v))
    : '';
};

function instanceXml(r) {
  return (
    leaf('reservationId', `r-0${hex(`r:${r.resourceId}`, 16)}`) +
    leaf('ownerId', r.accountId) +
    tag('groupSet', '') +
    list('instancesSet', [r], i =>
      [
        leaf('instanceId', i.resourceId),
        leaf('imageId', `ami-0${hex(`ami:${i.type}`, 16)}`),
        tag(
          'instanceState',
          leaf('code', STATE_CODES[i.state]) + leaf('name', i.state),
        ),
        leaf('instanceType', i.type),
        leaf('launchTime', i.createdAt),
        tag(
          'placement',
          leaf('availabilityZone', i.attributes.availabilityZone) +
            leaf('tenancy', 'default'),
        ),
        tag('monitoring', leaf('state', 'disabled')),
        leaf('architecture', i.type.startsWith('c7g') ? 'arm64' : 'x86_64'),
        leaf('rootDeviceType', 'ebs'),
        leaf('rootDeviceName', '/dev/xvda'),
        tagSet(i.tags),
      ].join(''),
    )
  );
}

function volumeXml(v) {
  const attachments = v.attachedTo
    ? [
        leaf('volumeId', v.resourceId) +
          leaf('instanceId', v.attachedTo) +
          leaf('device', '/dev/xvda') +
          leaf('status', 'attached') +
          leaf('attachTime', v.createdAt) +
          leaf('deleteOnTermination', 'true'),
      ]
    : [];
  return [
    leaf('volumeId', v.resourceId),
    leaf('size', v.sizeGiB),
    leaf('snapshotId', ''),
    leaf('availabilityZone', v.attributes.availabilityZone),
    leaf('status', v.state),
    leaf('createTime', v.createdAt),
    list('attachmentSet', attachments, x => x),
    leaf('volumeType', v.type),
    leaf('iops', 3000),
    leaf('throughput', 125),
    leaf('encrypted', 'false'),
    leaf('multiAttachEnabled', 'false'),
    tagSet(v.tags),
  ].join('');
}

function addressXml(a) {
  const { publicIp, domain, associationId, networkInterfaceId } = a.attributes;
  return [
    leaf('publicIp', publicIp),
    leaf('allocationId', a.resourceId),
    leaf('domain', domain),
    leaf('instanceId', a.attachedTo),
    leaf('associationId', associationId),
    leaf('networkInterfaceId', networkInterfaceId),
    leaf(
      'networkInterfaceOwnerId',
      networkInterfaceId ? a.accountId : undefined,
    ),
    leaf('publicIpv4Pool', 'amazon'),
    leaf('networkBorderGroup', a.region),
    tagSet(a.tags),
  ].join('');
}

function snapshotXml(s) {
  return [
    leaf('snapshotId', s.resourceId),
    leaf('volumeId', s.attributes.volumeId),
    leaf('status', s.state),
    leaf('startTime', s.createdAt),
    leaf('progress', '100%'),
    leaf('ownerId', s.accountId),
    leaf('volumeSize', s.sizeGiB),
    leaf('description', s.name || ''),
    leaf('encrypted', 'false'),
    leaf('storageTier', 'standard'),
    tagSet(s.tags),
  ].join('');
}

// --- operations ----------------------------------------------------------------------
/**
 * Each operation: the inventory kind it lists, the id parameter, the not-found code, the
 * filters it understands, its XML list element and whether it pages.
 */
const OPERATIONS = {
  DescribeInstances: {
    kind: 'instance',
    idParam: 'InstanceId',
    notFound: id =>
      new ServiceError(
        'InvalidInstanceID.NotFound',
        `The instance ID '${id}' does not exist`,
      ),
    fields: {
      'instance-id': r => r.resourceId,
      'instance-type': r => r.type,
      'instance-state-name': r => r.state,
      'instance-state-code': r => STATE_CODES[r.state],
      'availability-zone': r => r.attributes.availabilityZone,
    },
    listElement: 'reservationSet',
    render: instanceXml,
    paged: true,
  },
  DescribeVolumes: {
    kind: 'volume',
    idParam: 'VolumeId',
    notFound: id =>
      new ServiceError(
        'InvalidVolume.NotFound',
        `The volume '${id}' does not exist.`,
      ),
    fields: {
      'volume-id': r => r.resourceId,
      'volume-type': r => r.type,
      status: r => r.state,
      size: r => r.sizeGiB,
      'attachment.instance-id': r => r.attachedTo,
      'attachment.status': r => (r.attachedTo ? 'attached' : undefined),
      'availability-zone': r => r.attributes.availabilityZone,
    },
    listElement: 'volumeSet',
    render: volumeXml,
    paged: true,
  },
  DescribeAddresses: {
    kind: 'address',
    idParam: 'AllocationId',
    notFound: id =>
      new ServiceError(
        'InvalidAllocationID.NotFound',
        `The allocation ID '${id}' does not exist`,
      ),
    fields: {
      'allocation-id': r => r.resourceId,
      'association-id': r => r.attributes.associationId,
      'instance-id': r => r.attachedTo,
      'public-ip': r => r.attributes.publicIp,
      domain: r => r.attributes.domain,
    },
    listElement: 'addressesSet',
    render: addressXml,
    paged: false,
  },
  DescribeSnapshots: {
    kind: 'snapshot',
    idParam: 'SnapshotId',
    notFound: id =>
      new ServiceError(
        'InvalidSnapshot.NotFound',
        `The snapshot '${id}' does not exist.`,
      ),
    fields: {
      'snapshot-id': r => r.resourceId,
      'volume-id': r => r.attributes.volumeId,
      status: r => r.state,
      'owner-id': r => r.accountId,
    },
    listElement: 'snapshotSet',
    render: snapshotXml,
    paged: true,
  },
};

/** Snapshots: Owner.N of self or the caller's account id (or none) lists the caller's own. */
function ownerAllows(form, ctx) {
  const owners = indexedList(form, 'Owner');
  return (
    !owners.length || owners.some(o => o === 'self' || o === ctx.accountId)
  );
}

function selectResources(op, resources, form, ctx) {
  const mine = resources.filter(
    r =>
      r.kind === op.kind &&
      r.accountId === ctx.accountId &&
      r.region === ctx.region,
  );
  const ids = indexedList(form, op.idParam);
  for (const id of ids)
    if (!mine.some(r => r.resourceId === id)) throw op.notFound(id);
  const predicates = filtersOf(form).map(f => filterPredicate(f, op.fields));
  return mine.filter(
    r =>
      (!ids.length || ids.includes(r.resourceId)) &&
      predicates.every(p => p(r)) &&
      (op.kind !== 'snapshot' || ownerAllows(form, ctx)),
  );
}

function pageSizeOf(form, ec2PageSize) {
  if (form.MaxResults === undefined) return ec2PageSize;
  const n = Number(form.MaxResults);
  if (!Number.isInteger(n) || n < MIN_MAX_RESULTS)
    throw invalidParameter(
      `Value ( ${form.MaxResults} ) for parameter maxResults is invalid. Expecting a value greater than ${MIN_MAX_RESULTS}.`,
    );
  return Math.min(n, ec2PageSize);
}

function createEc2({ inventory, ec2PageSize }) {
  function describe(operation, form, ctx) {
    const op = OPERATIONS[operation];
    const selected = selectResources(op, inventory, form, ctx);
    if (!op.paged) return list(op.listElement, selected, op.render);
    const hash = requestHash(ctx, operation, form, 'NextToken');
    const invalidToken = () =>
      new ServiceError(
        'InvalidPaginationToken',
        'The pagination token is not valid.',
      );
    const offset = decodeToken(form.NextToken, hash, {
      invalid: invalidToken,
      changed: invalidToken,
    });
    const size = pageSizeOf(form, ec2PageSize);
    const page = selected.slice(offset, offset + size);
    const next = offset + size < selected.length ? offset + size : undefined;
    return (
      list(op.listElement, page, op.render) +
      (next !== undefined ? leaf('nextToken', encodeToken(next, hash)) : '')
    );
  }

  return {
    name: 'ec2',
    route(req) {
      if (!req.form || req.form.Version !== VERSION) return undefined;
      return { wire, operation: req.form.Action, params: req.form };
    },
    handle(operation, form, ctx) {
      if (!OPERATIONS[operation])
        throw new ServiceError(
          'InvalidAction',
          `The action ${operation} is not valid for this web service.`,
        );
      return describe(operation, form, ctx);
    },
    faultError: (kind, request) => FAULTS[kind](request),
  };
}

module.exports = { createEc2 };

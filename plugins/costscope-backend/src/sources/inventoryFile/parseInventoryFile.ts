import {
  InventoryResource,
  UtilisationSeries,
} from '@costscope/backstage-plugin-node';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads one field, failing with its path so that a broken file names the entry. */
function field<T>(
  object: Json,
  key: string,
  where: string,
  check: (value: unknown) => value is T,
  expected: string,
  optional: boolean,
): T | undefined {
  const value = object[key];
  if (value === undefined || value === null) {
    if (optional) return undefined;
    throw new Error(`${where}.${key} is missing`);
  }
  if (!check(value)) {
    throw new Error(`${where}.${key} must be ${expected}`);
  }
  return value;
}

const isText = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== '';
const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

function readTags(value: unknown, where: string): Record<string, string> {
  if (!isObject(value)) throw new Error(`${where}.tags must be an object`);
  const tags: Record<string, string> = {};
  for (const [key, tag] of Object.entries(value)) {
    if (typeof tag !== 'string') {
      throw new Error(`${where}.tags['${key}'] must be a string`);
    }
    tags[key] = tag;
  }
  return tags;
}

function readSeries(value: unknown, where: string): UtilisationSeries {
  if (!isObject(value)) throw new Error(`${where} must be an object`);
  const metric = value.metric;
  if (metric !== 'cpu' && metric !== 'memory') {
    throw new Error(`${where}.metric must be 'cpu' or 'memory'`);
  }
  const periodSeconds = field(
    value,
    'periodSeconds',
    where,
    isNumber,
    'a number',
    false,
  )!;
  if (!Array.isArray(value.points)) {
    throw new Error(`${where}.points must be an array`);
  }
  const points = value.points.map((point: unknown, index) => {
    const at = `${where}.points[${index}]`;
    if (!isObject(point)) throw new Error(`${at} must be an object`);
    const timestamp = field(point, 'timestamp', at, isText, 'text', false)!;
    if (Number.isNaN(Date.parse(timestamp))) {
      throw new Error(`${at}.timestamp '${timestamp}' is not an ISO 8601 time`);
    }
    return {
      timestamp,
      average: field(point, 'average', at, isNumber, 'a number', false)!,
      maximum: field(point, 'maximum', at, isNumber, 'a number', false)!,
    };
  });
  return { metric, periodSeconds, points };
}

function readResource(value: unknown, where: string): InventoryResource {
  if (!isObject(value)) throw new Error(`${where} must be an object`);
  const text = (key: string, optional = false) =>
    field(value, key, where, isText, 'non-empty text', optional);
  const utilisation = value.utilisation;
  if (utilisation !== undefined && !Array.isArray(utilisation)) {
    throw new Error(`${where}.utilisation must be an array`);
  }
  return {
    provider: text('provider')!,
    accountId: text('accountId')!,
    region: text('region')!,
    resourceId: text('resourceId')!,
    kind: text('kind')!,
    name: text('name', true),
    state: text('state', true),
    type: text('type', true),
    sizeGiB: field(value, 'sizeGiB', where, isNumber, 'a number', true),
    attachedTo: text('attachedTo', true),
    createdAt: text('createdAt', true),
    tags: readTags(value.tags ?? {}, where),
    utilisation: utilisation?.map((series, index) =>
      readSeries(series, `${where}.utilisation[${index}]`),
    ),
  };
}

/**
 * Reads an inventory file: `{ "resources": [InventoryResource, ...] }`, the shape of
 * costscope-node's InventoryResource. Any bad entry fails the whole file with its path
 * (`resources[3].accountId is missing`), so a broken export never replaces a good snapshot.
 */
export function parseInventoryFile(text: string): InventoryResource[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed) || !Array.isArray(parsed.resources)) {
    throw new Error('expected an object with a "resources" array');
  }
  return parsed.resources.map((resource, index) =>
    readResource(resource, `resources[${index}]`),
  );
}

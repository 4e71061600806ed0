'use strict';

// AWS Price List Query API (JSON 1.1, target AWSPriceListService.*): GetProducts over the
// products of pricingData.js. Each price item is a JSON *string*, as the real API returns it,
// and the catalogue holds the near misses a query must filter out: Windows, dedicated
// tenancy, capacity reservations, pre-installed SQL, and reserved terms beside on-demand.

const crypto = require('crypto');
const {
  ServiceError,
  jsonTargetRoute,
  jsonWire,
  runOperation,
} = require('./wire');
const { requestHash, encodeToken, decodeToken } = require('./paging');
const {
  INSTANCE_TYPES,
  REGIONS,
  processorOf,
  memoryText,
} = require('./pricingData');

const TARGET_PREFIX = 'AWSPriceListService.';
/** The regions whose endpoints serve the Price List Query API. */
const PRICING_REGIONS = ['us-east-1', 'eu-central-1', 'ap-south-1'];
const FILTER_TYPES = ['TERM_MATCH', 'EQUALS', 'CONTAINS', 'ANY_OF', 'NONE_OF'];
const ON_DEMAND = 'JRTCKXETXF';
const RATE = '6YS6EN2CT7';
const RESERVED = '4NA7Y494T4';
const PUBLICATION = '2026-07-20T13:44:30Z';

const FAULTS = {
  throttle: () =>
    new ServiceError('ThrottlingException', 'Rate exceeded', { status: 400 }),
  'server-error': () =>
    new ServiceError(
      'InternalErrorException',
      'An error occurred (InternalErrorException)',
      { status: 500 },
    ),
  deny: ({ operation }) =>
    new ServiceError(
      'AccessDeniedException',
      `User is not authorized to perform: pricing:${operation}`,
      { status: 400 },
    ),
};

const validation = message => new ServiceError('ValidationException', message);
const invalidParameter = message =>
  new ServiceError('InvalidParameterException', message);

/** Usage types carry a region prefix everywhere but N. Virginia: `EU-BoxUsage:m5.large`. */
const USAGE_PREFIX = {
  'us-east-1': '',
  'us-west-2': 'USW2-',
  'eu-west-1': 'EU-',
};

const skuOf = parts =>
  crypto
    .createHash('sha1')
    .update(parts.join('|'))
    .digest('hex')
    .slice(0, 16)
    .toUpperCase();

/** `0.096` -> `0.0960000000`: the Price List writes ten decimals. */
function tenDecimals(price) {
  const [whole, fraction = ''] = price.split('.');
  return `${whole}.${fraction.padEnd(10, '0')}`;
}

/** One product as the Price List serves it (an object; the wire sends it as a string). */
function product({
  serviceCode,
  productFamily,
  attributes,
  price,
  unit,
  what,
}) {
  const sku = skuOf([serviceCode, ...Object.values(attributes)]);
  const onDemand = {
    [`${sku}.${ON_DEMAND}`]: {
      offerTermCode: ON_DEMAND,
      sku,
      effectiveDate: '2026-07-01T00:00:00Z',
      priceDimensions: {
        [`${sku}.${ON_DEMAND}.${RATE}`]: {
          rateCode: `${sku}.${ON_DEMAND}.${RATE}`,
          description: `$${price} per ${what}`,
          beginRange: '0',
          endRange: 'Inf',
          unit,
          pricePerUnit: { USD: tenDecimals(price) },
          appliesTo: [],
        },
      },
      termAttributes: {},
    },
  };
  return {
    product: {
      productFamily,
      attributes: { servicecode: serviceCode, ...attributes },
      sku,
    },
    serviceCode,
    terms: { OnDemand: onDemand },
    version: '20260720134430',
    publicationDate: PUBLICATION,
  };
}

/** A reserved term beside the on-demand one: a parser must read `OnDemand` only. */
function withReserved(item, price) {
  const { sku } = item.product;
  item.terms.Reserved = {
    [`${sku}.${RESERVED}`]: {
      offerTermCode: RESERVED,
      sku,
      effectiveDate: '2026-07-01T00:00:00Z',
      priceDimensions: {
        [`${sku}.${RESERVED}.${RATE}`]: {
          rateCode: `${sku}.${RESERVED}.${RATE}`,
          description: 'Linux/UNIX (Amazon VPC), 1 year, No Upfront',
          beginRange: '0',
          endRange: 'Inf',
          unit: 'Hrs',
          pricePerUnit: { USD: tenDecimals((Number(price) * 0.6).toFixed(4)) },
          appliesTo: [],
        },
      },
      termAttributes: {
        LeaseContractLength: '1yr',
        OfferingClass: 'standard',
        PurchaseOption: 'No Upfront',
      },
    },
  };
  return item;
}

/** Instance variants: the one Costscope wants and the ones it must not take for it. */
const VARIANTS = [
  {
    operatingSystem: 'Linux',
    tenancy: 'Shared',
    preInstalledSw: 'NA',
    capacitystatus: 'Used',
    factor: 1,
  },
  {
    operatingSystem: 'Linux',
    tenancy: 'Shared',
    preInstalledSw: 'NA',
    capacitystatus: 'UnusedCapacityReservation',
    factor: 1,
  },
  {
    operatingSystem: 'Linux',
    tenancy: 'Dedicated',
    preInstalledSw: 'NA',
    capacitystatus: 'Used',
    factor: 1.1,
  },
  {
    operatingSystem: 'Windows',
    tenancy: 'Shared',
    preInstalledSw: 'NA',
    capacitystatus: 'Used',
    factor: 1.5,
  },
  {
    operatingSystem: 'Linux',
    tenancy: 'Shared',
    preInstalledSw: 'SQL Web',
    capacitystatus: 'Used',
    factor: 1.3,
  },
];

const VOLUME_NAMES = {
  gp3: 'General Purpose',
  gp2: 'General Purpose',
  io1: 'Provisioned IOPS',
  io2: 'Provisioned IOPS',
  st1: 'Throughput Optimized HDD',
  sc1: 'Cold HDD',
  standard: 'Magnetic',
};

/** Every product of the fake's Price List: { serviceCode, item } with item an object. */
function buildCatalogue() {
  const out = [];
  for (const [regionCode, { location, prices }] of Object.entries(REGIONS)) {
    const prefix = USAGE_PREFIX[regionCode];
    const where = { regionCode, location, locationType: 'AWS Region' };
    for (const [type, price] of Object.entries(prices.instances)) {
      const [vcpu, memoryGiB, gpus] = INSTANCE_TYPES[type];
      const family = type.split('.')[0];
      for (const { factor, ...variant } of VARIANTS) {
        const variantPrice =
          factor === 1 ? price : (Number(price) * factor).toFixed(4);
        const item = product({
          serviceCode: 'AmazonEC2',
          productFamily: 'Compute Instance',
          attributes: {
            ...where,
            instanceType: type,
            instanceFamily: gpus ? 'GPU instance' : 'General purpose',
            vcpu: String(vcpu),
            memory: memoryText(memoryGiB),
            gpu: String(gpus),
            physicalProcessor: processorOf(family),
            processorArchitecture: '64-bit',
            ...variant,
            licenseModel: 'No License required',
            usagetype: `${prefix}${
              variant.tenancy === 'Dedicated' ? 'DedicatedUsage' : 'BoxUsage'
            }:${type}`,
            operation:
              variant.operatingSystem === 'Windows'
                ? 'RunInstances:0002'
                : 'RunInstances',
          },
          price: variantPrice,
          unit: 'Hrs',
          what: `On Demand ${variant.operatingSystem} ${type} Instance Hour`,
        });
        out.push({
          serviceCode: 'AmazonEC2',
          item:
            factor === 1 && variant.capacitystatus === 'Used'
              ? withReserved(item, price)
              : item,
        });
      }
    }
    for (const [volumeApiName, price] of Object.entries(prices.volumes)) {
      out.push({
        serviceCode: 'AmazonEC2',
        item: product({
          serviceCode: 'AmazonEC2',
          productFamily: 'Storage',
          attributes: {
            ...where,
            volumeApiName,
            volumeType: VOLUME_NAMES[volumeApiName] || volumeApiName,
            storageMedia: volumeApiName.startsWith('s')
              ? 'HDD-backed'
              : 'SSD-backed',
            usagetype: `${prefix}EBS:VolumeUsage${
              volumeApiName === 'standard' ? '' : `.${volumeApiName}`
            }`,
            operation: '',
          },
          price,
          unit: 'GB-Mo',
          what: `GB-month of ${volumeApiName} provisioned storage`,
        }),
      });
    }
    out.push({
      serviceCode: 'AmazonEC2',
      item: product({
        serviceCode: 'AmazonEC2',
        productFamily: 'Storage Snapshot',
        attributes: {
          ...where,
          storageMedia: 'Amazon S3',
          usagetype: `${prefix}EBS:SnapshotUsage`,
          operation: '',
        },
        price: prices.snapshot,
        unit: 'GB-Mo',
        what: 'GB-Month of snapshot data stored',
      }),
    });
    for (const usage of ['IdleAddress', 'InUseAddress']) {
      out.push({
        serviceCode: 'AmazonVPC',
        item: product({
          serviceCode: 'AmazonVPC',
          productFamily: 'VPC Public IPv4 Address',
          attributes: {
            ...where,
            group: 'VPCPublicIPv4Address',
            groupDescription: `Hourly charge for ${
              usage === 'IdleAddress' ? 'idle' : 'in-use'
            } Public IPv4 Addresses`,
            usagetype: `${prefix}PublicIPv4:${usage}`,
            operation: '',
          },
          price: prices.publicIpv4,
          unit: 'Hrs',
          what: `${
            usage === 'IdleAddress' ? 'Idle' : 'In-use'
          } public IPv4 address per hour`,
        }),
      });
    }
  }
  return out;
}

/** The attribute names of each service: a filter on another field is an invalid parameter. */
function fieldsOf(catalogue) {
  const fields = new Map();
  for (const { serviceCode, item } of catalogue) {
    const names = fields.get(serviceCode) || new Set(['productFamily', 'sku']);
    for (const name of Object.keys(item.product.attributes)) names.add(name);
    fields.set(serviceCode, names);
  }
  return fields;
}

function parseFilters(filters, fields, serviceCode) {
  if (filters === undefined) return [];
  if (!Array.isArray(filters)) throw validation('Filters must be a list');
  return filters.map((filter, index) => {
    const { Type, Field, Value } = filter || {};
    const at = `filters.${index + 1}.member`;
    if (!FILTER_TYPES.includes(Type))
      throw validation(
        `1 validation error detected: Value '${Type}' at '${at}.type' failed to satisfy constraint: Member must satisfy enum value set: [${FILTER_TYPES.join(
          ', ',
        )}]`,
      );
    if (typeof Field !== 'string' || Field === '')
      throw validation(
        `1 validation error detected: Value null at '${at}.field' failed to satisfy constraint: Member must not be null`,
      );
    if (typeof Value !== 'string')
      throw validation(
        `1 validation error detected: Value null at '${at}.value' failed to satisfy constraint: Member must not be null`,
      );
    if (!fields.get(serviceCode).has(Field))
      throw invalidParameter(
        `Input parameters are invalid. Filter field '${Field}' is not a valid attribute of service code ${serviceCode}`,
      );
    const values = Value.split(',').map(v => v.trim());
    return {
      Type,
      Field,
      test: actual => {
        if (actual === undefined) return Type === 'NONE_OF';
        if (Type === 'CONTAINS') return actual.includes(Value);
        if (Type === 'ANY_OF') return values.includes(actual);
        if (Type === 'NONE_OF') return !values.includes(actual);
        return actual === Value; // TERM_MATCH, EQUALS
      },
    };
  });
}

const valueOf = (item, field) =>
  field === 'productFamily'
    ? item.product.productFamily
    : field === 'sku'
    ? item.product.sku
    : item.product.attributes[field];

/** The fake's Price List service; `pageSize` caps MaxResults (default 100, the API's most). */
function createPricing({ pageSize = 100 } = {}) {
  const wire = jsonWire({ version: '1.1' });
  const catalogue = buildCatalogue();
  const fields = fieldsOf(catalogue);
  const serviceCodes = [...fields.keys()];
  const texts = new Map(catalogue.map(p => [p.item, JSON.stringify(p.item)]));

  function getProducts(params, ctx) {
    const {
      ServiceCode,
      Filters,
      FormatVersion = 'aws_v1',
      MaxResults = 100,
      NextToken,
    } = params;
    if (typeof ServiceCode !== 'string')
      throw validation(
        "1 validation error detected: Value null at 'serviceCode' failed to satisfy constraint: Member must not be null",
      );
    if (!Number.isInteger(MaxResults) || MaxResults < 1 || MaxResults > 100)
      throw validation(
        `1 validation error detected: Value '${MaxResults}' at 'maxResults' failed to satisfy constraint: Member must have value ${
          MaxResults < 1
            ? 'greater than or equal to 1'
            : 'less than or equal to 100'
        }`,
      );
    if (FormatVersion !== 'aws_v1')
      throw invalidParameter(
        `Input parameters are invalid. Invalid FormatVersion '${FormatVersion}': only aws_v1 is supported`,
      );
    if (!fields.has(ServiceCode))
      throw new ServiceError(
        'NotFoundException',
        `Requested service code ${ServiceCode} is not found`,
      );
    const filters = parseFilters(Filters, fields, ServiceCode);
    const hash = requestHash(ctx, 'GetProducts', params, 'NextToken');
    const offset = decodeToken(NextToken, hash, {
      invalid: () =>
        new ServiceError(
          'InvalidNextTokenException',
          'The pagination token is invalid. Try again without a pagination token.',
        ),
      changed: () =>
        new ServiceError(
          'InvalidNextTokenException',
          'The pagination token does not belong to this request.',
        ),
    });
    const matching = catalogue.filter(
      p =>
        p.serviceCode === ServiceCode &&
        filters.every(f => f.test(valueOf(p.item, f.Field))),
    );
    const size = Math.min(MaxResults, pageSize);
    const page = matching.slice(offset, offset + size);
    const next = offset + size < matching.length ? offset + size : undefined;
    return {
      FormatVersion: 'aws_v1',
      PriceList: page.map(p => texts.get(p.item)),
      ...(next !== undefined ? { NextToken: encodeToken(next, hash) } : {}),
    };
  }

  function describeServices(params) {
    const { ServiceCode } = params;
    const codes = ServiceCode
      ? serviceCodes.filter(c => c === ServiceCode)
      : serviceCodes;
    if (ServiceCode && codes.length === 0)
      throw new ServiceError(
        'NotFoundException',
        `Requested service code ${ServiceCode} is not found`,
      );
    return {
      FormatVersion: 'aws_v1',
      Services: codes.map(code => ({
        ServiceCode: code,
        AttributeNames: [...fields.get(code)].sort(),
      })),
    };
  }

  const OPERATIONS = {
    GetProducts: getProducts,
    DescribeServices: describeServices,
  };

  return {
    name: 'pricing',
    route: jsonTargetRoute(TARGET_PREFIX, wire),
    handle(operation, params, ctx) {
      if (!PRICING_REGIONS.includes(ctx.region))
        throw new ServiceError(
          'UnrecognizedClientException',
          `The Price List API has no endpoint in ${
            ctx.region
          } (only ${PRICING_REGIONS.join(', ')})`,
        );
      return runOperation(
        OPERATIONS,
        operation,
        params,
        ctx,
        'UnknownOperationException',
      );
    },
    faultError: (kind, request) => FAULTS[kind](request),
  };
}

module.exports = { createPricing, PRICING_REGIONS };

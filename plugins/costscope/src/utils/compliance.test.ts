import {
  describeProblems,
  describeRule,
  describeViolation,
  displayKey,
  nonCompliantCost,
  resourcesText,
  sameMoney,
  sumMoney,
} from './compliance';
import { nonCompliantResources } from '../__testUtils__/complianceFixtures';

const totals = (compliant: number, total: number, c: string, t: string) => ({
  resources: { compliant, total },
  cost: { compliant: c, total: t },
  compliantShareByCount: null,
  compliantShareByCost: null,
});

describe('compliance text', () => {
  it('puts keys with surrounding spaces in quotes', () => {
    expect(displayKey('team')).toBe('team');
    expect(displayKey(' team')).toBe('" team"');
    expect(displayKey('')).toBe('""');
  });

  it('describes each kind of violation in words', () => {
    expect(describeViolation({ key: 'team', problem: 'missing' })).toBe(
      'missing team',
    );
    expect(describeViolation({ key: 'team', problem: 'empty' })).toBe(
      'team is empty',
    );
    expect(
      describeViolation({ key: 'team', problem: 'empty', foundKey: ' team' }),
    ).toBe('" team" (for team) is empty');
    expect(
      describeViolation({
        key: 'environment',
        problem: 'not-allowed',
        foundKey: 'env',
        value: 'qa',
        allowed: 'one of: prod, staging, dev',
      }),
    ).toBe("env (for environment) is 'qa', must be one of: prod, staging, dev");
    expect(
      describeViolation({ key: 'owner', problem: 'not-allowed', value: '{}' }),
    ).toBe("owner is '{}', which is not allowed");
    expect(
      describeViolation({
        key: 'environment',
        problem: 'case-mismatch',
        value: 'Prod',
        allowed: 'one of: prod, staging, dev',
      }),
    ).toBe(
      "environment is 'Prod', must be one of: prod, staging, dev (letter case differs)",
    );
    expect(
      describeViolation({
        key: 'team',
        problem: 'case-mismatch',
        foundKey: 'Team',
        allowed: "key spelled 'team'",
      }),
    ).toBe('key spelled Team, policy wants team');
  });

  it('adds unreadable tags to the problems', () => {
    expect(describeProblems(nonCompliantResources[2])).toEqual([
      'tags could not be read: Tags is not valid JSON: Unexpected token } at 14',
    ]);
  });

  it('describes a rule with its aliases, allowed values and scope', () => {
    expect(describeRule({ key: 'team', aliases: [] })).toBe(
      'team: any non-empty value',
    );
    expect(
      describeRule({
        key: 'backup',
        aliases: ['Backup'],
        allowed: 'one of: daily, weekly, none',
        scope: 'resource types volume',
      }),
    ).toBe(
      'backup (or Backup): one of: daily, weekly, none; only for resource types volume',
    );
  });
});

describe('compliance amounts', () => {
  it('subtracts the compliant cost exactly', () => {
    expect(nonCompliantCost(totals(1, 2, '0.100000001', '0.300000003'))).toBe(
      '0.200000002',
    );
    expect(nonCompliantCost(totals(1, 2, '5', '-2.5'))).toBe('-7.500000000');
  });

  it('counts resources in words', () => {
    expect(resourcesText(totals(12, 15, '0', '0'))).toBe('12 of 15 resources');
    expect(resourcesText(totals(1, 1, '0', '0'))).toBe('1 of 1 resource');
  });

  it('adds and compares money exactly', () => {
    expect(sumMoney(['0.1', '0.2', '-0.300000000'])).toBe('0.000000000');
    expect(sumMoney(['1', 'abc'])).toBeUndefined();
    expect(sameMoney('1.5', '1.500000000')).toBe(true);
    expect(sameMoney('1.5', '1.500000001')).toBe(false);
  });
});

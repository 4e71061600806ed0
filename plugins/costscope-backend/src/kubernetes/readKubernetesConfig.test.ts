import { ConfigReader } from '@backstage/config';
import { readKubernetesConfig } from './readKubernetesConfig';

const read = (clusters: unknown) =>
  readKubernetesConfig(
    new ConfigReader({ costscope: { kubernetes: { clusters } } } as any),
  );

const cluster = {
  name: 'prod',
  opencost: { url: 'http://opencost:9003' },
  nodes: { tags: [{ key: 'eks:cluster-name', value: 'prod' }] },
  owner: 'k8s-platform',
};

describe('readKubernetesConfig', () => {
  it('has no clusters by default', () => {
    expect(readKubernetesConfig(new ConfigReader({}))).toEqual({
      clusters: [],
    });
  });

  it('reads a cluster with defaults: idle and system to the owner', () => {
    expect(read([cluster])).toEqual({
      clusters: [
        {
          name: 'prod',
          opencost: { url: 'http://opencost:9003' },
          nodes: {
            tags: [{ key: 'eks:cluster-name', value: 'prod' }],
            resourceIdPrefixes: [],
          },
          policy: {
            idle: 'owner',
            systemTo: 'owner',
            systemNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'],
          },
          owner: 'component:default/k8s-platform',
        },
      ],
    });
  });

  it('reads the token, prefixes and policy', () => {
    const [read1] = read([
      {
        ...cluster,
        opencost: { url: 'https://oc.example', token: 's3cret' },
        nodes: { resourceIdPrefixes: ['/subscriptions/x/MC_rg'] },
        idle: 'spread',
        systemTo: 'spread',
        systemNamespaces: ['kube-system', 'istio-system'],
        owner: 'Group:Platform-Team',
      },
    ]).clusters;
    expect(read1.opencost?.token).toBe('s3cret');
    expect(read1.nodes.resourceIdPrefixes).toEqual(['/subscriptions/x/MC_rg']);
    expect(read1.policy).toEqual({
      idle: 'spread',
      systemTo: 'spread',
      systemNamespaces: ['kube-system', 'istio-system'],
    });
    expect(read1.owner).toBe('group:default/platform-team');
  });

  it.each([
    [{ ...cluster, name: 'a b' }, 'clusters[0].name'],
    [{ ...cluster, opencost: { url: 'nope' } }, 'clusters[0].opencost.url'],
    [{ ...cluster, opencost: { url: 'ftp://x' } }, 'clusters[0].opencost.url'],
    [{ ...cluster, nodes: {} }, 'clusters[0].nodes needs tags'],
    [{ ...cluster, volumes: {} }, 'clusters[0].volumes needs tags'],
    [
      { ...cluster, volumes: { resourceIdPrefixes: [''] } },
      'clusters[0].volumes.resourceIdPrefixes',
    ],
    [{ ...cluster, idle: 'somewhere' }, 'clusters[0].idle'],
    [{ ...cluster, systemTo: 'x' }, 'clusters[0].systemTo'],
    [{ ...cluster, owner: 'group:' }, 'clusters[0].owner'],
  ])('names the bad key (%#)', (bad, key) => {
    expect(() => read([bad])).toThrow(key);
  });

  it('reads a cluster without OpenCost (the bill splits it)', () => {
    const { opencost, ...withoutOpenCost } = cluster;
    const [read1] = read([withoutOpenCost]).clusters;
    expect(read1).not.toHaveProperty('opencost');
    expect(read1.name).toBe('prod');
  });

  it('reads how the volumes are found, when configured', () => {
    const [withVolumes] = read([
      {
        ...cluster,
        volumes: {
          tags: [{ key: 'kubernetes.io/cluster/prod', value: 'owned' }],
        },
      },
    ]).clusters;
    expect(withVolumes.volumes).toEqual({
      tags: [{ key: 'kubernetes.io/cluster/prod', value: 'owned' }],
      resourceIdPrefixes: [],
    });
    expect(read([cluster]).clusters[0]).not.toHaveProperty('volumes');
  });

  it('refuses a cluster name used twice', () => {
    expect(() => read([cluster, cluster])).toThrow(
      "costscope.kubernetes.clusters[1].name 'prod' is used by another cluster",
    );
  });

  it('refuses a cluster without an owner, naming the key', () => {
    const { owner, ...noOwner } = cluster;
    expect(() => read([noOwner])).toThrow(
      'costscope.kubernetes.clusters[0].owner',
    );
  });
});

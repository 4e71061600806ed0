import { Typography } from '@material-ui/core';
import { CodeSnippet, EmptyState } from '@backstage/core-components';
import type { Entity } from '@backstage/catalog-model';
import {
  AWS_ACCOUNT_IDS_ANNOTATION,
  COST_TAGS_ANNOTATION,
  MappingRuleUsage,
} from '@costscope/backstage-plugin-common';

/** The catalog-info.yaml snippet that maps cost to an entity. */
export function mappingSnippet(entity: Entity): string {
  const name = entity.metadata.name;
  return [
    `apiVersion: ${entity.apiVersion}`,
    `kind: ${entity.kind}`,
    'metadata:',
    `  name: ${name}`,
    '  annotations:',
    '    # cost lines whose tags match (, = and; ; = or)',
    `    ${COST_TAGS_ANNOTATION}: service=${name}`,
    '    # or whole cloud accounts',
    `    # ${AWS_ACCOUNT_IDS_ANNOTATION}: "111122223333"`,
  ].join('\n');
}

/** Props of {@link CostMappingHelp}. */
export interface CostMappingHelpProps {
  entity: Entity;
  /** Rules the backend checked for this entity; they matched no cost line in the range. */
  rules?: MappingRuleUsage[];
}

/** The empty state of an entity without cost: how to map cloud cost to it. */
export function CostMappingHelp(props: CostMappingHelpProps) {
  const { entity, rules = [] } = props;
  const name = entity.metadata.name;
  const kind = entity.kind.toLocaleLowerCase('en-US');
  const rollsUp = kind === 'system' || kind === 'domain' || kind === 'group';

  return (
    <EmptyState
      missing="data"
      title={`No cloud cost is mapped to ${name}`}
      description={
        <>
          <Typography
            variant="body1"
            component="span"
            display="block"
            paragraph
          >
            Costscope gives each cloud cost line to one catalog entity, by the
            tags of the resources or by whole accounts.
            {rollsUp &&
              ` A ${kind} gets the cost of the entities below it, so mapping its components is usually enough.`}
          </Typography>
          <Typography
            variant="body1"
            component="span"
            display="block"
            paragraph
          >
            <strong>Zero-config convention:</strong> resources tagged{' '}
            <code>service</code> with the component's name (here{' '}
            <code>service={name}</code>) belong to that component, unless an
            annotation says otherwise.
          </Typography>
          {rules.length > 0 && (
            <Typography
              variant="body1"
              component="span"
              display="block"
              paragraph
            >
              <strong>
                Rules checked, none matched a cost line in this range:
              </strong>{' '}
              {rules.map((rule, index) => (
                <span key={`${rule.origin}:${rule.rule}`}>
                  {index > 0 && ', '}
                  <code>{rule.rule}</code> ({rule.origin})
                </span>
              ))}
            </Typography>
          )}
          <Typography variant="body1" component="span" display="block">
            <strong>Annotation:</strong> to select resources by other tags, add{' '}
            <code>{COST_TAGS_ANNOTATION}</code> to the entity's{' '}
            <code>catalog-info.yaml</code>:
          </Typography>
        </>
      }
      action={
        <CodeSnippet
          language="yaml"
          text={mappingSnippet(entity)}
          showCopyCodeButton
        />
      }
    />
  );
}

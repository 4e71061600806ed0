import express from 'express';
import {
  AuditorService,
  AuditorServiceEventSeverityLevel,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';

/** Ids of the events Costscope sends to the Backstage auditor (plugin id `costscope`). */
export type CostscopeAuditEventId =
  /** A budget set (`actionType: 'set'`) or deleted (`'delete'`) in the UI or API. */
  | 'budget-mutate'
  /** A recommendation dismissed, snoozed or reopened. */
  | 'recommendation-state-mutate'
  /** An ingest run triggered by hand (`POST /v1/ingest`). */
  | 'ingest-trigger'
  /** Business metric values sent (`POST /v1/metrics`); `meta` has how many were stored. */
  | 'metrics-write'
  /** The organisation-wide chargeback CSV downloaded. */
  | 'chargeback-export'
  /** An entity permission refused (always `failed`); `meta` has the permission and entity ref. */
  | 'entity-access-refused';

export interface AuditOptions {
  eventId: CostscopeAuditEventId;
  severityLevel?: AuditorServiceEventSeverityLevel;
  /** The request: the auditor reads who made it (user or service) from its credentials. */
  request: express.Request;
  /** What was asked for, known before the action runs. */
  meta: JsonObject;
}

/**
 * Runs an audited action: the event is `initiated` before it, `succeeded` after it (with
 * `successMeta` of its result) or `failed` with the error, which is then rethrown. The event
 * starts before any permission check, so refused attempts are audited too.
 */
export async function audited<T>(
  auditor: AuditorService,
  options: AuditOptions,
  action: () => Promise<T>,
  successMeta?: (result: T) => JsonObject,
): Promise<T> {
  const event = await auditor.createEvent({
    severityLevel: 'medium',
    ...options,
  });
  let result: T;
  try {
    result = await action();
  } catch (error) {
    await event.fail({ error: asError(error) });
    throw error;
  }
  await event.success(successMeta ? { meta: successMeta(result) } : undefined);
  return result;
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The entity ref named by route parameters, as sent (for audit records of requests that may
 * be malformed): at most 300 characters.
 */
export function rawEntityRef(params: {
  kind?: string;
  namespace?: string;
  name?: string;
}): string {
  return `${params.kind}:${params.namespace}/${params.name}`.slice(0, 300);
}

/*
 * The Costscope demo backend: the new backend system with the catalog, guest sign-in,
 * the permission framework and Costscope.
 */
import { createBackend } from '@backstage/backend-defaults';
import { permissionModuleCostscopeDemoPolicy } from './permissionPolicy';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: guest for the demo; add a real provider for production.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(permissionModuleCostscopeDemoPolicy);

// Budget and anomaly alerts reach people through notifications, pushed live by signals.
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
// Carries notification and signal events between backend instances.
backend.add(import('@backstage/plugin-events-backend'));

backend.add(import('@costscope/backstage-plugin-backend'));
// Live AWS (Cost Explorer, EC2, CloudWatch); idle unless costscope.aws is configured.
backend.add(import('@costscope/backstage-plugin-backend-module-aws'));
// Google Cloud (BigQuery); idle unless costscope.gcp.bigquery is configured.
backend.add(import('@costscope/backstage-plugin-backend-module-gcp'));

backend.start();

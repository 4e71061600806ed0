/*
 * The Costscope demo backend: the new backend system with the catalog, guest sign-in,
 * the permission framework and Costscope.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: guest for the demo; add a real provider for production.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@backstage/plugin-permission-backend-module-allow-all-policy'));

backend.add(import('@costscope/backstage-plugin-backend'));
// Live AWS (Cost Explorer, EC2, CloudWatch); idle unless costscope.aws is configured.
backend.add(import('@costscope/backstage-plugin-backend-module-aws'));

backend.start();

import { Config } from '@backstage/config';
import { Budget } from '@costscope/backstage-plugin-common';
import { AlertsConfig, readAlertsConfig } from './alerts/readAlertsConfig';
import { readConfiguredBudgets } from './budgets/declaredBudgets';
import {
  ChargebackConfig,
  readChargebackConfig,
} from './compliance/readChargebackConfig';
import { readTagPolicy, TagPolicy } from './compliance/tagPolicy';
import { CostscopeConfig, readCostscopeConfig } from './config';
import { loadExchangeRates } from './currency/readExchangeRates';
import { DigestsConfig, readDigestsConfig } from './digests/readDigestsConfig';
import {
  PricesConfig,
  readPricesConfig,
} from './recommendations/readPricesConfig';
import { RecommendationsConfig } from './recommendations/recommendationsConfig';
import { readRecommendationsConfig } from './recommendations/readRecommendationsConfig';
import {
  readUnitCostConfig,
  UnitCostConfig,
} from './unitCost/readUnitCostConfig';

/** Costscope's settings, each read and checked from app-config by its own reader. */
export interface CostscopeSettings {
  config: CostscopeConfig;
  /** Budgets from app-config by lower-case entity ref. */
  budgets: Map<string, Budget>;
  alerts: AlertsConfig;
  tagPolicy?: TagPolicy;
  chargeback: ChargebackConfig;
  recommendations: RecommendationsConfig;
  /** Where on-demand prices come from; no file and a daily refresh when absent. */
  prices?: PricesConfig;
  digests: DigestsConfig;
  unitCost: UnitCostConfig;
  /** The portal's address, for links in webhook alerts (read only when a webhook is set). */
  appBaseUrl: string;
}

/**
 * Reads and checks every Costscope setting. Throws an error naming the bad key, or the bad
 * line of the exchange rates file, so that broken config stops the backend before anything
 * runs; runs read the rates file again.
 */
export async function readCostscopeSettings(
  root: Config,
): Promise<CostscopeSettings> {
  const config = readCostscopeConfig(root);
  await loadExchangeRates(config.exchangeRates, config.currency);
  const alerts = readAlertsConfig(root);
  return {
    config,
    budgets: readConfiguredBudgets(root, config.currency),
    alerts,
    tagPolicy: readTagPolicy(root),
    chargeback: readChargebackConfig(root),
    recommendations: readRecommendationsConfig(root),
    prices: readPricesConfig(root),
    digests: readDigestsConfig(root),
    unitCost: readUnitCostConfig(root),
    // Only webhook alerts and digests link back to the portal.
    appBaseUrl: alerts.webhook ? root.getString('app.baseUrl') : '',
  };
}

import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  costscopeCommitmentReportSourcesExtensionPoint,
  costscopeCostSourcesExtensionPoint,
  costscopeInventorySourcesExtensionPoint,
  costscopePriceSourcesExtensionPoint,
} from '@costscope/backstage-plugin-node';
import { AthenaCostSource } from './athena/AthenaCostSource';
import {
  createAccountClients,
  createAthenaClients,
  createPricingClient,
} from './clients';
import { CostExplorerCommitmentReports } from './commitments/CostExplorerCommitmentReports';
import { readAwsModuleConfig } from './config';
import { CostExplorerCostSource } from './cost/CostExplorerCostSource';
import { Ec2InventorySource } from './inventory/Ec2InventorySource';
import { PriceListPriceSource } from './prices/PriceListPriceSource';

/**
 * Costscope module for AWS: per configured account, a Cost Explorer cost source, a Cost
 * Explorer commitment report source (Savings Plans and reservation coverage and utilization)
 * and an EC2 + CloudWatch inventory source, one AWS Price List price source and, when
 * `costscope.aws.athena` is set, an Athena cost source over a FOCUS table, configured under
 * `costscope.aws`.
 * @public
 */
export const costscopeModuleAws = createBackendModule({
  pluginId: 'costscope',
  moduleId: 'aws',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        costSources: costscopeCostSourcesExtensionPoint,
        inventorySources: costscopeInventorySourcesExtensionPoint,
        priceSources: costscopePriceSourcesExtensionPoint,
        commitmentReports: costscopeCommitmentReportSourcesExtensionPoint,
      },
      async init({
        config,
        logger,
        costSources,
        inventorySources,
        priceSources,
        commitmentReports,
      }) {
        const awsConfig = readAwsModuleConfig(config);
        if (!awsConfig) {
          logger.warn(
            'Costscope AWS module is installed but costscope.aws is not configured; it reads nothing',
          );
          return;
        }
        for (const account of awsConfig.accounts) {
          const clients = createAccountClients(account, awsConfig);
          costSources.addCostSource(
            new CostExplorerCostSource(
              account,
              awsConfig,
              clients.costExplorer,
            ),
          );
          if (awsConfig.commitments.enabled) {
            commitmentReports.addCommitmentReportSource(
              new CostExplorerCommitmentReports(
                account,
                clients.costExplorer,
                awsConfig.commitments.schedule,
              ),
            );
          }
          if (awsConfig.inventory.enabled) {
            inventorySources.addInventorySource(
              new Ec2InventorySource(account, awsConfig, clients),
            );
          }
        }
        if (awsConfig.athena) {
          costSources.addCostSource(
            new AthenaCostSource(
              awsConfig.athena,
              createAthenaClients(awsConfig.athena, awsConfig),
            ),
          );
        }
        if (awsConfig.prices.enabled) {
          priceSources.addPriceSource(
            new PriceListPriceSource(createPricingClient(awsConfig), {
              regions: [...new Set(awsConfig.accounts.flatMap(a => a.regions))],
              schedule: awsConfig.prices.schedule,
            }),
          );
        }
        logger.info(
          `Costscope AWS module reads ${
            awsConfig.accounts.length
          } account(s): ${awsConfig.accounts
            .map(a => a.name ?? a.accountId)
            .join(', ')}`,
        );
      },
    });
  },
});

export { ChargebackReport, chargebackFileName } from './ChargebackReport';
export type { ChargebackReportProps } from './ChargebackReport';

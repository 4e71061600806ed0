export { SavingsPlanPurchaseDetails } from './SavingsPlanPurchaseDetails';
export type { SavingsPlanPurchaseDetailsProps } from './SavingsPlanPurchaseDetails';
export { PricesNotice } from './PricesNotice';
export type { PricesNoticeProps } from './PricesNotice';

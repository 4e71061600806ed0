/**
 * Money for alert texts. Display only: the stored amounts stay exact decimal strings, and
 * a double holds any budget-sized amount to the cent.
 */
export function formatAlertMoney(amount: string, currency: string): string {
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
  }).format(Number(amount));
}

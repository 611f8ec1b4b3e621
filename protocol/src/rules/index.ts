export {
  type Checkout,
  checkoutInstant,
  checkoutMinute,
  isCheckoutTime,
  lastCheckoutAt,
  latestCheckout,
} from './auto-checkout.js';
export { chineseCount, chineseNumber } from './chinese-number.js';
export { type DecideInput, type Decision, decide } from './engine.js';
export { activationEnd, addPeriod, firstEntryOf, localMidnight, type PeriodUnit } from './first-use.js';
export {
  admitTexts,
  fitLed,
  type GateTexts,
  LED_COLUMNS,
  type LedLines,
  ledWidth,
  reasonTexts,
} from './texts.js';
export { createVenueClock, isoWeekdayOfDay, type LocalParts, type VenueClock } from './venue-clock.js';
export { type VisitDays, visitDaysOf } from './visit-days.js';

/**
 * Every migration, in order. A static list instead of scanning the folder, so it works the same under tsx, vitest
 * and a bundle. Rules: append only (never edit or reorder one that has shipped — write a new one); one intent per
 * file; file and key named `YYYYMMDD_HHMMSS_what`, later than the last entry. Kysely runs them sorted by key and
 * refuses to start if an applied one is missing or a new one sorts before an applied one.
 */
import type { Migration } from 'kysely';
import * as createSites from './20251125_170000_create_sites.js';
import * as createAppMeta from './20251125_170100_create_app_meta.js';
import * as createOperatorsAndRoles from './20261125_180000_create_operators_and_roles.js';
import * as createSessions from './20261125_180100_create_sessions.js';
import * as createAuditLog from './20261125_180200_create_audit_log.js';
import * as extendSites from './20261125_181000_extend_sites.js';
import * as createZones from './20261125_181100_create_zones.js';
import * as createWindows from './20261125_181200_create_windows.js';
import * as createGates from './20261125_181300_create_gates.js';
import * as createTicketTypes from './20261125_181400_create_ticket_types.js';
import * as createGateMqttCredentials from './20261125_182000_create_gate_mqtt_credentials.js';
import * as createGateStatus from './20261125_182100_create_gate_status.js';
import * as createCommLog from './20261125_182200_create_comm_log.js';
import * as createCapacity from './20261125_183000_create_capacity.js';
import * as createTickets from './20261125_183100_create_tickets.js';
import * as createSales from './20261125_183200_create_sales.js';
import * as createStock from './20261125_184000_create_stock.js';
import * as createGateCommands from './20261125_185000_create_gate_commands.js';
import * as createPassageEvents from './20261125_185100_create_passage_events.js';
import * as createOccupancy from './20261125_185200_create_occupancy.js';
import * as createGateConfigs from './20261125_186000_create_gate_configs.js';
import * as createTicketReservations from './20261125_186100_create_ticket_reservations.js';
import * as createRefunds from './20261125_187000_create_refunds.js';
import * as createSupplements from './20261125_187100_create_supplements.js';
import * as refundSupplementShare from './20261126_110000_refund_supplement_share.js';
import * as supplementsReplaceOnce from './20261126_110100_supplements_replace_once.js';
import * as supplementApprover from './20261126_110200_supplement_approver.js';
import * as ticketReservationsExpiry from './20261126_150000_ticket_reservations_expiry.js';
import * as operatorsMustChangePassword from './20261127_100000_operators_must_change_password.js';
import * as gateStatusDegraded from './20261207_100000_gate_status_degraded.js';
import * as operatorsApprovalFailures from './20261208_100000_operators_approval_failures.js';
import * as supplementsSale from './20261208_100100_supplements_sale.js';
import * as refundsCashierCreated from './20261208_100200_refunds_cashier_created.js';
import * as passageEventsUnconfirmed from './20261209_100000_passage_events_unconfirmed.js';
import * as createOperatorSites from './20261209_100100_create_operator_sites.js';
import * as commLogRepeats from './20261209_100200_comm_log_repeats.js';
import * as createAgencies from './20261210_100000_create_agencies.js';
import * as createCustomers from './20261210_110000_create_customers.js';
import * as createPoints from './20261210_110100_create_points.js';
import * as salesCustomerPoints from './20261210_110200_sales_customer_points.js';
import * as refundPaymentsPoints from './20261210_110300_refund_payments_points.js';
import * as createChannelKeys from './20261210_120000_create_channel_keys.js';
import * as createWebhooks from './20261210_120100_create_webhooks.js';
import * as createGroupOrders from './20261210_130000_create_group_orders.js';
import * as ticketReservationsEntriesLeft from './20261210_140000_ticket_reservations_entries_left.js';
import * as ticketsHolderBirthDay from './20261210_140100_tickets_holder_birth_day.js';
import * as ticketsKeyIndex from './20261210_140200_tickets_key_index.js';
import * as groupOrdersChannel from './20261210_150000_group_orders_channel.js';
import * as groupCodesCountPersons from './20261211_150000_group_codes_count_persons.js';
import * as createTakings from './20261212_100000_create_takings.js';
import * as createShiftsAndSettlements from './20261212_110000_create_shifts_and_settlements.js';
import * as createHolidays from './20261212_120000_create_holidays.js';
import * as createPassageHourlyEntries from './20261212_130000_create_passage_hourly_entries.js';
import * as takingsRollupsWithoutRowid from './20261212_140000_takings_rollups_without_rowid.js';
import * as ticketsFirstUse from './20261212_150000_tickets_first_use.js';
import * as ticketsVisitDays from './20261212_150001_tickets_visit_days.js';
import * as ticketsReentry from './20261212_150002_tickets_reentry.js';
import * as webhookEventsCreated from './20261212_160000_webhook_events_created.js';
import * as webhookSecretRotation from './20261212_160100_webhook_secret_rotation.js';
import * as autoCheckout from './20261213_100000_auto_checkout.js';
import * as passageEventsConflicts from './20261213_110000_passage_events_conflicts.js';
import * as ticketsEndedAt from './20261213_110001_tickets_ended_at.js';
import * as createCards from './20261213_120000_create_cards.js';
import * as passageEventsCardRecycled from './20261213_120001_passage_events_card_recycled.js';
import * as loginAddressAttempts from './20261213_130000_login_address_attempts.js';
import * as shiftEventsIdempotency from './20261213_140000_shift_events_idempotency.js';

export const migrations: Readonly<Record<string, Migration>> = {
  '20251125_170000_create_sites': createSites,
  '20251125_170100_create_app_meta': createAppMeta,
  '20261125_180000_create_operators_and_roles': createOperatorsAndRoles,
  '20261125_180100_create_sessions': createSessions,
  '20261125_180200_create_audit_log': createAuditLog,
  '20261125_181000_extend_sites': extendSites,
  '20261125_181100_create_zones': createZones,
  '20261125_181200_create_windows': createWindows,
  '20261125_181300_create_gates': createGates,
  '20261125_181400_create_ticket_types': createTicketTypes,
  '20261125_182000_create_gate_mqtt_credentials': createGateMqttCredentials,
  '20261125_182100_create_gate_status': createGateStatus,
  '20261125_182200_create_comm_log': createCommLog,
  '20261125_183000_create_capacity': createCapacity,
  '20261125_183100_create_tickets': createTickets,
  '20261125_183200_create_sales': createSales,
  '20261125_184000_create_stock': createStock,
  '20261125_185000_create_gate_commands': createGateCommands,
  '20261125_185100_create_passage_events': createPassageEvents,
  '20261125_185200_create_occupancy': createOccupancy,
  '20261125_186000_create_gate_configs': createGateConfigs,
  '20261125_186100_create_ticket_reservations': createTicketReservations,
  '20261125_187000_create_refunds': createRefunds,
  '20261125_187100_create_supplements': createSupplements,
  '20261126_110000_refund_supplement_share': refundSupplementShare,
  '20261126_110100_supplements_replace_once': supplementsReplaceOnce,
  '20261126_110200_supplement_approver': supplementApprover,
  '20261126_150000_ticket_reservations_expiry': ticketReservationsExpiry,
  '20261127_100000_operators_must_change_password': operatorsMustChangePassword,
  '20261207_100000_gate_status_degraded': gateStatusDegraded,
  '20261208_100000_operators_approval_failures': operatorsApprovalFailures,
  '20261208_100100_supplements_sale': supplementsSale,
  '20261208_100200_refunds_cashier_created': refundsCashierCreated,
  '20261209_100000_passage_events_unconfirmed': passageEventsUnconfirmed,
  '20261209_100100_create_operator_sites': createOperatorSites,
  '20261209_100200_comm_log_repeats': commLogRepeats,
  '20261210_100000_create_agencies': createAgencies,
  '20261210_110000_create_customers': createCustomers,
  '20261210_110100_create_points': createPoints,
  '20261210_110200_sales_customer_points': salesCustomerPoints,
  '20261210_110300_refund_payments_points': refundPaymentsPoints,
  '20261210_120000_create_channel_keys': createChannelKeys,
  '20261210_120100_create_webhooks': createWebhooks,
  '20261210_130000_create_group_orders': createGroupOrders,
  '20261210_140000_ticket_reservations_entries_left': ticketReservationsEntriesLeft,
  '20261210_140100_tickets_holder_birth_day': ticketsHolderBirthDay,
  '20261210_140200_tickets_key_index': ticketsKeyIndex,
  '20261210_150000_group_orders_channel': groupOrdersChannel,
  '20261211_150000_group_codes_count_persons': groupCodesCountPersons,
  '20261212_100000_create_takings': createTakings,
  '20261212_110000_create_shifts_and_settlements': createShiftsAndSettlements,
  '20261212_120000_create_holidays': createHolidays,
  '20261212_130000_create_passage_hourly_entries': createPassageHourlyEntries,
  '20261212_140000_takings_rollups_without_rowid': takingsRollupsWithoutRowid,
  '20261212_150000_tickets_first_use': ticketsFirstUse,
  '20261212_150001_tickets_visit_days': ticketsVisitDays,
  '20261212_150002_tickets_reentry': ticketsReentry,
  '20261212_160000_webhook_events_created': webhookEventsCreated,
  '20261212_160100_webhook_secret_rotation': webhookSecretRotation,
  '20261213_100000_auto_checkout': autoCheckout,
  '20261213_110000_passage_events_conflicts': passageEventsConflicts,
  '20261213_110001_tickets_ended_at': ticketsEndedAt,
  '20261213_120000_create_cards': createCards,
  '20261213_120001_passage_events_card_recycled': passageEventsCardRecycled,
  '20261213_130000_login_address_attempts': loginAddressAttempts,
  '20261213_140000_shift_events_idempotency': shiftEventsIdempotency,
};

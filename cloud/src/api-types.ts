/**
 * The API's types for the web console (`@scenic/cloud/api-types`), read from the same zod schemas and services that
 * validate and answer the requests, so the console cannot drift from the API without a compile error. Types only:
 * the console imports nothing of the cloud's code (import rule `console-takes-only-types-from-cloud`).
 */
import type { z } from 'zod';
import type { query as auditQuery, entrySchema, verificationSchema } from './modules/audit/schemas.js';
import type {
  createBody as createOperatorBody,
  operatorSchema,
  permissionListSchema,
  roleSchema,
} from './modules/operators/schemas.js';
import type { createRefundSchema } from './modules/refunds/schemas.js';
import type { salePageSchema } from './modules/sales/schemas.js';
import type { createSupplementSchema, supplementQuoteRequestSchema } from './modules/supplements/schemas.js';
import type { sitePageSchema, windowPageSchema } from './modules/venues/schemas.js';
import type { meSchema } from './platform/auth/schemas.js';

export type { CommandAction, DecisionReason, GateMode, MessageType } from '@scenic/protocol';
export type { AgencyPaymentMode } from './modules/agencies/contract.js';
export type {
  Adjustment as AgencyAdjustment,
  Agency,
  AgencyOperator,
  AgencyOperatorList,
  AgencyPage,
  AgencyStatus,
  AgencyType,
  AgencyTypeList,
  CreateAgency,
  LedgerEntry as AgencyLedgerEntry,
  LedgerKind as AgencyLedgerKind,
  LedgerPage as AgencyLedgerPage,
  PutAgencyType,
  Statement as AgencyStatement,
  TopUp as AgencyTopUp,
  UpdateAgency,
} from './modules/agencies/schemas.js';
export type { CommLogRow as CommLogEntry } from './modules/comm-log/repo.js';
export type { DailyGateSummary as CommLogDay } from './modules/comm-log/service.js';
export type { CommandView } from './modules/commands/schemas.js';
export type { CommandTargetInput as CommandTarget } from './modules/commands/targets.js';
export type {
  BindCard,
  CreateCustomer,
  Customer,
  CustomerHistory,
  CustomerPage,
  CustomerSummary,
  CustomerVisit,
  MemberCard,
  SearchCustomersQuery,
  UpdateCustomer,
} from './modules/customers/schemas.js';
export type { GateBroker } from './modules/gate-access/broker-info.js';
export type { CredentialInfo as GateCredential, IssuedCredential } from './modules/gate-access/service.js';
export type { GateStatusView as GateStatus } from './modules/gate-status/routes.js';
export type {
  CancelGroupOrder,
  CloseGroupOrder,
  CreateGroupOrder,
  GroupOrder,
  GroupOrderPage,
  GroupOrderSummary,
  ListGroupOrdersQuery,
  ModifyGroupOrder,
  OrderVisitors as GroupOrderVisitors,
  PickUp as GroupOrderPickUp,
} from './modules/group-orders/schemas.js';
export type {
  IssueMode as GroupOrderIssueMode,
  OrderState as GroupOrderState,
} from './modules/group-orders/states.js';
export type {
  Bases as ComparisonBases,
  Holiday,
  HolidayInput,
  HolidayPatch,
} from './modules/holidays/schemas.js';
export type { LiveFigures } from './modules/live-status/schemas.js';
export type { CredentialCheck, LookupEntry, LookupResult } from './modules/lookup/schemas.js';
export type { OccupancyAlert, OccupancyFigure, SiteOccupancy } from './modules/occupancy/service.js';
export type { PassageItem, PassageSummary } from './modules/passages/schemas.js';
export type {
  Adjustment as PointsAdjustment,
  LedgerEntry as PointsLedgerEntry,
  PointsAccount,
  PointsRules,
  PointsRulesInput,
} from './modules/points/schemas.js';
export type { Refund, RefundQuote, RefundQuoteRequest } from './modules/refunds/schemas.js';
export type {
  CompareSeries as ReportComparison,
  Heatmap as ReportHeatmap,
  TypeMix as ReportTypeMix,
} from './modules/reports/analysis.js';
export type { Basis as ReportBasis, Comparison as ReportComparisonKind } from './modules/reports/bases.js';
export type { HistoryPage as SalesHistoryPage } from './modules/reports/history.js';
export type { Summary as SalesSummary, SummaryDimension } from './modules/reports/summary.js';
export type {
  CreateSale,
  // The tenders the console offers; a sale's payments may also be by points (SalePaymentMethod).
  MoneyMethod as PaymentMethod,
  PaymentMethod as SalePaymentMethod,
  Sale,
  SaleLineInput,
  SaleSummary,
} from './modules/sales/schemas.js';
export type { ReissuedTickets, SigningKey } from './modules/signing-keys/schemas.js';
export type { MyBalance as MyStock } from './modules/stock/schemas.js';
export type { Supplement, SupplementQuote } from './modules/supplements/schemas.js';
export type { TakingMethod } from './modules/takings/contract.js';
export type { Quote as TicketQuote, QuoteRequest } from './modules/ticket-types/schemas.js';
export type { Ticket } from './modules/tickets/schemas.js';
export type {
  CreateGate,
  CreateSite,
  CreateWindow,
  CreateZone,
  Gate,
  Site,
  TicketWindow,
  UpdateGate,
  UpdateSite,
  UpdateWindow,
  UpdateZone,
  Zone,
} from './modules/venues/schemas.js';
export type { WhitelistLag } from './modules/whitelist-sync/lag.js';
export type { OperatorChoice } from './platform/auth/schemas.js';
export type { Permission } from './platform/permissions.js';

export type Me = z.infer<typeof meSchema>;

/** Desk (退票, 补票, 销售记录): what the console sends and reads. */
export type SalePage = z.infer<typeof salePageSchema>;
export type RefundRequest = z.input<typeof createRefundSchema>;
export type SupplementRequest = z.input<typeof createSupplementSchema>;
export type SupplementQuoteRequest = z.input<typeof supplementQuoteRequestSchema>;
export type SitePage = z.infer<typeof sitePageSchema>;
export type WindowPage = z.infer<typeof windowPageSchema>;
export type Operator = z.infer<typeof operatorSchema>;
export type CreateOperator = z.input<typeof createOperatorBody>;
export type Role = z.infer<typeof roleSchema>;
export type PermissionInfo = z.infer<typeof permissionListSchema>[number];
export type AuditEntry = z.infer<typeof entrySchema>;
export type AuditQuery = z.input<typeof auditQuery>;
export type AuditVerification = z.infer<typeof verificationSchema>;

// Catalog and stock: ticket types and their versions, fee rates, capacity, pre-printed stock.
export type {
  Availability,
  Calendar as CapacityCalendar,
  CalendarDay as CapacityCalendarDay,
  CreateSlots,
  Slot as CapacitySlot,
} from './modules/capacity/schemas.js';
export type { ChannelAvailability } from './modules/channel/schemas.js';
// Channel API (partners): their API keys and webhooks, as the management routes answer.
export type {
  ChannelKeyView as ChannelKey,
  CreateChannelKey,
  IssuedChannelKey,
  RevokeChannelKey,
  RotateChannelKey,
} from './modules/channel-keys/schemas.js';
export type { ImportRejection as StockImportRejection } from './modules/stock/intake.js';
export type {
  Batch as StockBatch,
  BatchCode as StockBatchCode,
  BatchCodePage as StockBatchCodePage,
  BatchReconciliation as StockBatchReconciliation,
  Cashier as StockCashier,
  CashierBalance as StockCashierBalance,
  CodeDetail as StockCodeDetail,
  CreatedBatch as StockCreatedBatch,
  Moved as StockMoved,
  Movement as StockMovement,
  MyBalance as StockMyBalance,
  Reconciliation as StockReconciliation,
  WarehouseBalance as StockWarehouseBalance,
} from './modules/stock/schemas.js';
export type { FeeRate } from './modules/supplements/schemas.js';
export type {
  DayReport as SettlementDay,
  MonthReport as SettlementMonth,
} from './modules/takings/settlements/schemas.js';
export type {
  Adjustment as ShiftAdjustment,
  Approve as ShiftApproval,
  CloseShift,
  Denomination,
  Handover as ShiftHandover,
  Movement as ShiftMovement,
  OpenShift,
  Shift as TillShift,
  ShiftEvent as TillShiftEvent,
  ShiftReport as TillShiftReport,
} from './modules/takings/shifts/schemas.js';
export type { SalesChannel } from './modules/ticket-types/channels.js';
export type {
  AgeDiscounts,
  CreateTicketType,
  Definition as TicketTypeDefinition,
  GateRules,
  RefundPolicy,
  TicketKind,
  TicketType,
  TicketTypeVersion,
  UpdateTicketType,
  Validity,
} from './modules/ticket-types/schemas.js';
export type { AgeRule } from './modules/venues/age-policy.js';
export type {
  CreatedWebhookEndpoint,
  CreateWebhookEndpoint,
  WebhookDeliveryPage,
  WebhookDeliveryView as WebhookDelivery,
  WebhookEndpointView as WebhookEndpoint,
  WebhookEventType,
} from './modules/webhooks/schemas.js';

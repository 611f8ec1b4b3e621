/**
 * What the composition root (container.ts, container-mqtt.ts) hands the route modules: every service built once per
 * process, and the live MQTT side when the cloud runs one. Types only: modules never build another module's service,
 * they receive it here.
 */
import type { MqttBus } from '../mqtt/bus.js';
import type { MqttMetrics } from '../mqtt/metrics.js';
import type { AuthService } from '../platform/auth/service.js';
import type { AgenciesService } from './agencies/service.js';
import type { AuditService } from './audit/service.js';
import type { CapacityService } from './capacity/service.js';
import type { CardsService } from './cards/service.js';
import type { ChannelKeysService } from './channel-keys/service.js';
import type { CommLogService } from './comm-log/service.js';
import type { CommLogWriter } from './comm-log/writer.js';
import type { CommandDispatcher } from './commands/dispatcher.js';
import type { CommandsService } from './commands/service.js';
import type { CustomersService } from './customers/service.js';
import type { GateAccessService } from './gate-access/service.js';
import type { GateConfigPublisher } from './gate-config/publisher.js';
import type { GateConfigService } from './gate-config/service.js';
import type { GateStatusHub } from './gate-status/hub.js';
import type { GateStatusService } from './gate-status/service.js';
import type { ValidationService } from './gate-validation/service.js';
import type { GroupOrdersService } from './group-orders/service.js';
import type { HealthService } from './health/service.js';
import type { HolidaysService } from './holidays/service.js';
import type { LiveStatusService } from './live-status/service.js';
import type { LookupService } from './lookup/service.js';
import type { ControlRoomMetrics } from './metrics/control-room-metrics.js';
import type { OccupancyHub } from './occupancy/hub.js';
import type { OccupancyService } from './occupancy/service.js';
import type { OperatorsService } from './operators/service.js';
import type { PassageHub } from './passages/hub.js';
import type { PassageRecords } from './passages/records.js';
import type { PassageIngestion } from './passages/service.js';
import type { PointsService } from './points/service.js';
import type { SalePrints } from './printing/sale-prints.js';
import type { RefundsService } from './refunds/service.js';
import type { ReportsService } from './reports/service.js';
import type { SalesService } from './sales/service.js';
import type { SigningKeys } from './signing-keys/keys.js';
import type { CredentialSecrets } from './signing-keys/secrets.js';
import type { SigningKeysService } from './signing-keys/service.js';
import type { StockService } from './stock/service.js';
import type { SupplementsService } from './supplements/service.js';
import type { TakingsService } from './takings/service.js';
import type { SettlementsService } from './takings/settlements/service.js';
import type { ShiftsService } from './takings/shifts/service.js';
import type { TicketTypesService } from './ticket-types/service.js';
import type { TicketsService } from './tickets/service.js';
import type { VenuesService } from './venues/service.js';
import type { WebhooksService } from './webhooks/service.js';
import type { WhitelistDistributor } from './whitelist-sync/distributor.js';
import type { WhitelistService } from './whitelist-sync/service.js';

export interface CloudServices {
  readonly health: HealthService;
  readonly auth: AuthService;
  readonly audit: AuditService;
  readonly operators: OperatorsService;
  readonly venues: VenuesService;
  readonly ticketTypes: TicketTypesService;
  readonly capacity: CapacityService;
  readonly stock: StockService;
  readonly tickets: TicketsService;
  /** The signing keys new credentials are signed with (one cache: a rotation reaches the next sale at once). */
  readonly keys: SigningKeys;
  /** Read on first use, so a cloud that never signs creates no secrets file. */
  readonly secrets: () => CredentialSecrets;
  readonly credentialKeys: SigningKeysService;
  readonly sales: SalesService;
  /** IC cards and wristbands: status, loss and replacement, deposit and return (modules/cards). */
  readonly cards: CardsService;
  readonly prints: SalePrints;
  readonly refunds: RefundsService;
  readonly supplements: SupplementsService;
  readonly groupOrders: GroupOrdersService;
  readonly lookup: LookupService;
  readonly occupancy: OccupancyService;
  readonly passages: PassageIngestion;
  /** The stored passages and denials as the console reads them (list, day summary). */
  readonly passageRecords: PassageRecords;
  /** Newly stored passages and denials, announced by the ingestion after each commit (the console's stream). */
  readonly passageHub: PassageHub;
  readonly commLog: CommLogService;
  readonly gateAccess: GateAccessService;
  readonly gateStatus: GateStatusService;
  readonly gateConfig: GateConfigService;
  readonly gateValidation: ValidationService;
  readonly commands: CommandsService;
  readonly whitelist: WhitelistService;
  /** The partners' API keys; also what authenticates a call to the channel API. */
  readonly channelKeys: ChannelKeysService;
  /** Partners' webhooks: `enqueue` in a change's transaction; the worker (main.ts) sends them. */
  readonly webhooks: WebhooksService;
  /** Travel agencies: accounts, settlement terms, ledger; also the AgencyAccounts group orders are given. */
  readonly agencies: AgenciesService;
  /** Customers (客户资料) and their member cards. */
  readonly customers: CustomersService;
  /** Points rules, balances and the ledger; also the sales' and refunds' SaleLoyalty. */
  readonly points: PointsService;
  /** The takings journal and its day rollups: what every report, settlement and live figure reads. */
  readonly takings: TakingsService;
  /** The holiday calendar and the comparison bases (同比, 环比) reports ask for. */
  readonly holidays: HolidaysService;
  /** Today's live figures per site and their push (live-status/hub.ts). */
  readonly liveStatus: LiveStatusService;
  /** Cashier shifts (交接班): the takings journal files each cashier's money under their open shift. */
  readonly shifts: ShiftsService;
  /** Day and month settlements (日结 / 月结), frozen when they close. */
  readonly settlements: SettlementsService;
  /** Sales history and summaries, the communication reports and the decision analysis: reads only. */
  readonly reports: ReportsService;
}

/** The cloud's live MQTT side: the bus and what runs on it. */
export interface CloudMqtt {
  readonly bus: MqttBus;
  readonly metrics: MqttMetrics;
  readonly gateStatus: GateStatusHub;
  readonly commLog: CommLogWriter;
  /** Commands with ack tracking, the occupancy push hub and the control room's metrics. */
  readonly controlRoom: ControlRoom;
  /** Publishes each gate's retained config and its new versions. */
  readonly gateConfig: GateConfigPublisher;
  /** Live whitelist deltas and answers to gates' sync requests. */
  readonly whitelist: WhitelistDistributor;
  /** The embedded broker's bound ports; undefined with an external broker. */
  readonly broker: { readonly port: number; readonly wsPort: number | undefined } | undefined;
  /** Drops a gate's live session on the embedded broker (after a rotation or revocation). */
  disconnectGate(gate: { siteId: string; gateId: string }): void;
  close(): Promise<void>;
}

export interface ControlRoom {
  readonly commands: CommandDispatcher;
  readonly occupancy: OccupancyHub;
  readonly metrics: ControlRoomMetrics;
}

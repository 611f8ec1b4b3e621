/**
 * The composition root: every service of the cloud is built here, once per process, from the config, the database
 * and the logger; route modules and the MQTT side receive them (modules/services.ts) and never build one of their
 * own. One instance per service means one cache per service: the ticket type versions, the signing key and the
 * session cache are each held once, and a change made through one route is seen by every other at once.
 *
 * The MQTT side (container-mqtt.ts) is started after the services, since the broker asks the gate-access service
 * who may log in; the two services that must end a gate's live session (venues, gate access) reach the broker
 * through `disconnectGate`, bound once it runs.
 */
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { type MqttSideOptions, startMqttSide } from './container-mqtt.js';
import type { DatabaseHandle } from './db/database.js';
import { type Leadership, openLeadership } from './db/leadership.js';
import { type ClusterNotifications, openNotifications } from './db/notifications.js';
import { AgenciesService } from './modules/agencies/service.js';
import { AuditService } from './modules/audit/service.js';
import { CapacityService } from './modules/capacity/service.js';
import { cardRecyclePassageHook } from './modules/cards/passage-hook.js';
import { CardsService } from './modules/cards/service.js';
import { ChannelKeysService } from './modules/channel-keys/service.js';
import { CommLogRepo } from './modules/comm-log/repo.js';
import { CommLogService } from './modules/comm-log/service.js';
import type { CommandDispatcher } from './modules/commands/dispatcher.js';
import { CommandsService } from './modules/commands/service.js';
import { CustomersService } from './modules/customers/service.js';
import { GateAccessService } from './modules/gate-access/service.js';
import { GateConfigService } from './modules/gate-config/service.js';
import type { GateStatusHub } from './modules/gate-status/hub.js';
import { GateStatusService } from './modules/gate-status/service.js';
import { reservationPassageHook } from './modules/gate-validation/passage-hook.js';
import { ValidationService } from './modules/gate-validation/service.js';
import { groupOrderPassageHook } from './modules/group-orders/passage-hook.js';
import { GroupOrdersService } from './modules/group-orders/service.js';
import { HealthService } from './modules/health/service.js';
import { HolidaysService } from './modules/holidays/service.js';
import type { LiveHubOptions } from './modules/live-status/hub.js';
import { LiveStatusService } from './modules/live-status/service.js';
import { LookupService } from './modules/lookup/service.js';
import { OccupancyService } from './modules/occupancy/service.js';
import { OperatorsService } from './modules/operators/service.js';
import { hourlyEntriesHook } from './modules/passages/hourly.js';
import { PassageHub } from './modules/passages/hub.js';
import { PassageRecords } from './modules/passages/records.js';
import { type PassageHook, PassageIngestion } from './modules/passages/service.js';
import { PointsService } from './modules/points/service.js';
import { SalePrints } from './modules/printing/sale-prints.js';
import { RefundsService } from './modules/refunds/service.js';
import { holidayCalendar } from './modules/reports/holiday-calendar.js';
import { ReportsService } from './modules/reports/service.js';
import { SalesService } from './modules/sales/service.js';
import type { CloudMqtt, CloudServices } from './modules/services.js';
import { SigningKeys } from './modules/signing-keys/keys.js';
import { credentialSecrets } from './modules/signing-keys/secrets.js';
import { SigningKeysService } from './modules/signing-keys/service.js';
import { StockService } from './modules/stock/service.js';
import { SupplementsService } from './modules/supplements/service.js';
import { TakingsService } from './modules/takings/service.js';
import { SettlementsService } from './modules/takings/settlements/service.js';
import { shiftOfTaking } from './modules/takings/shifts/resolver.js';
import { ShiftsService } from './modules/takings/shifts/service.js';
import { GateRulesCache } from './modules/ticket-types/gate-rules.js';
import { TicketTypesService } from './modules/ticket-types/service.js';
import { ticketPassageHook } from './modules/tickets/passage-hook.js';
import { TicketsService } from './modules/tickets/service.js';
import { VenuesService } from './modules/venues/service.js';
import { SiteClocks } from './modules/venues/site-clocks.js';
import { WebhooksService } from './modules/webhooks/service.js';
import { WhitelistService } from './modules/whitelist-sync/service.js';
import { AuthService } from './platform/auth/service.js';

export interface ContainerOptions {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  /** The clock every service reads (tests pin it). */
  readonly now?: () => number;
  /** Passage hooks run after the built-in ones, inside the ingestion transaction (tests inject failures here). */
  readonly extraPassageHooks?: readonly PassageHook[];
  /** Timings of the live figures' push (live-status/hub.ts); tests shorten them. */
  readonly liveStatus?: LiveHubOptions;
  /** Start the MQTT side (broker or client, bus, extensions, publishers); off by default (route tests, tools). */
  readonly mqtt?: MqttSideOptions | boolean;
}

export interface Container {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  readonly services: CloudServices;
  /**
   * Whether this instance runs the periodic jobs (db/leadership.ts); main.ts starts it. Until started on
   * PostgreSQL it does not lead, so a container built for a test or a tool prunes nothing on a timer.
   */
  readonly leadership: Leadership;
  /** The MQTT side, once started. */
  readonly mqtt: CloudMqtt | undefined;
  /** Starts the MQTT side over the services (once; main.ts first prepares the operators). */
  startMqtt(options?: MqttSideOptions): Promise<CloudMqtt>;
  /** Stops the MQTT side and steps down from the leadership (the database handle belongs to the caller). */
  close(): Promise<void>;
}

export async function createContainer(options: ContainerOptions): Promise<Container> {
  const { config, database, logger } = options;
  let mqtt: CloudMqtt | undefined;
  const leadership = openLeadership(config.database, logger);
  // Live changes to and from the other instances on the same PostgreSQL (nothing on SQLite).
  const notifications = openNotifications(config.database, logger);
  await notifications.start();
  const services = buildServices({
    ...options,
    leadership,
    notifications,
    disconnectGate: (gate) => mqtt?.disconnectGate(gate),
    lateDispatcher: () => mqtt?.controlRoom.commands,
    lateGateStatus: () => mqtt?.gateStatus,
  });
  const container: Container = {
    config,
    database,
    logger,
    services,
    leadership,
    get mqtt() {
      return mqtt;
    },
    startMqtt: async (mqttOptions = {}) => {
      if (mqtt) throw new Error('the MQTT side is already running');
      mqtt = await startMqttSide({
        config,
        db: database.db,
        logger,
        services,
        leads: () => leadership.isLeader,
        notifications,
        ...mqttOptions,
      });
      return mqtt;
    },
    close: async () => {
      await mqtt?.close();
      await leadership.stop();
      await notifications.close();
    },
  };
  if (options.mqtt) await container.startMqtt(typeof options.mqtt === 'object' ? options.mqtt : {});
  return container;
}

interface BuildOptions extends ContainerOptions {
  /** Ends a gate's live broker session; a no-op until the MQTT side runs. */
  readonly disconnectGate: (gate: { siteId: string; gateId: string }) => void;
  readonly leadership: Leadership;
  readonly notifications: ClusterNotifications;
  /** The command dispatcher runs on the MQTT side, which starts after the services. */
  readonly lateDispatcher: () => CommandDispatcher | undefined;
  /** So does the live view of the gates' status; without it the stored status is what there is. */
  readonly lateGateStatus: () => GateStatusHub | undefined;
}

function buildServices(options: BuildOptions): CloudServices {
  const { config, database, logger, disconnectGate: disconnect } = options;
  const db = database.db;
  const now = options.now ?? Date.now;

  const auth = new AuthService(db, config.auth);
  const venues = new VenuesService(db, now, disconnect);
  const ticketTypes = new TicketTypesService(db, venues, now);
  const capacity = new CapacityService(db, venues, now);
  const tickets = new TicketsService(db, now);
  const secrets = () => credentialSecrets(config.credentials);
  const keys = new SigningKeys(db, secrets, now);
  const { maxChangeFen } = config.cash;
  // Customers and points: the sales and refunds services reach the points through their SaleLoyalty contract.
  const customers = new CustomersService(db, { venues, secrets }, now);
  const points = new PointsService(db, { venues }, now);
  const loyalty = points;
  // Every money-moving service records its takings through the one journal (modules/takings), each cashier's
  // under their open shift.
  const takings = new TakingsService(shiftOfTaking);
  const holidays = new HolidaysService(db, now);
  // IC cards: their status, deposit and history; a sale binds them through its SaleCards contract.
  const cards = new CardsService(db, { tickets, venues, takings }, now);
  const sales = new SalesService(
    db,
    { venues, ticketTypes, capacity, tickets, keys, secrets, maxChangeFen, loyalty, takings, cards },
    now,
  );
  const refunds = new RefundsService(
    db,
    { sales, tickets, ticketTypes, capacity, venues, auth, loyalty, takings },
    now,
  );
  const supplements = new SupplementsService(
    db,
    { venues, ticketTypes, capacity, tickets, keys, auth, maxChangeFen, takings },
    now,
  );
  const operators = new OperatorsService(db, now);
  const agencies = new AgenciesService(db, ticketTypes, operators, { timeZone: config.venueTimezone, now });
  // Group orders placed through the channel API tell their partner through the webhooks' outbox.
  const webhooks = new WebhooksService(db, secrets, now);
  const groupOrders = new GroupOrdersService(
    db,
    {
      venues,
      ticketTypes,
      capacity,
      tickets,
      keys,
      secrets,
      maxChangeFen,
      policy: config.groupOrders,
      agencies,
      events: webhooks,
      takings,
    },
    now,
  );
  const occupancy = new OccupancyService(db, config.occupancy, logger, now);
  const commLog = new CommLogService(new CommLogRepo(db), db, config.venueTimezone);
  const passageHub = new PassageHub(
    (error) => logger.error({ err: error }, 'passage stream listener failed'),
    options.notifications,
  );
  const passageRecords = new PassageRecords(db, { timeZone: config.venueTimezone, now });
  const gateStatus = new GateStatusService(db);
  // Live figures read from the takings, passages, occupancy and gates, and read again when any of them moves.
  const liveStatus = new LiveStatusService(
    db,
    {
      ticketTypes,
      occupancy,
      passageRecords,
      gateStatuses: async () => options.lateGateStatus()?.all() ?? (await gateStatus.stored()),
      signals: [
        (signal) => takings.onRecorded(signal),
        (signal) =>
          passageHub.subscribe((events) => {
            for (const siteId of new Set(events.map((event) => event.site_id))) signal(siteId);
          }),
      ],
      hub: {
        ...options.liveStatus,
        onError: (error) => logger.error({ err: error }, 'live status reading failed'),
      },
    },
    now,
  );
  // Per passage: each type's gate rules parsed once, each site's clock read once a minute (tickets/passage-hook.ts).
  const gateRules = new GateRulesCache();
  const siteClocks = new SiteClocks(now);
  return {
    health: new HealthService(database, () => options.leadership.isLeader),
    auth,
    audit: new AuditService(db),
    operators,
    venues,
    ticketTypes,
    capacity,
    stock: new StockService(db, ticketTypes, { now }),
    tickets,
    keys,
    secrets,
    credentialKeys: new SigningKeysService(db, keys, tickets, now),
    sales,
    cards,
    prints: new SalePrints(db, sales, tickets, venues, now),
    refunds,
    supplements,
    groupOrders,
    lookup: new LookupService(
      db,
      { venues, tickets, ticketTypes, sales, refunds, supplements, keys, secrets },
      now,
    ),
    occupancy,
    passages: new PassageIngestion(
      db,
      occupancy,
      [
        reservationPassageHook(),
        ticketPassageHook(
          tickets,
          (trx, typeId, version) => ticketTypes.unconfirmedUsesEntry(typeId, version, trx),
          {
            usageOf: async (trx, typeId) => {
              // A type gone from the catalogue records nothing (the passage itself is stored all the same).
              const type = await ticketTypes.get(typeId, trx).catch(() => undefined);
              const rules = type?.rules;
              return {
                visitDays: rules?.visitDays !== undefined,
                reentry: rules?.reentry !== undefined,
                // What the gates run (an inactive type's tickets are not admitted offline: nothing to judge).
                rules: type?.active ? gateRules.of(type) : null,
              };
            },
            clockOf: (trx, siteId) => siteClocks.of(trx, siteId),
            checkoutOf: async (trx, siteId) => (await siteClocks.settingsOf(trx, siteId)).checkoutMinute,
          },
        ),
        groupOrderPassageHook(webhooks),
        // After the tickets' hook: a card kept by the exit's recycler is freed for another sale.
        cardRecyclePassageHook(cards),
        // Entries per site, local hour and ticket type, for the visitor figures and the decision analysis.
        hourlyEntriesHook(now),
        ...(options.extraPassageHooks ?? []),
      ],
      passageHub,
    ),
    passageRecords,
    passageHub,
    commLog,
    gateAccess: new GateAccessService(db, disconnect, now),
    gateStatus,
    gateConfig: new GateConfigService(db, ticketTypes, now),
    gateValidation: new ValidationService(db, ticketTypes, now),
    commands: new CommandsService(db, options.lateDispatcher),
    whitelist: new WhitelistService(db, venues),
    channelKeys: new ChannelKeysService(db, now),
    webhooks,
    agencies,
    customers,
    points,
    takings,
    holidays,
    liveStatus,
    shifts: new ShiftsService(db, { venues, policy: config.shifts }, now),
    settlements: new SettlementsService(db, { venues }, now),
    reports: new ReportsService(db, {
      commLog,
      defaultTimeZone: config.venueTimezone,
      calendar: {
        calendarFor: async (range) =>
          holidayCalendar(await holidays.calendarFor({ from: range.fromDay, to: range.toDay })),
      },
    }),
  };
}

/**
 * The till of one ticket window, made for the keyboard: ticket types as big rows whose quantities are typed with
 * digits, + and −; the visit date (today in the site's time zone) and timed slot with live availability; the
 * real-name visitor of each ticket; then payment (split across methods, change from cash) and the receipt with
 * printing. A barcode scanner is a keyboard too: a scanned stub in the cashier's hands joins the sale, any other
 * code opens its validity lookup. A customer found by phone, ID number or member card (F3) can be attached: the sale
 * earns them points and their points can pay (F10); count cards and passes can be sold onto IC cards, one per ticket.
 *
 * The sale is sent with one Idempotency-Key per sale intent (intent.ts), so a double press or a retry after a lost
 * answer shows the sale already made instead of selling twice.
 */
import { CloseOutlined, SwapOutlined } from '@ant-design/icons';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Empty, Row, Space, Tag, Typography } from 'antd';
import { Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError } from '../../api/errors';
import type {
  Customer,
  MyStock,
  Sale,
  SaleLineInput,
  Site,
  TicketQuote,
  TicketType,
  TicketWindow,
} from '../../api/types';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { describeError, Loading, QueryView } from '../../components/feedback';
import { lazyPart } from '../../components/lazy-part';
import { type Scan, type ScannerKey, useScanner } from '../../components/use-scanner';
import { today as todayIn } from '../../format/time';
import { currentLanguage } from '../../i18n';
import { CardForms, cardInputId, cardSlots } from './card-forms';
import {
  addDays,
  addStub,
  barcodeDigits,
  type Cart,
  type CartLine,
  capacityCheck,
  cardsOfLines,
  EMPTY_CART,
  endEntry,
  eraseDigit,
  linePrice,
  linesOf,
  MAX_ADVANCE_DAYS,
  MAX_LINES,
  personCount,
  removeStub,
  saleFingerprint,
  saleLinesOf,
  sellableOn,
  setCard,
  setHolder,
  setPersons,
  setQuantity,
  stepQuantity,
  typeDigit,
  windowTypes,
} from './cart';
import { CustomerBar } from './customer-bar';
import { focusSoon, isPressable, TYPE_LIST_ID, useLatest, whenIdle } from './focus';
import {
  HolderForms,
  type HolderQuote,
  type HolderView,
  holderInputId,
  holderReady,
  holderViews,
} from './holders';
import { checkIdNumber, type IdCheck } from './id-number';
import {
  attempt,
  cartChanged,
  failed,
  IDLE,
  keyOf,
  newIdempotencyKey,
  openPayment,
  outcomeOf,
  type SaleIntent,
  sold,
} from './intent';
import { ShortcutLegend, type Stage } from './legend';
import { nameIn } from './names';
import { PaymentPanel, type PointsTender } from './payment';
import type { PointsOffer } from './points';
import { pointsAccountQuery, pointsRulesQuery } from './points-queries';
import { printUrls } from './print-urls';
import { availabilityQuery, myStockQuery, siteTypesQuery } from './queries';
import { cardField, cardInUseField, type FieldKey, fieldOf, holderField, payField } from './refusals';
import { ShiftButton } from './shift/button';
import { Summary } from './summary';
import {
  focusMethod,
  METHOD_KEYS,
  payInputId,
  settle,
  TENDERS,
  type Tender,
  type Tenders,
  typeAmount,
  UNTOUCHED,
} from './tenders';
import { TypeList } from './type-list';
import { VisitPanel } from './visit-panel';

/*
 * What the till's first screen does without: the receipt (tables), the lookup (drawer, descriptions) and the date
 * picker load apart, so a cold till takes the keyboard sooner; the desk asks for them as soon as it is shown.
 */
const Receipt = lazyPart(
  () => import('./receipt'),
  (module) => module.Receipt,
);
const LookupDrawer = lazyPart(
  () => import('./lookup-drawer'),
  (module) => module.LookupDrawer,
);
/** Finding a customer: loaded when the cashier first asks for it (F3), or when the browser is idle. */
const CustomerDrawer = lazyPart(
  () => import('./customer-drawer'),
  (module) => module.CustomerDrawer,
);

type SaleBody = {
  siteId: string;
  windowId: string;
  lines: SaleLineInput[];
  payments: { method: Tender; amountFen: number }[];
  customerId?: string;
};

export function Desk({
  site,
  window: ticketWindow,
  onChangeWindow,
}: {
  site: Site;
  window: TicketWindow;
  onChangeWindow: () => void;
}) {
  const { t } = useTranslation('window');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const zone = site.timezone;
  const canOperateShifts = allows(useMe().data ?? undefined, 'shifts.operate');
  const [shiftOpen, setShiftOpen] = useState(false);
  const [today, setToday] = useState(() => todayIn(zone));
  const lastDay = addDays(today, MAX_ADVANCE_DAYS);

  const [cart, setCart, cartRef] = useLatest<Cart>(EMPTY_CART);
  const [selected, setSelected, selectedRef] = useLatest(0);
  const [visitDate, setVisitDate, visitDateRef] = useLatest(today);
  const [slotId, setSlotId, slotIdRef] = useLatest<string | null>(null);
  const [stage, setStage, stageRef] = useLatest<Stage>('cart');
  const [tenders, setTenders, tendersRef] = useLatest<Tenders>(UNTOUCHED);
  const [intent, setIntent, intentRef] = useLatest<SaleIntent<SaleBody>>(IDLE);
  const [saleError, setSaleError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FieldKey, string>>>({});
  const [sale, setSale] = useState<Sale | null>(null);
  const [lookupCode, setLookupCode] = useState<string | null>(null);
  // The drawer is drawn from the first scan on, and stays drawn so that it can slide shut.
  const lookupUsed = useRef(false);
  if (lookupCode !== null) lookupUsed.current = true;
  const [customer, setCustomer, customerRef] = useLatest<Customer | null>(null);
  const [finding, setFinding] = useState(0);
  const [customerOpen, setCustomerOpen] = useState(false);
  useEffect(
    () =>
      whenIdle(() => void Promise.all([Receipt.preload(), LookupDrawer.preload(), CustomerDrawer.preload()])),
    [],
  );
  const sentRef = useRef<{
    lineKeys: string[];
    methods: SaleBody['payments'][number]['method'][];
    cards: { lineKey: string; uids: string[] }[];
  }>({
    lineKeys: [],
    methods: [],
    cards: [],
  });

  const typesQuery = useQuery(siteTypesQuery(site.id));
  const types = useMemo(() => windowTypes(typesQuery.data ?? []), [typesQuery.data]);
  const availability = useQuery(availabilityQuery(site.id, visitDate));
  const myStock = useQuery(myStockQuery());
  // The customer's points and the site's rule for paying with them: read only once a customer is attached.
  const pointsRules = useQuery({ ...pointsRulesQuery(site.id), enabled: customer !== null });
  const pointsAccount = useQuery({
    ...pointsAccountQuery(customer?.id ?? ''),
    enabled: customer !== null,
  });
  const rate = pointsRules.data?.enabled ? pointsRules.data.redeemPointsPerYuan : null;
  const pointsOffer: PointsOffer | null =
    customer && rate && pointsAccount.data
      ? { rate, balance: Math.max(0, pointsAccount.data.balance) }
      : null;
  const pointsTender: PointsTender | null = customer
    ? {
        offer: pointsOffer,
        note: pointsRules.data && rate === null ? t('customer.pointsOff') : undefined,
      }
    : null;

  // The derived sale: lines, holders with their ID checks and quotes, prices, the request, its fingerprint.
  const lines = useMemo(() => linesOf(cart, types), [cart, types]);
  const holderSlots = useMemo(
    () =>
      lines
        .filter((line) => line.needsHolders)
        .flatMap((line) =>
          Array.from({ length: line.quantity }, (_, index) => {
            const check = checkIdNumber(cart.holders[line.key]?.[index]?.idNumber ?? '', today);
            return { line, index, number: check.state === 'valid' ? check.number : null };
          }),
        ),
    [lines, cart.holders, today],
  );
  const quoteQueries = useQueries({
    queries: holderSlots.map(({ line, number }) => ({
      queryKey: ['ticket-types', 'quote', line.type.typeId, visitDate, number],
      queryFn: () =>
        api.post<TicketQuote>(`/ticket-types/${line.type.typeId}/quote`, {
          channel: 'window',
          visitDate,
          idNumber: number!,
        }),
      enabled: number !== null,
      staleTime: 5 * 60_000,
      retry: false,
    })),
  });
  const quoteOf = (line: CartLine, index: number, check: IdCheck): HolderQuote => {
    const at = holderSlots.findIndex((slot) => slot.line.key === line.key && slot.index === index);
    const query = quoteQueries[at];
    if (!query || check.state !== 'valid') return { quote: undefined, error: null, loading: false };
    return { quote: query.data, error: query.error, loading: query.isFetching };
  };
  const views = holderViews(cart, lines, (id) => checkIdNumber(id, today), quoteOf);
  const prices = lines.map((line) =>
    linePrice(
      line,
      views.filter((view) => view.line.key === line.key).map((view) => view.quote.quote?.priceFen),
    ),
  );
  const totalFen = prices.reduce((sum, price) => sum + price.amountFen, 0);
  const listFen = prices.reduce((sum, price) => sum + price.listFen, 0);
  const pricing = prices.some((price) => price.pending);
  const lineCards = useMemo(() => cardsOfLines(cart, lines), [cart, lines]);
  const requestLines = saleLinesOf(cart, lines, { visitDate, slotId });
  const fingerprint = saleFingerprint(site.id, ticketWindow.id, requestLines, customer?.id ?? null);
  const persons = personCount(lines);
  const currentAvailability = availability.data?.date === visitDate ? availability.data : undefined;
  const capacity = currentAvailability ? capacityCheck(currentAvailability, slotId, persons) : null;
  const settlement = settle(tenders, totalFen, pointsOffer);

  // A changed cart is another sale: its key goes (intent.ts decides).
  useEffect(() => {
    setIntent((current) => cartChanged(current, fingerprint));
  }, [fingerprint, setIntent]);

  // The slot: the chosen one while it exists, else the first that has not ended and has places.
  useEffect(() => {
    // Never while paying: the slot is part of the sale being paid for.
    if (!currentAvailability || stageRef.current !== 'cart') return;
    const slots = currentAvailability.slots;
    if (slots.length === 0) {
      if (slotId !== null) setSlotId(null);
      return;
    }
    if (slots.some((slot) => slot.id === slotId)) return;
    const now = Date.now();
    const open = slots.find((slot) => slot.endAt > now && slot.remaining > 0) ?? null;
    if (open) setSlotId(open.id);
  }, [currentAvailability, slotId, setSlotId, stageRef]);

  // The type list takes the keyboard when the till opens and after each customer; back from a refused payment, the
  // field the refusal is about does.
  const focusOnCart = useRef<string | null>(null);
  useEffect(() => {
    if (stage !== 'cart' || types.length === 0) return;
    const field = focusOnCart.current;
    focusOnCart.current = null;
    focusSoon(field ?? TYPE_LIST_ID, field !== null);
  }, [stage, types.length]);

  const selectedType = (): TicketType | undefined => types[Math.min(selectedRef.current, types.length - 1)];

  const changeDate = (date: string) => {
    const next = date < today ? today : date > lastDay ? lastDay : date;
    setVisitDate(next);
    setSlotId(null);
  };

  const stepSlot = (direction: 1 | -1) => {
    const slots = currentAvailability?.slots ?? [];
    if (slots.length === 0) return;
    const at = slots.findIndex((slot) => slot.id === slotIdRef.current);
    const next = slots[(at + direction + slots.length) % slots.length];
    if (next) setSlotId(next.id);
  };

  /** What stops payment, as a message, with the field to go to; null when payment can open. */
  const blocker = (): { text: string; focus?: string } | null => {
    if (lines.length === 0) return { text: t('cart.empty') };
    if (lines.length > MAX_LINES) return { text: t('cart.tooManyLines', { max: MAX_LINES }) };
    const notToday = lines.find((line) => !sellableOn(line.type, visitDate));
    if (notToday) return { text: t('cart.notOnDate', { type: nameIn(notToday.type.name), date: visitDate }) };
    if (!capacity) return { text: t('visit.loading') };
    if (capacity.needsSlot) return { text: t('visit.chooseSlot') };
    if (!capacity.fits) return { text: t('visit.notEnough', { persons }) };
    const missing = views.find((view) => !holderReady(view));
    if (missing) {
      const field = missing.holder.name.trim() === '' ? 'name' : 'idNumber';
      const complete = missing.check.state === 'valid' && missing.holder.name.trim() !== '';
      const text = !complete
        ? t('holders.missing', { type: nameIn(missing.line.type.name), n: missing.index + 1 })
        : missing.quote.error
          ? describeError(missing.quote.error)
          : t('holders.waitPrice');
      return { text, focus: holderInputId(missing.line.key, missing.index, field) };
    }
    if (pricing) return { text: t('holders.waitPrice') };
    for (const [i, cards] of lineCards.entries()) {
      const line = lines[i]!;
      if (cards.state === 'partial') {
        const empty = cardSlots(cart, [line]).find((slot) => slot.text.trim() === '');
        return {
          text: t('cards.partial', { type: nameIn(line.type.name), missing: cards.missing }),
          focus: empty ? cardInputId(line.key, empty.index) : undefined,
        };
      }
      if (cards.state === 'invalid')
        return {
          text: `${t('cards.ticket', { type: nameIn(line.type.name), n: cards.index + 1 })}: ${
            cards.reason === 'twice' ? t('cards.twice') : t('cards.problem.length')
          }`,
          focus: cardInputId(line.key, cards.index),
        };
    }
    return null;
  };

  // Keys can change the cart and ask for payment before React renders again: payment opens after that render.
  const [payRequests, setPayRequests] = useState(0);
  const requestPayment = () => setPayRequests((n) => n + 1);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs the latest goToPayment once per request
  useEffect(() => {
    if (payRequests > 0) goToPayment();
  }, [payRequests]);

  const goToPayment = () => {
    if (stageRef.current !== 'cart') return;
    const blocked = blocker();
    if (blocked) {
      void message.warning({ content: blocked.text, key: 'blocked' });
      if (blocked.focus) focusSoon(blocked.focus);
      return;
    }
    // Cards first: from the till, Enter goes to the first ticket without a card; Enter on an empty card field goes
    // on, so Enter through them all sells QR tickets.
    const inCard = document.activeElement?.id.startsWith('card-') ?? false;
    const emptyCard = cardSlots(cart, lines).find((slot) => slot.text.trim() === '');
    if (emptyCard && !inCard) {
      focusSoon(cardInputId(emptyCard.line.key, emptyCard.index));
      return;
    }
    const before = intentRef.current;
    const opened = openPayment(before, fingerprint, newIdempotencyKey);
    // The amounts typed for this sale stay when the cashier comes back to it; another sale starts untouched.
    if (keyOf(before) !== keyOf(opened)) setTenders(UNTOUCHED);
    setIntent(opened);
    setSaleError(null);
    setStage('pay');
    focusSoon(payInputId('cash'), true);
  };

  const backToCart = () => {
    if (stageRef.current !== 'pay' || intentRef.current.phase === 'sending') return;
    setStage('cart');
  };

  const applyRefusal = (error: unknown) => {
    const apiError = asApiError(error);
    if (apiError.code === 'CAPACITY_EXHAUSTED' || apiError.code === 'VALIDATION_FAILED')
      void queryClient.invalidateQueries({ queryKey: ['capacity'] });
    const problems: Partial<Record<FieldKey, string>> = {};
    const language = currentLanguage();
    for (const problem of apiError.fieldProblems) {
      const field = fieldOf(problem.path, sentRef.current.lineKeys, sentRef.current.methods);
      if (field) problems[field] = problem.messages[language];
    }
    if (apiError.code === 'CARD_UID_IN_USE') {
      const field = cardInUseField(apiError.messages, sentRef.current.cards);
      if (field) problems[field] = apiError.messages[language];
    }
    if (apiError.code.startsWith('POINTS_')) {
      // The balance shown was older than the sale: read it again, and say so on the points amount.
      void queryClient.invalidateQueries({ queryKey: ['points'] });
      if (sentRef.current.methods.includes('points'))
        problems[payField('points')] = apiError.messages[language];
    }
    setFieldErrors(problems);
    const first = Object.keys(problems)[0];
    if (first?.startsWith('holder:')) {
      const [, lineKey, index, field] = first.split(':') as [string, string, string, 'name' | 'idNumber'];
      focusOnCart.current = holderInputId(lineKey, Number(index), field);
      setStage('cart');
    } else if (first?.startsWith('card:')) {
      const [, lineKey, index] = first.split(':') as [string, string, string];
      focusOnCart.current = cardInputId(lineKey, Number(index));
      setStage('cart');
    } else if (first?.startsWith('pay:')) {
      focusSoon(payInputId(first.slice(4) as Tender), true);
    }
  };

  const confirm = () => {
    if (stageRef.current !== 'pay') return;
    const current = intentRef.current;
    if (current.phase === 'sending') return;
    const nowSettlement = settle(tendersRef.current, totalFen, pointsOffer);
    if (current.phase !== 'unknown' && nowSettlement.problem) {
      void message.warning({
        content: t(`pay.problem.${nowSettlement.problem}`, {
          rate: pointsOffer?.rate,
          balance: pointsOffer?.balance.toLocaleString(),
        }),
        key: 'pay-problem',
      });
      return;
    }
    const attached = customerRef.current;
    const body: SaleBody = {
      siteId: site.id,
      windowId: ticketWindow.id,
      lines: requestLines,
      payments: [...nowSettlement.payments],
      ...(attached ? { customerId: attached.id } : {}),
    };
    const step = attempt(current, fingerprint, body, newIdempotencyKey);
    setIntent(step.intent);
    if (!step.request) return;
    sentRef.current = {
      lineKeys: lines.map((line) => line.key),
      methods: step.request.body.payments.map((payment) => payment.method),
      cards: step.request.body.lines.map((line, i) => ({
        lineKey: lines[i]?.key ?? '',
        uids: line.cardUids ?? [],
      })),
    };
    setSaleError(null);
    setFieldErrors({});
    api.post<Sale>('/sales', step.request.body, { 'Idempotency-Key': step.request.key }).then(
      (answer) => {
        setIntent((latest) => sold(latest, answer.id));
        queryClient.setQueryData(['sales', 'one', answer.id], answer);
        void queryClient.invalidateQueries({ queryKey: ['sales', 'list'] });
        void queryClient.invalidateQueries({ queryKey: ['capacity'] });
        void queryClient.invalidateQueries({ queryKey: ['stock'] });
        // The customer's balance changed with the sale (points paid, points earned): the receipt reads it anew.
        if (answer.customerId)
          void queryClient.invalidateQueries({ queryKey: ['points', 'account', answer.customerId] });
        setSale(answer);
        setStage('done');
      },
      (error: unknown) => {
        setIntent((latest) => failed(latest, outcomeOf(error)));
        setSaleError(error);
        if (outcomeOf(error) === 'refused') applyRefusal(error);
      },
    );
  };

  const nextCustomer = () => {
    // The last visitor's ID numbers leave the page's memory with them (quotes are cached by ID number).
    queryClient.removeQueries({ queryKey: ['ticket-types', 'quote'] });
    const day = todayIn(zone);
    setToday(day);
    setCart(EMPTY_CART);
    setSelected(0);
    setVisitDate(day);
    setSlotId(null);
    setTenders(UNTOUCHED);
    setIntent(IDLE);
    setSaleError(null);
    setFieldErrors({});
    setSale(null);
    setCustomer(null);
    setStage('cart');
    focusSoon(TYPE_LIST_ID);
  };

  const findCustomer = () => {
    if (stageRef.current !== 'cart') return;
    setFinding((n) => n + 1);
    setCustomerOpen(true);
  };

  const attachCustomer = (found: Customer) => {
    setCustomer(found);
    setTenders((current) => ({ ...current, points: null }));
    setCustomerOpen(false);
    void message.success({ content: t('customer.attached', { name: found.name }), key: 'customer' });
    focusSoon(TYPE_LIST_ID);
  };

  const detachCustomer = () => {
    setCustomer(null);
    setTenders((current) => ({ ...current, points: null }));
    focusSoon(TYPE_LIST_ID);
  };

  const print = (what: 'tickets' | 'receipt') => {
    if (!sale) return;
    const urls = printUrls(sale.id);
    window.open(what === 'tickets' ? urls.tickets : urls.receipt, '_blank', 'noopener');
  };

  const onKey = (key: ScannerKey) => {
    if (lookupCode !== null || customerOpen || shiftOpen || key.ctrlKey || key.altKey || key.metaKey) return;
    const stageNow = stageRef.current;
    if (stageNow === 'cart') {
      if (key.key === 'F3') {
        key.preventDefault();
        findCustomer();
        return;
      }
      if (key.key === 'F2') {
        key.preventDefault();
        requestPayment();
        return;
      }
      if (key.key === 'F4') {
        key.preventDefault();
        stepSlot(key.shiftKey ? -1 : 1);
        return;
      }
      const inList =
        key.target === document.body ||
        (key.target instanceof Element && key.target.closest(`#${TYPE_LIST_ID}`) !== null);
      if (key.key === 'Enter' && key.editable && inList) {
        // Enter in a quantity field (typed with the mouse at hand) takes payment too.
        requestPayment();
        return;
      }
      if (key.editable) return;
      if (key.key === 'Enter') {
        if (isPressable(key.target)) return;
        key.preventDefault();
        requestPayment();
        return;
      }
      if (key.key === 'PageUp' || key.key === 'PageDown' || key.key === 'Home') {
        key.preventDefault();
        changeDate(key.key === 'Home' ? today : addDays(visitDateRef.current, key.key === 'PageUp' ? -1 : 1));
        return;
      }
      if (!inList || types.length === 0) return;
      const type = selectedType();
      if (!type) return;
      const now = performance.now();
      // A type that cannot be used on the visit date takes no tickets (its quantity may still go down).
      const more = /^[0-9]$/.test(key.key) || key.key === '+' || key.key === '=' || key.key === 'ArrowRight';
      if (more && !sellableOn(type, visitDateRef.current)) {
        void message.warning({
          content: t('cart.notOnDate', { type: nameIn(type.name), date: visitDateRef.current }),
          key: 'blocked',
        });
        return;
      }
      if (key.key === 'ArrowDown' || key.key === 'ArrowUp') {
        key.preventDefault();
        const next = (selectedRef.current + (key.key === 'ArrowDown' ? 1 : types.length - 1)) % types.length;
        setSelected(next);
        setCart(endEntry);
        document.getElementById(`type-row-${types[next]!.typeId}`)?.scrollIntoView({ block: 'nearest' });
      } else if (/^[0-9]$/.test(key.key)) {
        setCart((current) => typeDigit(current, type.typeId, Number(key.key), now));
      } else if (key.key === 'Backspace') {
        key.preventDefault();
        setCart((current) => eraseDigit(current, type.typeId, now));
      } else if (key.key === '+' || key.key === '=' || key.key === 'ArrowRight') {
        key.preventDefault();
        setCart((current) => stepQuantity(current, type.typeId, 1));
      } else if (key.key === '-' || key.key === 'ArrowLeft') {
        key.preventDefault();
        setCart((current) => stepQuantity(current, type.typeId, -1));
      } else if (key.key === 'Delete') {
        setCart((current) => setQuantity(current, type.typeId, 0));
      }
      return;
    }
    if (stageNow === 'pay') {
      const method = TENDERS.find((m) => METHOD_KEYS[m] === key.key);
      if (method) {
        key.preventDefault();
        if (method === 'points' && !pointsOffer) return;
        if (intentRef.current.phase === 'open' || intentRef.current.phase === 'idle') {
          setTenders((current) => focusMethod(current, method, totalFen, pointsOffer));
          focusSoon(payInputId(method), true);
        }
        return;
      }
      if (key.key === 'F2') {
        key.preventDefault();
        confirm();
      } else if (key.key === 'Escape') {
        key.preventDefault();
        backToCart();
      } else if (key.key === 'Enter' && !key.editable && !isPressable(key.target)) {
        key.preventDefault();
        confirm();
      }
      return;
    }
    if (key.editable) return;
    const letter = key.key.toLowerCase();
    if (letter === 'n') nextCustomer();
    else if (letter === 'p') print('tickets');
    else if (letter === 'r') print('receipt');
  };

  const onScan = async ({ code }: Scan) => {
    if (customerOpen || shiftOpen) return;
    const digits = barcodeDigits(code);
    if (digits !== null && stageRef.current !== 'pay') {
      const holding = (stock: MyStock | undefined) =>
        stock?.types.find((entry) => entry.codes.includes(digits))?.ticketTypeId;
      let typeId = holding(myStock.data);
      if (typeId === undefined) typeId = holding((await myStock.refetch()).data);
      if (typeId !== undefined) {
        const type = types.find((candidate) => candidate.typeId === typeId);
        if (!type) {
          void message.warning(t('scan.stubNotHere', { code: digits }));
          return;
        }
        if (stageRef.current === 'done') nextCustomer();
        const result = addStub(cartRef.current, { code: digits, typeId });
        if (!result.added) {
          void message.info(t('scan.stubAgain', { code: digits }));
          return;
        }
        setCart(result.cart);
        void message.success(t('scan.stubAdded', { code: digits, type: nameIn(type.name) }));
        return;
      }
    }
    setLookupCode(code.trim());
  };

  useScanner({ onScan: (scan) => void onScan(scan), onKey });

  const locked = stage !== 'cart';
  const header = (
    <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', marginBottom: 12 }}>
      <Space align="center" size="middle">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        <Tag color="cyan" style={{ fontSize: 14, padding: '2px 8px' }} data-testid="window-name">
          {nameIn(site.name)} · {nameIn(ticketWindow.name)} ({ticketWindow.id})
        </Tag>
      </Space>
      <Space>
        {canOperateShifts ? (
          <ShiftButton
            siteId={site.id}
            windowId={ticketWindow.id}
            windowName={nameIn(ticketWindow.name)}
            zone={zone}
            open={shiftOpen}
            setOpen={setShiftOpen}
          />
        ) : null}
        <Button icon={<SwapOutlined />} onClick={onChangeWindow} disabled={stage === 'pay'}>
          {t('setup.change')}
        </Button>
      </Space>
    </div>
  );

  return (
    <>
      {header}
      {stage === 'done' && sale ? (
        <Suspense fallback={<Loading />}>
          <Receipt
            sale={sale}
            customer={customer}
            zone={zone}
            onNext={nextCustomer}
            onPrint={print}
            aside={<ShortcutLegend stage="done" />}
          />
        </Suspense>
      ) : (
        <QueryView query={typesQuery}>
          {() =>
            types.length === 0 ? (
              <Empty description={<span data-testid="no-types">{t('types.none')}</span>} />
            ) : (
              <Row gutter={16}>
                <Col span={14}>
                  <TypeList
                    types={types}
                    cart={cart}
                    selected={selected}
                    visitDate={visitDate}
                    locked={locked}
                    onSelect={setSelected}
                    onQuantity={(typeId, quantity) =>
                      setCart((current) => setQuantity(current, typeId, quantity))
                    }
                    onStep={(typeId, delta) => setCart((current) => stepQuantity(current, typeId, delta))}
                    onPersons={(typeId, value) => setCart((current) => setPersons(current, typeId, value))}
                  />
                  {cart.stubs.length > 0 ? (
                    <Card size="small" title={t('stubs.title')} style={{ marginTop: 12 }} data-testid="stubs">
                      <Space wrap>
                        {cart.stubs.map((stub) => (
                          <Space.Compact key={stub.code}>
                            <Tag style={{ margin: 0, padding: '4px 8px' }}>
                              {nameIn(
                                types.find((type) => type.typeId === stub.typeId)?.name ?? { zh: '', en: '' },
                              )}{' '}
                              {stub.code}
                            </Tag>
                            <Button
                              size="small"
                              icon={<CloseOutlined />}
                              disabled={locked}
                              aria-label={t('stubs.remove', { code: stub.code })}
                              onClick={() => setCart((current) => removeStub(current, stub.code))}
                              style={{ height: 'auto' }}
                            />
                          </Space.Compact>
                        ))}
                      </Space>
                    </Card>
                  ) : null}
                  <div style={{ marginTop: 12 }}>
                    <ShortcutLegend stage={stage === 'pay' ? 'pay' : 'cart'} />
                  </div>
                </Col>
                <Col span={10}>
                  <Space orientation="vertical" style={{ width: '100%' }} size={12}>
                    <CustomerBar
                      customer={customer}
                      locked={locked}
                      onFind={findCustomer}
                      onDetach={detachCustomer}
                    />
                    <VisitPanel
                      visitDate={visitDate}
                      today={today}
                      lastDay={lastDay}
                      slotId={slotId}
                      availability={availability}
                      current={currentAvailability}
                      persons={persons}
                      fits={capacity?.fits ?? true}
                      locked={locked}
                      zoneNow={Date.now()}
                      onDate={changeDate}
                      onSlot={setSlotId}
                    />
                    <HolderForms
                      views={views}
                      visitDate={visitDate}
                      locked={locked}
                      fieldErrors={fieldErrors}
                      onChange={(lineKey, index, patch) => {
                        setCart((current) => setHolder(current, lineKey, index, patch));
                        setFieldErrors((errors) =>
                          withoutFields(errors, [
                            holderField(lineKey, index, 'name'),
                            holderField(lineKey, index, 'idNumber'),
                          ]),
                        );
                      }}
                      onEnter={(view, field) => onHolderEnter(view, field, views, requestPayment)}
                    />
                    <CardForms
                      cart={cart}
                      lines={lines}
                      states={lineCards}
                      locked={locked}
                      fieldErrors={fieldErrors}
                      onChange={(lineKey, index, text) => {
                        setCart((current) => setCard(current, lineKey, index, text));
                        setFieldErrors((errors) => withoutFields(errors, [cardField(lineKey, index)]));
                      }}
                      onEnter={(lineKey, index) => {
                        // The next ticket's card, else payment.
                        const slots = cardSlots(cartRef.current, lines);
                        const at = slots.findIndex(
                          (slot) => slot.line.key === lineKey && slot.index === index,
                        );
                        const next = slots.slice(at + 1).find((slot) => slot.text.trim() === '');
                        if (next) focusSoon(cardInputId(next.line.key, next.index));
                        else requestPayment();
                      }}
                    />
                    {stage === 'pay' ? (
                      <PaymentPanel
                        totalFen={totalFen}
                        tenders={tenders}
                        settlement={settlement}
                        phase={intent.phase}
                        error={saleError}
                        fieldErrors={fieldErrors}
                        points={pointsTender}
                        onType={(method, text) => {
                          setTenders((current) => typeAmount(current, method, text));
                          setFieldErrors((errors) => withoutFields(errors, [payField(method)]));
                        }}
                        onConfirm={confirm}
                        onBack={backToCart}
                      />
                    ) : (
                      <Summary
                        lines={lines}
                        prices={prices}
                        totalFen={totalFen}
                        listFen={listFen}
                        pricing={pricing}
                        onPay={requestPayment}
                      />
                    )}
                    {stage === 'cart' && saleError ? (
                      <Alert type="error" showIcon title={t('pay.fixAndRetry')} data-testid="sale-refused" />
                    ) : null}
                  </Space>
                </Col>
              </Row>
            )
          }
        </QueryView>
      )}
      {finding > 0 ? (
        <Suspense fallback={null}>
          <CustomerDrawer
            key={finding}
            open={customerOpen}
            siteId={site.id}
            onAttach={attachCustomer}
            onClose={() => {
              setCustomerOpen(false);
              if (stageRef.current === 'cart') focusSoon(TYPE_LIST_ID);
            }}
          />
        </Suspense>
      ) : null}
      {lookupUsed.current ? (
        <Suspense fallback={null}>
          <LookupDrawer
            code={lookupCode}
            zone={zone}
            onClose={() => {
              setLookupCode(null);
              if (stageRef.current === 'cart') focusSoon(TYPE_LIST_ID);
            }}
          />
        </Suspense>
      ) : null}
    </>
  );
}

function withoutFields(
  errors: Partial<Record<FieldKey, string>>,
  fields: readonly FieldKey[],
): Partial<Record<FieldKey, string>> {
  if (!fields.some((field) => field in errors)) return errors;
  const rest = { ...errors };
  for (const field of fields) delete rest[field];
  return rest;
}

/** Enter in a holder's field: name → its ID number → the next holder's name; after the last one, payment. */
function onHolderEnter(
  view: HolderView,
  field: 'name' | 'idNumber',
  views: readonly HolderView[],
  pay: () => void,
) {
  if (field === 'name') {
    focusSoon(holderInputId(view.line.key, view.index, 'idNumber'));
    return;
  }
  const at = views.indexOf(view);
  const next = views.slice(at + 1).find((candidate) => !holderReady(candidate));
  if (next)
    focusSoon(holderInputId(next.line.key, next.index, next.holder.name.trim() ? 'idNumber' : 'name'));
  else pay();
}

/**
 * The till of one ticket window, made for the keyboard: ticket types as big rows whose quantities are typed with
 * digits, + and −; the visit date (today in the site's time zone) and timed slot with live availability; the
 * real-name visitor of each ticket; then payment (split across methods, change from cash) and the receipt with
 * printing. A barcode scanner is a keyboard too: a scanned stub in the cashier's hands joins the sale, any other
 * code opens its validity lookup.
 *
 * The sale is sent with one Idempotency-Key per sale intent (intent.ts), so a double press or a retry after a lost
 * answer shows the sale already made instead of selling twice.
 */
import {
  CalendarOutlined,
  CloseOutlined,
  MinusOutlined,
  PlusOutlined,
  SwapOutlined,
} from '@ant-design/icons';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Input,
  InputNumber,
  Radio,
  Row,
  Space,
  Tag,
  Typography,
} from 'antd';
import { type CSSProperties, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { asApiError } from '../../api/errors';
import type {
  Availability,
  MyStock,
  Sale,
  SaleLineInput,
  Site,
  TicketQuote,
  TicketType,
  TicketWindow,
} from '../../api/types';
import { describeError, Loading, QueryView } from '../../components/feedback';
import { lazyPart } from '../../components/lazy-part';
import { type Scan, type ScannerKey, useScanner } from '../../components/use-scanner';
import { formatFen } from '../../format/money';
import { today as todayIn } from '../../format/time';
import { currentLanguage } from '../../i18n';
import {
  addDays,
  addStub,
  barcodeDigits,
  type Cart,
  type CartLine,
  capacityCheck,
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
  setHolder,
  setPersons,
  setQuantity,
  stepQuantity,
  ticketCount,
  typeDigit,
  windowTypes,
} from './cart';
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
import { PaymentPanel } from './payment';
import { printUrls } from './print-urls';
import { availabilityQuery, myStockQuery, siteTypesQuery } from './queries';
import { type FieldKey, fieldOf, holderField, payField } from './refusals';
import {
  focusMethod,
  METHOD_KEYS,
  METHODS,
  payInputId,
  settle,
  type Tenders,
  typeAmount,
  UNTOUCHED,
} from './tenders';

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
const VisitDatePicker = lazyPart(
  () => import('./visit-date'),
  (module) => module.VisitDatePicker,
);

type SaleBody = {
  siteId: string;
  windowId: string;
  lines: SaleLineInput[];
  payments: { method: (typeof METHODS)[number]; amountFen: number }[];
};

/** State whose latest value key handlers read at once (several keys may arrive before React renders again). */
function useLatest<T>(initial: T | (() => T)) {
  const [value, setValue] = useState(initial);
  const ref = useRef(value);
  const set = useCallback((next: T | ((previous: T) => T)) => {
    ref.current = typeof next === 'function' ? (next as (previous: T) => T)(ref.current) : next;
    setValue(ref.current);
  }, []);
  return [value, set, ref] as const;
}

/**
 * Focuses a field: at once when it is on the page (the next key goes there), else right after the render that brings
 * it. Selecting its text waits for the render that fills it: React commits a key's updates in a microtask, queued
 * before this one. A field that only appears later is focused after that render, unless the operator has typed
 * meanwhile (their keys are already somewhere; moving the caret under them would scatter the rest).
 */
function focusSoon(id: string, select = false) {
  const focus = (andSelect: boolean) => {
    const element = document.getElementById(id);
    if (!element) return false;
    element.focus();
    if (andSelect && element instanceof HTMLInputElement) element.select();
    return true;
  };
  if (focus(false)) {
    if (select) queueMicrotask(() => focus(true));
    return;
  }
  let typed = false;
  const onKey = () => {
    typed = true;
  };
  document.addEventListener('keydown', onKey, { capture: true, once: true });
  setTimeout(() => {
    document.removeEventListener('keydown', onKey, { capture: true });
    if (!typed) focus(select);
  }, 0);
}

function isPressable(target: EventTarget | null): boolean {
  return (
    target instanceof Element &&
    target.closest('button, a[href], [role="button"], [role="menuitem"]') !== null
  );
}

const TYPE_LIST_ID = 'window-type-list';

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
  useEffect(() => whenIdle(() => void Promise.all([Receipt.preload(), LookupDrawer.preload()])), []);
  const sentRef = useRef<{ lineKeys: string[]; methods: SaleBody['payments'][number]['method'][] }>({
    lineKeys: [],
    methods: [],
  });

  const typesQuery = useQuery(siteTypesQuery(site.id));
  const types = useMemo(() => windowTypes(typesQuery.data ?? []), [typesQuery.data]);
  const availability = useQuery(availabilityQuery(site.id, visitDate));
  const myStock = useQuery(myStockQuery());

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
  const requestLines = saleLinesOf(cart, lines, { visitDate, slotId });
  const fingerprint = saleFingerprint(site.id, ticketWindow.id, requestLines);
  const persons = personCount(lines);
  const currentAvailability = availability.data?.date === visitDate ? availability.data : undefined;
  const capacity = currentAvailability ? capacityCheck(currentAvailability, slotId, persons) : null;
  const settlement = settle(tenders, totalFen);

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

  // The type list takes the keyboard when the till opens and after each customer.
  useEffect(() => {
    if (stage === 'cart' && types.length > 0) focusSoon(TYPE_LIST_ID);
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
    setFieldErrors(problems);
    const first = Object.keys(problems)[0];
    if (first?.startsWith('holder:')) {
      const [, lineKey, index, field] = first.split(':') as [string, string, string, 'name' | 'idNumber'];
      setStage('cart');
      focusSoon(holderInputId(lineKey, Number(index), field));
    } else if (first?.startsWith('pay:')) {
      focusSoon(payInputId(first.slice(4) as (typeof METHODS)[number]), true);
    }
  };

  const confirm = () => {
    if (stageRef.current !== 'pay') return;
    const current = intentRef.current;
    if (current.phase === 'sending') return;
    const nowSettlement = settle(tendersRef.current, totalFen);
    if (current.phase !== 'unknown' && nowSettlement.problem) {
      void message.warning({ content: t(`pay.problem.${nowSettlement.problem}`), key: 'pay-problem' });
      return;
    }
    const body: SaleBody = {
      siteId: site.id,
      windowId: ticketWindow.id,
      lines: requestLines,
      payments: [...nowSettlement.payments],
    };
    const step = attempt(current, fingerprint, body, newIdempotencyKey);
    setIntent(step.intent);
    if (!step.request) return;
    sentRef.current = {
      lineKeys: lines.map((line) => line.key),
      methods: step.request.body.payments.map((payment) => payment.method),
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
    setStage('cart');
    focusSoon(TYPE_LIST_ID);
  };

  const print = (what: 'tickets' | 'receipt') => {
    if (!sale) return;
    const urls = printUrls(sale.id);
    window.open(what === 'tickets' ? urls.tickets : urls.receipt, '_blank', 'noopener');
  };

  const onKey = (key: ScannerKey) => {
    if (lookupCode !== null || key.ctrlKey || key.altKey || key.metaKey) return;
    const stageNow = stageRef.current;
    if (stageNow === 'cart') {
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
      const method = METHODS.find((m) => METHOD_KEYS[m] === key.key);
      if (method) {
        key.preventDefault();
        if (intentRef.current.phase === 'open' || intentRef.current.phase === 'idle') {
          setTenders((current) => focusMethod(current, method, totalFen));
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
      <Button icon={<SwapOutlined />} onClick={onChangeWindow} disabled={stage === 'pay'}>
        {t('setup.change')}
      </Button>
    </div>
  );

  return (
    <>
      {header}
      {stage === 'done' && sale ? (
        <Suspense fallback={<Loading />}>
          <Receipt
            sale={sale}
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
                    {stage === 'pay' ? (
                      <PaymentPanel
                        totalFen={totalFen}
                        tenders={tenders}
                        settlement={settlement}
                        phase={intent.phase}
                        error={saleError}
                        fieldErrors={fieldErrors}
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

/** Runs `work` when the browser has an idle moment (at the latest after two seconds), unless the desk goes first. */
function whenIdle(work: () => void): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const id = window.requestIdleCallback(work, { timeout: 2_000 });
    return () => window.cancelIdleCallback(id);
  }
  const id = window.setTimeout(work, 0);
  return () => window.clearTimeout(id);
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

function TypeList({
  types,
  cart,
  selected,
  visitDate,
  locked,
  onSelect,
  onQuantity,
  onStep,
  onPersons,
}: {
  types: readonly TicketType[];
  cart: Cart;
  selected: number;
  visitDate: string;
  locked: boolean;
  onSelect: (index: number) => void;
  onQuantity: (typeId: number, quantity: number) => void;
  onStep: (typeId: number, delta: number) => void;
  onPersons: (typeId: number, persons: number) => void;
}) {
  const { t } = useTranslation('window');
  const cell = (isSelected: boolean, extra: CSSProperties = {}): CSSProperties => ({
    padding: '10px 8px',
    background: isSelected ? '#f0fdfa' : '#fff',
    borderTop: `2px solid ${isSelected ? '#0f766e' : '#f0f0f0'}`,
    borderBottom: `2px solid ${isSelected ? '#0f766e' : '#f0f0f0'}`,
    verticalAlign: 'middle',
    ...extra,
  });
  return (
    <Card title={t('types.title')} size="small" styles={{ body: { padding: '2px 8px' } }}>
      {/* A grid: it takes the till's keys (arrows choose the row, digits and + − its quantity). */}
      <table
        id={TYPE_LIST_ID}
        tabIndex={0}
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: ARIA in HTML allows a table to be a grid
        role="grid"
        aria-label={t('types.listLabel')}
        aria-activedescendant={types[selected] ? `type-row-${types[selected].typeId}` : undefined}
        data-testid="type-list"
        style={{ width: '100%', borderCollapse: 'separate', borderSpacing: '0 6px', outline: 'none' }}
      >
        <tbody>
          {types.map((type, index) => {
            const name = nameIn(type.name);
            const quantity = cart.quantities[type.typeId] ?? 0;
            const sellable = sellableOn(type, visitDate);
            const isSelected = index === selected;
            const group = type.kind === 'group';
            const persons = group ? (cart.persons[type.typeId] ?? type.persons.min) : 1;
            const price = type.prices.window ?? 0;
            const edge = isSelected ? '#0f766e' : '#f0f0f0';
            const tags = type.realName === 'per_ticket' || group || !sellable;
            return (
              <tr
                key={type.typeId}
                id={`type-row-${type.typeId}`}
                data-testid={`type-row-${type.typeId}`}
                aria-selected={isSelected}
                onClick={(event) => {
                  onSelect(index);
                  if (!(event.target instanceof HTMLInputElement))
                    document.getElementById(TYPE_LIST_ID)?.focus();
                }}
                style={{ cursor: 'pointer', opacity: sellable ? 1 : 0.55 }}
              >
                <td
                  style={cell(isSelected, {
                    borderLeft: `2px solid ${edge}`,
                    borderRadius: '8px 0 0 8px',
                    paddingLeft: 14,
                    width: '100%',
                  })}
                >
                  <div style={{ fontSize: 18, fontWeight: 600, lineHeight: 1.3 }}>{name}</div>
                  <Space size={4} wrap style={{ display: tags ? undefined : 'none' }}>
                    {type.realName === 'per_ticket' ? <Tag color="blue">{t('types.realName')}</Tag> : null}
                    {group ? (
                      <Tag color="purple">
                        {t('types.group', { min: type.persons.min, max: type.persons.max })}
                      </Tag>
                    ) : null}
                    {!sellable ? <Tag color="red">{t('types.notOnDate')}</Tag> : null}
                  </Space>
                </td>
                <td
                  style={cell(isSelected, {
                    fontSize: 20,
                    fontVariantNumeric: 'tabular-nums',
                    textAlign: 'right',
                    whiteSpace: 'nowrap',
                  })}
                >
                  {formatFen(price)}
                  {group ? <Typography.Text type="secondary">{t('types.perPerson')}</Typography.Text> : null}
                </td>
                <td style={cell(isSelected)}>
                  {group ? (
                    <InputNumber
                      min={type.persons.min}
                      max={type.persons.max}
                      precision={0}
                      value={persons}
                      disabled={locked}
                      onChange={(value) => value !== null && onPersons(type.typeId, value)}
                      aria-label={t('types.personsOf', { type: name })}
                      suffix={t('types.persons')}
                      style={{ width: 96 }}
                    />
                  ) : null}
                </td>
                <td style={cell(isSelected)}>
                  <Space.Compact>
                    <Button
                      tabIndex={-1}
                      icon={<MinusOutlined />}
                      aria-label={t('types.less', { type: name })}
                      disabled={locked || quantity === 0}
                      onMouseDown={(event) => event.preventDefault()}
                      onClick={(event) => {
                        event.stopPropagation();
                        onSelect(index);
                        onStep(type.typeId, -1);
                      }}
                    />
                    <InputNumber
                      min={0}
                      max={200}
                      precision={0}
                      controls={false}
                      value={quantity}
                      disabled={locked || !sellable}
                      onChange={(value) => onQuantity(type.typeId, value ?? 0)}
                      aria-label={t('types.quantityOf', { type: name })}
                      data-testid={`qty-${type.typeId}`}
                      style={{ width: 60, fontSize: 18 }}
                    />
                    <Button
                      tabIndex={-1}
                      icon={<PlusOutlined />}
                      aria-label={t('types.more', { type: name })}
                      disabled={locked || !sellable}
                      onMouseDown={(event) => event.preventDefault()}
                      onClick={(event) => {
                        event.stopPropagation();
                        onSelect(index);
                        onStep(type.typeId, 1);
                      }}
                    />
                  </Space.Compact>
                </td>
                <td
                  style={cell(isSelected, {
                    borderRight: `2px solid ${edge}`,
                    borderRadius: '0 8px 8px 0',
                    minWidth: 96,
                    textAlign: 'right',
                    fontVariantNumeric: 'tabular-nums',
                    fontWeight: 600,
                    paddingRight: 14,
                    whiteSpace: 'nowrap',
                  })}
                  data-testid={`subtotal-${type.typeId}`}
                >
                  {quantity > 0 ? formatFen(price * persons * quantity) : ''}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Card>
  );
}

function VisitPanel({
  visitDate,
  today,
  lastDay,
  slotId,
  availability,
  current,
  persons,
  fits,
  locked,
  zoneNow,
  onDate,
  onSlot,
}: {
  visitDate: string;
  today: string;
  lastDay: string;
  slotId: string | null;
  availability: { error: unknown; isPending: boolean; refetch: () => unknown; isFetching: boolean };
  current: Availability | undefined;
  persons: number;
  fits: boolean;
  locked: boolean;
  zoneNow: number;
  onDate: (date: string) => void;
  onSlot: (slotId: string) => void;
}) {
  const { t } = useTranslation('window');
  const daily = current?.daily;
  return (
    <Card size="small" title={t('visit.title')} data-testid="visit">
      <Space wrap align="center">
        <Suspense
          fallback={
            <Input
              readOnly
              value={visitDate}
              disabled={locked}
              aria-label={t('visit.date')}
              suffix={<CalendarOutlined />}
              style={{ width: 150 }}
            />
          }
        >
          <VisitDatePicker
            value={visitDate}
            today={today}
            lastDay={lastDay}
            disabled={locked}
            label={t('visit.date')}
            onChange={onDate}
          />
        </Suspense>
        <Button onClick={() => onDate(today)} disabled={locked || visitDate === today}>
          {t('visit.today')}
        </Button>
        <Typography.Text data-testid="day-left">
          {daily
            ? daily.remaining === null
              ? t('visit.noCap')
              : daily.remaining <= 0
                ? t('visit.soldOut')
                : t('visit.dayLeft', { left: daily.remaining, cap: daily.cap })
            : availability.isPending
              ? t('visit.loading')
              : ''}
        </Typography.Text>
      </Space>
      {availability.error ? (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 8 }}
          title={t('visit.availabilityFailed')}
          action={
            <Button size="small" onClick={() => availability.refetch()}>
              {t('visit.retry')}
            </Button>
          }
        />
      ) : null}
      {current && current.slots.length > 0 ? (
        <div style={{ marginTop: 10 }}>
          <Radio.Group
            value={slotId}
            disabled={locked}
            onChange={(event) => onSlot(event.target.value as string)}
            optionType="button"
            aria-label={t('visit.slot')}
            style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}
            data-testid="slots"
          >
            {current.slots.map((slot) => {
              const soldOut = slot.remaining <= 0;
              const ended = slot.endAt <= zoneNow;
              return (
                <Radio.Button
                  key={slot.id}
                  value={slot.id}
                  disabled={soldOut}
                  data-testid={`slot-${slot.start}`}
                >
                  {slot.start}–{slot.end}{' '}
                  <Typography.Text type={soldOut ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                    {soldOut
                      ? t('visit.slotSoldOut')
                      : ended
                        ? t('visit.slotEnded')
                        : t('visit.slotLeft', { left: slot.remaining })}
                  </Typography.Text>
                </Radio.Button>
              );
            })}
          </Radio.Group>
        </div>
      ) : null}
      {!fits && persons > 0 ? (
        <Alert type="warning" showIcon style={{ marginTop: 8 }} title={t('visit.notEnough', { persons })} />
      ) : null}
    </Card>
  );
}

function Summary({
  lines,
  prices,
  totalFen,
  listFen,
  pricing,
  onPay,
}: {
  lines: readonly CartLine[];
  prices: readonly { amountFen: number; discountFen: number; pending: boolean }[];
  totalFen: number;
  listFen: number;
  pricing: boolean;
  onPay: () => void;
}) {
  const { t } = useTranslation('window');
  const count = ticketCount(lines);
  return (
    <Card size="small" title={t('cart.title')} data-testid="summary">
      {lines.length === 0 ? (
        <Typography.Text type="secondary">{t('cart.hint')}</Typography.Text>
      ) : (
        <table style={{ width: '100%', borderCollapse: 'collapse' }}>
          <tbody>
            {lines.map((line, index) => (
              <tr key={line.key}>
                <td>
                  {nameIn(line.type.name)}
                  {line.kind === 'stubs' ? <Tag style={{ marginLeft: 4 }}>{t('stubs.tag')}</Tag> : null}
                  {line.persons !== undefined
                    ? ` · ${t('types.personsEach', { persons: line.persons })}`
                    : ''}
                </td>
                <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>× {line.quantity}</td>
                <td style={{ textAlign: 'right', whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                  {prices[index]!.discountFen > 0 ? (
                    <Typography.Text type="success" style={{ marginRight: 6 }}>
                      −{formatFen(prices[index]!.discountFen)}
                    </Typography.Text>
                  ) : null}
                  {formatFen(prices[index]!.amountFen)}
                  {prices[index]!.pending ? '*' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'baseline',
          borderTop: '1px solid #f0f0f0',
          marginTop: 8,
          paddingTop: 8,
        }}
      >
        <Typography.Text type="secondary">
          {t('cart.count', { count })}
          {listFen !== totalFen ? ` · ${t('cart.list', { amount: formatFen(listFen) })}` : ''}
        </Typography.Text>
        <span
          style={{ fontSize: 28, fontWeight: 700, fontVariantNumeric: 'tabular-nums' }}
          data-testid="cart-total"
        >
          {formatFen(totalFen)}
        </span>
      </div>
      {pricing ? <Typography.Text type="secondary">{t('cart.pending')}</Typography.Text> : null}
      <Button
        type="primary"
        size="large"
        block
        style={{ marginTop: 8 }}
        onClick={onPay}
        disabled={lines.length === 0}
        data-testid="go-pay"
      >
        {t('cart.pay')}{' '}
        <Typography.Text keyboard style={{ color: 'inherit' }}>
          Enter
        </Typography.Text>
      </Button>
    </Card>
  );
}

import { type CardRecycler, type CardRecyclerEvents, DriverError, Emitter } from '@scenic/gate-agent/drivers';

export type RecyclerAction = 'swallow' | 'eject';

/**
 * A card recycling slot: insertCard() is a visitor dropping a card in; swallow() keeps it (slot empties), eject()
 * hands it back (it stays in the slot until takeCard()). Every action is recorded.
 */
export class VirtualRecycler extends Emitter<CardRecyclerEvents> implements CardRecycler {
  readonly actions: RecyclerAction[] = [];
  /** Cards swallowed into the bin since start. */
  binCount = 0;
  readonly #actuateMs: number;
  #present = false;
  #running = false;

  constructor(options: { readonly actuateMs?: number } = {}) {
    super();
    this.#actuateMs = options.actuateMs ?? 0;
  }

  get cardPresent(): boolean {
    return this.#present;
  }

  async start(): Promise<void> {
    this.#running = true;
  }

  async stop(): Promise<void> {
    this.#running = false;
  }

  insertCard(): void {
    this.#setPresent(true);
  }

  takeCard(): void {
    this.#setPresent(false);
  }

  async swallow(): Promise<void> {
    await this.#act('swallow');
    if (this.#present) this.binCount++;
    this.#setPresent(false);
  }

  async eject(): Promise<void> {
    await this.#act('eject');
  }

  async #act(action: RecyclerAction): Promise<void> {
    if (!this.#running) throw new DriverError('NOT_STARTED', 'virtual recycler is not started');
    this.actions.push(action);
    await new Promise((resolve) => setTimeout(resolve, this.#actuateMs));
  }

  #setPresent(present: boolean): void {
    if (present === this.#present) return;
    this.#present = present;
    if (this.#running) this.emit(present ? 'cardIn' : 'cardGone');
  }
}

import {
  type CardReader,
  type CardReaderEvents,
  Emitter,
  Mfrc522Reader,
  type Mfrc522ReaderOptions,
} from '@scenic/gate-agent/drivers';
import { Mfrc522Model } from './mfrc522-model/mfrc522-model.js';
import { VirtualCard } from './mfrc522-model/virtual-card.js';

export type SimulatedCardReaderOptions = Omit<Mfrc522ReaderOptions, 'openTransport'>;

/**
 * The IC card reader of a simulated gate: the real MFRC522 driver talking to the register-level chip model, so
 * the simulator exercises the same anticollision/select code as a turnstile. tap() puts a card on the reader,
 * lift() takes it away; `model` gives tests and UIs the field and fault injection.
 */
export class SimulatedCardReader extends Emitter<CardReaderEvents> implements CardReader {
  readonly model = new Mfrc522Model();
  readonly #reader: Mfrc522Reader;

  constructor(options: SimulatedCardReaderOptions = {}) {
    super();
    this.#reader = new Mfrc522Reader({ ...options, openTransport: async () => this.model });
    this.#reader.on('card', (read) => this.emit('card', read));
    this.#reader.on('removed', (uid) => this.emit('removed', uid));
    this.#reader.on('readError', (error) => this.emit('readError', error));
    this.#reader.on('fault', (error) => this.emit('fault', error));
  }

  start(): Promise<void> {
    return this.#reader.start();
  }

  stop(): Promise<void> {
    return this.#reader.stop();
  }

  /** Places a card (4, 7 or 10 byte UID as hex) on the reader, replacing any card lying there. */
  tap(uid: string | VirtualCard): VirtualCard {
    const card = typeof uid === 'string' ? new VirtualCard(uid) : uid;
    this.model.removeAllCards();
    this.model.placeCard(card);
    return card;
  }

  lift(): void {
    this.model.removeAllCards();
  }
}

/**
 * ISO/IEC 14443-3 type A card activation on top of the MFRC522: wake-up, the anticollision/select cascade
 * (4-, 7- and 10-byte UIDs), and halt. One card at a time: a collision is reported, not resolved — a turnstile
 * reader with two cards on it should ask the visitor to present one.
 */
import { cardUidBcc } from '@scenic/protocol';
import { DriverError } from '../errors.js';
import type { CardRead } from '../interfaces.js';
import { crcA } from './crc-a.js';
import type { Mfrc522Chip } from './mfrc522-chip.js';
import { Picc } from './registers.js';

const SELECT_CODES = [Picc.SEL_CL1, Picc.SEL_CL2, Picc.SEL_CL3] as const;

function hex(bytes: readonly number[]): string {
  return bytes
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

/**
 * WUPA (7-bit short frame): wakes cards in IDLE and HALT. Resolves the 2-byte ATQA, or null when the field is
 * empty. WUPA rather than REQA because the reader halts every card it has read; a held card must still answer.
 */
export async function wakeUp(chip: Mfrc522Chip): Promise<Uint8Array | null> {
  const answer = await chip.transceive([Picc.WUPA], 7);
  if (!answer) return null;
  if (answer.data.length !== 2 || answer.lastBits !== 8) {
    throw new DriverError('CARD_PROTOCOL', `ATQA has ${answer.data.length} bytes, expected 2`);
  }
  return answer.data;
}

/** Runs the cascade until the card reports its UID complete, and leaves it ACTIVE. */
export async function selectCard(chip: Mfrc522Chip): Promise<CardRead> {
  const uid: number[] = [];
  for (const [level, sel] of SELECT_CODES.entries()) {
    const where = `cascade level ${level + 1}`;
    const anticoll = await chip.transceive([sel, Picc.NVB_ANTICOLL]);
    if (!anticoll) throw new DriverError('CARD_TIMEOUT', `card stopped answering at anticollision, ${where}`);
    if (anticoll.data.length !== 5 || anticoll.lastBits !== 8) {
      throw new DriverError(
        'CARD_PROTOCOL',
        `anticollision answer has ${anticoll.data.length} bytes, expected 5`,
      );
    }
    const uidCl = [...anticoll.data];
    if (cardUidBcc(uidCl.slice(0, 4)) !== uidCl[4])
      throw new DriverError('CARD_BCC', `UID check byte (BCC) wrong at ${where}`);

    const select = [sel, Picc.NVB_SELECT, ...uidCl];
    const sakFrame = await chip.transceive([...select, ...(await chip.crc(select))]);
    if (!sakFrame) throw new DriverError('CARD_TIMEOUT', `card stopped answering at SELECT, ${where}`);
    if (sakFrame.data.length !== 3 || sakFrame.lastBits !== 8) {
      throw new DriverError('CARD_PROTOCOL', `SAK answer has ${sakFrame.data.length} bytes, expected 3`);
    }
    const sak = sakFrame.data[0]!;
    const [crcLow, crcHigh] = crcA([sak]);
    if (sakFrame.data[1] !== crcLow || sakFrame.data[2] !== crcHigh)
      throw new DriverError('CARD_CRC', `SAK CRC wrong at ${where}`);

    const cascades = (sak & Picc.SAK_CASCADE) !== 0;
    if (cascades) {
      if (uidCl[0] !== Picc.CASCADE_TAG) {
        throw new DriverError('CARD_PROTOCOL', `SAK announces more UID but ${where} lacks the cascade tag`);
      }
      uid.push(...uidCl.slice(1, 4));
      continue;
    }
    uid.push(...uidCl.slice(0, 4));
    return { uid: hex(uid), sak };
  }
  throw new DriverError('CARD_PROTOCOL', 'card announced a UID longer than three cascade levels');
}

/** HLTA: the card goes to HALT and stays silent until the next WUPA. A halted card does not answer. */
export async function haltCard(chip: Mfrc522Chip): Promise<void> {
  const frame = [Picc.HLTA, 0x00];
  await chip.transceive([...frame, ...(await chip.crc(frame))]);
}

/** Shapes of the signing-key API: public facts about each key, never private material. */
import { z } from 'zod';

export const signingKeySchema = z
  .object({
    keyId: z.number().int().describe('二维码中的密钥编号 / The key id carried in QR codes'),
    publicKey: z.string().describe('Ed25519 公钥（32 字节 base64）/ Ed25519 public key, base64 of 32 bytes'),
    createdAt: z.number().int(),
    active: z.boolean().describe('是否正在签发新票 / Signs new credentials'),
    retired: z.boolean().describe('已停用：闸机不再接受其签发的票 / Retired: gates refuse codes it signed'),
    retiredAt: z.number().int().nullable(),
    liveTickets: z
      .number()
      .int()
      .describe(
        '其签发、仍有效的票数：停用后闸机将拒绝，可先重新签发 / Live tickets it signed: refused at the gates once the ' +
          'key is retired, unless re-issued first',
      ),
  })
  .meta({ id: 'SigningKey' });
export type SigningKey = z.infer<typeof signingKeySchema>;

export const keyParamsSchema = z.object({
  keyId: z.coerce.number().int().min(0).max(255).describe('密钥编号 / Key id'),
});

export const keyChangeSchema = z
  .strictObject({
    reason: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe('原因（记入操作日志）/ Why, recorded in the audit log'),
  })
  .describe('密钥变更 / A key change');
export type KeyChange = z.infer<typeof keyChangeSchema>;

export const reissuedTicketsSchema = z
  .object({
    keyId: z.number().int().describe('原签名密钥 / The key that had signed them'),
    signingKeyId: z.number().int().describe('新凭证的签名密钥 / The key that signed the new credentials'),
    reissued: z.number().int().describe('重新签发的票数 / Tickets given a new credential'),
  })
  .meta({ id: 'ReissuedTickets' });
export type ReissuedTickets = z.infer<typeof reissuedTicketsSchema>;

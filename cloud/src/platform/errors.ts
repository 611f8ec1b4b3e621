/**
 * The one catalogue of application errors (modelled on Fastify's lib/errors.js): every error the API can return has
 * a stable code, an HTTP status and a message in each language, with `{placeholders}` filled from the error's
 * params. Codes are part of the API contract — clients and tests match on them — so never rename one.
 */
import { z } from 'zod';
import type { Language, Localized } from './language.js';
import { LANGUAGES } from './language.js';
import type { FieldIssue } from './validation.js';

interface ErrorDefinition {
  readonly status: number;
  readonly messages: Localized;
}

export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: {
    status: 400,
    messages: { 'zh-CN': '{part}校验未通过', en: 'Request {part} failed validation' },
  },
  BAD_REQUEST: {
    status: 400,
    messages: { 'zh-CN': '请求格式有误：{reason}', en: 'Malformed request: {reason}' },
  },
  BAD_JSON: {
    status: 400,
    messages: { 'zh-CN': '请求体不是有效的 JSON', en: 'Request body is not valid JSON' },
  },
  UNAUTHENTICATED: {
    status: 401,
    messages: { 'zh-CN': '请先登录', en: 'Authentication required' },
  },
  FORBIDDEN: {
    status: 403,
    messages: { 'zh-CN': '没有执行此操作的权限', en: 'You are not allowed to do this' },
  },
  SITE_FORBIDDEN: {
    status: 403,
    messages: {
      'zh-CN': '您的账号仅限指定景区使用，不能操作其他景区，也不能操作全部景区共用的设置',
      en: 'Your account is limited to certain sites: it cannot act on another site or on what all sites share',
    },
  },
  NOT_FOUND: {
    status: 404,
    messages: { 'zh-CN': '{resource}不存在：{id}', en: '{resource} not found: {id}' },
  },
  ROUTE_NOT_FOUND: {
    status: 404,
    messages: { 'zh-CN': '接口不存在：{method} {path}', en: 'No such endpoint: {method} {path}' },
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    messages: {
      'zh-CN': '接口 {path} 不支持 {method} 方法（支持：{allowed}）',
      en: '{method} is not allowed on {path} (allowed: {allowed})',
    },
  },
  CONFLICT: {
    status: 409,
    messages: { 'zh-CN': '操作冲突：{reason}', en: 'Conflict: {reason}' },
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    messages: {
      'zh-CN': '请求体过大（上限 {limit} 字节）',
      en: 'Request body too large (limit {limit} bytes)',
    },
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    messages: {
      'zh-CN': '不支持的内容类型：{contentType}（请求体须为 UTF-8 编码的 application/json）',
      en: 'Unsupported content type: {contentType} (request bodies are application/json in UTF-8)',
    },
  },
  RATE_LIMITED: {
    status: 429,
    messages: { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests, please try again later' },
  },
  INTERNAL: {
    status: 500,
    messages: { 'zh-CN': '服务器内部错误', en: 'Internal server error' },
  },
  DATABASE_UNAVAILABLE: {
    status: 503,
    messages: { 'zh-CN': '数据库暂时不可用，请稍后再试', en: 'The database is temporarily unavailable' },
  },
  // Backup and restore (db/backup/, `npm run admin -- backup | verify-backup | restore`).
  BACKUP_FAILED: {
    status: 500,
    messages: { 'zh-CN': '备份失败：{reason}', en: 'The backup failed: {reason}' },
  },
  BACKUP_TOOL_UNAVAILABLE: {
    status: 503,
    messages: { 'zh-CN': '无法使用 {tool}：{reason}', en: 'Cannot use {tool}: {reason}' },
  },
  BACKUP_INVALID: {
    status: 422,
    messages: {
      'zh-CN': '备份 {file} 校验未通过：{reason}',
      en: 'Backup {file} failed verification: {reason}',
    },
  },
  BACKUP_TOO_NEW: {
    status: 409,
    messages: {
      'zh-CN': '备份 {file} 来自更新版本的程序（含本程序没有的数据库迁移：{migrations}），请先升级程序再恢复',
      en: 'Backup {file} comes from a newer release (migrations this code does not have: {migrations}): upgrade first, then restore',
    },
  },
  BACKUP_ENGINE_MISMATCH: {
    status: 409,
    messages: {
      'zh-CN': '备份 {file} 是 {engine} 数据库的备份，只能恢复到 {engine}，而 DATABASE_URL 指向 {target}',
      en: 'Backup {file} is of a {engine} database and restores only into {engine}, but DATABASE_URL names {target}',
    },
  },
  BACKUP_SECRET_MISMATCH: {
    status: 409,
    messages: {
      'zh-CN':
        '备份中的签名密钥和身份证号哈希需要备份时的凭证主密钥（指纹 {expected}），而本机{actual}：请放回当时的密钥文件（CREDENTIAL_SECRET_FILE）或设置 CREDENTIAL_SECRET；确实无法找回时加 --ignore-secret（之后须轮换签名密钥）',
      en: "The backup's signing keys and ID-number hashes need the credential secret it was taken with (fingerprint {expected}), but this server {actual}: put that key file back (CREDENTIAL_SECRET_FILE) or set CREDENTIAL_SECRET; if it is truly lost, add --ignore-secret (then rotate the signing key)",
    },
  },
  RESTORE_TARGET_NOT_EMPTY: {
    status: 409,
    messages: {
      'zh-CN': '目标数据库不是空的（{tables} 张表）：确认要用备份替换它时加 --yes',
      en: 'The target database is not empty ({tables} tables): add --yes to replace it with the backup',
    },
  },
  RESTORE_DATABASE_IN_USE: {
    status: 409,
    messages: {
      'zh-CN': '数据库 {target} 正被其他进程使用（云端服务是否仍在运行？）：请先停止它再恢复',
      en: 'Database {target} is in use by another process (is the cloud still running?): stop it, then restore',
    },
  },
  RESTORE_SCHEMA_TAKEN: {
    status: 409,
    messages: {
      'zh-CN': '目标数据库中已有模式 {schema}（备份所属的模式），无法把备份恢复为模式 {target}',
      en: "The target database already has schema {schema} (the backup's own), so the backup cannot be restored as schema {target}",
    },
  },
  INVALID_CREDENTIALS: {
    status: 401,
    messages: {
      'zh-CN': '用户名或密码错误（连续多次输错后账号会被暂时锁定，可稍后再试或联系管理员解锁）',
      en: 'Wrong username or password (repeated failures lock an account for a while: retry later or ask an administrator to unlock it)',
    },
  },
  PASSWORD_POLICY: {
    status: 400,
    messages: { 'zh-CN': '密码不符合要求：{reason}', en: 'The password does not meet the policy: {reason}' },
  },
  PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    messages: {
      'zh-CN': '请先修改初始密码或管理员重置的密码（POST /api/v1/auth/password），再进行其他操作',
      en: 'Change your initial or reset password (POST /api/v1/auth/password) before anything else',
    },
  },
  CURRENT_PASSWORD_INCORRECT: {
    status: 400,
    messages: { 'zh-CN': '当前密码不正确', en: 'The current password is not correct' },
  },
  USERNAME_TAKEN: {
    status: 409,
    messages: { 'zh-CN': '用户名已存在：{username}', en: 'Username already exists: {username}' },
  },
  UNKNOWN_ROLE: {
    status: 400,
    messages: { 'zh-CN': '角色不存在：{role}', en: 'No such role: {role}' },
  },
  UNKNOWN_SITE: {
    status: 400,
    messages: { 'zh-CN': '景区不存在：{siteId}', en: 'No such site: {siteId}' },
  },
  ROLE_CODE_TAKEN: {
    status: 409,
    messages: { 'zh-CN': '角色代码已存在：{role}', en: 'Role code already exists: {role}' },
  },
  SECOND_APPROVAL_REQUIRED: {
    status: 403,
    messages: {
      'zh-CN': '{scope}超过 {threshold} 元，需要另一名有审批权限的操作员确认',
      en: '{scope} above {threshold} yuan need a second operator with approval rights to confirm',
    },
  },
  SECOND_APPROVER_INVALID: {
    status: 403,
    messages: {
      'zh-CN': '审批人用户名或密码错误（或其账号因多次输错已被暂时锁定），或没有审批权限',
      en: "The approver's username or password is wrong (or their account is locked after repeated failures), or they may not approve this",
    },
  },
  SECOND_APPROVER_SAME_OPERATOR: {
    status: 403,
    messages: {
      'zh-CN': '审批人不能是经办人本人',
      en: 'The approver must be a different operator from the one doing the action',
    },
  },
  ID_NUMBER_INVALID: {
    status: 400,
    messages: { 'zh-CN': '身份证号码无效：{reason}', en: 'Invalid ID number: {reason}' },
  },
  VENUE_ID_TAKEN: {
    status: 409,
    messages: { 'zh-CN': '{resource}编号已存在：{id}', en: '{resource} id already exists: {id}' },
  },
  VENUE_IN_USE: {
    status: 409,
    messages: {
      'zh-CN': '{resource} {id} 仍被引用，无法删除（可改为停用）',
      en: '{resource} {id} is still referenced and cannot be deleted (deactivate it instead)',
    },
  },
  TICKET_TYPE_ID_TAKEN: {
    status: 409,
    messages: { 'zh-CN': '票种编号 {typeId} 已被使用', en: 'Ticket type id {typeId} is already taken' },
  },
  TICKET_TYPE_CODE_TAKEN: {
    status: 409,
    messages: {
      'zh-CN': '景区 {siteId} 已有代码为 {code} 的票种',
      en: 'Site {siteId} already has a ticket type with code {code}',
    },
  },
  TICKET_TYPE_VERSION_STALE: {
    status: 409,
    messages: {
      'zh-CN': '票种已被修改（当前版本 {current}，提交基于版本 {expected}），请刷新后重试',
      en: 'The ticket type has changed (now version {current}, edit based on {expected}); reload and retry',
    },
  },
  TICKET_TYPE_INACTIVE: {
    status: 409,
    messages: { 'zh-CN': '票种 {typeId} 已停用', en: 'Ticket type {typeId} is inactive' },
  },
  TICKET_TYPE_NOT_ON_CHANNEL: {
    status: 409,
    messages: {
      'zh-CN': '票种 {typeId} 不在{channel}渠道销售',
      en: 'Ticket type {typeId} is not sold on the {channel} channel',
    },
  },
  TICKET_TYPE_NOT_VALID_ON_DATE: {
    status: 409,
    messages: {
      'zh-CN': '票种 {typeId} 在 {date} 不可使用',
      en: 'Ticket type {typeId} cannot be used on {date}',
    },
  },
  VALIDITY_BEYOND_CREDENTIAL: {
    status: 409,
    messages: {
      'zh-CN':
        '票种 {typeId} 的票将有效至 {end}，超出二维码凭证可表示的最晚时间 {latest}：请缩短该票种的有效期',
      en: 'Tickets of type {typeId} would be valid until {end}, past {latest}, the latest time a ticket credential can carry: shorten the validity of the type',
    },
  },
  ACTIVATION_DEADLINE_PASSED: {
    status: 409,
    messages: {
      'zh-CN': '票种 {typeId} 须在 {latest} 前首次入园激活，游玩日 {visitDate} 已晚于此，不能再售',
      en: 'Tickets of type {typeId} must be activated by a first entry before {latest}; the visit date {visitDate} is later, so they can no longer be sold',
    },
  },
  GROUP_SIZE_OUT_OF_RANGE: {
    status: 400,
    messages: {
      'zh-CN': '团体人数应为 {min} 至 {max} 人，实际 {persons} 人',
      en: 'A group must have {min} to {max} persons, got {persons}',
    },
  },
  COMMAND_NO_GATES: {
    status: 409,
    messages: {
      'zh-CN': '指令目标 {target} 下没有启用的闸机',
      en: 'The command target {target} has no active gates',
    },
  },
  MQTT_UNAVAILABLE: {
    status: 503,
    messages: {
      'zh-CN': '闸机通信服务未运行，无法下发指令',
      en: 'Gate messaging is not running, so commands cannot be sent',
    },
  },
  METRICS_DISABLED: {
    status: 403,
    messages: {
      'zh-CN': '监控指标未开放：请设置 METRICS_TOKEN 并以 Bearer 令牌访问',
      en: 'Metrics are not exposed: set METRICS_TOKEN and scrape with it as a bearer token',
    },
  },
  CAPACITY_EXHAUSTED: {
    status: 409,
    messages: {
      'zh-CN': '{date} {scope}余量不足：剩余 {remaining}，需要 {requested}',
      en: 'Not enough capacity for {scope} on {date}: {remaining} left, {requested} requested',
    },
  },
  CAPACITY_BELOW_SOLD: {
    status: 409,
    messages: {
      'zh-CN': '限量不能低于已售的 {sold} 人',
      en: 'The cap cannot be set below the {sold} already sold',
    },
  },
  SLOT_TAKEN: {
    status: 409,
    messages: {
      'zh-CN': '景区 {siteId} 在 {date} 已有 {start} 开始的时段',
      en: 'Site {siteId} already has a slot starting at {start} on {date}',
    },
  },
  SLOT_MISMATCH: {
    status: 409,
    messages: {
      'zh-CN': '时段 {slotId} 不是景区 {siteId} 在 {date} 的时段',
      en: 'Slot {slotId} is not a slot of site {siteId} on {date}',
    },
  },
  VISIT_DATE_OUT_OF_RANGE: {
    status: 409,
    messages: {
      'zh-CN': '游玩日 {date} 不在可售范围（{from} 至 {to}）',
      en: 'Visit date {date} is outside the sale window ({from} to {to})',
    },
  },
  TICKET_TYPE_OTHER_SITE: {
    status: 409,
    messages: {
      'zh-CN': '票种 {typeId} 不属于景区 {siteId}',
      en: 'Ticket type {typeId} is not sold at site {siteId}',
    },
  },
  HOLDERS_REQUIRED: {
    status: 400,
    messages: {
      'zh-CN': '票种 {typeId} 实名制：需为 {quantity} 张票逐一填写游客姓名与身份证号，实际 {count} 位',
      en: 'Ticket type {typeId} is real-name: give a name and ID number for each of the {quantity} tickets, got {count}',
    },
  },
  PER_ID_LIMIT_EXCEEDED: {
    status: 409,
    messages: {
      'zh-CN': '证件 {idNumber} 在 {date} 的票种 {typeId} 已达每证限购 {limit} 张',
      en: 'ID {idNumber} has reached the limit of {limit} tickets of type {typeId} for {date}',
    },
  },
  PAYMENT_MISMATCH: {
    status: 400,
    messages: {
      'zh-CN': '支付合计 {paid} 分与应收 {total} 分不符：{reason}',
      en: 'Payments of {paid} fen do not match the {total} fen due: {reason}',
    },
  },
  CHANGE_TOO_LARGE: {
    status: 400,
    messages: {
      'zh-CN': '找零 {change} 元超过上限 {limit} 元：请核对收取的现金金额',
      en: 'Change of {change} yuan is above the limit of {limit} yuan: check the cash amount taken',
    },
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    messages: {
      'zh-CN': '幂等键 {key} 已用于另一笔不同的请求',
      en: 'Idempotency-Key {key} was already used for a different request',
    },
  },
  WINDOW_INACTIVE: {
    status: 409,
    messages: { 'zh-CN': '售票窗口 {windowId} 已停用', en: 'Ticket window {windowId} is inactive' },
  },
  SHIFT_ALREADY_OPEN: {
    status: 409,
    messages: {
      'zh-CN': '收银员在窗口 {windowId} 已有未结班次，请先收班或交接',
      en: 'The cashier already has an open shift at window {windowId}: close or hand it over first',
    },
  },
  SHIFT_STATE_CONFLICT: {
    status: 409,
    messages: {
      'zh-CN': '班次 {shiftId} 当前状态为 {state}，不能{action}',
      en: 'Shift {shiftId} is {state} and cannot be {action}',
    },
  },
  SHIFT_NOT_YOURS: {
    status: 403,
    messages: {
      'zh-CN': '班次 {shiftId} 属于其他收银员：只有本人或有班次审批权限的主管可以操作',
      en: 'Shift {shiftId} belongs to another cashier: only they or a supervisor who approves shifts may act on it',
    },
  },
  SHIFT_SELF_APPROVAL: {
    status: 409,
    messages: {
      'zh-CN': '不能审批或调整自己的班次 {shiftId}',
      en: 'You cannot approve or adjust your own shift {shiftId}',
    },
  },
  SHIFT_COUNT_MISMATCH: {
    status: 400,
    messages: {
      'zh-CN': '按面额清点合计 {sum} 分，与实点现金 {counted} 分不符',
      en: 'The count by denomination sums to {sum} fen, not the counted cash of {counted} fen',
    },
  },
  SHIFT_HANDOVER_INVALID: {
    status: 409,
    messages: { 'zh-CN': '不能接班：{reason}', en: 'Cannot take over the till: {reason}' },
  },
  SETTLEMENT_DAY_NOT_STARTED: {
    status: 409,
    messages: {
      'zh-CN': '{date} 尚未开始营业，不能日结',
      en: '{date} has not begun yet and cannot be closed',
    },
  },
  SETTLEMENT_CLOSED: {
    status: 409,
    messages: { 'zh-CN': '{period} 已经结账', en: '{period} is already closed' },
  },
  SETTLEMENT_SHIFTS_OPEN: {
    status: 409,
    messages: {
      'zh-CN': '{date} 还有 {count} 个班次未收班或待审批，不能日结',
      en: '{date} has {count} shifts not yet closed or approved, so it cannot be closed',
    },
  },
  SETTLEMENT_DAYS_OPEN: {
    status: 409,
    messages: {
      'zh-CN': '{month} 还有 {count} 天未日结（首个：{first}），不能月结',
      en: '{month} has {count} days not yet closed (first: {first}), so it cannot be closed',
    },
  },
  TICKET_STATE_CONFLICT: {
    status: 409,
    messages: {
      'zh-CN': '票 {ticketId} 当前状态为 {status}，不能{action}',
      en: 'Ticket {ticketId} is {status} and cannot be {action}',
    },
  },
  SIGNING_KEY_UNAVAILABLE: {
    status: 503,
    messages: {
      'zh-CN': '票据签名密钥不可用：{reason}',
      en: 'The ticket signing key cannot be used: {reason}',
    },
  },
  STOCK_CODE_UNKNOWN: {
    status: 404,
    messages: { 'zh-CN': '票号 {code} 不在票库中', en: 'Code {code} is not in the ticket stock' },
  },
  STOCK_NOT_ISSUED_TO_YOU: {
    status: 409,
    messages: {
      'zh-CN': '票号 {code} 未出仓给当前售票员，不能售出',
      en: 'Code {code} is not issued to this cashier and cannot be sold',
    },
  },
  STOCK_WRONG_TYPE: {
    status: 409,
    messages: {
      'zh-CN': '票号 {code} 属于票种 {actual}，不能作为票种 {expected} 售出',
      en: 'Code {code} is stock of ticket type {actual}, not of type {expected}',
    },
  },
  STOCK_ALREADY_SOLD: {
    status: 409,
    messages: { 'zh-CN': '票号 {code} 已售出', en: 'Code {code} has already been sold' },
  },
  STOCK_VOIDED: {
    status: 409,
    messages: { 'zh-CN': '票号 {code} 已作废', en: 'Code {code} has been voided' },
  },
  STOCK_IMPORT_REJECTED: {
    status: 400,
    messages: {
      'zh-CN': '{count} 个票号有误，整批未导入',
      en: '{count} codes are not acceptable; nothing was imported',
    },
  },
  STOCK_CODES_UNAVAILABLE: {
    status: 409,
    messages: {
      'zh-CN': '{count} 个票号当前状态不允许{operation}，未做任何改动',
      en: '{count} codes cannot be {operation} in their current state; nothing was changed',
    },
  },
  STOCK_RANGE_INVALID: {
    status: 400,
    messages: {
      'zh-CN': '批次 {batchId} 没有序号 {from}–{to} 的全部票号',
      en: 'Batch {batchId} does not hold every sequence number from {from} to {to}',
    },
  },
  STOCK_CASHIER_INVALID: {
    status: 400,
    messages: {
      'zh-CN': '操作员 {cashierId} 不存在、已停用或没有售票权限',
      en: 'Operator {cashierId} does not exist, is inactive or may not sell tickets',
    },
  },
  NOTHING_TO_PRINT: {
    status: 409,
    messages: {
      'zh-CN': '销售单 {saleId} 没有可打印的票（已全部退票或作废）',
      en: 'Sale {saleId} has no ticket left to print (all refunded or revoked)',
    },
  },
  TICKET_ALREADY_REFUNDED: {
    status: 409,
    messages: { 'zh-CN': '票 {ticketId} 已退票', en: 'Ticket {ticketId} has already been refunded' },
  },
  TICKET_USED: {
    status: 409,
    messages: { 'zh-CN': '票 {ticketId} 已使用', en: 'Ticket {ticketId} has been used' },
  },
  TICKET_EXPIRED: {
    status: 409,
    messages: { 'zh-CN': '票 {ticketId} 已过期', en: 'Ticket {ticketId} has expired' },
  },
  TICKET_NOT_IN_SALE: {
    status: 400,
    messages: {
      'zh-CN': '票 {ticketId} 不属于销售单 {saleId}',
      en: 'Ticket {ticketId} is not part of sale {saleId}',
    },
  },
  REFUND_NOT_ALLOWED: {
    status: 409,
    messages: {
      'zh-CN': '票 {ticketId} 的票种不可退',
      en: 'Ticket {ticketId} is of a type that cannot be refunded',
    },
  },
  REFUND_DEADLINE_PASSED: {
    status: 409,
    messages: {
      'zh-CN': '票 {ticketId} 的退票截止时间 {deadline} 已过',
      en: 'The refund deadline of ticket {ticketId} ({deadline}) has passed',
    },
  },
  REFUND_PAYMENT_MISMATCH: {
    status: 400,
    messages: {
      'zh-CN': '退款方式与应退 {amount} 分不符：{reason}',
      en: 'Refund payments do not match the {amount} fen due: {reason}',
    },
  },
  SUPPLEMENT_PRICE_LOWER: {
    status: 409,
    messages: {
      'zh-CN': '新票价 {price} 分低于原票价 {paid} 分：请先退票再购票',
      en: 'The new price of {price} fen is below the {paid} fen paid: refund and sell instead',
    },
  },
  SUPPLEMENT_NOTHING_CHANGES: {
    status: 400,
    messages: {
      'zh-CN': '升级或延期须更换票种或游玩日',
      en: 'An upgrade or extension must change the ticket type or the visit date',
    },
  },
  SUPPLEMENT_FEE_UNKNOWN: {
    status: 400,
    messages: {
      'zh-CN': '票种 {typeId} 没有“{reason}”的收费标准，请填写金额',
      en: 'Ticket type {typeId} has no rate for {reason}; give the amount',
    },
  },
  SIGNING_KEY_IN_USE: {
    status: 409,
    messages: {
      'zh-CN': '密钥 {keyId} 正在签发新票，不能停用：请先轮换出新密钥',
      en: 'Key {keyId} signs new credentials and cannot be retired: rotate to a new key first',
    },
  },
  SIGNING_KEY_RETIRE_TOO_SOON: {
    status: 409,
    messages: {
      'zh-CN': '密钥 {keyId} 刚被替换，各服务实例可能仍在用它签票：请于 {retryAfter} 秒后再停用',
      en: 'Key {keyId} was replaced only just now and may still sign new credentials: retire it in {retryAfter} s',
    },
  },
  SIGNING_KEY_ALREADY_RETIRED: {
    status: 409,
    messages: { 'zh-CN': '密钥 {keyId} 已停用', en: 'Key {keyId} is already retired' },
  },
  API_KEY_INVALID: {
    status: 401,
    messages: {
      'zh-CN': 'API 密钥缺失、无效或已吊销',
      en: 'The API key is missing, invalid or revoked',
    },
  },
  CHANNEL_KEY_REVOKED: {
    status: 409,
    messages: { 'zh-CN': 'API 密钥 {keyId} 已吊销', en: 'API key {keyId} is revoked' },
  },
  WEBHOOK_ENDPOINT_DISABLED: {
    status: 409,
    messages: { 'zh-CN': '回调地址 {endpointId} 已停用', en: 'Webhook endpoint {endpointId} is disabled' },
  },
  CARD_UID_NOT_ALLOWED: {
    status: 400,
    messages: {
      'zh-CN': '票种 {typeId} 不能绑定 IC 卡（仅次卡、期限卡与会员卡可以）',
      en: 'Ticket type {typeId} cannot carry an IC card (only count cards, period passes and member cards can)',
    },
  },
  CARD_UID_COUNT: {
    status: 400,
    messages: {
      'zh-CN': '每张票须对应一张 IC 卡：数量 {quantity}，卡号 {cards} 个',
      en: 'One IC card per ticket: quantity {quantity}, {cards} card UIDs given',
    },
  },
  CARD_UID_IN_USE: {
    status: 409,
    messages: {
      'zh-CN': 'IC 卡 {cardUid} 已绑定在有效的票上，请先退票或换卡',
      en: 'IC card {cardUid} is already bound to a live ticket: refund or reissue that ticket first',
    },
  },
  CARD_BLOCKED: {
    status: 409,
    messages: {
      'zh-CN': 'IC 卡 {cardUid} 已挂失或停用，不能再发出',
      en: 'IC card {cardUid} is reported lost or blocked and cannot be issued again',
    },
  },
  CARD_STATE_CONFLICT: {
    status: 409,
    messages: {
      'zh-CN': 'IC 卡 {cardUid} 当前状态为 {status}，不能{action}',
      en: 'IC card {cardUid} is {status} and cannot be {action}',
    },
  },
  ORDER_STATE_INVALID: {
    status: 409,
    messages: {
      'zh-CN': '团队订单{state}，不能{action}',
      en: 'The group order is {state} and cannot be {action}',
    },
  },
  ORDER_HOLD_EXPIRED: {
    status: 409,
    messages: {
      'zh-CN': '团队订单的占位已于 {expiredAt} 过期，请重新下单',
      en: 'The hold of the group order lapsed at {expiredAt}: place a new order',
    },
  },
  ORDER_VISITORS_MISSING: {
    status: 409,
    messages: {
      'zh-CN': '实名票种 {typeId} 需要 {expected} 位游客的姓名与证件号，已提交 {given} 位',
      en: 'Real-name type {typeId} needs {expected} visitors with their ID numbers; {given} given',
    },
  },
  ORDER_VISITORS_CLOSED: {
    status: 409,
    messages: {
      'zh-CN': '游客名单须在 {dueAt} 前提交，现已截止',
      en: 'The visitor list was due by {dueAt} and can no longer be changed',
    },
  },
  ORDER_REFERENCE_CONFLICT: {
    status: 409,
    messages: {
      'zh-CN': '订单参考号 {reference} 已用于另一份不同的订单',
      en: 'Reference {reference} was already used for a different order',
    },
  },
  ORDER_VISIT_NOT_OVER: {
    status: 409,
    messages: {
      'zh-CN': '游玩日 {date} 结束后才能结单',
      en: 'The order can be closed once its visit date {date} is over',
    },
  },
  ORDER_PAID_BY_LEDGER: {
    status: 400,
    messages: {
      'zh-CN': '该订单已从旅行社账户结算，取票时无需再付款',
      en: 'This order is settled through the agency account: no payment is taken at pick-up',
    },
  },
  ORDER_AGENCY_FORBIDDEN: {
    status: 403,
    messages: {
      'zh-CN': '旅行社账号只能为本旅行社下单',
      en: 'An agency account can order only for its own agency',
    },
  },
  ORDER_AGENCIES_UNAVAILABLE: {
    status: 503,
    messages: {
      'zh-CN': '旅行社结算暂不可用，无法为旅行社下单',
      en: 'Agency accounts are not available: orders for an agency cannot be placed',
    },
  },
  AGENCY_INACTIVE: {
    status: 409,
    messages: {
      'zh-CN': '旅行社 {agencyId} 已暂停合作，不能下单',
      en: 'Agency {agencyId} is suspended and cannot order',
    },
  },
  AGENCY_TYPE_NOT_AUTHORISED: {
    status: 409,
    messages: {
      'zh-CN': '旅行社 {agencyId} 未获授权销售票种 {typeId}',
      en: 'Agency {agencyId} is not authorised to sell ticket type {typeId}',
    },
  },
  AGENCY_BALANCE_SHORT: {
    status: 409,
    messages: {
      'zh-CN': '旅行社 {agencyId} 预存余额不足：余额 {balanceFen} 分，需扣 {amountFen} 分',
      en: 'Agency {agencyId} has too little prepaid balance: {balanceFen} fen, {amountFen} fen due',
    },
  },
  AGENCY_CREDIT_EXCEEDED: {
    status: 409,
    messages: {
      'zh-CN':
        '旅行社 {agencyId} 超出授信额度：额度 {limitFen} 分，可用 {availableFen} 分，需扣 {amountFen} 分',
      en: 'Agency {agencyId} would exceed its credit limit of {limitFen} fen: {availableFen} fen left, {amountFen} fen due',
    },
  },
  AGENCY_PAYS_AT_WINDOW: {
    status: 409,
    messages: {
      'zh-CN': '旅行社 {agencyId} 为窗口现付，不从账户扣款：请在取票时于窗口付款',
      en: 'Agency {agencyId} pays at the window, not from its account: pay when the tickets are picked up',
    },
  },
  AGENCY_LICENCE_TAKEN: {
    status: 409,
    messages: {
      'zh-CN': '经营许可证号 {licenceNo} 已属于另一家旅行社',
      en: 'Licence number {licenceNo} already belongs to another agency',
    },
  },
  AGENCY_PRICE_ABOVE_CHANNEL: {
    status: 409,
    messages: {
      'zh-CN': '结算价 {priceFen} 分高于票种 {typeId} 的旅行社渠道价 {channelFen} 分',
      en: 'Settlement price {priceFen} fen is above the agency price of ticket type {typeId} ({channelFen} fen)',
    },
  },
  // Customers (客户资料) and points (积分).
  CUSTOMER_DUPLICATE: {
    status: 409,
    messages: {
      'zh-CN': '该景区已有相同{field}的客户',
      en: 'A customer of this site already has this {field}',
    },
  },
  CUSTOMER_CARD_IN_USE: {
    status: 409,
    messages: {
      'zh-CN': 'IC 卡 {cardUid} 已绑定给其他客户，请先挂失',
      en: 'IC card {cardUid} is already bound to a customer: block it first',
    },
  },
  CUSTOMER_CARD_ENDED: {
    status: 409,
    messages: {
      'zh-CN': '会员卡 {cardUid} 已挂失或已被替换',
      en: 'Member card {cardUid} is already blocked or replaced',
    },
  },
  CUSTOMER_OTHER_SITE: {
    status: 409,
    messages: {
      'zh-CN': '客户登记在景区 {customerSite}，不能在景区 {siteId} 使用',
      en: 'The customer is registered at site {customerSite}, not at site {siteId}',
    },
  },
  POINTS_CUSTOMER_REQUIRED: {
    status: 400,
    messages: {
      'zh-CN': '积分抵扣须先指定客户',
      en: 'Paying with points needs the customer whose points they are',
    },
  },
  POINTS_NOT_ACCEPTED: {
    status: 409,
    messages: {
      'zh-CN': '景区 {siteId} 未开通积分抵扣',
      en: 'Site {siteId} does not take points as payment',
    },
  },
  POINTS_INSUFFICIENT: {
    status: 409,
    messages: {
      'zh-CN': '积分不足：需要 {needed}，可用 {balance}',
      en: 'Not enough points: {needed} needed, {balance} available',
    },
  },
  POINTS_AMOUNT_INVALID: {
    status: 400,
    messages: {
      'zh-CN': '积分抵扣金额 {amount} 分不能用整数积分支付（{rate} 积分抵 1 元）',
      en: 'Points cannot pay exactly {amount} fen ({rate} points make 1 yuan)',
    },
  },
  HOLIDAY_TAKEN: {
    status: 409,
    messages: {
      'zh-CN': '{year} 年已有节假日 {code}，请修改它而不是再建一个',
      en: 'Holiday {code} already has a break in {year}: change that one instead',
    },
  },
  HOLIDAY_OVERLAP: {
    status: 409,
    messages: {
      'zh-CN': '日期与已有的 {other} 重叠',
      en: 'The dates overlap {other}',
    },
  },
  HOLIDAY_PERIOD_INVALID: {
    status: 400,
    messages: { 'zh-CN': '节假日日期有误：{reason}', en: 'Invalid holiday dates: {reason}' },
  },
  REPORT_RANGE_INVALID: {
    status: 400,
    messages: {
      'zh-CN': '结束日期 {to} 早于开始日期 {from}',
      en: 'The end date {to} is before the start date {from}',
    },
  },
  REPORT_RANGE_TOO_LONG: {
    status: 400,
    messages: {
      'zh-CN': '查询范围 {days} 天，超过上限 {maxDays} 天，请缩短日期范围',
      en: 'The range covers {days} days; a report covers at most {maxDays}: choose a shorter range',
    },
  },
  REPORT_DIMENSIONS_INCOMPATIBLE: {
    status: 400,
    messages: {
      'zh-CN': '票种与支付方式不能同时用于分组或筛选：收款按支付方式记账，票款按票种记账',
      en: 'Ticket type and payment method cannot be grouped or filtered by together: money is booked by method, tickets by type',
    },
  },
  REPORT_BASIS_UNAVAILABLE: {
    status: 400,
    messages: {
      'zh-CN': '暂不能按节假日对比：尚未配置节假日日历',
      en: 'Comparing by holiday is not available: there is no holiday calendar yet',
    },
  },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** A placeholder value: the same in every language (ids, numbers) or translated. */
export type ParamValue = string | number | Localized;

type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;
type ParamNames<C extends ErrorCode> = Placeholders<(typeof ERROR_CATALOGUE)[C]['messages'][Language]>;
export type ErrorParams<C extends ErrorCode> = Readonly<Record<ParamNames<C>, ParamValue>>;

export interface AppErrorOptions {
  /** Structured, language-neutral facts for the client (never internals). */
  readonly details?: unknown;
  /** Per-field problems; rendered as `details` in the response. */
  readonly issues?: readonly FieldIssue[];
  readonly cause?: unknown;
}

/** Codes without placeholders take no params; the others require exactly theirs. */
type AppErrorArgs<C extends ErrorCode> = [ParamNames<C>] extends [never]
  ? [params?: undefined, options?: AppErrorOptions]
  : [params: ErrorParams<C>, options?: AppErrorOptions];

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    messages: Localized;
    details?: unknown;
  };
}

export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = 'AppError';
  readonly status: number;
  /** Same as `status`; Fastify reads this name. */
  readonly statusCode: number;
  readonly messages: Localized;
  readonly details: unknown;
  readonly issues: readonly FieldIssue[] | undefined;

  constructor(
    readonly code: C,
    ...[params, options]: AppErrorArgs<C>
  ) {
    const definition: ErrorDefinition = ERROR_CATALOGUE[code];
    const messages = localize(definition.messages, (params ?? {}) as Record<string, ParamValue>);
    super(messages.en, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = definition.status;
    this.statusCode = definition.status;
    this.messages = messages;
    this.details = options?.details;
    this.issues = options?.issues;
  }

  toBody(language: Language): ErrorBody {
    const body: ErrorBody = {
      error: { code: this.code, message: this.messages[language], messages: this.messages },
    };
    if (this.issues) {
      body.error.details = this.issues.map((issue) => ({ ...issue, message: issue.messages[language] }));
    } else if (this.details !== undefined) {
      body.error.details = this.details;
    }
    return body;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

function localize(templates: Localized, params: Readonly<Record<string, ParamValue>>): Localized {
  const entries = LANGUAGES.map((language) => [
    language,
    templates[language].replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === 'object' ? value[language] : String(value);
    }),
  ]);
  return Object.fromEntries(entries) as Localized;
}

const localizedSchema = z.object({ 'zh-CN': z.string(), en: z.string() });

/** The error body every endpoint returns, for route `response` schemas and the OpenAPI document. */
export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
      message: z
        .string()
        .describe('In the language chosen by Accept-Language (zh-CN unless en is preferred)'),
      messages: localizedSchema,
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'ErrorResponse' });

/**
 * A customers CSV as the import page reads it: which column holds what (guessed from the header,
 * in English or Chinese, then chosen by the person), and each row turned into a customer for
 * `POST /api/customers/batch?partial=true`. Pure: the page does the reading and the sending.
 */

import { PROFILE_FIELDS } from '@tend/plugin-sdk/editor';

export const PROFILE_TARGETS = PROFILE_FIELDS;
export const CONSENT_CHANNELS = ['email', 'sms', 'push'] as const;
export type Target =
  | (typeof PROFILE_TARGETS)[number]
  | 'tags'
  | `consent.${(typeof CONSENT_CHANNELS)[number]}`
  | 'attribute'
  | 'ignore';
export const TARGETS: readonly Target[] = [
  ...PROFILE_TARGETS,
  'tags',
  ...CONSENT_CHANNELS.map((c) => `consent.${c}` as const),
  'attribute',
  'ignore',
];

/** Where one column goes; an attribute has its name (the header's, unless changed). */
export interface ColumnMapping {
  target: Target;
  attribute: string;
}

const SYNONYMS: [Target, string[]][] = [
  ['id', ['id', 'customerid', 'customer_id', 'customer id', '客户id', '客户编号', '会员号', '会员编号']],
  ['email', ['email', 'e-mail', 'mail', '邮箱', '电子邮件', '邮件']],
  ['phone', ['phone', 'mobile', 'tel', 'telephone', '手机', '手机号', '电话', '手机号码']],
  ['name', ['name', 'full name', 'fullname', '姓名', '名字', '客户姓名']],
  ['birthday', ['birthday', 'birthdate', 'date of birth', '生日', '出生日期']],
  ['timezone', ['timezone', 'time zone', 'tz', '时区']],
  ['locale', ['locale', 'language', 'lang', '语言']],
  ['owner', ['owner', 'account owner', 'advisor', '负责人', '顾问', '专属顾问']],
  ['tags', ['tags', 'tag', 'labels', '标签']],
  ['consent.email', ['consent.email', 'email_consent', 'email consent', '邮件授权', '邮件许可']],
  ['consent.sms', ['consent.sms', 'sms_consent', 'sms consent', '短信授权', '短信许可']],
  ['consent.push', ['consent.push', 'push_consent', 'push consent', '推送授权']],
];

/** The mapping a header suggests: known names (English or Chinese) to fields, the rest attributes. */
export function guessMapping(header: string): ColumnMapping {
  const h = header.trim().toLowerCase();
  for (const [target, names] of SYNONYMS) if (names.includes(h)) return { target, attribute: '' };
  const attribute = header.trim().replace(/^attributes\./, '');
  return attribute ? { target: 'attribute', attribute } : { target: 'ignore', attribute: '' };
}

/** What is wrong with a whole mapping before any row is read (a message key), or null. */
export function mappingProblem(
  mappings: ColumnMapping[],
): 'import.problem.noId' | 'import.problem.twice' | 'import.problem.attribute' | null {
  const ids = mappings.filter((m) => m.target === 'id').length;
  if (ids !== 1) return ids === 0 ? 'import.problem.noId' : 'import.problem.twice';
  const single = mappings
    .filter((m) => m.target !== 'attribute' && m.target !== 'ignore')
    .map((m) => m.target);
  if (new Set(single).size !== single.length) return 'import.problem.twice';
  const attributes = mappings.filter((m) => m.target === 'attribute').map((m) => m.attribute.trim());
  if (attributes.some((a) => a === '') || new Set(attributes).size !== attributes.length)
    return 'import.problem.attribute';
  return null;
}

const GRANTED = new Set([
  'granted',
  'yes',
  'y',
  'true',
  '1',
  'opt-in',
  'opted in',
  '是',
  '同意',
  '已同意',
  '授权',
]);
const WITHDRAWN = new Set([
  'withdrawn',
  'no',
  'n',
  'false',
  '0',
  'opt-out',
  'opted out',
  '否',
  '退订',
  '已退订',
  '拒绝',
]);

export interface ImportedCustomer {
  id: string;
  [field: string]: unknown;
}

/** One row as a customer, or why it cannot be one (the engine checks the rest: emails, phones…). */
export function rowToCustomer(
  cells: string[],
  mappings: ColumnMapping[],
): { ok: true; customer: ImportedCustomer } | { ok: false; message: string } {
  const out: Record<string, unknown> = {};
  const attributes: Record<string, unknown> = {};
  const consent: Record<string, { status: string; source: string }> = {};
  for (const [i, m] of mappings.entries()) {
    const value = (cells[i] ?? '').trim();
    if (value === '' || m.target === 'ignore') continue;
    if (m.target === 'tags')
      out.tags = value
        .split(/[;|,，、]/)
        .map((t) => t.trim())
        .filter(Boolean);
    else if (m.target.startsWith('consent.')) {
      const v = value.toLowerCase();
      const status = GRANTED.has(v) ? 'granted' : WITHDRAWN.has(v) ? 'withdrawn' : null;
      if (!status) return { ok: false, message: `${m.target}: "${value}" is not granted or withdrawn` };
      consent[m.target.slice('consent.'.length)] = { status, source: 'import' };
    } else if (m.target === 'attribute') attributes[m.attribute.trim()] = numberOrText(value);
    else out[m.target] = value;
  }
  if (typeof out.id !== 'string') return { ok: false, message: 'no id' };
  if (Object.keys(attributes).length > 0) out.attributes = attributes;
  if (Object.keys(consent).length > 0) out.consent = consent;
  return { ok: true, customer: out as ImportedCustomer };
}

/** Numbers and true/false as such (so segments can compare them); the rest as text. */
function numberOrText(v: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(v) && !/^0\d/.test(v)) return Number(v);
  return v === 'true' ? true : v === 'false' ? false : v;
}

/** NDJSON events: each non-empty line parsed, or why it is not JSON. */
export function ndjsonLines(text: string): { line: number; item?: unknown; message?: string }[] {
  const out: { line: number; item?: unknown; message?: string }[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    if (raw.trim() === '') continue;
    try {
      out.push({ line: i + 1, item: JSON.parse(raw) });
    } catch (error) {
      out.push({ line: i + 1, message: `not JSON (${(error as Error).message})` });
    }
  }
  return out;
}

// Keyed backend messages: every key has an English and a Chinese text with the same parameters, every
// key core uses is in the table, and a message thrown in the table's words is recognised with its
// parameters (that is how the envelope gets its key wherever a message was thrown).
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { MESSAGES, messageText, placeholdersOf, recogniseMessage, type MessageKey } from '../../shared/contract/messages.js';
import { ApiFailure } from '../../shared/contract/failure.js';
import { en } from '../../renderer/i18n/en.js';
import { zhCN } from '../../renderer/i18n/zh-CN.js';

const keys = Object.keys(MESSAGES) as MessageKey[];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('message keys', () => {
  it('every key has an English and a zh-CN text with the same parameters', () => {
    for (const key of keys) {
      const zh = (zhCN.apiMessages as Record<string, string>)[key];
      const english = (en.apiMessages as Record<string, string>)[key];
      expect(zh, key).toBeTruthy();
      expect(english, key).toBe(MESSAGES[key]);
      expect(placeholdersOf(zh!), key).toEqual(placeholdersOf(MESSAGES[key]));
      // Chinese, not the English left in place.
      expect(zh, key).toMatch(/\p{Script=Han}/u);
    }
    expect(Object.keys(zhCN.apiMessages).sort()).toEqual([...keys].sort());
  });

  it('every key core and shared use (messageText, ApiFailure.keyed) is in the table', () => {
    const used = new Set<string>();
    for (const file of [...sources('core'), ...sources('shared')]) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:messageText|ApiFailure\.keyed)\(\s*(?:'[A-Z_]+',\s*)?'(\w+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(3);
    for (const key of used) expect(keys, key).toContain(key);
  });

  it('every key is thrown somewhere: by messageText/ApiFailure.keyed, or in the table’s very words', () => {
    // The HTTP hosts' own refusals (upload size and quota) are keyed too.
    const code = [...sources('core'), ...sources('shared/domain'), ...sources('server'), ...sources('web'), ...sources('electron')].map((f) => readFileSync(f, 'utf8')).join('\n');
    const missing = keys.filter((key) => {
      if (new RegExp(`(?:messageText|ApiFailure\\.keyed)\\(\\s*(?:'[A-Z_]+',\\s*)?'${key}'`).test(code)) return false;
      // Else every literal piece of the English text between its {{parameters}} is in the source (a
      // message may be put together from two places, e.g. the header-row finder's reason).
      return !MESSAGES[key].split(/\{\{\w+\}\}|: /).every((piece) => piece.length < 4 || code.includes(piece));
    });
    expect(missing).toEqual([]);
  });

  it('a message in the table’s words is recognised with its parameters, and travels in the envelope', () => {
    for (const key of keys) {
      const params = Object.fromEntries(placeholdersOf(MESSAGES[key]).map((n, i) => [n, `${n}-${i} (x)`]));
      expect(recogniseMessage(messageText(key, params)), key).toEqual({ key, params });
    }
    expect(recogniseMessage('Some other sentence.')).toBeNull();
    expect(new ApiFailure('BAD_INPUT', 'The file is empty.').toApiError()).toEqual({ code: 'BAD_INPUT', message: 'The file is empty.', key: 'fileEmpty', params: {} });
    expect(ApiFailure.keyed('CONFLICT', 'importBatchNoUsed', { batchNo: 'B-1' }).toApiError()).toEqual({
      code: 'CONFLICT',
      message: 'Batch number B-1 is already used for this lender.',
      key: 'importBatchNoUsed',
      params: { batchNo: 'B-1' },
    });
  });
});

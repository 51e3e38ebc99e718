import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { en } from '../web/src/i18n/en';
import { zhCN } from '../web/src/i18n/zh-CN';
import { formatInstant, formatDay, shanghaiToday } from '../web/src/ui/dates';
import { formatFen, parseYuan, yuanDigits } from '../web/src/ui/money';

describe('money in the portal: integer fen shown as yuan', () => {
  it('shows two decimals and groups thousands, for any amount JSON carries exactly', () => {
    expect(formatFen(123456)).toBe('¥1,234.56');
    expect(formatFen(5, 'en')).toBe('CNY 0.05');
    expect(formatFen(-250)).toBe('¥-2.50');
    expect(yuanDigits(Number.MAX_SAFE_INTEGER)).toBe('90,071,992,547,409.91');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        const digits = yuanDigits(fen).replaceAll(',', '');
        // the digits are the fen themselves with a point before the last two: nothing rounded, nothing lost
        expect(digits.replace('.', '')).toBe(String(fen).padStart(3, '0'));
        expect(parseYuan(digits)).toBe(fen);
      }),
    );
  });

  it('reads what a person types as yuan, and refuses what is not an amount', () => {
    expect(parseYuan('1,500.5')).toBe(150050);
    expect(parseYuan(' 0.07 ')).toBe(7);
    expect(parseYuan('10000')).toBe(1_000_000);
    for (const wrong of ['', '1.234', '-5', '1e3', 'abc', '1.', '.5', '99999999999999']) {
      expect(parseYuan(wrong), wrong).toBeNull();
    }
  });

  it('never goes through a float: 0.1 + 0.2 fen-wise stays exact', () => {
    expect(formatFen(10 + 20)).toBe('¥0.30');
    expect(formatFen(1_999_999_999_999)).toBe('¥19,999,999,999.99');
  });
});

describe('dates in the portal: the Shanghai clock', () => {
  it('shows an instant on Asia/Shanghai time whatever the machine’s zone', () => {
    expect(formatInstant('2026-11-23T16:30:00Z', 'zh-CN')).toContain('2026年11月24日');
    expect(formatInstant('2026-11-23T16:30:00Z', 'zh-CN')).toContain('00:30');
    expect(formatInstant('2026-11-23T08:05:00Z', 'en')).toMatch(/Nov 23, 2026.*16:05/);
    expect(formatDay('2027-06-30', 'en')).toBe('Jun 30, 2027');
    expect(shanghaiToday(new Date('2026-11-23T17:00:00Z'))).toBe('2026-11-24');
  });
});

type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keys(value, `${prefix}${key}.`),
  );
}

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sources(full);
      return Promise.resolve(/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : []);
    }),
  );
  return nested.flat();
}

describe('the portal’s words', () => {
  it('has the same keys in Chinese and English, none empty', () => {
    expect(keys(en as Tree).sort()).toEqual(keys(zhCN as Tree).sort());
    for (const [catalog, name] of [
      [zhCN, 'zh-CN'],
      [en, 'en'],
    ] as const) {
      const empty = keys(catalog as Tree).filter((key) => {
        const value = key.split('.').reduce<unknown>((node, part) => (node as Tree)[part], catalog);
        return typeof value !== 'string' || value.trim() === '';
      });
      expect(empty, name).toEqual([]);
    }
  });

  it('has every key a page asks for by name', async () => {
    const known = new Set(keys(zhCN as Tree).map((key) => key.replace(/_(one|other)$/, '')));
    const missing: string[] = [];
    for (const file of await sources(path.join(import.meta.dirname, '../web/src'))) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'([\w.-]+)'/g)) {
        if (!known.has(match[1]!)) missing.push(`${path.basename(file)}: ${match[1]}`);
      }
      for (const match of text.matchAll(/label: '([\w.]+)'/g)) {
        if (!known.has(match[1]!)) missing.push(`${path.basename(file)}: ${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

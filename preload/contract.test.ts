import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { BackupDestination, channelNames, channels, eventNames, events, FileToken, IsoTime, KeyProtectorType, MountPoint, ProtectorId } from './contract';

/**
 * SECURITY.md: no answer main sends the renderer can carry a recovery password, at any depth. This walks every
 * response and event schema of the contract (by zod's own definitions, so a schema added later is walked too):
 * every object must be strict, no field may be named like a secret, and a `recoveryPassword` put into any object
 * of a valid answer must make the answer fail to parse.
 */

const PASSWORD = '000033-502458-135795-660000-099990-299002-345565-720885';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  element?: z.ZodType;
  entries?: Record<string, string>;
  values?: unknown[];
  checks?: unknown[];
  in?: z.ZodType;
  out?: z.ZodType;
}
const def = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

const answers: [string, z.ZodType][] = [
  ...channelNames.map((c): [string, z.ZodType] => [`${c} response`, channels[c].response]),
  ...eventNames.map((e): [string, z.ZodType] => [`${e} event`, events[e].payload]),
];
const requests: [string, z.ZodType][] = channelNames.map((c) => [`${c} request`, channels[c].request]);

/** Every object schema inside `schema`, with where it is. Throws on a zod type this walk does not know. */
function objectsIn(schema: z.ZodType, where: string, found: { where: string; schema: z.ZodType }[] = []) {
  const d = def(schema);
  switch (d.type) {
    case 'object':
      found.push({ where, schema });
      for (const [key, field] of Object.entries(d.shape!)) objectsIn(field, `${where}.${key}`, found);
      break;
    case 'array':
      objectsIn(d.element!, `${where}[]`, found);
      break;
    case 'union':
      d.options!.forEach((option, i) => objectsIn(option, `${where}|${i}`, found));
      break;
    case 'nullable':
    case 'optional':
      objectsIn(d.innerType!, where, found);
      break;
    case 'pipe':
      objectsIn(d.in!, where, found);
      objectsIn(d.out!, where, found);
      break;
    case 'string':
    case 'number':
    case 'boolean':
    case 'enum':
    case 'literal':
    case 'never':
      break;
    default:
      throw new Error(`${where}: the contract walk does not know zod's ${d.type}; teach it before using it in the contract`);
  }
  return found;
}

/**
 * Valid values for `schema`: one per union branch, nullable fields filled in, arrays with one element, so
 * every object of the schema appears in some sample.
 */
function samples(schema: z.ZodType): unknown[] {
  if (schema === MountPoint) return ['C:'];
  if (schema === ProtectorId) return ['{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}'];
  if (schema === FileToken) return ['A'.repeat(43)];
  if (schema === IsoTime) return ['2026-03-02T09:00:00.000Z'];
  const d = def(schema);
  switch (d.type) {
    case 'object': {
      const fields = Object.entries(d.shape!).map(([key, field]) => [key, samples(field)] as const);
      const first = Object.fromEntries(fields.map(([key, values]) => [key, values[0]]));
      // One sample with every field's first value, then one per further value of each field.
      return [first, ...fields.flatMap(([key, values]) => values.slice(1).map((value) => ({ ...first, [key]: value })))];
    }
    case 'array':
      return samples(d.element!).map((value) => [value]);
    case 'union':
      return d.options!.flatMap(samples);
    case 'nullable':
    case 'optional':
      return samples(d.innerType!);
    case 'string':
      if (d.checks?.length) throw new Error('a string with checks needs a sample here');
      return ['text'];
    case 'number':
      return [1];
    case 'boolean':
      return [true];
    case 'enum':
      return [Object.values(d.entries!)[0]];
    case 'literal':
      return [d.values![0]];
    default:
      throw new Error(`no sample for zod's ${d.type}`);
  }
}

/** Every plain object inside `value` (itself included), as the path of keys to reach it. */
function objectPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => objectPaths(item, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return [path, ...Object.entries(value).flatMap(([key, item]) => objectPaths(item, [...path, key]))];
  }
  return [];
}

function inject(value: unknown, path: (string | number)[]): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  const target = path.reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, copy);
  target.recoveryPassword = PASSWORD;
  return copy;
}

describe('every answer and event of the contract', () => {
  it.each([...answers, ...requests])('%s: every object is strict (unknown fields are refused, not dropped or kept)', (_name, schema) => {
    const objects = objectsIn(schema, '');
    expect(objects.length).toBeGreaterThan(0);
    for (const { where, schema: object } of objects) expect(def(def(object).catchall ?? ({ _zod: { def: { type: 'none' } } } as never)).type, `${where || 'root'}`).toBe('never');
  });

  it.each(answers)('%s: no field is named like a secret', (_name, schema) => {
    const keys = objectsIn(schema, '').flatMap(({ where, schema: object }) => Object.keys(def(object).shape!).map((key) => `${where}.${key}`));
    expect(keys.filter((key) => /password|recovery.?key|secret/i.test(key))).toEqual([]);
  });

  it.each(answers)('%s: a recoveryPassword put into any object, at any depth, is refused', (_name, schema) => {
    const values = samples(schema);
    const reached = new Set<string>();
    for (const value of values) {
      expect(schema.safeParse(value).success, `the sample ${JSON.stringify(value)} must be valid`).toBe(true);
      for (const path of objectPaths(value)) {
        reached.add(path.filter((key) => typeof key === 'string').join('.'));
        const result = schema.safeParse(inject(value, path));
        expect(result.success, `recoveryPassword at ${path.join('.') || 'the top level'} of ${JSON.stringify(value)}`).toBe(false);
      }
    }
    // Every object of the schema was tried: as many distinct places as the schema has objects (unions share places).
    const places = new Set(objectsIn(schema, '').map(({ where }) => where.replace(/\|\d+/g, '').replace(/\[\]/g, '').replace(/^\./, '')));
    expect([...reached].sort()).toEqual([...places].sort());
  });
});

describe('the values the contract lets through', () => {
  const GUID = '{8A696888-99A7-4FAC-92C7-6CC497EA7BDF}';
  const TOKEN = 'Zm9yZ2VkLXRva2VuLWZvcmdlZC10b2tlbi1mb3JnZWQ';

  it('a key protector identifier is exactly a GUID in braces: nothing before or after it', () => {
    expect(ProtectorId.safeParse(GUID).success).toBe(true);
    expect(ProtectorId.safeParse(GUID.toLowerCase()).success).toBe(true);
    for (const bad of [`x${GUID}`, `${GUID}x`, `${GUID}\n`, `..\\${GUID}`, GUID.slice(1, -1)]) expect(ProtectorId.safeParse(bad).success, bad).toBe(false);
  });

  it('a file or PDF backup names a token from the Save dialog, never a path: main keeps the paths', () => {
    for (const kind of ['file', 'pdf']) {
      expect(BackupDestination.safeParse({ kind, token: TOKEN, replace: false }).success, kind).toBe(true);
      for (const token of ['', TOKEN.slice(1), `${TOKEN}A`, `${TOKEN.slice(1)}/`, 'E:\\key.txt'])
        expect(BackupDestination.safeParse({ kind, token, replace: false }).success, `${kind} ${token}`).toBe(false);
    }
    expect(BackupDestination.safeParse({ kind: 'file', paths: [{ keyProtectorId: GUID, path: 'E:\\key.txt' }], replace: false }).success).toBe(false);
    expect(BackupDestination.safeParse({ kind: 'pdf', path: 'E:\\key.pdf', replace: false }).success).toBe(false);
    expect(BackupDestination.safeParse({ kind: 'file', token: TOKEN, path: 'E:\\key.txt', replace: false }).success).toBe(false);
  });

  it('knows every key protector type Windows reports (Win32_EncryptableVolume KeyProtectorType 0–10)', () => {
    expect(KeyProtectorType.options).toEqual([
      'Unknown',
      'Tpm',
      'ExternalKey',
      'RecoveryPassword',
      'TpmPin',
      'TpmStartupKey',
      'TpmPinStartupKey',
      'PublicKey',
      'Password',
      'TpmNetworkKey',
      'AdAccountOrGroup',
    ]);
  });
});

import assert from 'node:assert/strict';
import { breakdownTable, type Timeline } from './breakdown';

const row = (table: string, stage: string) => table.split('\n').find((l) => l.startsWith(`| ${stage}`))?.split('|').map((c) => c.trim());

describe('the per-stage breakdown of a create', () => {
  const base = 1_700_000_000_000;
  const timeline = (offset: number, boot: number): Timeline => ({
    asked: base + offset, answered: base + offset + 10,
    stages: { claimed: base + offset + 15, recorded: base + offset + 20, started: base + offset + 420, daemon: base + offset + 420 + boot, prepared: base + offset + 450 + boot, running: base + offset + 452 + boot },
    engineCreated: base + offset + 60, engineStarted: base + offset + 410, seen: base + offset + 455 + boot,
  });

  it('gives each stage its p50 and its share of the total', () => {
    const table = breakdownTable('t', [timeline(0, 100), timeline(1000, 300), timeline(2000, 200)]);
    assert.deepEqual(row(table, 'daemon boot')?.slice(2, 4), ['200', '300']);
    assert.deepEqual(row(table, '… of which Docker start')?.slice(2, 3), ['350']);
    assert.deepEqual(row(table, 'total')?.slice(2, 5), ['655', '755', '100%']);
    assert.equal(row(table, 'API answer')?.[4], '2%');
  });

  it('shows a stage it could not time (no engine events, as on Kubernetes) as unknown', () => {
    const t = { ...timeline(0, 100), engineCreated: undefined, engineStarted: undefined };
    assert.deepEqual(row(breakdownTable('t', [t]), '… of which Docker start')?.slice(2, 5), ['—', '—', '—']);
    assert.equal(row(breakdownTable('t', [t]), 'runtime start')?.[2], '400');
  });
});

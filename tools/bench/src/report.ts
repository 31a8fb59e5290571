// The table: operations per second for each client, and ours divided by each
// peer's (above 1 = telegram-mt is faster), all from the same run.
import type { ArithmeticResult } from './arithmetic.js';
import type { Rate } from './measure.js';

export interface PeerResult {
  name: string;
  handshakeMs?: number;
  /** This process's CPU per handshake (user + system), ms; the emulator's is not in it. */
  handshakeCpuMs?: number;
  /** The emulator's CPU per handshake attempt, ms. */
  handshakeServerCpuMs?: number;
  handshakes?: number;
  sequentialRpc?: Rate;
  sequentialPing?: Rate;
  pipelinedPing?: Rate;
  pipelinedRpc?: Rate;
  windowedRpc?: Rate;
  errors: string[];
  notes: string[];
}

export interface Report {
  arithmetic: ArithmeticResult;
  results: PeerResult[];
  counts: { handshakes: number; sequential: number; pipelined: number; window: number };
  seconds: number;
}

const ms = (x: number) => `${x.toFixed(2)} ms`;

function perSecond(r: Rate | undefined): number | undefined {
  return r?.perSecond;
}

function cell(x: number | undefined, partial = false): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  const s = x >= 100 ? Math.round(x).toString() : x.toFixed(1);
  return partial ? `${s}*` : s;
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0
    ? '—'
    : `${(a / b).toFixed(2)}×`;
}

export function printReport(r: Report): void {
  const ours = r.results.find((x) => x.name === 'telegram-mt');
  const peers = r.results.filter((x) => x !== ours);
  const cols = r.results.map((x) => x.name);
  const rows: {
    label: string;
    get: (p: PeerResult) => number | undefined;
    partial?: (p: PeerResult) => boolean;
    rate?: (p: PeerResult) => Rate | undefined;
  }[] = [
    {
      label: `new auth keys /s (1000 / median of ${r.counts.handshakes})`,
      get: (p) => (p.handshakeMs === undefined ? undefined : 1000 / p.handshakeMs),
      partial: (p) => (p.handshakes ?? 0) < r.counts.handshakes,
    },
    {
      label: 'sequential help.getNearestDc /s',
      get: (p) => perSecond(p.sequentialRpc),
      partial: (p) => !p.sequentialRpc?.complete,
      rate: (p) => p.sequentialRpc,
    },
    {
      label: 'sequential ping /s',
      get: (p) => perSecond(p.sequentialPing),
      partial: (p) => !p.sequentialPing?.complete,
      rate: (p) => p.sequentialPing,
    },
    {
      label: `pipelined ping /s (${r.counts.pipelined} in flight)`,
      get: (p) => perSecond(p.pipelinedPing),
      partial: (p) => !p.pipelinedPing?.complete,
      rate: (p) => p.pipelinedPing,
    },
    {
      label: `help.getNearestDc /s (${r.counts.pipelined}, ≤ ${r.counts.window} in flight)`,
      get: (p) => perSecond(p.windowedRpc),
      partial: (p) => !p.windowedRpc?.complete,
      rate: (p) => p.windowedRpc,
    },
    {
      label: `pipelined help.getNearestDc /s (${r.counts.pipelined} in flight)`,
      get: (p) => perSecond(p.pipelinedRpc),
      partial: (p) => !p.pipelinedRpc?.complete,
      rate: (p) => p.pipelinedRpc,
    },
  ];

  const header = ['', ...cols, ...peers.map((p) => `ours/${p.name}`)];
  const table: string[][] = [header];
  for (const row of rows) {
    const line = [row.label, ...r.results.map((p) => cell(row.get(p), row.partial?.(p) && row.get(p) !== undefined))];
    for (const p of peers) line.push(ours ? ratio(row.get(ours), row.get(p)) : '—');
    table.push(line);
  }
  table.push(['handshake, median ms', ...r.results.map((p) => (p.handshakeMs === undefined ? '—' : ms(p.handshakeMs))), ...peers.map((p) => ours ? ratio(p.handshakeMs, ours.handshakeMs) : '—')]);
  table.push(['handshake, client CPU ms (mean)', ...r.results.map((p) => (p.handshakeCpuMs === undefined ? '—' : ms(p.handshakeCpuMs))), ...peers.map((p) => ours ? ratio(p.handshakeCpuMs, ours.handshakeCpuMs) : '—')]);
  const widths = header.map((_, i) => Math.max(...table.map((l) => l[i]!.length)));
  const a = r.arithmetic;

  const out: string[] = [];
  out.push(`MTProto clients against the DC emulator (child process, 127.0.0.1, TCP), node ${process.version}, ${r.seconds.toFixed(1)} s in all`);
  out.push('');
  for (const l of table) out.push(l.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  out.push('  (* = not all asked for completed within the time bound or without error; the rate counts those that did)');
  out.push('');
  out.push('emulator CPU per completed call, µs (it runs in its own process, on the other core):');
  const cpu: string[][] = [
    ['handshake (per attempt)', ...r.results.map((p) => (p.handshakeServerCpuMs === undefined || !Number.isFinite(p.handshakeServerCpuMs) ? '—' : (p.handshakeServerCpuMs * 1000).toFixed(0)))],
  ];
  for (const row of rows) {
    if (!row.rate) continue;
    cpu.push([row.label.replace(' /s', ''), ...r.results.map((p) => {
      const us = row.rate!(p)?.serverCpuUs;
      return us === undefined || !Number.isFinite(us) ? '—' : us.toFixed(0);
    })]);
  }
  const cw = [Math.max(...cpu.map((l) => l[0]!.length)), ...r.results.map((p, i) => Math.max(p.name.length, ...cpu.map((l) => l[i + 1]!.length)))];
  out.push(['', ...cols].map((c, i) => (i === 0 ? c.padEnd(cw[i]!) : c.padStart(cw[i]!))).join('  '));
  for (const l of cpu) out.push(l.map((c, i) => (i === 0 ? c.padEnd(cw[i]!) : c.padStart(cw[i]!))).join('  '));
  out.push('');
  out.push(
    `handshake arithmetic alone, median of ${r.counts.handshakes}: ${ms(a.totalMs)} wall clock, ${ms(a.cpuMs)} CPU ` +
      `(pq factorization ${ms(a.factorizeMs)}, RSA_PAD ${ms(a.rsaPadMs)}, two 2048-bit modPows ${ms(a.modPowsMs)})`,
  );

  out.push('');
  out.push('targets:');
  if (ours?.handshakeMs !== undefined) {
    const x = ours.handshakeMs / a.totalMs;
    out.push(`  handshake ≤ 1.5× its arithmetic: wall clock ${x.toFixed(2)}× → ${x <= 1.5 ? 'met' : 'NOT met'}` +
      ` (the wall clock includes the emulator's own RSA decryption and modPows, which the client waits for)`);
    if (ours.handshakeCpuMs !== undefined) {
      const y = ours.handshakeCpuMs / a.cpuMs;
      out.push(`                                   client CPU ${y.toFixed(2)}× (its CPU per handshake / the arithmetic's CPU) → ${y <= 1.5 ? 'met' : 'NOT met'}`);
    }
  }
  for (const [label, get] of [
    ['sequential RPC', (p: PeerResult) => perSecond(p.sequentialRpc)],
    ['pipelined pings', (p: PeerResult) => perSecond(p.pipelinedPing)],
    ['pipelined RPC', (p: PeerResult) => perSecond(p.pipelinedRpc)],
    [`RPC ≤ ${r.counts.window} in flight`, (p: PeerResult) => perSecond(p.windowedRpc)],
  ] as const) {
    const measured = peers.filter((p) => get(p) !== undefined);
    const best = Math.max(0, ...measured.map((p) => get(p)!));
    const bestName = measured.find((p) => get(p) === best)?.name;
    const o = ours ? get(ours) : undefined;
    if (o === undefined || best === 0) {
      out.push(`  ${label} ≥ 2× the faster peer: cannot tell (no figure for ours or for any peer)`);
      continue;
    }
    const x = o / best;
    out.push(`  ${label} ≥ 2× the faster peer: ${x.toFixed(2)}× ${bestName} → ${x >= 2 ? 'met' : 'NOT met'}`);
  }
  const notes = r.results.flatMap((p) => p.notes.map((n) => `  ${p.name}: ${n}`));
  if (notes.length) {
    out.push('');
    out.push('notes:');
    out.push(...notes);
  }
  const incomplete = (label: string, x: Rate | undefined) =>
    x && !x.complete ? [`${label}: ${x.done} of ${x.asked} completed in ${x.ms.toFixed(0)} ms${x.error ? ` (first failure: ${x.error})` : ''}`] : [];
  const errs = r.results.flatMap((p) => [
    ...p.errors.map((e) => `  ${p.name}: ${e}`),
    ...rows.flatMap((row) => incomplete(row.label.replace(' /s', ''), row.rate?.(p)).map((e) => `  ${p.name}: ${e}`)),
  ]);
  if (errs.length) {
    out.push('');
    out.push('failures:');
    out.push(...errs);
  }
  console.log(out.join('\n'));
}

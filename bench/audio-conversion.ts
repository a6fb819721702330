/**
 * Audio conversion: a 13-minute stereo 44.1 kHz 16-bit WAV (the longest a 25 MB upload of 16 kHz mono s16le
 * holds) converted to two 16 kHz mono uploads by the built module (dist/src/audio), in a child process started with
 * the production node flags, so that the process measured holds nothing but the conversion.
 *
 * The child generates the file (1 kHz tone + noise on the left, 3 kHz + noise on the right), starts the worker
 * threads with a 10-second file, then converts it 3 times from a regular ArrayBuffer (the gateway copies it once into
 * shared memory, in slices) and once from a SharedArrayBuffer (readIntoSharedMemory: no copy). Each run: wall time,
 * CPU time of all the child's threads, and the event loop's longest stall (perf_hooks.monitorEventLoopDelay).
 * Each output is checked: exact size, header, duration, and the right tone in the right channel.
 *
 * Targets: ≥ 100× real time (median of the regular-buffer runs), longest stall < 20 ms (worst run).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  check,
  CheckError,
  CpuMeter,
  fmtMiB,
  gitRevision,
  inheritedEnvironment,
  log,
  machine,
  markdownTable,
  sectionHeading,
  productionCommand,
  readProcMemory,
  RssSampler,
  ROOT,
  target,
  targetsMarkdown,
  targetsText,
  textTable,
  type BenchContext,
  type Benchmark,
  type BenchReport,
} from './lib.js';

const CHILD_FLAG = '--audio-conversion-child';
const SOURCE_RATE = 44_100;
const DURATION_S = 13 * 60;
const TONES = [1000, 3000];
const TONE_AMPLITUDE = 0.3;
const BUFFER_RUNS = 3;
const TARGETS = { realTime: 100, stallMs: 20 };
/** Longer than the pool's idle timeout (10 s). */
const IDLE_WAIT_MS = 12_000;

interface RunResult {
  input: 'ArrayBuffer' | 'SharedArrayBuffer';
  wallMs: number;
  cpuMs: number;
  maxStallMs: number;
  p99StallMs: number;
  /** From schedstat (Linux): the main thread's longest on-CPU stretch between 1 ms timer ticks (our own blocking). */
  longestRunMs: number | null;
  /** The longest gap between ticks minus the time the main thread waited for a core meanwhile. */
  worstGapNetOfWaitMs: number | null;
}

interface ChildResult {
  runs: RunResult[];
  warmUpMs: number;
  inputBytes: number;
  outputBytes: number[];
  rssWithInput: number;
  hwmAfterBufferRuns: number;
  /** After the worker threads' idle timeout: what the conversions left behind. */
  rssAfterIdle: number;
}

// ---- the child: generation, conversion, checks -----------------------------------------------------------------------

function stereoWav(seconds: number): Uint8Array<ArrayBuffer> {
  const frames = SOURCE_RATE * seconds;
  const bytes = new Uint8Array(44 + frames * 4);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string) => [...text].forEach((c, i) => (bytes[at + i] = c.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + frames * 4, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 2, true);
  view.setUint32(24, SOURCE_RATE, true);
  view.setUint32(28, SOURCE_RATE * 4, true);
  view.setUint16(32, 4, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, frames * 4, true);
  // 441 samples hold whole periods of both tones, so a table replaces 69 million Math.sin calls.
  const tables = TONES.map((f) => Int16Array.from({ length: 441 }, (_, i) => Math.round(TONE_AMPLITUDE * 32767 * Math.sin((2 * Math.PI * f * i) / SOURCE_RATE))));
  const samples = new Int16Array(bytes.buffer, 44, frames * 2);
  let seed = 12345;
  for (let i = 0, phase = 0; i < frames; i++, phase = phase === 440 ? 0 : phase + 1) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const noise = (seed >>> 22) - 512; // ±512: −36 dBFS of white noise
    samples[i * 2] = tables[0]![phase]! + noise;
    samples[i * 2 + 1] = tables[1]![phase]! + (noise >> 1);
  }
  return bytes;
}

function toneAmplitude(wav: Uint8Array, frequency: number, fromSample: number, count: number): number {
  const view = new DataView(wav.buffer, wav.byteOffset + 44);
  const coeff = 2 * Math.cos((2 * Math.PI * frequency) / 16000);
  let s1 = 0;
  let s2 = 0;
  let windowSum = 0;
  for (let i = 0; i < count; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (count - 1));
    windowSum += w;
    const s = (view.getInt16((fromSample + i) * 2, true) / 32768) * w + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return (2 * Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - coeff * s1 * s2))) / windowSum;
}

type AudioModule = typeof import('../src/audio/index.js');

function checkOutputs(audio: AudioModule, results: Awaited<ReturnType<AudioModule['convertToSpeechPcm']>>): number[] {
  const expectedFrames = DURATION_S * 16000;
  check(results.length === 2, `expected 2 outputs, got ${results.length}`);
  return results.map((result, index) => {
    check(result.channel === index, `output ${index} is channel ${result.channel}`);
    check(result.wav.length === 44 + expectedFrames * 2, `channel ${index}: ${result.wav.length} bytes, expected ${44 + expectedFrames * 2}`);
    check(result.durationMs === DURATION_S * 1000, `channel ${index}: ${result.durationMs} ms, expected ${DURATION_S * 1000}`);
    const info = audio.readWavHeader(result.wav);
    check(
      info.sampleRate === 16000 && info.channels === 1 && info.encoding === 's16' && info.littleEndian && info.dataOffset === 44 && info.frames === expectedFrames,
      `channel ${index}: header says ${info.description}`,
    );
    // One second from the middle: this channel's tone at its level, the other channel's tone absent.
    const middle = expectedFrames / 2;
    const own = toneAmplitude(result.wav, TONES[index]!, middle, 16000);
    const other = toneAmplitude(result.wav, TONES[1 - index]!, middle, 16000);
    check(Math.abs(20 * Math.log10(own / TONE_AMPLITUDE)) < 0.5, `channel ${index}: ${TONES[index]} Hz at ${own.toFixed(4)}, expected ${TONE_AMPLITUDE}`);
    check(20 * Math.log10(other / TONE_AMPLITUDE) < -40, `channel ${index}: the other channel's ${TONES[1 - index]} Hz tone leaked in (${other.toFixed(5)})`);
    return result.wav.length;
  });
}

async function measure(audio: AudioModule, input: Uint8Array, kind: RunResult['input']): Promise<{ run: RunResult; outputBytes: number[] }> {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  // On a shared machine a stall includes other processes' turns on our core; schedstat (on-CPU and run-queue ns
  // of the main thread) tells them apart.
  const schedstat = `/proc/${process.pid}/task/${process.pid}/schedstat`;
  const readSched = () => readFileSync(schedstat, 'utf8').split(' ').map(Number) as [number, number];
  let longestRunMs: number | null = null;
  let worstGapNetOfWaitMs: number | null = null;
  let sampler: NodeJS.Timeout | undefined;
  if (existsSync(schedstat)) {
    longestRunMs = 0;
    worstGapNetOfWaitMs = 0;
    let last = performance.now();
    let [ran, waited] = readSched();
    sampler = setInterval(() => {
      const now = performance.now();
      const [run, wait] = readSched();
      longestRunMs = Math.max(longestRunMs!, (run - ran) / 1e6);
      worstGapNetOfWaitMs = Math.max(worstGapNetOfWaitMs!, now - last - (wait - waited) / 1e6);
      [last, ran, waited] = [now, run, wait];
    }, 1);
  }
  await tick(); // a stall before the histogram's first timer would go unrecorded
  const cpu = process.cpuUsage();
  const started = performance.now();
  const results = await audio.convertToSpeechPcm(input);
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await tick();
  clearInterval(sampler);
  histogram.disable();
  const outputBytes = checkOutputs(audio, results);
  return {
    run: {
      input: kind,
      wallMs,
      cpuMs: (used.user + used.system) / 1000,
      maxStallMs: histogram.max / 1e6,
      p99StallMs: histogram.percentile(99) / 1e6,
      longestRunMs,
      worstGapNetOfWaitMs,
    },
    outputBytes,
  };
}

async function child(): Promise<void> {
  const entry = path.join(ROOT, 'dist/src/audio/index.js');
  const audio = (await import(pathToFileURL(entry).href)) as AudioModule;
  const say = (message: string) => process.stderr.write(`${message}\n`);

  const input = stereoWav(DURATION_S);
  const rssWithInput = readProcMemory(process.pid).rss;
  say(`generated ${(input.length / 1e6).toFixed(1)} MB`);

  let started = performance.now();
  await audio.convertToSpeechPcm(stereoWav(10));
  const warmUpMs = performance.now() - started;

  const runs: RunResult[] = [];
  let outputBytes: number[] = [];
  for (let i = 0; i < BUFFER_RUNS; i++) {
    const measured = await measure(audio, input, 'ArrayBuffer');
    runs.push(measured.run);
    outputBytes = measured.outputBytes;
    say(`run ${i + 1}: ${measured.run.wallMs.toFixed(0)} ms`);
  }
  const hwmAfterBufferRuns = readProcMemory(process.pid).hwm;

  // What readIntoSharedMemory(upload) gives the gateway, without a Blob copy of 138 MB in this process.
  const shared = new Uint8Array(new SharedArrayBuffer(input.length));
  shared.set(input);
  runs.push((await measure(audio, shared, 'SharedArrayBuffer')).run);

  say(`waiting ${IDLE_WAIT_MS / 1000} s for the worker threads to exit`);
  await new Promise((resolve) => setTimeout(resolve, IDLE_WAIT_MS));
  const rssAfterIdle = readProcMemory(process.pid).rss;
  await audio.closeAudioWorkers();
  const result: ChildResult = { runs, warmUpMs, inputBytes: input.length, outputBytes, rssWithInput, hwmAfterBufferRuns, rssAfterIdle };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

// ---- the parent: the child process, the report -----------------------------------------------------------------------

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function run(ctx: BenchContext): Promise<BenchReport> {
  await ctx.ensureBuilt();
  const m = machine();
  const revision = gitRevision();
  const inherited = inheritedEnvironment();
  const production = productionCommand();
  const nodeFlags = production.args.filter((arg) => !arg.endsWith('.js'));

  const childProcess = ctx.children.spawnNode(
    'audio conversion',
    [...nodeFlags, '--import', 'tsx', 'bench/audio-conversion.ts', CHILD_FLAG],
    production.env,
  );
  const sampler = new RssSampler(childProcess.pid, 100).start();
  const meter = new CpuMeter([childProcess.pid]);
  meter.start();
  let result: ChildResult;
  try {
    const line = await childProcess.waitForLine(/^(RESULT|FAILED) (.*)$/, 300_000);
    if (line[1] === 'FAILED') throw new CheckError(`audio conversion: ${line[2]}`);
    result = JSON.parse(line[2]!) as ChildResult;
  } finally {
    sampler.stop();
  }
  const { otherShare } = meter.stop();
  await childProcess.exited;
  log(`audio conversion: child done (peak RSS ${fmtMiB(sampler.peak)})`);

  const audioS = DURATION_S;
  const bufferRuns = result.runs.filter((r) => r.input === 'ArrayBuffer');
  const realTime = (r: RunResult) => (audioS * 1000) / r.wallMs;
  const medianRealTime = median(bufferRuns.map(realTime));
  const worstStall = Math.max(...result.runs.map((r) => r.maxStallMs));

  const header = ['run', 'input', 'wall s', '× real time', 'CPU s (all threads)', 'channel-s per CPU s', 'longest stall ms', 'p99 stall ms', 'stall net of CPU wait ms', 'longest own step ms'];
  const orDash = (value: number | null) => (value === null ? '–' : fmt(value, 1));
  const rows = result.runs.map((r, i) => [
    String(i + 1),
    r.input,
    fmt(r.wallMs / 1000, 2),
    fmt(realTime(r)),
    fmt(r.cpuMs / 1000, 2),
    fmt((audioS * 2 * 1000) / r.cpuMs),
    fmt(r.maxStallMs, 1),
    fmt(r.p99StallMs, 1),
    orDash(r.worstGapNetOfWaitMs),
    orDash(r.longestRunMs),
  ]);
  const memRows = [
    ['RSS with the 13-minute input generated', fmtMiB(result.rssWithInput)],
    ['VmHWM after the ArrayBuffer runs (input + its shared copy + 2 outputs + workers)', fmtMiB(result.hwmAfterBufferRuns)],
    [`peak VmRSS over the whole child, shared run included (100 ms samples)`, fmtMiB(sampler.peak)],
    [`RSS ${IDLE_WAIT_MS / 1000} s after the last run (worker threads exited; input and its shared copy still held)`, fmtMiB(result.rssAfterIdle)],
  ];
  const targets = [
    target(`speed, median of ${BUFFER_RUNS} ArrayBuffer runs`, `≥ ${TARGETS.realTime}× real time`, `${fmt(medianRealTime)}×`, medianRealTime >= TARGETS.realTime),
    target('event loop longest stall, worst run', `< ${TARGETS.stallMs} ms`, `${fmt(worstStall, 1)} ms`, worstStall < TARGETS.stallMs),
  ];
  const sizes = `each output ${fmt(result.outputBytes[0]!)} bytes (44 + 780 s × 16,000 × 2), 780.000 s`;
  const loadLine = `Other processes used ${fmt(otherShare * 100)} % of the machine's CPU while the child ran${otherShare > 0.1 ? ' — above 10 %: the figures understate this machine' : ''}.`;

  const consoleText = [
    '',
    `Audio conversion — 13 min stereo 44.1 kHz 16-bit (${fmt(result.inputBytes / 1e6, 1)} MB) → 2 × 16 kHz mono s16le; ${sizes}`,
    textTable(header, rows),
    '',
    `worker start + 10 s file: ${fmt(result.warmUpMs)} ms. ${loadLine}`,
    '',
    textTable(['child memory', 'value'], memRows),
    '',
    targetsText(targets),
    '',
  ].join('\n');

  const markdown = [
    ...sectionHeading('Audio conversion', m, ctx.command, revision),
    `- Setup: a child process (\`node ${nodeFlags.join(' ')} --import tsx bench/audio-conversion.ts\`, ${Object.entries(production.env).map(([k, v]) => `\`${k}=${v}\``).join(' ')}) ` +
      `runs the built \`dist/src/audio\` (worker threads from \`dist/src/audio/worker.js\`). It generates a 13-minute stereo 44.1 kHz 16-bit WAV ` +
      `(${fmt(result.inputBytes / 1e6, 1)} MB: 1 kHz tone + noise left, 3 kHz + noise right), starts the worker threads with a 10-second file, ` +
      `then converts it to two 16 kHz mono s16le WAVs ${BUFFER_RUNS} times from a regular ArrayBuffer (copied once into shared memory by the gateway, in 1 MiB slices) ` +
      'and once from a SharedArrayBuffer filled by `readIntoSharedMemory` (no copy).' +
      (inherited ? ` Inherited by the child: ${inherited}.` : ''),
    `- Checked on every run: ${sizes}; the header; the left output holds the 1 kHz tone at its level (±0.5 dB) with the 3 kHz tone ≥ 40 dB down, and the right one the reverse.`,
    '- "longest stall": `perf_hooks.monitorEventLoopDelay` (1 ms resolution) over the conversion. From the main thread\'s `/proc/<pid>/task/<tid>/schedstat` ' +
      'sampled by a 1 ms timer: "stall net of CPU wait", the longest gap between two ticks minus the time the thread waited for a core meanwhile (other processes\' turns), ' +
      'and "longest own step", the most on-CPU time between two ticks (the longest synchronous step of the conversion\'s main-thread side). "CPU s": `process.cpuUsage()` of the child, all threads.',
    '',
    markdownTable(header, rows, ['l', 'l', ...header.slice(2).map(() => 'r' as const)]),
    '',
    `Worker start + a 10-second file before the runs: ${fmt(result.warmUpMs)} ms. ${loadLine}`,
    '',
    markdownTable(['child memory (from /proc)', 'value'], memRows, ['l', 'r']),
    '',
    '### Targets',
    '',
    targetsMarkdown(targets),
  ].join('\n');

  return { console: consoleText, markdown, targets, failures: [] };
}

export const audioConversion: Benchmark = { id: 'audio-conversion', title: 'Audio conversion', run };

if (process.argv.includes(CHILD_FLAG)) {
  child().catch((error: unknown) => {
    // A failed check is reported as such by the parent; anything else is "could not run".
    if (error instanceof CheckError) process.stdout.write(`FAILED ${error.message.replace(/\n/g, ' ')}\n`);
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

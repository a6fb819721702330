/**
 * Uploads held once: one 450 MB `startEmotionTask` upload through the built gateway (production command) to the
 * Phonexia simulator, both on loopback. The bench writes a 450 MB PCM WAV to a temporary file and streams it as a
 * GraphQL multipart request (undici, from a disk-backed Blob, so the bench itself holds nothing); the gateway's
 * resident memory is sampled every 20 ms from before the request until well after its answer.
 *
 * Target (issue 11): peak RSS above idle at most 1.2x the file size. Today's figure (before this work): 2.37 GB
 * for one 450 MB upload.
 */
import { createWriteStream, openAsBlob } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import {
  fmtMiB,
  gitRevision,
  inheritedEnvironment,
  log,
  machine,
  machineMarkdown,
  markdownTable,
  readProcMemory,
  RssSampler,
  sampleRss,
  sleep,
  startBuiltGateway,
  target,
  targetsMarkdown,
  targetsText,
  textTable,
  type BenchContext,
  type Benchmark,
  type BenchReport,
} from './lib.js';

const FILE_BYTES = 450 * 1000 * 1000;
const TODAY = { peakAboveIdle: '2.37 GB (5.3x)', note: 'issue 11, measured before uploads went to disk' };

/** A valid 16-bit stereo 8 kHz PCM WAV of about `bytes`, written in 4 MB blocks of a quiet tone. */
async function writeWav(file: string, bytes: number): Promise<number> {
  const dataBytes = bytes - 44 - ((bytes - 44) % 4);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(2, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(32000, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(dataBytes, 40);
  const block = Buffer.alloc(4 * 1024 * 1024);
  for (let i = 0; i < block.length; i += 2) block.writeInt16LE(Math.round(2000 * Math.sin(i / 20)), i);
  const out = createWriteStream(file);
  out.write(header);
  for (let written = 0; written < dataBytes; ) {
    const n = Math.min(block.length, dataBytes - written);
    if (!out.write(n === block.length ? block : block.subarray(0, n))) await once(out, 'drain');
    written += n;
  }
  out.end();
  await once(out, 'finish');
  return 44 + dataBytes;
}

async function run(ctx: BenchContext): Promise<BenchReport> {
  await ctx.ensureBuilt();
  const failures: string[] = [];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-uploads-'));
  try {
    const file = path.join(dir, 'long-call.wav');
    const size = await writeWav(file, FILE_BYTES);
    log(`uploads: wrote ${fmtMiB(size)} WAV`);
    const simulator = ctx.children.spawnNode('phonexia simulator', ['--import', 'tsx', 'src/simulators/cli.ts', 'phonexia', '--port', '0', '--pending-ms', '0', '--running-ms', '60000']);
    const simulatorUrl = (await simulator.waitForLine(/listening on (http:\/\/\S+)/, 20_000))[1]!;
    const { child, url } = await startBuiltGateway(ctx.children, { PHONEXIA_BASE_URL: simulatorUrl, SANDBOX: 'false', LOG_LEVEL: 'warn' });
    const pid = child.pid;
    await sleep(1000);
    const idleSamples = await sampleRss(pid, 5, 100);
    const idle = Math.max(...idleSamples);

    const form = new FormData();
    form.append('operations', JSON.stringify({
      query: 'mutation($input: StartEmotionTaskInput!) { startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } ... on Error { message } } }',
      variables: { input: { file: null } },
    }));
    form.append('map', JSON.stringify({ 0: ['variables.input.file'] }));
    form.append('0', await openAsBlob(file, { type: 'audio/wav' }), 'long-call.wav');

    const sampler = new RssSampler(pid, 20).start();
    const started = performance.now();
    const response = await fetch(`${url}/graphql`, { method: 'POST', body: form, headers: { 'x-graphql-yoga-csrf': '1' } });
    const answer = (await response.json()) as { data?: { startEmotionTask?: { __typename: string; message?: string } } };
    const seconds = (performance.now() - started) / 1000;
    await sleep(1000);
    sampler.stop();
    const hwm = readProcMemory(pid).hwm;
    const peak = Math.max(sampler.peak, hwm);
    const kind = answer.data?.startEmotionTask?.__typename;
    if (kind !== 'StartEmotionTaskSuccess') failures.push(`the upload did not start a task: ${JSON.stringify(answer).slice(0, 300)}`);
    const above = peak - idle;
    const ratio = above / size;

    const rows = [
      ['file', fmtMiB(size)],
      ['gateway idle RSS before', fmtMiB(idle)],
      ['gateway peak RSS (20 ms samples and VmHWM)', fmtMiB(peak)],
      ['peak above idle', `${fmtMiB(above)} (${ratio.toFixed(2)}x the file)`],
      ['request time (upload to Phonexia included)', `${seconds.toFixed(1)} s (${(size / 1e6 / seconds).toFixed(0)} MB/s)`],
      ['today (before)', `${TODAY.peakAboveIdle}, ${TODAY.note}`],
    ];
    const targets = [target('one 450 MB upload: peak RSS above idle', '≤ 1.2x the file size', `${ratio.toFixed(2)}x`, ratio <= 1.2)];
    const m = machine();
    const markdown = [
      '## Uploads',
      '',
      `- Date: ${new Date().toISOString()}`,
      `- Machine: ${machineMarkdown(m)}`,
      `- Command: \`${ctx.command}\``,
      `- Code: commit ${gitRevision() ?? 'unknown'}${inheritedEnvironment()}`,
      '- Setup: the built gateway (production command, `PHONEXIA_BASE_URL` = the Phonexia simulator CLI, both on loopback); one `startEmotionTask` with a 450 MB PCM WAV, streamed by the bench from a temporary file (a disk-backed Blob) as a GraphQL multipart request. The gateway writes the upload to a temporary file and streams it on to Phonexia.',
      '',
      markdownTable(['figure', 'value'], rows, ['l', 'r']),
      '',
      '### Targets',
      '',
      targetsMarkdown(targets),
    ].join('\n');
    return { console: `${textTable(['figure', 'value'], rows)}\n\n${targetsText(targets)}`, markdown, targets, failures };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const uploads: Benchmark = { id: 'uploads', title: 'Uploads', run };


#!/usr/bin/env node
// bench.js - times the official npm "twitter-text" (v3.1.0) over a corpus,
// node timing its own loop, for the side-by-side comparison of
// TestPeerSpeed.
//
// usage: node bench.js CORPUS.jsonl [--min-ms N]
//   CORPUS: one JSON string per line (testdata/corpus.jsonl).
//   Each function runs over the whole corpus once to warm up the JIT, then
//   over and over until at least N ms (default 1000) have passed.
//   stdout: {"texts":N,"parseTweetNs":X,"extractNs":Y,"parseTweetCpuNs":X2,
//   "extractCpuNs":Y2}: wall-clock (X, Y) and CPU time of the process, user
//   and system, all threads (X2, Y2), in nanoseconds per text. CPU time
//   is the figure to compare on a shared machine: other processes' load
//   lengthens the wall-clock time but not the CPU time spent.
'use strict';
const fs = require('fs');
const twttr = require('twitter-text');

const args = process.argv.slice(2);
if (args.length < 1) {
  process.stderr.write('usage: node bench.js CORPUS.jsonl [--min-ms N]\n');
  process.exit(2);
}
let minMs = 1000;
for (let i = 1; i < args.length; i++) {
  if (args[i] === '--min-ms') minMs = Number(args[++i]);
}
const texts = fs.readFileSync(args[0], 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));

let sink = 0;
// time returns [wall, cpu] nanoseconds per text.
function time(fn) {
  for (const t of texts) sink += fn(t) ? 1 : 0; // warm-up
  let n = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  const min = BigInt(minMs) * 1000000n;
  do {
    for (const t of texts) sink += fn(t) ? 1 : 0;
    n += texts.length;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < min);
  const cpu = process.cpuUsage(cpu0); // microseconds
  return [Number(elapsed) / n, ((cpu.user + cpu.system) * 1000) / n];
}

const [parseTweetNs, parseTweetCpuNs] = time((t) => twttr.parseTweet(t).valid);
const [extractNs, extractCpuNs] = time((t) => twttr.extractEntitiesWithIndices(t).length);
process.stdout.write(JSON.stringify({ texts: texts.length, parseTweetNs, extractNs, parseTweetCpuNs, extractCpuNs, sink: sink > 0 }) + '\n');

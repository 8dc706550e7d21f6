#!/usr/bin/env node
// extract.js - side-by-side oracle for entity extraction, using the official
// npm "twitter-text" (v3.1.0) extractEntitiesWithIndices().
//
// usage: node extract.js < lines.jsonl
//   stdin : one JSON string per line
//   stdout: one JSON array per input line, same order, of
//           [kind, start, end] with kind url|mention|hashtag|cashtag and
//           start/end in UTF-16 code units.
//   A line that is not a JSON string yields {"error":"..."} and makes the
//   exit status 1 (after all lines are processed).
'use strict';
const readline = require('readline');
const twttr = require('twitter-text');

const kind = (e) => e.url !== undefined ? 'url'
  : e.hashtag !== undefined ? 'hashtag'
  : e.screenName !== undefined ? 'mention' : 'cashtag';

let bad = 0;
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (line.trim() === '') return;
  let text;
  try {
    text = JSON.parse(line);
    if (typeof text !== 'string') throw new Error('line is JSON but not a string');
  } catch (e) {
    bad++;
    process.stdout.write(JSON.stringify({ error: e.message }) + '\n');
    return;
  }
  const ents = twttr.extractEntitiesWithIndices(text).map((e) => [kind(e), e.indices[0], e.indices[1]]);
  process.stdout.write(JSON.stringify(ents) + '\n');
});
// process.exit would drop output still queued for a pipe: set the status and let node drain stdout.
rl.on('close', () => { process.exitCode = bad > 0 ? 1 : 0; });

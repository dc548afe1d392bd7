/**
 * One of the benchmark's worker processes: takes conversation ids from a Redis list and fetches
 * their messages with our client, whose rate limiter is shared with the other processes through
 * Redis. Prints one JSON line with what it did when the list hands it the end marker.
 */
import { Redis } from 'ioredis';
import { createKlaviyoClient } from '../src/klaviyo/index.js';
import { SANDBOX_KEYS } from '../src/sandbox/index.js';
import { END_OF_WORK, READY } from './pull-shared.js';

const [baseUrl, redisUrl, listKey, scaleText] = process.argv.slice(2);
if (!baseUrl || !redisUrl || !listKey || !scaleText) {
  throw new Error('usage: pull-worker <baseUrl> <redisUrl> <listKey> <scale>');
}
const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
const queue = new Redis(redisUrl, { maxRetriesPerRequest: null });
const client = createKlaviyoClient({
  apiKey: SANDBOX_KEYS.read,
  baseUrl,
  redis,
  rateLimits: { scale: Number(scaleText) },
});

// Booting tsx takes seconds on a busy machine: the bench starts listing once every worker is up,
// so it measures pacing, not start-up.
await Promise.all([redis.ping(), queue.ping()]);
process.stdout.write(`${READY}\n`);

let conversations = 0;
let messages = 0;
let peakRss = process.memoryUsage().rss;
const fetchOne = async (): Promise<boolean> => {
  const popped = await queue.blpop(listKey, 0);
  const id = popped?.[1];
  if (!id || id === END_OF_WORK) return false;
  for await (const _message of client.conversations.messages(id)) messages += 1;
  conversations += 1;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return true;
};
// One in-flight request per process: four processes make four in flight, like the single
// process's three workers, and the shared limiter sets the pace for all of them.
while (await fetchOne());
process.stdout.write(`${JSON.stringify({ conversations, messages, peakRss })}\n`);
redis.disconnect();
queue.disconnect();

// A worker process for the Redis limiter property test: per request line on stdin, acquires at the given offsets and answers with the grant times Redis counted.
import { createInterface } from 'node:readline';
import { createRedisRateLimiter } from '@qlik-oem/fleet-bullmq';
import { Redis } from 'ioredis';

interface Round {
  host: string;
  tier: { name: string; perMinute: number; windowMinutes: number };
  /** Real ms after the round starts at which each acquire is issued (they overlap). */
  offsets: number[];
}

const [url, scale] = process.argv.slice(2);
const client = new Redis(url!);
const limiter = createRedisRateLimiter({ client, timeScale: Number(scale) });
process.stdout.write('ready\n');

for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'quit') break;
  const round = JSON.parse(line) as Round;
  const key = { host: round.host, tier: round.tier, credentialId: 'c1' };
  const grants: number[] = [];
  const onGrant = ({ grantedAt }: { grantedAt: number }) => grants.push(grantedAt);
  limiter.onGrant = onGrant;
  await Promise.all(
    round.offsets.map(
      (offset) =>
        new Promise<void>((resolve) => setTimeout(() => void limiter.acquire(key).then(() => resolve()), offset)),
    ),
  );
  process.stdout.write(`${JSON.stringify({ grants })}\n`);
}
await client.quit();

// The queue every process of the example uses, and the BullMQ connection options from a Redis URL.
export const QUEUE_NAME = 'qlik-oem-fleet';

export function redisConnection(url: string) {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 6379), maxRetriesPerRequest: null };
}

import { z } from 'zod';

export const ListeningPort = z.object({
  port: z.number().int().min(1).max(65535),
  address: z.string(),
  family: z.enum(['ipv4', 'ipv6']),
});
export type ListeningPort = z.infer<typeof ListeningPort>;

export const ListResult = z.object({ ports: z.array(ListeningPort) });

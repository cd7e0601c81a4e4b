import type { Middleware } from 'koa';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one server process. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'slipway_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });
  readonly wsConnections = new Gauge({ name: 'slipway_ws_connections', help: 'Open WebSocket connections', registers: [this.registry] });
  readonly wsMessages = new Counter({ name: 'slipway_ws_messages_total', help: 'WebSocket requests by method and outcome', labelNames: ['method', 'outcome'], registers: [this.registry] });

  readonly reconcileSteps = new Histogram({
    name: 'slipway_reconcile_step_seconds',
    help: 'Reconcile steps by desired state and outcome (ok, error, lease_lost)',
    labelNames: ['desired', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor(options: { defaults?: boolean } = {}) {
    if (options.defaults ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'slipway_' });
  }

  middleware(): Middleware {
    return async (ctx, next) => {
      const end = this.httpDuration.startTimer();
      try {
        await next();
      } finally {
        const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
        end({ method: ctx.method, route: String(route), status: String(ctx.status) });
      }
    };
  }
}

/** Projects by status, read from the database when scraped (so every replica reports the same). */
export function projectStatusGauge(metrics: Metrics, count: () => Promise<{ status: string; n: number }[]>): void {
  new Gauge({
    name: 'slipway_projects',
    help: 'Projects by status',
    labelNames: ['status'],
    registers: [metrics.registry],
    async collect() {
      this.reset();
      for (const row of await count()) this.set({ status: row.status }, row.n);
    },
  });
}

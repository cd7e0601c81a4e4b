import type { Config } from '../../config';

/** The `agent` config section for tests: the scripted server as the model, quick retries. */
export function agentTestConfig(baseUrl: string | null, overrides: Partial<Config['agent']> = {}): Config['agent'] {
  return {
    model: baseUrl === null ? null : { kind: 'openai', model: 'test-model', baseUrl, apiKey: 'sk-test-agent-0123456789' },
    // Team models are refused on loopback unless a test allows it as an admin would.
    allowPrivateModelHosts: false,
    modelHostAllowList: [],
    maxSteps: 40,
    maxTokens: 4096,
    contextTokens: 128_000,
    staleTurnSeconds: 30,
    retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40 },
    ...overrides,
  };
}

import { z } from 'zod';

/**
 * MCP (Model Context Protocol) servers of a project: declared in the workspace's `.slipway/mcp.json`
 * (VS Code's `mcp.json` shape) and/or in the project's settings. A stdio server runs inside the
 * sandbox; an HTTP (streamable) server is reached from the sandbox's network. Their tools join the
 * agent's as `<server>__<tool>`.
 */
export const MCP_CONFIG_PATH = '.slipway/mcp.json';
export const MAX_MCP_SERVERS = 16;
export const MAX_MCP_CONFIG_BYTES = 64 * 1024;
/** Between a server's name and its tool's name in the agent's tool names. */
export const MCP_TOOL_SEPARATOR = '__';

export const McpServerName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/, 'a server name is 1-32 letters, digits and dashes, starting with a letter or digit');
const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name is letters, digits and underscores');
const HeaderName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/, 'not a valid HTTP header name');
const bounded = <T extends z.ZodType>(record: T, max: number, what: string) =>
  record.refine((value) => Object.keys(value as object).length <= max, `at most ${max} ${what}`);

export const McpStdioServer = z.strictObject({
  type: z.literal('stdio').optional(),
  command: z.string().min(1).max(1024),
  args: z.array(z.string().max(8192)).max(100).default([]),
  env: bounded(z.record(EnvName, z.string().max(8192)), 50, 'environment variables').default({}),
});
export const McpHttpServer = z.strictObject({
  type: z.literal('http').optional(),
  url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).max(2048),
  headers: bounded(z.record(HeaderName, z.string().max(8192).regex(/^[^\r\n]*$/, 'no line breaks in header values')), 20, 'headers').default({}),
});
export const McpServerConfig = z.union([McpStdioServer, McpHttpServer]);
export type McpServerConfig = z.infer<typeof McpServerConfig>;
export type McpServerConfigIn = z.input<typeof McpServerConfig>;
export const isStdioServer = (server: McpServerConfig): server is z.infer<typeof McpStdioServer> => 'command' in server;

export const McpServers = bounded(z.record(McpServerName, McpServerConfig), MAX_MCP_SERVERS, 'servers');

/** `.slipway/mcp.json`; VS Code's `inputs` (prompted variables) are not supported and ignored. */
export const McpConfigFile = z.object({ servers: McpServers.default({}), inputs: z.array(z.unknown()).max(100).optional() });

/** A tool as `<server>__<tool>`. */
export const McpToolName = z.string().max(64).regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,31}__[A-Za-z0-9_-]{1,61}$/, 'a tool is named <server>__<tool> (as the agent sees it)');

/** What the API shows for a stored env or header value; sent back, it keeps the stored value. */
export const HIDDEN_VALUE = '<hidden>';

/**
 * Whether a server's tools ask before they run: `ask` (the default: the project's `mcp` approval
 * category decides, which asks unless set to `auto` for every server) or `auto` (a server the user
 * trusts: its tools run without asking). Read-only tools never ask. Set only in the project's
 * settings, never by the workspace's file (which the agent can write).
 */
export const McpApproval = z.enum(['ask', 'auto']);
export type McpApproval = z.infer<typeof McpApproval>;
export const McpServerApprovals = bounded(z.record(McpServerName, McpApproval), MAX_MCP_SERVERS * 2, 'server approvals');

/** The project's own MCP settings (REST): servers besides the workspace's, tools turned off, servers trusted. */
export const ProjectMcpSettings = z.object({
  servers: McpServers,
  /** Namespaced tool names the agent must not see (`server__tool`). */
  disabledTools: z.array(McpToolName).max(500),
  /** Servers (of the settings or the workspace, by name) whose tools run without asking; absent: `ask`. */
  approvals: McpServerApprovals,
});
export type ProjectMcpSettings = z.infer<typeof ProjectMcpSettings>;
export const PutProjectMcpSettingsBody = z.strictObject({
  servers: McpServers.optional(),
  disabledTools: z.array(McpToolName).max(500).optional(),
  /** Replaces the per-server approvals (`ask` entries are the default and not kept). */
  approvals: McpServerApprovals.optional(),
});

/** The server a namespaced tool (`server__tool`) belongs to. */
export const mcpServerOf = (tool: string): string => tool.split(MCP_TOOL_SEPARATOR, 1)[0]!;

export const McpServerState = z.enum(['starting', 'ready', 'failed']);
export const McpToolInfo = z.object({ name: z.string().max(100), description: z.string().max(1000), readOnly: z.boolean(), enabled: z.boolean() });
export const McpServerStatus = z.object({
  name: McpServerName,
  source: z.enum(['workspace', 'settings']),
  transport: z.enum(['stdio', 'http']),
  state: McpServerState,
  /** Why it is not up (the last failure), short. */
  error: z.string().max(2000).nullable(),
  restarts: z.number().int().nonnegative(),
  tools: z.array(McpToolInfo).max(200),
});
export type McpServerStatus = z.infer<typeof McpServerStatus>;
/** What the project's MCP servers are doing now (REST), plus a config file that did not parse. */
export const McpStatusReport = z.object({ servers: z.array(McpServerStatus).max(MAX_MCP_SERVERS * 2), configError: z.string().max(2000).nullable() });
export type McpStatusReport = z.infer<typeof McpStatusReport>;

import type { McpStatusReport } from '../protocol/mcp';
import { el } from './render-items';

const STATE_MARKS = { ready: '●', starting: '○', failed: '✗' } as const;

/**
 * The project's MCP servers, compact: a one-line summary ("MCP · 2 up, 1 failed") that opens to
 * each server with its state, its tools (those turned off struck through) and a failing one's
 * error. Nothing when the project has none.
 */
export function mcpSection(report: McpStatusReport | null): HTMLElement[] {
  if (!report || (report.servers.length === 0 && !report.configError)) return [];
  const up = report.servers.filter((s) => s.state === 'ready').length;
  const failed = report.servers.filter((s) => s.state === 'failed').length;
  const details = el('details', 'mcp-box') as HTMLDetailsElement;
  details.dataset.testid = 'mcp';
  details.open = failed > 0 || report.configError !== null;
  details.append(el('summary', failed ? 'mcp-failed' : '', `MCP · ${up} up${failed ? `, ${failed} failed` : ''}`));
  if (report.configError) details.append(el('div', 'mcp-error', report.configError));
  for (const server of report.servers) {
    const row = el('div', `mcp-server ${server.state}`);
    row.dataset.server = server.name;
    const restarts = server.restarts ? ` · restarted ${server.restarts}×` : '';
    row.append(el('div', 'mcp-name', `${STATE_MARKS[server.state]} ${server.name} (${server.transport}, ${server.source})${restarts}`));
    if (server.error) row.append(el('pre', 'mcp-error', server.error));
    if (server.tools.length) {
      const tools = el('ul', 'mcp-tools');
      for (const tool of server.tools) {
        const item = el('li', tool.enabled ? '' : 'off', tool.name.slice(server.name.length + 2));
        item.title = `${tool.description}${tool.readOnly ? ' (read-only)' : ''}${tool.enabled ? '' : ' (turned off)'}`;
        tools.append(item);
      }
      row.append(tools);
    }
    details.append(row);
  }
  return [details];
}

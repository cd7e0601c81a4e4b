-- Per MCP server, whether its tools ask before they run: only `auto` entries are stored
-- ({"github": "auto"}); a server not listed asks (or follows the project's `mcp` category).
ALTER TABLE project_mcp_settings ADD COLUMN server_approvals jsonb NOT NULL DEFAULT '{}';

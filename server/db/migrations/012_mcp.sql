-- A project's own MCP servers (besides the workspace's .slipway/mcp.json), sealed with the server's
-- SecretBox (context `mcp-servers:<project id>`: their env and headers often hold API keys), and the
-- MCP tools turned off for its agent.
CREATE TABLE project_mcp_settings (
  project_id uuid PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
  servers bytea,
  disabled_tools jsonb NOT NULL DEFAULT '[]',
  updated_at timestamptz NOT NULL DEFAULT now()
);

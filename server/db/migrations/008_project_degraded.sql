-- DEGRADED: the sandbox runs but its daemon cannot start processes (e.g. its pids are used up).
ALTER TABLE projects DROP CONSTRAINT projects_status_check;
ALTER TABLE projects ADD CONSTRAINT projects_status_check CHECK (status IN ('CREATING', 'STARTING', 'RUNNING', 'STOPPING', 'STOPPED',
  'TERMINATING', 'TERMINATED', 'ERROR', 'PARTIAL', 'DEGRADED'));

-- Per-team sandbox limits ({cpus, memoryMb, pids}, any subset); NULL = the server's defaults.
ALTER TABLE teams ADD COLUMN sandbox_limits jsonb;

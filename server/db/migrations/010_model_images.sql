-- Whether a team's model is sent images the user attaches; NULL: the default for its provider and
-- endpoint (server/agent/context/image-support.ts).
ALTER TABLE team_model_settings ADD COLUMN supports_images boolean;

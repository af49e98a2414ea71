-- octroi, PostgreSQL schema 0013: as migrations/sqlite/0013_import_other_fields.sql, an imported
-- award's other columns as a JSON object in text ({"header": "value"}, "{}" when none). Dialect
-- difference: the object is checked by a cast to jsonb instead of json_valid/json_type.
ALTER TABLE imported_awards ADD COLUMN other_fields text NOT NULL DEFAULT '{}'
  CHECK (jsonb_typeof(other_fields::jsonb) = 'object');

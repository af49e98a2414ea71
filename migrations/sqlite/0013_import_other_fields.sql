-- octroi, SQLite schema 0013: an imported award keeps the columns of its line that octroi does
-- not read into a field of its own (issue 17, finding 1: a column the importer did not know was
-- "ignored", and lines that differed only there were dropped as duplicates). A JSON object
-- {"header": "value"} of the line's other cells that are not empty, in the file's order; "{}"
-- for the awards imported before.
ALTER TABLE imported_awards ADD COLUMN other_fields TEXT NOT NULL DEFAULT '{}'
  CHECK (json_valid(other_fields) AND json_type(other_fields) = 'object');

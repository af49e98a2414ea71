-- octroi, PostgreSQL schema 0012: the accounts' life cycle (issue 16, finding 5), as
-- migrations/sqlite/0012_account_life.sql: same columns in the same order, same rules.
--
-- Dialect differences from the SQLite file:
--   - users.must_change_password is boolean (as users.active), without its IN (0, 1) check;
--   - api_tokens.expires_at is NOT NULL once the existing tokens have their date (SQLite cannot
--     add a NOT NULL column without a default: a trigger refuses NULL there);
--   - the triggers call plpgsql functions raising SQLSTATE 23001 (restrict_violation), as
--     octroi_refuse_change() does; they keep the SQLite triggers' names and messages.

ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
ALTER TABLE api_tokens ADD COLUMN owner_user_id bigint REFERENCES users(id);
ALTER TABLE api_tokens ADD COLUMN expires_at text
  CHECK (expires_at ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$');
UPDATE api_tokens
SET expires_at = to_char(now() AT TIME ZONE 'UTC' + interval '90 days', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
  owner_user_id = (SELECT u.id FROM users u WHERE u.authority_id = api_tokens.authority_id
                     AND u.role = 'administrator' AND u.active ORDER BY u.id LIMIT 1);
UPDATE api_tokens SET revoked_at = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
WHERE owner_user_id IS NULL AND revoked_at IS NULL;
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;
CREATE INDEX api_tokens_by_owner ON api_tokens (owner_user_id);

CREATE FUNCTION octroi_api_token_owned() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.owner_user_id IS NULL AND NEW.revoked_at IS NULL)
     OR (NEW.owner_user_id IS NOT NULL AND NOT EXISTS (
       SELECT 1 FROM users WHERE id = NEW.owner_user_id AND authority_id = NEW.authority_id)) THEN
    RAISE EXCEPTION 'an API token has an owner of its authority and an expiry'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER api_tokens_owned BEFORE INSERT ON api_tokens
FOR EACH ROW EXECUTE FUNCTION octroi_api_token_owned();
CREATE TRIGGER api_tokens_owner_kept
BEFORE UPDATE OF owner_user_id, expires_at, revoked_at ON api_tokens
FOR EACH ROW WHEN (NEW.owner_user_id IS DISTINCT FROM OLD.owner_user_id
                   OR (NEW.owner_user_id IS NULL AND NEW.revoked_at IS NULL))
EXECUTE FUNCTION octroi_refuse_change('an API token keeps its owner and its expiry');

CREATE FUNCTION octroi_keep_an_administrator() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.role = 'administrator' AND OLD.active
     AND (NOT NEW.active OR NEW.role <> 'administrator')
     AND NOT EXISTS (SELECT 1 FROM users WHERE authority_id = OLD.authority_id AND id <> OLD.id
                                           AND role = 'administrator' AND active) THEN
    RAISE EXCEPTION 'an authority keeps an active administrator'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER users_keep_an_administrator BEFORE UPDATE OF active, role ON users
FOR EACH ROW EXECUTE FUNCTION octroi_keep_an_administrator();

-- octroi, SQLite schema 0012: the accounts' life cycle (issue 16, finding 5: "accounts never
-- end"). An administrator deactivates and reactivates an account, resets another agent's
-- password and may require a new one at the next login; an API token belongs to an account and
-- expires.
--
-- users.must_change_password: 1 while the account must choose a new password before anything
--   else (after a reset by an administrator, or when required); cleared by the change.
-- api_tokens.owner_user_id: the account the token belongs to, of the token's authority. A token
--   never acts beyond its owner (the same role, or a reader's) and stops when the owner is
--   deactivated. The tokens issued before this migration are given to the authority's first
--   active administrator (whose rights cover every role); a token of an authority without an
--   active administrator is revoked (nobody could answer for it): NULL only then.
-- api_tokens.expires_at: the instant the token stops ('YYYY-MM-DDTHH:MM:SSZ', compared as a
--   string). Tokens issued before this migration expire 90 days after it ran.
-- An authority keeps at least one active administrator: the last one can be neither
--   deactivated nor given another role (users_keep_an_administrator), so that nobody is locked
--   out of the accounts for good.

ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0
  CHECK (must_change_password IN (0, 1));
ALTER TABLE api_tokens ADD COLUMN owner_user_id INTEGER REFERENCES users(id);
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT
  CHECK (expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z');
UPDATE api_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+90 days'),
  owner_user_id = (SELECT u.id FROM users u WHERE u.authority_id = api_tokens.authority_id
                     AND u.role = 'administrator' AND u.active = 1 ORDER BY u.id LIMIT 1);
UPDATE api_tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
WHERE owner_user_id IS NULL AND revoked_at IS NULL;
CREATE INDEX api_tokens_by_owner ON api_tokens (owner_user_id);

-- A new token has an owner of its authority and an expiry; neither is taken away afterwards.
-- (An ownerless token, revoked, comes only from `db copy` of a database migrated as above.)
CREATE TRIGGER api_tokens_owned BEFORE INSERT ON api_tokens
WHEN NEW.expires_at IS NULL OR (NEW.owner_user_id IS NULL AND NEW.revoked_at IS NULL)
  OR (NEW.owner_user_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.owner_user_id
                                            AND authority_id = NEW.authority_id))
BEGIN SELECT RAISE(ABORT, 'an API token has an owner of its authority and an expiry'); END;
CREATE TRIGGER api_tokens_owner_kept
BEFORE UPDATE OF owner_user_id, expires_at, revoked_at ON api_tokens
WHEN NEW.owner_user_id IS NOT OLD.owner_user_id OR NEW.expires_at IS NULL
  OR (NEW.owner_user_id IS NULL AND NEW.revoked_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'an API token keeps its owner and its expiry'); END;

CREATE TRIGGER users_keep_an_administrator BEFORE UPDATE OF active, role ON users
WHEN OLD.role = 'administrator' AND OLD.active = 1
  AND (NEW.active = 0 OR NEW.role <> 'administrator')
  AND NOT EXISTS (SELECT 1 FROM users WHERE authority_id = OLD.authority_id AND id <> OLD.id
                                        AND role = 'administrator' AND active = 1)
BEGIN SELECT RAISE(ABORT, 'an authority keeps an active administrator'); END;

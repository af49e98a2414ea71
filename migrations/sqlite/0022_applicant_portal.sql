-- octroi, SQLite schema 0022: the applicant portal (issue 19), first part.
--
-- applicant_accounts: the people who apply (demandeurs), per authority, by e-mail (lower case,
--   unique in the authority) and an argon2id password; verified once they follow the link sent
--   to their address. Never an agent: agents are `users`, and no table joins the two.
-- applicant_sessions: their login sessions (the SHA-256 of the cookie, as for agents).
-- applicant_codes: one-time codes sent by e-mail (address verification, password reset), only
--   their SHA-256, each with its expiry and the instant it was used.
-- applicant_memberships: the organisations (parties) an account acts for. The account that
--   registers a party is its owner; one that claims a party the authority already knew waits
--   ('pending', no right at all) until an agent confirms it; the others come by an invitation of
--   a member (applicant_invitations).
-- portal_dossiers: the dossiers an applicant created, and by whom.
-- application_receipts: the acknowledgement of receipt of each submission (CRPA L112-3, R112-5):
--   when it was received and the day an implicit rejection follows two months of silence
--   (L231-4). Never changed nor deleted.
-- outgoing_mail: the e-mails to send (outbox): written in the transaction of the act that causes
--   them, sent afterwards, so that no e-mail leaves for an act that was rolled back.
CREATE TABLE applicant_accounts (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  email TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND email = lower(email)
                             AND email GLOB '?*@?*' AND email NOT GLOB '*[ <>\"]*'),
  display_name TEXT NOT NULL CHECK (length(trim(display_name)) BETWEEN 1 AND 120),
  password_hash TEXT NOT NULL CHECK (substr(password_hash, 1, 10) = '$argon2id$'),
  verified_at TEXT,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at TEXT NOT NULL,
  UNIQUE (authority_id, email)
) STRICT;

CREATE TABLE applicant_sessions (
  token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
  account_id INTEGER NOT NULL REFERENCES applicant_accounts(id),
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  csrf_token TEXT NOT NULL CHECK (length(csrf_token) >= 32),
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX applicant_sessions_by_account ON applicant_sessions (account_id);

CREATE TABLE applicant_codes (
  code_hash TEXT PRIMARY KEY CHECK (length(code_hash) = 64),
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  account_id INTEGER NOT NULL REFERENCES applicant_accounts(id),
  purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset')),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
) STRICT;
CREATE INDEX applicant_codes_by_account ON applicant_codes (account_id, purpose);

CREATE TABLE applicant_memberships (
  account_id INTEGER NOT NULL REFERENCES applicant_accounts(id),
  party_id INTEGER NOT NULL REFERENCES parties(id),
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  role TEXT NOT NULL CHECK (role IN ('owner', 'member', 'pending')),
  since TEXT NOT NULL,
  invited_by INTEGER REFERENCES applicant_accounts(id),
  PRIMARY KEY (account_id, party_id),
  CHECK ((role = 'member') = (invited_by IS NOT NULL))
) STRICT;
CREATE INDEX applicant_memberships_by_party ON applicant_memberships (party_id);
-- One owner per party; the account and the party are of the row's authority.
CREATE UNIQUE INDEX applicant_memberships_one_owner ON applicant_memberships (party_id)
  WHERE role = 'owner';
CREATE TRIGGER applicant_memberships_one_authority BEFORE INSERT ON applicant_memberships
WHEN NOT EXISTS (SELECT 1 FROM applicant_accounts a WHERE a.id = NEW.account_id
                   AND a.authority_id = NEW.authority_id)
  OR NOT EXISTS (SELECT 1 FROM parties p WHERE p.id = NEW.party_id
                   AND p.authority_id = NEW.authority_id)
BEGIN SELECT RAISE(ABORT, 'a membership joins an account and a party of one authority'); END;

CREATE TABLE applicant_invitations (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  party_id INTEGER NOT NULL REFERENCES parties(id),
  email TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND email = lower(email)),
  code_hash TEXT NOT NULL UNIQUE CHECK (length(code_hash) = 64),
  invited_by INTEGER NOT NULL REFERENCES applicant_accounts(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  accepted_at TEXT,
  accepted_by INTEGER REFERENCES applicant_accounts(id),
  CHECK ((accepted_at IS NULL) = (accepted_by IS NULL))
) STRICT;
CREATE TRIGGER applicant_invitations_by_a_member BEFORE INSERT ON applicant_invitations
WHEN NOT EXISTS (SELECT 1 FROM applicant_memberships m WHERE m.account_id = NEW.invited_by
                   AND m.party_id = NEW.party_id AND m.authority_id = NEW.authority_id
                   AND m.role <> 'pending')
BEGIN SELECT RAISE(ABORT, 'only a member of the organisation invites to it'); END;

CREATE TABLE portal_dossiers (
  application_id INTEGER PRIMARY KEY REFERENCES applications(id),
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  account_id INTEGER NOT NULL REFERENCES applicant_accounts(id),
  created_at TEXT NOT NULL
) STRICT;
CREATE TRIGGER portal_dossiers_by_a_member BEFORE INSERT ON portal_dossiers
WHEN NOT EXISTS (SELECT 1 FROM applications a JOIN applicant_memberships m
                   ON m.party_id = a.party_id AND m.account_id = NEW.account_id
                   AND m.role <> 'pending'
                 WHERE a.id = NEW.application_id AND a.authority_id = NEW.authority_id)
BEGIN SELECT RAISE(ABORT, 'an applicant creates dossiers of their organisations only'); END;

CREATE TABLE application_receipts (
  application_id INTEGER NOT NULL REFERENCES applications(id),
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  round INTEGER NOT NULL CHECK (round >= 1),
  received_at TEXT NOT NULL
    CHECK (received_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'),
  implicit_rejection_on TEXT NOT NULL
    CHECK (implicit_rejection_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  account_id INTEGER REFERENCES applicant_accounts(id),
  PRIMARY KEY (application_id, round)
) STRICT;
CREATE TRIGGER application_receipts_no_update BEFORE UPDATE ON application_receipts
BEGIN SELECT RAISE(ABORT, 'an acknowledgement of receipt is never changed'); END;
CREATE TRIGGER application_receipts_no_delete BEFORE DELETE ON application_receipts
BEGIN SELECT RAISE(ABORT, 'an acknowledgement of receipt is never deleted'); END;

CREATE TABLE outgoing_mail (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  recipient TEXT NOT NULL CHECK (length(recipient) BETWEEN 3 AND 254),
  subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  body TEXT NOT NULL CHECK (length(body) <= 100000),
  created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at TEXT NOT NULL,
  sent_at TEXT,
  last_error TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX outgoing_mail_pending ON outgoing_mail (next_attempt_at) WHERE sent_at IS NULL;

-- What the portal shows of a scheme and asks with it: published or not in the catalogue, the
-- eligibility in words, the documents required (one per line), the file types accepted (MIME
-- types, one per line), the service's contact for the receipts (CRPA R112-5: its e-mail and
-- telephone) and the largest file. A scheme without a row is not on the portal.
CREATE TABLE scheme_portal_settings (
  scheme_id INTEGER PRIMARY KEY REFERENCES aid_schemes(id),
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  published INTEGER NOT NULL CHECK (published IN (0, 1)),
  eligibility TEXT NOT NULL CHECK (length(eligibility) <= 4000),
  documents TEXT NOT NULL CHECK (length(documents) <= 4000),
  file_types TEXT NOT NULL CHECK (length(file_types) <= 1000),
  contact TEXT NOT NULL CHECK (length(contact) <= 1000),
  max_file_bytes INTEGER NOT NULL CHECK (max_file_bytes BETWEEN 1024 AND 104857600)
) STRICT;
CREATE TRIGGER scheme_portal_settings_one_authority BEFORE INSERT ON scheme_portal_settings
WHEN NOT EXISTS (SELECT 1 FROM aid_schemes s WHERE s.id = NEW.scheme_id
                   AND s.authority_id = NEW.authority_id)
BEGIN SELECT RAISE(ABORT, 'the portal settings of a scheme are of its authority'); END;

-- The exchange about a dossier between its applicants and the agents (a thread of messages, in
-- order, never changed nor deleted). An applicant's message names their account, an agent's the
-- account (users) or the actor that wrote it.
CREATE TABLE application_messages (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  application_id INTEGER NOT NULL REFERENCES applications(id),
  author_kind TEXT NOT NULL CHECK (author_kind IN ('applicant', 'agent')),
  author TEXT NOT NULL CHECK (length(author) BETWEEN 1 AND 254),
  applicant_account_id INTEGER REFERENCES applicant_accounts(id),
  at TEXT NOT NULL,
  text TEXT NOT NULL CHECK (length(trim(text)) BETWEEN 1 AND 10000),
  CHECK ((author_kind = 'applicant') = (applicant_account_id IS NOT NULL))
) STRICT;
CREATE INDEX application_messages_by_application ON application_messages (application_id, id);
CREATE TRIGGER application_messages_one_authority BEFORE INSERT ON application_messages
WHEN NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = NEW.application_id
                   AND a.authority_id = NEW.authority_id)
BEGIN SELECT RAISE(ABORT, 'a message is about a dossier of its authority'); END;
CREATE TRIGGER application_messages_no_update BEFORE UPDATE ON application_messages
BEGIN SELECT RAISE(ABORT, 'a message is never changed'); END;
CREATE TRIGGER application_messages_no_delete BEFORE DELETE ON application_messages
BEGIN SELECT RAISE(ABORT, 'a message is never deleted'); END;

-- octroi, SQLite schema 0023: the files of dossiers, agreements signed and payments claimed on
-- the portal (issue 19).
--
-- stored_files: the bytes of every file, once per authority under their SHA-256
--   (content-addressed: the same piece attached to ten dossiers is stored once), hex-encoded.
--   At most 32 MiB a file. Never changed nor deleted.
-- application_files: each file a dossier holds: its name, its type (sniffed from the bytes), the
--   required document it is, the message it came with, who gave it and the virus scan it passed.
--   A file is never changed nor deleted; an applicant may withdraw it from a dossier being
--   corrected (removed_at), once.
CREATE TABLE stored_files (
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
  size INTEGER NOT NULL CHECK (size BETWEEN 1 AND 33554432),
  content_hex TEXT NOT NULL CHECK (length(content_hex) = 2 * size),
  created_at TEXT NOT NULL,
  PRIMARY KEY (authority_id, sha256)
) STRICT;
CREATE TRIGGER stored_files_no_update BEFORE UPDATE ON stored_files
BEGIN SELECT RAISE(ABORT, 'a stored file is never changed'); END;
CREATE TRIGGER stored_files_no_delete BEFORE DELETE ON stored_files
BEGIN SELECT RAISE(ABORT, 'a stored file is never deleted'); END;

CREATE TABLE application_files (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  application_id INTEGER NOT NULL REFERENCES applications(id),
  sha256 TEXT NOT NULL,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200 AND name NOT GLOB '*[/\]*'),
  mime TEXT NOT NULL CHECK (length(mime) BETWEEN 3 AND 100),
  size INTEGER NOT NULL CHECK (size BETWEEN 1 AND 33554432),
  piece TEXT NOT NULL DEFAULT '' CHECK (length(piece) <= 500),
  message_id INTEGER REFERENCES application_messages(id),
  author_kind TEXT NOT NULL CHECK (author_kind IN ('applicant', 'agent')),
  author TEXT NOT NULL CHECK (length(author) BETWEEN 1 AND 254),
  applicant_account_id INTEGER REFERENCES applicant_accounts(id),
  at TEXT NOT NULL,
  scan TEXT NOT NULL CHECK (scan IN ('clean', 'not_scanned')),
  scanner TEXT NOT NULL DEFAULT '' CHECK (length(scanner) <= 40),
  removed_at TEXT,
  CHECK ((author_kind = 'applicant') = (applicant_account_id IS NOT NULL)),
  CHECK ((scan = 'clean') = (scanner <> '')),
  FOREIGN KEY (authority_id, sha256) REFERENCES stored_files(authority_id, sha256)
) STRICT;
CREATE INDEX application_files_by_application ON application_files (application_id, id);
CREATE TRIGGER application_files_consistent BEFORE INSERT ON application_files
WHEN NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = NEW.application_id
                   AND a.authority_id = NEW.authority_id)
  OR NOT EXISTS (SELECT 1 FROM stored_files s WHERE s.authority_id = NEW.authority_id
                   AND s.sha256 = NEW.sha256 AND s.size = NEW.size)
  OR (NEW.message_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM application_messages m WHERE m.id = NEW.message_id
                        AND m.application_id = NEW.application_id))
BEGIN SELECT RAISE(ABORT, 'a file is of a dossier, and bytes, of its authority'); END;
CREATE TRIGGER application_files_no_update BEFORE UPDATE OF id, authority_id, application_id,
  sha256, name, mime, size, piece, message_id, author_kind, author, applicant_account_id, at,
  scan, scanner ON application_files
BEGIN SELECT RAISE(ABORT, 'a file is never changed'); END;
CREATE TRIGGER application_files_removed_once BEFORE UPDATE OF removed_at ON application_files
WHEN OLD.removed_at IS NOT NULL OR NEW.removed_at IS NULL
BEGIN SELECT RAISE(ABORT, 'a file is withdrawn once'); END;
CREATE TRIGGER application_files_no_delete BEFORE DELETE ON application_files
BEGIN SELECT RAISE(ABORT, 'a file is never deleted'); END;

-- agreement_signatures: how a party signed an agreement on the portal (click-to-sign): who (the
--   account, its e-mail and name as they were), when (to the second), from where, the terms
--   shown (what was signed) and their SHA-256. `method` leaves room for a qualified electronic
--   signature provider. One per agreement and signatory; never changed nor deleted.
CREATE TABLE agreement_signatures (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  application_id INTEGER NOT NULL REFERENCES applications(id),
  signatory TEXT NOT NULL CHECK (signatory IN ('beneficiary', 'authority')),
  method TEXT NOT NULL CHECK (method IN ('click')),
  applicant_account_id INTEGER NOT NULL REFERENCES applicant_accounts(id),
  email TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  display_name TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  signed_at TEXT NOT NULL,
  remote_addr TEXT NOT NULL CHECK (length(remote_addr) <= 64),
  terms_sha256 TEXT NOT NULL CHECK (length(terms_sha256) = 64 AND terms_sha256 NOT GLOB '*[^0-9a-f]*'),
  terms TEXT NOT NULL CHECK (length(terms) BETWEEN 1 AND 100000),
  UNIQUE (application_id, signatory)
) STRICT;
CREATE TRIGGER agreement_signatures_one_authority BEFORE INSERT ON agreement_signatures
WHEN NOT EXISTS (SELECT 1 FROM agreements g WHERE g.application_id = NEW.application_id
                   AND g.authority_id = NEW.authority_id)
BEGIN SELECT RAISE(ABORT, 'a signature is of an agreement of its authority'); END;
CREATE TRIGGER agreement_signatures_no_update BEFORE UPDATE ON agreement_signatures
BEGIN SELECT RAISE(ABORT, 'a signature is never changed'); END;
CREATE TRIGGER agreement_signatures_no_delete BEFORE DELETE ON agreement_signatures
BEGIN SELECT RAISE(ABORT, 'a signature is never deleted'); END;

-- payment_claims: the payments an applicant asks for (demandes de versement), with the expense
--   statement of an interim payment or the balance (payment_claim_lines). An agent pays one (the
--   payment order it becomes: payment_id) or refuses it with a reason; it is then decided for
--   good. At most one claim of a dossier waits at a time.
CREATE TABLE payment_claims (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  application_id INTEGER NOT NULL REFERENCES applications(id),
  kind TEXT NOT NULL CHECK (kind IN ('advance', 'interim', 'balance')),
  amount_cents INTEGER CHECK (amount_cents IS NULL OR amount_cents > 0),
  realised_cents INTEGER CHECK (realised_cents IS NULL OR realised_cents >= 0),
  applicant_account_id INTEGER NOT NULL REFERENCES applicant_accounts(id),
  claimed_at TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'paid', 'refused')),
  payment_id INTEGER REFERENCES payments(id),
  decided_at TEXT,
  decided_by TEXT,
  reason TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
  CHECK ((state = 'paid') = (payment_id IS NOT NULL)),
  CHECK ((state = 'pending') = (decided_at IS NULL)),
  CHECK ((state = 'pending') = (decided_by IS NULL)),
  CHECK (state <> 'refused' OR length(trim(reason)) > 0),
  CHECK ((kind = 'balance') = (amount_cents IS NULL))
) STRICT;
CREATE UNIQUE INDEX payment_claims_one_pending ON payment_claims (application_id)
  WHERE state = 'pending';
CREATE TRIGGER payment_claims_one_authority BEFORE INSERT ON payment_claims
WHEN NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = NEW.application_id
                   AND a.authority_id = NEW.authority_id)
  OR (NEW.state <> 'pending' AND NOT EXISTS (SELECT 1 FROM copy_in_progress))
BEGIN SELECT RAISE(ABORT, 'a claim is made pending, for a dossier of its authority'); END;
CREATE UNIQUE INDEX payment_claims_payment ON payment_claims (payment_id)
  WHERE payment_id IS NOT NULL;
CREATE TRIGGER payment_claims_decided_once BEFORE UPDATE ON payment_claims
WHEN OLD.state <> 'pending' OR NEW.id <> OLD.id OR NEW.authority_id <> OLD.authority_id
  OR NEW.application_id <> OLD.application_id OR NEW.kind <> OLD.kind
  OR NEW.amount_cents IS NOT OLD.amount_cents OR NEW.realised_cents IS NOT OLD.realised_cents
  OR NEW.applicant_account_id <> OLD.applicant_account_id OR NEW.claimed_at <> OLD.claimed_at
BEGIN SELECT RAISE(ABORT, 'a claim is decided once, and its request never changes'); END;
CREATE TRIGGER payment_claims_no_delete BEFORE DELETE ON payment_claims
BEGIN SELECT RAISE(ABORT, 'a claim is never deleted'); END;

CREATE TABLE payment_claim_lines (
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  claim_id INTEGER NOT NULL REFERENCES payment_claims(id),
  position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 200),
  label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 300),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  eligible INTEGER NOT NULL CHECK (eligible IN (0, 1)),
  PRIMARY KEY (claim_id, position)
) STRICT;
CREATE TRIGGER payment_claim_lines_no_update BEFORE UPDATE ON payment_claim_lines
BEGIN SELECT RAISE(ABORT, 'an expense statement is never changed'); END;
CREATE TRIGGER payment_claim_lines_no_delete BEFORE DELETE ON payment_claim_lines
BEGIN SELECT RAISE(ABORT, 'an expense statement is never changed'); END;

-- The e-mails of an applicant who asked for a digest: held, and sent together once a day (the
-- first of them is held a day; the next ones wait for it). Receipts, codes and invitations never
-- wait.
ALTER TABLE applicant_accounts ADD COLUMN mail_digest INTEGER NOT NULL DEFAULT 0
  CHECK (mail_digest IN (0, 1));
ALTER TABLE outgoing_mail ADD COLUMN digest INTEGER NOT NULL DEFAULT 0 CHECK (digest IN (0, 1));
CREATE INDEX outgoing_mail_digest ON outgoing_mail (authority_id, recipient)
  WHERE sent_at IS NULL AND digest = 1;

-- octroi, PostgreSQL schema 0016: the amount decided before the vote (issue 18).
-- migrations/sqlite/0016_decided_amount.sql, translated as 0001 explains: one CHECK where SQLite
-- needs two triggers (its ALTER TABLE cannot add a table constraint).
ALTER TABLE applications ADD COLUMN rule_award_cents bigint
  CHECK (rule_award_cents IS NULL OR rule_award_cents > 0);
ALTER TABLE applications ADD COLUMN proposal_reason text NOT NULL DEFAULT '';
ALTER TABLE applications ADD CONSTRAINT applications_proposal_within_rule
  CHECK (proposed_award_cents IS NULL OR rule_award_cents IS NULL
         OR proposed_award_cents = rule_award_cents
         OR (proposed_award_cents < rule_award_cents AND btrim(proposal_reason) <> ''));

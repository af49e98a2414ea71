-- octroi, SQLite schema 0016: the amount decided before the vote (issue 18).
--
-- applications.rule_award_cents: what the scheme's rule gave when the dossier was proposed;
-- applications.proposal_reason: why the amount proposed (proposed_award_cents, which approvers
-- and the committee may lower) is below it. The database refuses a proposal above the rule's
-- amount, and one below it without a reason. Dossiers proposed before this migration have no
-- rule amount recorded (NULL) and keep their proposal as it was.
ALTER TABLE applications ADD COLUMN rule_award_cents INTEGER
  CHECK (rule_award_cents IS NULL OR rule_award_cents > 0);
ALTER TABLE applications ADD COLUMN proposal_reason TEXT NOT NULL DEFAULT '';

CREATE TRIGGER applications_proposal_within_rule_i BEFORE INSERT ON applications
WHEN NEW.proposed_award_cents IS NOT NULL AND NEW.rule_award_cents IS NOT NULL
 AND (NEW.proposed_award_cents > NEW.rule_award_cents
      OR (NEW.proposed_award_cents < NEW.rule_award_cents AND trim(NEW.proposal_reason) = ''))
BEGIN SELECT RAISE(ABORT, 'proposed award above the rule''s amount, or below it without a reason'); END;
CREATE TRIGGER applications_proposal_within_rule_u BEFORE UPDATE ON applications
WHEN NEW.proposed_award_cents IS NOT NULL AND NEW.rule_award_cents IS NOT NULL
 AND (NEW.proposed_award_cents > NEW.rule_award_cents
      OR (NEW.proposed_award_cents < NEW.rule_award_cents AND trim(NEW.proposal_reason) = ''))
BEGIN SELECT RAISE(ABORT, 'proposed award above the rule''s amount, or below it without a reason'); END;

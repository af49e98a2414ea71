-- octroi, SQLite schema 0024: the day each award's open-data row is dated, kept with its dossier
-- (issue 17: the SCDL export reads a million awards in the file's order through an index instead
-- of sorting them).
--
-- applications.published_on: for a dossier with an award, the later of its agreement's two
--   signatures when both are given, else the day of the award; NULL without an award. Kept by
--   the triggers below whatever writes the dossier or its agreement: octroi's code never writes
--   it. applications_published orders the awards as the file lists them (day, then number).
-- A later migration that rebuilds applications or agreements must create these triggers again.
ALTER TABLE applications ADD COLUMN published_on TEXT;

UPDATE applications SET published_on = coalesce(
  (SELECT max(g.signed_by_beneficiary_on, g.signed_by_authority_on) FROM agreements g
   WHERE g.application_id = applications.id AND g.signed_by_beneficiary_on IS NOT NULL
     AND g.signed_by_authority_on IS NOT NULL), award_date)
WHERE award_date IS NOT NULL;

CREATE INDEX applications_published ON applications (authority_id, published_on, number)
WHERE published_on IS NOT NULL;

-- (A dossier inserted without an award and without published_on, the usual draft, costs nothing.)
CREATE TRIGGER applications_published_i AFTER INSERT ON applications
WHEN NEW.award_date IS NOT NULL OR NEW.published_on IS NOT NULL
BEGIN
  UPDATE applications SET published_on = CASE WHEN NEW.award_date IS NULL THEN NULL ELSE coalesce(
    (SELECT max(g.signed_by_beneficiary_on, g.signed_by_authority_on) FROM agreements g
     WHERE g.application_id = NEW.id AND g.signed_by_beneficiary_on IS NOT NULL
       AND g.signed_by_authority_on IS NOT NULL), NEW.award_date) END
  WHERE id = NEW.id;
END;

CREATE TRIGGER applications_published_u AFTER UPDATE OF award_date, published_on ON applications
WHEN NEW.award_date IS NOT OLD.award_date OR NEW.published_on IS NOT OLD.published_on
BEGIN
  UPDATE applications SET published_on = CASE WHEN NEW.award_date IS NULL THEN NULL ELSE coalesce(
    (SELECT max(g.signed_by_beneficiary_on, g.signed_by_authority_on) FROM agreements g
     WHERE g.application_id = NEW.id AND g.signed_by_beneficiary_on IS NOT NULL
       AND g.signed_by_authority_on IS NOT NULL), NEW.award_date) END
  WHERE id = NEW.id;
END;

CREATE TRIGGER agreements_published_i AFTER INSERT ON agreements
BEGIN
  UPDATE applications SET published_on = CASE WHEN award_date IS NULL THEN NULL ELSE coalesce(
    (SELECT max(g.signed_by_beneficiary_on, g.signed_by_authority_on) FROM agreements g
     WHERE g.application_id = applications.id AND g.signed_by_beneficiary_on IS NOT NULL
       AND g.signed_by_authority_on IS NOT NULL), award_date) END
  WHERE id = NEW.application_id;
END;

CREATE TRIGGER agreements_published_u
AFTER UPDATE OF application_id, signed_by_beneficiary_on, signed_by_authority_on ON agreements
BEGIN
  UPDATE applications SET published_on = CASE WHEN award_date IS NULL THEN NULL ELSE coalesce(
    (SELECT max(g.signed_by_beneficiary_on, g.signed_by_authority_on) FROM agreements g
     WHERE g.application_id = applications.id AND g.signed_by_beneficiary_on IS NOT NULL
       AND g.signed_by_authority_on IS NOT NULL), award_date) END
  WHERE id IN (OLD.application_id, NEW.application_id);
END;

CREATE TRIGGER agreements_published_d AFTER DELETE ON agreements
BEGIN
  UPDATE applications SET published_on = CASE WHEN award_date IS NULL THEN NULL ELSE coalesce(
    (SELECT max(g.signed_by_beneficiary_on, g.signed_by_authority_on) FROM agreements g
     WHERE g.application_id = applications.id AND g.signed_by_beneficiary_on IS NOT NULL
       AND g.signed_by_authority_on IS NOT NULL), award_date) END
  WHERE id = OLD.application_id;
END;

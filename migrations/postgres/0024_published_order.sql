-- octroi, PostgreSQL schema 0024: the day each award's open-data row is dated, kept with its
-- dossier (issue 17: the SCDL export reads the awards in the file's order through an index
-- instead of sorting them). The same as SQLite's 0024.
--
-- applications.published_on: for a dossier with an award, the later of its agreement's two
--   signatures when both are given, else the day of the award; NULL without an award. Kept by
--   the triggers below whatever writes the dossier or its agreement: octroi's code never writes
--   it. applications_published orders the awards as the file lists them (day, then number).
-- A later migration that rebuilds applications or agreements must create these triggers again.
ALTER TABLE applications ADD COLUMN published_on date;

CREATE FUNCTION octroi_published_on(app bigint, awarded date) RETURNS date
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN awarded IS NULL THEN NULL ELSE coalesce(
    (SELECT GREATEST(g.signed_by_beneficiary_on, g.signed_by_authority_on) FROM agreements g
     WHERE g.application_id = app AND g.signed_by_beneficiary_on IS NOT NULL
       AND g.signed_by_authority_on IS NOT NULL), awarded) END
$$;

UPDATE applications SET published_on = octroi_published_on(id, award_date)
WHERE award_date IS NOT NULL;

CREATE INDEX applications_published ON applications (authority_id, published_on, number)
WHERE published_on IS NOT NULL;

CREATE FUNCTION octroi_application_published() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.published_on := octroi_published_on(NEW.id, NEW.award_date);
  RETURN NEW;
END
$$;
CREATE TRIGGER applications_published BEFORE INSERT OR UPDATE OF award_date, published_on
ON applications FOR EACH ROW EXECUTE FUNCTION octroi_application_published();

CREATE FUNCTION octroi_agreement_published() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE applications SET published_on = octroi_published_on(id, award_date)
    WHERE id = OLD.application_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    UPDATE applications SET published_on = octroi_published_on(id, award_date)
    WHERE id = NEW.application_id;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER agreements_published
AFTER INSERT OR UPDATE OF application_id, signed_by_beneficiary_on, signed_by_authority_on OR DELETE
ON agreements FOR EACH ROW EXECUTE FUNCTION octroi_agreement_published();

-- octroi, schema 0015: indexes on the tables an award's page, its documents and the open-data
-- export read by dossier (issue 17, finding 6: exporting a million awards scanned these tables
-- once per award). Nothing else changes.
CREATE INDEX application_beneficiaries_by_application
  ON application_beneficiaries (application_id, id);
CREATE INDEX clawbacks_by_application ON clawbacks (application_id);
CREATE INDEX award_conditions_by_application ON award_conditions (application_id);
CREATE INDEX outcome_reports_by_application ON outcome_reports (application_id);
CREATE INDEX state_aid_checks_by_application ON state_aid_checks (application_id);
CREATE INDEX payments_by_application ON payments (application_id, id);

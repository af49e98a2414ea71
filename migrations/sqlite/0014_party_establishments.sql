-- octroi, SQLite schema 0014: the establishments of a party (issue 17, finding 5: beneficiaries
-- with distinct SIRETs of one SIREN were merged under the first one, and the names the file gave
-- them were lost).
--
-- party_establishments: one row per SIRET an authority has met, attached to the party of its
--   SIREN (the company, association or commune), with the name the file gave it when it was
--   first met ("Lycée X – site de Y") and the file it came from. The database checks that the
--   SIRET belongs to the party's SIREN.
-- imported_awards.beneficiary_name, beneficiary_siret: the beneficiary as the line names it (its
--   name and its establishment's SIRET), kept with each award whatever the party's own name;
--   '' for the awards imported before.
CREATE TABLE party_establishments (
  id INTEGER PRIMARY KEY,
  authority_id INTEGER NOT NULL REFERENCES authorities(id),
  party_id INTEGER NOT NULL REFERENCES parties(id),
  siret TEXT NOT NULL CHECK (length(siret) = 14 AND siret NOT GLOB '*[^0-9]*'),
  name TEXT NOT NULL CHECK (name <> ''),
  source TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  UNIQUE (authority_id, siret)
) STRICT;
CREATE INDEX party_establishments_by_party ON party_establishments (party_id);
CREATE TRIGGER party_establishments_of_their_siren BEFORE INSERT ON party_establishments
WHEN NOT EXISTS (SELECT 1 FROM parties p WHERE p.id = NEW.party_id
                   AND p.authority_id = NEW.authority_id AND p.siren = substr(NEW.siret, 1, 9))
BEGIN SELECT RAISE(ABORT, 'an establishment belongs to the party of its SIREN'); END;

ALTER TABLE imported_awards ADD COLUMN beneficiary_name TEXT NOT NULL DEFAULT '';
ALTER TABLE imported_awards ADD COLUMN beneficiary_siret TEXT NOT NULL DEFAULT ''
  CHECK (beneficiary_siret = '' OR (length(beneficiary_siret) = 14
                                    AND beneficiary_siret NOT GLOB '*[^0-9]*'));

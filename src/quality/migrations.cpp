#include "quality/migrations.hpp"

namespace nongsan::quality {

db::ModuleMigrations Migrations() {
  return {"quality",
          {{1, "certificates, evidence and the shop outbox",
            R"SQL(
CREATE TABLE quality_certificates (
  id {{ID}},
  seller_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  number TEXT NOT NULL,
  number_key TEXT NOT NULL,
  issuer TEXT NOT NULL,
  ocop_stars INTEGER,
  ocop_group TEXT,
  issued_day INTEGER NOT NULL,
  expires_day INTEGER NOT NULL,
  status TEXT NOT NULL,
  code TEXT NOT NULL UNIQUE,
  commune_code TEXT NOT NULL DEFAULT '',
  province_code TEXT NOT NULL DEFAULT '',
  submitted_by BIGINT NOT NULL,
  submitted_at BIGINT NOT NULL,
  verified_by BIGINT,
  verified_at BIGINT,
  verifier_name TEXT NOT NULL DEFAULT '',
  decided_by BIGINT,
  decided_at BIGINT,
  reason TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL
);
CREATE INDEX quality_certificates_seller ON quality_certificates (seller_id, id);
CREATE INDEX quality_certificates_area ON quality_certificates (province_code, commune_code, status);
CREATE INDEX quality_certificates_expiry ON quality_certificates (status, expires_day);
CREATE UNIQUE INDEX quality_certificates_number ON quality_certificates (kind, number_key)
  WHERE status <> 'rejected';

CREATE TABLE quality_certificate_products (
  certificate_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  seller_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  ocop_stars INTEGER NOT NULL DEFAULT 0,
  verified INTEGER NOT NULL DEFAULT 0,
  issued_day INTEGER NOT NULL,
  expires_day INTEGER NOT NULL,
  commune_code TEXT NOT NULL DEFAULT '',
  province_code TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (certificate_id, product_id)
);
CREATE INDEX quality_certificate_products_product ON quality_certificate_products (product_id, verified);
CREATE INDEX quality_certificate_products_valid
  ON quality_certificate_products (verified, kind, expires_day, product_id);

CREATE TABLE quality_evidence (
  id {{ID}},
  certificate_id BIGINT NOT NULL,
  content_type TEXT NOT NULL,
  byte_size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  data {{BLOB}} NOT NULL,
  uploaded_by BIGINT NOT NULL,
  uploaded_at BIGINT NOT NULL
);
CREATE INDEX quality_evidence_certificate ON quality_evidence (certificate_id, id);

CREATE TABLE quality_outbox (
  id {{ID}},
  seller_id BIGINT NOT NULL,
  topic TEXT NOT NULL,
  subject_id BIGINT NOT NULL,
  dedupe_key TEXT NOT NULL UNIQUE,
  message TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX quality_outbox_unsent ON quality_outbox (sent_at, id);
)SQL",
            ""},
           {2, "reviews, photos and reports",
            R"SQL(
CREATE TABLE quality_reviews (
  id {{ID}},
  order_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  seller_id BIGINT NOT NULL,
  buyer_user_id BIGINT NOT NULL,
  buyer_name TEXT NOT NULL DEFAULT '',
  rating INTEGER NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  reply_body TEXT,
  reply_by BIGINT,
  replied_at BIGINT,
  report_count INTEGER NOT NULL DEFAULT 0,
  moderation TEXT NOT NULL DEFAULT 'none',
  moderated_by BIGINT,
  moderated_at BIGINT,
  moderation_reason TEXT NOT NULL DEFAULT '',
  commune_code TEXT NOT NULL DEFAULT '',
  province_code TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX quality_reviews_order_product ON quality_reviews (order_id, product_id);
CREATE INDEX quality_reviews_product ON quality_reviews (product_id, status, id);
CREATE INDEX quality_reviews_seller ON quality_reviews (seller_id, status, id);
CREATE INDEX quality_reviews_moderation ON quality_reviews (moderation, province_code, commune_code);

CREATE TABLE quality_review_photos (
  id {{ID}},
  review_id BIGINT NOT NULL,
  position INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  byte_size BIGINT NOT NULL,
  data {{BLOB}} NOT NULL
);
CREATE INDEX quality_review_photos_review ON quality_review_photos (review_id, position);

CREATE TABLE quality_review_reports (
  review_id BIGINT NOT NULL,
  reporter_user_id BIGINT NOT NULL,
  reason TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (review_id, reporter_user_id)
);
)SQL",
            ""},
           {3, "complaints and enforcement actions",
            R"SQL(
CREATE TABLE quality_complaints (
  id {{ID}},
  order_id BIGINT NOT NULL,
  seller_id BIGINT NOT NULL,
  buyer_user_id BIGINT NOT NULL,
  product_id BIGINT,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  shop_response TEXT,
  responded_by BIGINT,
  responded_at BIGINT,
  resolution TEXT NOT NULL DEFAULT '',
  resolution_note TEXT NOT NULL DEFAULT '',
  resolved_by BIGINT,
  resolved_at BIGINT,
  commune_code TEXT NOT NULL DEFAULT '',
  province_code TEXT NOT NULL DEFAULT ''
);
CREATE INDEX quality_complaints_order ON quality_complaints (order_id);
CREATE INDEX quality_complaints_seller ON quality_complaints (seller_id, created_at);
CREATE INDEX quality_complaints_area ON quality_complaints (status, province_code, commune_code);
CREATE INDEX quality_complaints_buyer ON quality_complaints (buyer_user_id, id);

CREATE TABLE quality_enforcement (
  id {{ID}},
  target_type TEXT NOT NULL,
  target_id BIGINT NOT NULL,
  seller_id BIGINT NOT NULL,
  action TEXT NOT NULL,
  reason TEXT NOT NULL,
  complaint_id BIGINT,
  actor_user_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  flagged_orders INTEGER
);
CREATE INDEX quality_enforcement_target ON quality_enforcement (target_type, target_id, id);
CREATE INDEX quality_enforcement_seller ON quality_enforcement (seller_id, id);
)SQL",
            ""},
           {4, "helpful votes on reviews",
            R"SQL(
CREATE TABLE quality_review_votes (
  review_id BIGINT NOT NULL REFERENCES quality_reviews(id),
  user_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (review_id, user_id)
);
)SQL",
            ""},
           // A trademark's number, once granted, is the certificate's `number`
           // (see quality/trademark.hpp); filing_day counts days like issued_day.
           {5, "trademark application, filing date and status",
            R"SQL(
ALTER TABLE quality_certificates ADD COLUMN application_number TEXT;
ALTER TABLE quality_certificates ADD COLUMN filing_day INTEGER;
ALTER TABLE quality_certificates ADD COLUMN trademark_status TEXT;
ALTER TABLE quality_certificates ADD COLUMN refusal_reason TEXT;
)SQL",
            ""},
           // Files kept for a page form that came back with an error
           // (quality/staged_uploads.hpp); removed when used or expired.
           {6, "files staged by page forms",
            R"SQL(
CREATE TABLE quality_staged_uploads (
  token TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL,
  purpose TEXT NOT NULL,
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  byte_size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  data {{BLOB}} NOT NULL,
  thumbnail {{BLOB}},
  created_at BIGINT NOT NULL
);
CREATE INDEX quality_staged_uploads_created ON quality_staged_uploads (created_at);
)SQL",
            ""}}};
}

}  // namespace nongsan::quality

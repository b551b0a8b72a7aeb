// Files kept for a page form that came back with an error, on both backends:
// checked once when staged (a forgery is refused and not kept), seen only by
// the person who chose it and for the form it was chosen on, gone after
// kStagedUploadTtlMs and removed by a later Stage.
#include "quality/staged_uploads.hpp"

#include <gtest/gtest.h>

#include "quality/quality_test_fixture.hpp"

namespace nongsan::quality::testing {
namespace {

class StagedUploadsTest : public QualityFixture {
 protected:
  void SetUp() override {
    QualityFixture::SetUp();
    staged_ = std::make_unique<StagedUploads>(*db_, *clock_);
  }
  std::unique_ptr<StagedUploads> staged_;
};

TEST_P(StagedUploadsTest, AFileIsCheckedOnceAndSeenOnlyByItsSenderForItsForm) {
  const Principal owner = User(kTeaOwner);
  const Principal other = User(kRiceOwner);
  auto forged = staged_->Stage(&owner, StagedPurpose::kEvidence, ForgedPdf(), "application/pdf", "giay.pdf",
                               "evidence");
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.error().type, "unsupported_file");
  EXPECT_EQ(Count("quality_staged_uploads"), 0);
  EXPECT_FALSE(
      staged_->Stage(nullptr, StagedPurpose::kEvidence, SamplePdf(), std::nullopt, "a.pdf", "evidence").ok());

  auto pdf = staged_->Stage(&owner, StagedPurpose::kEvidence, SamplePdf(), "application/pdf",
                            "C:\\scans\\giay.pdf", "evidence");
  ASSERT_TRUE(pdf.ok()) << pdf.error().detail;
  EXPECT_EQ(pdf->file_name, "giay.pdf") << "the name without the sender's folders";
  EXPECT_EQ(pdf->content_type, "application/pdf");
  EXPECT_TRUE(pdf->thumbnail.empty());
  EXPECT_TRUE(staged_->Find(&owner, StagedPurpose::kEvidence, pdf->token).ok());
  EXPECT_FALSE(staged_->Find(&other, StagedPurpose::kEvidence, pdf->token).ok()) << "someone else's token";
  EXPECT_FALSE(staged_->Find(&owner, StagedPurpose::kReviewPhoto, pdf->token).ok()) << "another form's token";
  auto loaded = staged_->Load(&owner, StagedPurpose::kEvidence, pdf->token, "evidence[0]");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->bytes, SamplePdf());
  EXPECT_EQ(loaded->kind, FileKind::kPdf);

  // A review photo must be an image; an image is re-encoded with a thumbnail.
  EXPECT_FALSE(
      staged_->Stage(&owner, StagedPurpose::kReviewPhoto, SamplePdf(), std::nullopt, "a.pdf", "photos[0]")
          .ok());
  auto photo =
      staged_->Stage(&owner, StagedPurpose::kReviewPhoto, SamplePng(), "image/png", "che.png", "photos[0]");
  ASSERT_TRUE(photo.ok()) << photo.error().detail;
  EXPECT_EQ(photo->content_type, "image/jpeg");
  EXPECT_TRUE(IsDecodableJpeg(photo->thumbnail));
}

TEST_P(StagedUploadsTest, AKeptFileExpiresAndALaterStageRemovesIt) {
  const Principal owner = User(kTeaOwner);
  auto kept =
      staged_->Stage(&owner, StagedPurpose::kEvidence, SamplePdf(), std::nullopt, "giay.pdf", "evidence");
  ASSERT_TRUE(kept.ok());
  clock_->Advance(kStagedUploadTtlMs - 1);
  EXPECT_TRUE(staged_->Find(&owner, StagedPurpose::kEvidence, kept->token).ok());
  clock_->Advance(2);
  EXPECT_FALSE(staged_->Find(&owner, StagedPurpose::kEvidence, kept->token).ok());
  auto late = staged_->Load(&owner, StagedPurpose::kEvidence, kept->token, "evidence[0]");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().type, "staged_file_gone");
  ASSERT_TRUE(
      staged_->Stage(&owner, StagedPurpose::kEvidence, SamplePdf(), std::nullopt, "b.pdf", "evidence").ok());
  EXPECT_EQ(Count("quality_staged_uploads"), 1) << "the expired one removed";
}

INSTANTIATE_TEST_SUITE_P(Quality, StagedUploadsTest, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         nongsan::testing::BackendName);

}  // namespace
}  // namespace nongsan::quality::testing

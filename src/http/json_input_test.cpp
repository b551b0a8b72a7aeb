// The one JSON input validator (http::JsonInput): types, presence, limits,
// cleaned text, nested names, and every bad field in one 400 problem.
#include "http/json_input.hpp"

#include <gtest/gtest.h>

#include <set>

#include "http/request.hpp"

namespace nongsan::http {
namespace {

std::set<std::string> Fields(const Status& status) {
  std::set<std::string> out;
  if (!status.ok()) {
    for (const auto& f : status.error().fields) out.insert(f.field);
  }
  return out;
}

TEST(JsonInput, CollectsEveryFieldErrorAndIgnoresUnknownMembers) {
  const auto body = nlohmann::json::parse(
      R"({"phone": 912, "name": {"x": 1}, "extra": true, "ok": "yes", "n": 1.5, "big": 18446744073709551615,
          "flag": "true", "nothing": null})");
  JsonInput in(body);
  EXPECT_FALSE(in.String("phone", Presence::kRequired));
  EXPECT_FALSE(in.String("name", Presence::kRequired));
  EXPECT_EQ(in.String("ok", Presence::kRequired).value_or(""), "yes");
  EXPECT_FALSE(in.String("missing", Presence::kRequired));
  EXPECT_FALSE(in.String("nothing", Presence::kOptional));  // null is absent
  EXPECT_FALSE(in.Int("n", Presence::kRequired));
  EXPECT_FALSE(in.Int("big", Presence::kRequired));
  EXPECT_FALSE(in.Bool("flag", Presence::kOptional));
  const Status st = in.Finish();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(Fields(st),
            (std::set<std::string>{"phone", "name", "missing", "n", "big", "flag"}));  // not "extra"
  // As a problem: 400, each field named, and the detail names them too.
  const Response problem = Response::Problem(st.error(), "/api/v1/x");
  EXPECT_EQ(problem.status, 400);
  const auto json = nlohmann::json::parse(problem.body);
  EXPECT_EQ(json["errors"].size(), 6u);
  EXPECT_NE(json["detail"].get<std::string>().find("missing: This field is required."), std::string::npos);
}

TEST(JsonInput, LimitsAreTheCallers) {
  const nlohmann::json body = {{"code", std::string(40, 'a')},
                               {"story", std::string(kMaxFieldBytes + 10, 'a')}};
  JsonInput in(body);
  EXPECT_FALSE(in.String("code", Presence::kRequired, 32));
  EXPECT_FALSE(in.String("story", Presence::kRequired)) << "kMaxFieldBytes by default";
  EXPECT_TRUE(in.String("story", Presence::kRequired, 2 * kMaxFieldBytes)) << "a larger limit when named";
  EXPECT_EQ(Fields(in.Finish()), (std::set<std::string>{"code", "story"}));
}

TEST(JsonInput, TextIsCleanedAndCountedInCharacters) {
  const nlohmann::json body = {{"name",
                                "  Nguyễn Văn Ho\xcc\x80"
                                "a  "},  // a combining grave accent: NFC makes one character
                               {"blank", "   "},
                               {"control", "Lan\x01"},
                               {"tab", "a\tb"},
                               {"note", "dòng một\ndòng hai"},
                               {"markup", "<script>alert(1)</script>"},
                               {"vietnamese", "Chè Tân Cương"},  // 13 characters, 19 bytes
                               {"bad_utf8", "\xc3\x28"}};
  JsonInput in(body);
  EXPECT_EQ(in.Text("name", Presence::kRequired, {.max_chars = 14}).value_or(""), "Nguyễn Văn Hòa");
  EXPECT_FALSE(in.Text("blank", Presence::kRequired, {}));
  EXPECT_FALSE(in.Text("control", Presence::kOptional, {}));
  EXPECT_FALSE(in.Text("tab", Presence::kOptional, {}));
  EXPECT_TRUE(in.Text("tab", Presence::kOptional, {.lines = TextLines::kMulti}));
  EXPECT_FALSE(in.Text("note", Presence::kOptional, {}));
  EXPECT_TRUE(in.Text("note", Presence::kOptional, {.lines = TextLines::kMulti}));
  EXPECT_TRUE(in.Text("markup", Presence::kOptional, {}));
  EXPECT_FALSE(in.Text("markup", Presence::kOptional, {.markup = Markup::kRefused}));
  EXPECT_TRUE(in.Text("vietnamese", Presence::kRequired, {.max_chars = 13}));
  EXPECT_FALSE(in.Text("vietnamese", Presence::kRequired, {.max_chars = 12}));
  EXPECT_FALSE(in.Text("vietnamese", Presence::kRequired, {.min_chars = 14, .max_chars = 20}));
  EXPECT_FALSE(in.Text("absent", Presence::kOptional, {}));
  EXPECT_EQ(Fields(in.Finish()),
            (std::set<std::string>{"blank", "control", "tab", "note", "markup", "vietnamese"}));
  std::vector<FieldError> errors;
  EXPECT_FALSE(CleanText("\xc3\x28", "bad_utf8", {}, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "bad_utf8");
}

TEST(JsonInput, ArraysNameEachBadElement) {
  const auto body = nlohmann::json::parse(R"({"ids": [1, "2", 3.5, 4], "many": [1,2,3], "tags": ["a", 1]})");
  JsonInput in(body);
  EXPECT_EQ(in.IntArray("ids", Presence::kRequired).value_or(std::vector<std::int64_t>{}),
            (std::vector<std::int64_t>{1, 4}));
  EXPECT_FALSE(in.IntArray("many", Presence::kRequired, 2));
  EXPECT_FALSE(in.StringArray("tags", Presence::kRequired));
  EXPECT_EQ(Fields(in.Finish()), (std::set<std::string>{"ids[1]", "ids[2]", "many", "tags"}));
}

TEST(JsonInput, NestedMembersAreNamedWithTheirParent) {
  const auto body = nlohmann::json::parse(R"({"full_name": "", "phone": 1})");
  JsonInput in(body, "shipping_address.");
  EXPECT_FALSE(in.Text("full_name", Presence::kRequired, {}));
  EXPECT_FALSE(in.String("phone", Presence::kRequired));
  EXPECT_FALSE(in.Text("address_line", Presence::kRequired, {}));
  EXPECT_EQ(Fields(in.Finish()),
            (std::set<std::string>{"shipping_address.full_name", "shipping_address.phone",
                                   "shipping_address.address_line"}));
  JsonInput not_object(nlohmann::json::array());
  EXPECT_FALSE(not_object.ok());
}

// Duplicate keys never reach the validator: the body it reads comes from
// Request::JsonBody, which refuses them (nlohmann alone keeps the last).
TEST(JsonInput, BodiesWithDuplicateKeysAreRefusedBeforeIt) {
  Request request;
  request.body = R"({"amount_vnd": 1000, "amount_vnd": 1000000})";
  const auto parsed = request.JsonBody();
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalid);
  EXPECT_NE(parsed.error().detail.find("amount_vnd"), std::string::npos) << parsed.error().detail;
}

}  // namespace
}  // namespace nongsan::http

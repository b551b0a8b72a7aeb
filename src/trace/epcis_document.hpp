// The EPCIS 2.0 capture document read without the database: what GS1's
// EPCIS 2.0 JSON schema requires of an EPCISDocument of ObjectEvents (the
// CBV vocabularies, date-times, offsets, quantity elements, places, no
// unknown fields), and the lots its events name, by Digital Link URI. The
// service (epcis.hpp) then looks the lots up and checks who may capture about
// them. Pure functions of their input; fuzzed (tests/fuzz, `epcis_capture`
// and `digital_link`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/rfc3339.hpp"

namespace nongsan::trace {

// Events in one captured document, and the size of one event as stored.
inline constexpr std::size_t kMaxCaptureEvents = 500;
inline constexpr std::size_t kMaxCapturedEventBytes = 16 * 1024;

// RFC 3339 date-times are read by core's timefmt::ParseRfc3339.
using timefmt::ParseRfc3339;

// A lot named by a URI under the platform's base URL: either
// {base}/01/{gtin14}/10/{lot}[/21/{serial}] (gtin14 and the decoded lot code)
// or {base}/truy-xuat/{public code}.
struct LotUriParts {
  std::string gtin14;       // "" for a public code
  std::string lot_code;     // decoded; "" for a public code
  std::string public_code;  // "" for a GTIN and lot
};
// nullopt for a URI outside base_url (given without a trailing '/') or of
// another shape.
std::optional<LotUriParts> ParseLotUri(std::string_view base_url, std::string_view uri);

// One lot URI an event names, and the field that carried it
// ("epcisBody.eventList[0].quantityList[1].epcClass").
struct NamedLot {
  std::string uri;
  std::string field;
};
struct CheckedEvent {
  std::size_t index = 0;  // in epcisBody.eventList
  std::vector<NamedLot> lots;
};
struct CaptureCheck {
  std::vector<FieldError> errors;  // every complaint, each naming its field
  bool not_epcis = false;          // not even an EPCISDocument with an event list
  std::vector<CheckedEvent> events;
};
CaptureCheck CheckCaptureDocument(const nlohmann::json& doc);

}  // namespace nongsan::trace

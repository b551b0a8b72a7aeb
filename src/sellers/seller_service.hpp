// Sellers: the shops of households, cooperatives and enterprises, who may act
// for them, their staff, cooperative membership, officer verification and
// suspension, and assisted onboarding of households by commune officers and
// cooperative managers.
//
// Authorization is decided here for the specific shop, never by the caller:
//   owner         holds shop_owner on the shop
//   staff         holds shop_staff on the shop (products, orders; not the
//                 shop profile or its staff)
//   coop manager  holds coop_manager on a cooperative the shop is an active
//                 member of (or on the cooperative itself): acts for it
//   officer       a commune officer of the shop's commune, or the province
//                 admin of its province, on a shop whose owner accepts
//                 officer help (officer_assist; set for onboarded households)
// Officers of the commune and admins of the province also verify, suspend
// and reinstate shops and may see suspended ones. Someone with no relation to
// a shop gets kNotFound for anything non-public about it (existence is not
// revealed); someone related but lacking the right gets kForbidden.
// Every change is written to the audit log, naming the actor and, when they
// act for someone else, the shop's owner.
//
// Thread-safety: stateless over the database; safe to share.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "accounts/account_service.hpp"
#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "db/database.hpp"
#include "sellers/shop_facts.hpp"

namespace nongsan::places {
class PlaceService;
}

namespace nongsan::sellers {

inline constexpr std::size_t kMaxShopNameChars = 120;
inline constexpr std::size_t kMaxAddressChars = 200;
inline constexpr std::size_t kMaxDescriptionChars = 2000;
inline constexpr std::size_t kMaxReasonChars = 500;
inline constexpr std::size_t kMaxSlugBytes = 60;
inline constexpr std::size_t kMaxListedSellers = 100;
// Shops per multi-row INSERT of CreateForImportWith (13 parameters each).
inline constexpr std::size_t kShopsPerInsert = 200;
// Phones per query of FindByPhones (one parameter each).
inline constexpr std::size_t kPhonesPerLookup = 500;

enum class SellerType { kHousehold, kCooperative, kEnterprise };
enum class SellerStatus { kPending, kVerified, kSuspended };
enum class MembershipStatus { kInvited, kRequested, kActive };
// How a principal relates to a shop, strongest first.
enum class Capacity { kNone, kOfficer, kCoopManager, kStaff, kOwner };

const char* SellerTypeName(SellerType type);
bool ParseSellerType(const std::string& name, SellerType* out);
const char* SellerStatusName(SellerStatus status);
const char* MembershipStatusName(MembershipStatus status);

struct Seller {
  std::int64_t id = 0;
  std::string slug;
  std::string name;
  SellerType type = SellerType::kHousehold;
  std::string commune_code;
  std::string province_code;
  std::string address_line;
  std::string phone;
  std::string description;
  SellerStatus status = SellerStatus::kPending;
  std::string status_reason;
  std::optional<std::int64_t> verified_at;
  bool officer_assist = false;
  std::int64_t owner_user_id = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  // Sent back by an officer (Reject) and not yet resubmitted.
  bool AwaitingCorrection() const { return status == SellerStatus::kPending && !status_reason.empty(); }
};

struct SellerInput {
  std::string name;
  std::string type;  // household | cooperative | enterprise
  std::string commune_code;
  std::string address_line;
  std::optional<std::string> phone;  // defaults to the creator's phone
  std::optional<std::string> description;
};

struct SellerPatch {
  std::optional<std::string> name;
  std::optional<std::string> commune_code;
  std::optional<std::string> address_line;
  std::optional<std::string> phone;
  std::optional<std::string> description;
  std::optional<bool> officer_assist;  // owner only
};

// A household onboarded by an officer or cooperative manager.
struct HouseholdInput {
  std::string phone;
  std::string full_name;
  std::string shop_name;
  std::string commune_code;
  std::string address_line;
  std::optional<std::string> description;
};

// A shop named by a product import file.
struct ImportInput {
  std::string phone;
  std::string name;
  std::string type;  // household | cooperative | enterprise
  std::string commune_code;
  std::optional<std::string> address_line;  // defaults to the commune's full name
};

struct Onboarded {
  Seller seller;
  accounts::User user;
  bool claim_code_sent = false;
};

struct Access {
  Seller seller;
  Capacity capacity = Capacity::kNone;
  // The owner, when the principal acts for them (coop manager, officer).
  std::optional<std::int64_t> on_behalf_of;
};

struct StaffMember {
  std::int64_t user_id = 0;
  std::string phone;
  std::string full_name;
  Role role = Role::kShopStaff;  // kShopOwner, kShopStaff or kCoopManager
  accounts::UserStatus status = accounts::UserStatus::kActive;
};

struct Membership {
  std::int64_t coop_id = 0;
  std::int64_t member_id = 0;
  MembershipStatus status = MembershipStatus::kActive;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> accepted_at;
  Seller member;  // the member shop
};

class SellerService {
 public:
  SellerService(db::Database& db, const Clock& clock, const places::PlaceService& places,
                accounts::AccountService& accounts);

  // ---- for other modules
  Result<Seller> Get(std::int64_t id);  // any status; kNotFound if none
  // Not suspended. False (not an error) for an unknown id.
  Result<bool> IsPublic(std::int64_t id);
  // Owner, staff, cooperative manager or assisting officer.
  bool CanManage(const Principal* principal, std::int64_t seller_id);
  // The shop and how the principal relates to it; kNotFound when the shop
  // does not exist or the principal may not even see it.
  Result<Access> AccessFor(const Principal* principal, std::int64_t seller_id);
  // As AccessFor, and kForbidden unless the capacity is one of `allowed`.
  Result<Access> RequireCapacity(const Principal* principal, std::int64_t seller_id,
                                 std::initializer_list<Capacity> allowed);
  // A commune officer of the commune, or the admin of its province.
  bool OfficerCovers(const Principal& principal, const std::string& commune_code) const;
  // Active member shops of a cooperative.
  Result<std::vector<Membership>> ListMembers(std::int64_t coop_id);
  // Shops whose contact phone is this number (product import matches rows
  // to shops this way).
  Result<std::vector<Seller>> FindByPhone(std::string_view phone);
  // Product import: a shop for a phone with no shop yet, owned by a new
  // unclaimed account (officer_assist on). actor: the importing officer, who
  // must cover the commune and whose import sends the owner a claim code;
  // nullptr for the operator's CLI and demo data (no SMS; claim codes can be
  // sent later with ResendClaimCode).
  Result<Seller> CreateForImport(const Principal* actor, const ImportInput& input,
                                 const accounts::ClientInfo& client);
  // The same for the new shops of an import batch, inside the importer's
  // write transaction `c`, so a window of a file's new shops and their
  // products commit together (one commit instead of one per shop, and a few
  // multi-row statements for all the shops). Each shop is made exactly as
  // CreateForImport makes it — the same checks, an
  // unclaimed owner account with its grants, the "seller.onboard" audit
  // entry — and gets its own result, in the order of `inputs`. A refused
  // shop (a field, the actor's area, the phone of a claimed account) is
  // refused before anything of it is written, so the transaction goes on
  // with the others; an error of the whole answer is the database's, and the
  // caller must roll back. Call SendImportClaimCodes after the commit.
  Result<std::vector<Result<Seller>>> CreateForImportWith(db::Connection& c, const Principal* actor,
                                                          const std::vector<ImportInput>& inputs,
                                                          const accounts::ClientInfo& client);
  // After the transaction of CreateForImportWith committed: the claim codes
  // an officer's import sends to the new owners (none when actor is nullptr).
  void SendImportClaimCodes(const Principal* actor, const std::vector<std::int64_t>& owner_user_ids);
  // Shops whose contact phone is one of these canonical numbers, ordered by
  // id (the oldest of a phone first): one query per kPhonesPerLookup.
  Result<std::vector<Seller>> FindByPhones(const std::vector<std::string>& phones);

  // ---- shops
  Result<Seller> Create(const Principal& actor, const SellerInput& input, const accounts::ClientInfo& client);
  // The public view; a suspended shop only for those related to it.
  Result<Access> View(const Principal* principal, std::int64_t id);
  Result<Seller> Update(const Principal& actor, std::int64_t id, const SellerPatch& patch,
                        const accounts::ClientInfo& client);
  Result<std::vector<Seller>> ListMine(const Principal& principal);
  // Shops in the communes an officer covers (all of the province for an admin).
  Result<std::vector<Seller>> ListForOfficer(const Principal& principal, const std::string& status,
                                             const std::string& commune_code);

  // ---- officer decisions
  Result<Seller> Verify(const Principal& actor, std::int64_t id, const accounts::ClientInfo& client);
  Result<Seller> Suspend(const Principal& actor, std::int64_t id, const std::string& reason,
                         const accounts::ClientInfo& client);
  Result<Seller> Reinstate(const Principal& actor, std::int64_t id, const accounts::ClientInfo& client);
  // Sends a shop waiting for verification back to its owner with the reason
  // (kept in status_reason; the shop stays pending, out of the officers'
  // queue, until its owner resubmits). 409 not_pending for any other shop,
  // already_rejected when it waits for a correction already.
  Result<Seller> Reject(const Principal& actor, std::int64_t id, const std::string& reason,
                        const accounts::ClientInfo& client);
  // The owner (or staff, an officer acting for it) says the shop was
  // corrected: the reason is cleared and it is back in the queue. 409
  // not_rejected when it was not sent back.
  Result<Seller> Resubmit(const Principal& actor, std::int64_t id, const accounts::ClientInfo& client);

  // Called after a suspension or reinstatement commits, with the shop's id,
  // so other modules (the catalogue, search) follow at once whoever made the
  // change. Set once while wiring, before serving; not thread-safe to set.
  using VisibilityListener = std::function<void(std::int64_t seller_id)>;
  void OnVisibilityChanged(VisibilityListener listener) { visibility_listener_ = std::move(listener); }

  // ---- staff
  Result<std::vector<StaffMember>> ListStaff(const Principal& actor, std::int64_t id);
  Result<StaffMember> AddStaff(const Principal& actor, std::int64_t id, std::string_view phone, Role role,
                               const accounts::ClientInfo& client);
  Status RemoveStaff(const Principal& actor, std::int64_t id, std::int64_t user_id,
                     const accounts::ClientInfo& client);

  // ---- cooperative membership (both sides must agree unless one person
  // manages both)
  Result<std::vector<Membership>> ListMemberships(const Principal* principal, std::int64_t coop_id);
  Result<Membership> AddMember(const Principal& actor, std::int64_t coop_id, std::int64_t member_id,
                               const accounts::ClientInfo& client);
  Result<Membership> AcceptMember(const Principal& actor, std::int64_t coop_id, std::int64_t member_id,
                                  const accounts::ClientInfo& client);
  Status RemoveMember(const Principal& actor, std::int64_t coop_id, std::int64_t member_id,
                      const accounts::ClientInfo& client);

  // ---- assisted onboarding: an unclaimed account, a household shop owned by
  // it (officer_assist on), an SMS claim code. coop_id: onboarded by that
  // cooperative's manager, and made an active member.
  Result<Onboarded> OnboardHousehold(const Principal& actor, const HouseholdInput& input,
                                     std::optional<std::int64_t> coop_id, const accounts::ClientInfo& client);
  // Sends a fresh claim code to the unclaimed owner of an onboarded shop.
  Status ResendClaimCode(const Principal& actor, std::int64_t id);

  // JSON for a shop; `full` adds what only related people see.
  nlohmann::json SellerJson(const Seller& seller, bool full) const;
  // Other modules' facts about a shop (see shop_facts.hpp), registered while
  // wiring, before serving (not thread-safe to add); AddFactsTo applies them
  // all to a shop's JSON, logging and skipping one that fails.
  void AddFacts(ShopFacts* facts) { facts_.push_back(facts); }
  void AddFactsTo(std::int64_t seller_id, nlohmann::json& body) const;

 private:
  Capacity CapacityFor(const Principal* principal, const Seller& seller, bool coop_member_of_managed);
  bool SeesHidden(const Principal* principal, const Seller& seller) const;
  // The transaction shared by onboarding and import.
  Result<Onboarded> CreateAssisted(std::int64_t actor_user_id, const std::string& phone,
                                   const std::string& full_name, const std::string& shop_name,
                                   SellerType type, const std::string& commune_code,
                                   const std::string& address, const std::string& description,
                                   const Seller* coop, const accounts::ClientInfo& client);
  Result<Seller> ChangeStatus(const Principal& actor, std::int64_t id, const std::string& action,
                              const std::string& reason, const accounts::ClientInfo& client);

  db::Database& db_;
  const Clock& clock_;
  const places::PlaceService& places_;
  accounts::AccountService& accounts_;
  VisibilityListener visibility_listener_;
  std::vector<ShopFacts*> facts_;
};

}  // namespace nongsan::sellers

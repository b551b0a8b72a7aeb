#include <spdlog/spdlog.h>

#include <algorithm>
#include <unordered_map>

#include "accounts/audit_log.hpp"
#include "accounts/unclaimed_accounts.hpp"
#include "core/phone.hpp"
#include "core/text.hpp"
#include "db/sql_lists.hpp"
#include "places/places.hpp"
#include "sellers/seller_rows.hpp"
#include "sellers/seller_service.hpp"

namespace nongsan::sellers {

using accounts::AuditEntry;
using accounts::ClientInfo;
using namespace internal;  // NOLINT: this module's own helpers

Result<Onboarded> SellerService::OnboardHousehold(const Principal& actor, const HouseholdInput& input,
                                                  std::optional<std::int64_t> coop_id,
                                                  const ClientInfo& client) {
  std::optional<Access> coop;
  if (coop_id) {
    TRY_ASSIGN(Access access, RequireCapacity(&actor, *coop_id, {Capacity::kOwner, Capacity::kCoopManager}));
    if (access.seller.type != SellerType::kCooperative) return Error::NotFound("cooperative");
    coop = std::move(access);
  } else if (!actor.Has(Role::kCommuneOfficer) && !actor.Has(Role::kProvinceAdmin)) {
    return Error::Forbidden("Only commune officers and province administrators onboard households here.");
  }
  std::vector<FieldError> errors;
  auto phone = Collect(accounts::CleanPhone(input.phone), errors);
  auto full_name =
      Collect(accounts::CleanName(input.full_name, accounts::kMaxFullNameChars, "full_name"), errors);
  auto shop_name = Collect(accounts::CleanName(input.shop_name, kMaxShopNameChars, "shop_name"), errors);
  auto address = Collect(accounts::CleanName(input.address_line, kMaxAddressChars, "address_line"), errors);
  std::string description;
  if (input.description)
    description =
        Collect(CleanText(*input.description, kMaxDescriptionChars, "description"), errors).value_or("");
  const bool commune_ok = places_.IsCommune(input.commune_code);
  if (!commune_ok)
    errors.push_back({"commune_code", "Not a current commune code (the 2025 administrative units)."});
  if (!errors.empty()) return Error::Invalid("Some fields are missing or invalid.", errors);
  if (!coop && !OfficerCovers(actor, input.commune_code))
    return Error::Forbidden("You do not cover this commune.");

  TRY_ASSIGN(Onboarded done, CreateAssisted(actor.user_id, *phone, *full_name, *shop_name,
                                            SellerType::kHousehold, input.commune_code, *address, description,
                                            coop ? &coop->seller : nullptr, client));
  auto sent = accounts_.SendClaimCode(done.user.id);
  done.claim_code_sent = sent.ok();
  if (!sent.ok())
    spdlog::warn("onboarding: claim code for user {} not sent: {}", done.user.id, sent.error().detail);
  TRY_ASSIGN(done.user, accounts_.GetUser(done.user.id));
  return done;
}

Result<Onboarded> SellerService::CreateAssisted(std::int64_t actor_user_id, const std::string& phone,
                                                const std::string& full_name, const std::string& shop_name,
                                                SellerType type, const std::string& commune_code,
                                                const std::string& address, const std::string& description,
                                                const Seller* coop, const ClientInfo& client) {
  const std::string province = places_.ProvinceOf(commune_code).value_or("");
  const std::int64_t now = clock_.NowMs();
  return db_.Write([&](db::Connection& c) -> Result<Onboarded> {
    Onboarded out;
    TRY_ASSIGN(out.user, accounts_.CreateUnclaimedUserWith(c, phone, full_name, actor_user_id));
    TRY_ASSIGN(std::string slug, FreeSlug(c, shop_name));
    TRY_ASSIGN(std::int64_t id,
               c.QueryInt(kInsertSeller, {slug, shop_name, std::string(SellerTypeName(type)), commune_code,
                                          province, address, phone, description, std::int64_t{1}, out.user.id,
                                          actor_user_id, now, now}));
    TRY(accounts_.GrantWith(c, out.user.id, Role::kShopOwner, std::to_string(id), actor_user_id));
    if (type == SellerType::kCooperative) {
      TRY(accounts_.GrantWith(c, out.user.id, Role::kCoopManager, std::to_string(id), actor_user_id));
    }
    if (coop) TRY(c.Exec(kInsertMembership, {coop->id, id, std::string("active"), actor_user_id, now, now}));
    TRY_ASSIGN(auto seller, LoadSeller(c, id));
    if (!seller) return Error::Internal("shop vanished");
    out.seller = std::move(*seller);
    AuditEntry audit;
    audit.actor_user_id = actor_user_id;
    audit.on_behalf_of_user_id = out.user.id;
    audit.action = "seller.onboard";
    audit.object_type = "seller";
    audit.object_id = std::to_string(out.seller.id);
    audit.province_code = province;
    audit.ip = client.ip;
    audit.after = AuditView(out.seller);
    if (coop) audit.after["cooperative_id"] = coop->id;
    TRY(accounts::RecordAudit(c, audit, now));
    return out;
  });
}

Result<Seller> SellerService::CreateForImport(const Principal* actor, const ImportInput& input,
                                              const ClientInfo& client) {
  TRY_ASSIGN(auto created,
             db_.Write([&](db::Connection& c) { return CreateForImportWith(c, actor, {input}, client); }));
  TRY_ASSIGN(Seller seller, std::move(created.front()));
  SendImportClaimCodes(actor, {seller.owner_user_id});
  return seller;
}

namespace {

// A shop of an import, checked, and where its answer goes.
struct CheckedShop {
  std::size_t index = 0;  // into the inputs
  std::string phone;
  std::string name;
  SellerType type = SellerType::kHousehold;
  std::string commune_code;
  std::string province_code;
  std::string address;
  std::int64_t owner_user_id = 0;
};

}  // namespace

Result<std::vector<Result<Seller>>> SellerService::CreateForImportWith(db::Connection& c,
                                                                       const Principal* actor,
                                                                       const std::vector<ImportInput>& inputs,
                                                                       const ClientInfo& client) {
  std::vector<std::optional<Result<Seller>>> answers(inputs.size());
  // The checks of CreateForImport, before anything is written.
  std::vector<CheckedShop> shops;
  shops.reserve(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const ImportInput& input = inputs[i];
    std::vector<FieldError> errors;
    auto phone = Collect(accounts::CleanPhone(input.phone), errors);
    auto name = Collect(accounts::CleanName(input.name, kMaxShopNameChars, "name"), errors);
    SellerType type = SellerType::kHousehold;
    if (!ParseSellerType(input.type, &type))
      errors.push_back({"type", "Use household, cooperative or enterprise."});
    if (!places_.IsCommune(input.commune_code)) {
      errors.push_back({"commune_code", "Not a current commune code (the 2025 administrative units)."});
    }
    std::optional<std::string> address;
    if (input.address_line && !input.address_line->empty()) {
      address = Collect(accounts::CleanName(*input.address_line, kMaxAddressChars, "address_line"), errors);
    } else {
      address = places_.FullName(input.commune_code);
    }
    if (!errors.empty()) {
      answers[i] = Error::Invalid("Some fields are missing or invalid.", errors);
    } else if (actor && !OfficerCovers(*actor, input.commune_code)) {
      answers[i] = Error::Forbidden("You do not cover this commune.");
    } else {
      shops.push_back({i, *phone, *name, type, input.commune_code,
                       places_.ProvinceOf(input.commune_code).value_or(""), *address, 0});
    }
  }

  // The owners' accounts; a phone of an account in use refuses its shop
  // before anything of it is written.
  const std::int64_t actor_user_id = actor ? actor->user_id : 0;
  const std::int64_t now = clock_.NowMs();
  std::vector<accounts::UnclaimedAccount> wanted;
  wanted.reserve(shops.size());
  for (const CheckedShop& shop : shops) wanted.push_back({shop.phone, shop.name});
  TRY_ASSIGN(auto owners, accounts::CreateUnclaimedUsersWith(c, wanted, actor_user_id, now));
  std::vector<CheckedShop> ready;
  ready.reserve(shops.size());
  for (std::size_t i = 0; i < shops.size(); ++i) {
    if (!owners[i].ok()) {
      answers[shops[i].index] = std::move(owners[i]).error();
      continue;
    }
    shops[i].owner_user_id = owners[i]->id;
    ready.push_back(std::move(shops[i]));
  }

  // The shops, a multi-row INSERT per kShopsPerInsert, then their owners'
  // grants and the audit entries, as CreateAssisted writes them one by one.
  std::vector<std::string> names;
  names.reserve(ready.size());
  for (const CheckedShop& shop : ready) names.push_back(shop.name);
  TRY_ASSIGN(std::vector<std::string> slugs, FreeSlugs(c, names));
  std::vector<Seller> created(ready.size());
  std::unordered_map<std::string, std::size_t> by_slug;
  for (std::size_t start = 0; start < ready.size(); start += kShopsPerInsert) {
    const std::size_t end = std::min(ready.size(), start + kShopsPerInsert);
    db::Params params;
    params.reserve((end - start) * kInsertSellerParams);
    for (std::size_t i = start; i < end; ++i) {
      const CheckedShop& shop = ready[i];
      Seller& s = created[i];
      s.slug = slugs[i];
      s.name = shop.name;
      s.type = shop.type;
      s.commune_code = shop.commune_code;
      s.province_code = shop.province_code;
      s.address_line = shop.address;
      s.phone = shop.phone;
      s.status = SellerStatus::kPending;
      s.officer_assist = true;
      s.owner_user_id = shop.owner_user_id;
      s.created_at = s.updated_at = now;
      by_slug.emplace(s.slug, i);
      params.insert(params.end(), {s.slug, s.name, std::string(SellerTypeName(s.type)), s.commune_code,
                                   s.province_code, s.address_line, s.phone, s.description, std::int64_t{1},
                                   s.owner_user_id, actor_user_id, now, now});
    }
    std::string sql = kInsertSellers;
    for (std::size_t i = start; i < end; ++i)
      sql += i == start ? kInsertSellerRow : std::string(", ") + kInsertSellerRow;
    TRY_ASSIGN(db::Rows ids, c.Query(sql + " RETURNING id, slug", params));
    if (ids.size() != end - start) return Error::Internal("shops not all inserted");
    for (const auto& row : ids) created[by_slug.at(row.Text(1))].id = row.Int(0);
  }
  std::vector<accounts::NewGrant> grants;
  std::vector<AuditEntry> audits;
  grants.reserve(created.size());
  audits.reserve(created.size());
  for (const Seller& s : created) {
    grants.push_back({s.owner_user_id, Role::kShopOwner, std::to_string(s.id)});
    if (s.type == SellerType::kCooperative)
      grants.push_back({s.owner_user_id, Role::kCoopManager, std::to_string(s.id)});
    AuditEntry audit;
    audit.actor_user_id = actor_user_id;
    audit.on_behalf_of_user_id = s.owner_user_id;
    audit.action = "seller.onboard";
    audit.object_type = "seller";
    audit.object_id = std::to_string(s.id);
    audit.province_code = s.province_code;
    audit.ip = client.ip;
    audit.after = AuditView(s);
    audits.push_back(std::move(audit));
  }
  TRY(accounts::InsertNewGrantsWith(c, grants, actor_user_id, now));
  TRY(accounts::RecordAudits(c, audits, now));

  for (std::size_t i = 0; i < ready.size(); ++i) answers[ready[i].index] = std::move(created[i]);
  std::vector<Result<Seller>> out;
  out.reserve(answers.size());
  for (auto& answer : answers) out.push_back(std::move(*answer));
  return out;
}

void SellerService::SendImportClaimCodes(const Principal* actor,
                                         const std::vector<std::int64_t>& owner_user_ids) {
  // The operator's CLI and demo data send none: claim codes can be sent
  // later with ResendClaimCode.
  if (!actor) return;
  for (std::int64_t user_id : owner_user_ids) {
    if (auto sent = accounts_.SendClaimCode(user_id); !sent.ok()) {
      spdlog::warn("import: claim code for user {} not sent: {}", user_id, sent.error().detail);
    }
  }
}

Status SellerService::ResendClaimCode(const Principal& actor, std::int64_t id) {
  TRY_ASSIGN(Access access, RequireCapacity(&actor, id, {Capacity::kCoopManager, Capacity::kOfficer}));
  return accounts_.SendClaimCode(access.seller.owner_user_id);
}

}  // namespace nongsan::sellers

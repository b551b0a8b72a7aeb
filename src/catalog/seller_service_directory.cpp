#include "catalog/seller_service_directory.hpp"

#include <unordered_set>

#include "sellers/seller_service.hpp"

namespace nongsan::catalog {

namespace {

SellerSummary Summarize(const sellers::Seller& seller) {
  SellerSummary summary;
  summary.id = seller.id;
  summary.name = seller.name;
  summary.commune_code = seller.commune_code;
  summary.is_public = seller.status != sellers::SellerStatus::kSuspended;
  return summary;
}

}  // namespace

Result<std::optional<SellerSummary>> SellerServiceDirectory::Find(std::int64_t seller_id) {
  auto seller = sellers_.Get(seller_id);
  if (!seller.ok()) {
    if (seller.error().code == ErrorCode::kNotFound) return std::optional<SellerSummary>();
    return std::move(seller).error();
  }
  return std::optional<SellerSummary>(Summarize(*seller));
}

Result<bool> SellerServiceDirectory::CanManage(const Principal* principal, std::int64_t seller_id) {
  return sellers_.CanManage(principal, seller_id);
}

Result<std::vector<PhoneShop>> SellerServiceDirectory::FindByPhones(const std::vector<std::string>& phones) {
  TRY_ASSIGN(std::vector<sellers::Seller> found, sellers_.FindByPhones(phones));
  std::vector<PhoneShop> out;
  std::unordered_set<std::string> seen;
  for (const auto& seller : found) {  // ordered by id: the oldest of a phone first
    if (seen.insert(seller.phone).second) out.push_back({seller.phone, Summarize(seller)});
  }
  return out;
}

Result<std::vector<Result<CreatedSeller>>> SellerServiceDirectory::CreateForImportWith(
    db::Connection& c, const std::vector<ImportedSeller>& shops, const Principal* actor) {
  std::vector<sellers::ImportInput> inputs;
  inputs.reserve(shops.size());
  for (const ImportedSeller& seller : shops) {
    sellers::ImportInput input;
    input.phone = seller.phone;
    input.name = seller.name;
    input.type = seller.type;
    input.commune_code = seller.commune_code;
    inputs.push_back(std::move(input));
  }
  TRY_ASSIGN(auto created, sellers_.CreateForImportWith(c, actor, inputs, accounts::ClientInfo{}));
  std::vector<Result<CreatedSeller>> out;
  out.reserve(created.size());
  for (auto& shop : created) {
    if (shop.ok()) {
      out.emplace_back(CreatedSeller{shop->id, shop->owner_user_id});
    } else {
      out.emplace_back(std::move(shop).error());
    }
  }
  return out;
}

void SellerServiceDirectory::ImportCommitted(const std::vector<CreatedSeller>& created,
                                             const Principal* actor) {
  std::vector<std::int64_t> owners;
  owners.reserve(created.size());
  for (const CreatedSeller& shop : created) owners.push_back(shop.owner_user_id);
  sellers_.SendImportClaimCodes(actor, owners);
}

Result<std::vector<std::int64_t>> SellerServiceDirectory::ListMembers(std::int64_t coop_id) {
  TRY_ASSIGN(std::vector<sellers::Membership> members, sellers_.ListMembers(coop_id));
  std::vector<std::int64_t> ids;
  ids.reserve(members.size());
  for (const auto& m : members) ids.push_back(m.member_id);
  return ids;
}

}  // namespace nongsan::catalog
